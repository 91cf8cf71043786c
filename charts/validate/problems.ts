/** One thing wrong with the input: the file and field to fix, and what is wrong. */
export interface Problem {
  /** Source file, relative to the project root (`environments/clusters.ts`). */
  readonly file: string;
  /** Field path inside the file's exported data (`clusters[1].addons.karpenter.iamRoleArn`). */
  readonly path: string;
  /** What was received, what is allowed, and how to fix it. */
  readonly message: string;
}

/** A problem at a field path of the input, before the file is known: what each validation rule returns. */
export interface FieldProblem {
  /** Field path inside the fleet spec (`clusters[1].name`), or inside the add-on catalog (`ADDON_CATALOG[3].version`). */
  readonly path: string;
  readonly message: string;
}

/** `file: path: message`, the one-line form printed to users. */
export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.path}: ${p.message}`;
}

/** Thrown when the input is invalid; carries every problem found, not only the first. */
export class FleetValidationError extends Error {
  public readonly problems: readonly Problem[];

  public constructor(problems: readonly Problem[]) {
    const n = problems.length;
    super(`${n} problem${n === 1 ? '' : 's'} in the fleet input:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'FleetValidationError';
    this.problems = problems;
  }
}
