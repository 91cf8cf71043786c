/** A policy violation in the rendered output: which rule, which file and object, what is wrong. */
export interface Finding {
  /** Stable rule id, for example `pss-restricted`. */
  readonly rule: string;
  /** File under dist/. */
  readonly file: string;
  /** `Kind/name` of the object. */
  readonly object: string;
  readonly message: string;
}

/** `file: Kind/name: [rule] message`, the one-line form printed to users. */
export function formatFinding(f: Finding): string {
  return `${f.file}: ${f.object}: [${f.rule}] ${f.message}`;
}

/** Rendered objects by file path (dist/-relative), as the policies read them. */
export type RenderedObjects = ReadonlyMap<string, readonly any[]>;

/** Facts about the fleet the policies need. */
export interface PolicyContext {
  /** Folder of dist/ inside the git repository Argo CD reads (`dist/`). */
  readonly basePath: string;
  /** Values the cluster Secrets give the templates' repository annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Every environment name. */
  readonly environments: readonly string[];
  /** Environments held to production rules (the last in promotion order). */
  readonly productionEnvironments: readonly string[];
  /** AppProjects owned by the platform (the others are teams'). */
  readonly platformProjects: readonly string[];
  /** AWS account ids of the spokes that run a team's apps, by `<team>/<environment>`. */
  readonly teamAccounts: Readonly<Record<string, readonly string[]>>;
  /**
   * The repositories whose folder dist/ is (`repos.addons`, `repos.workloads`), as Argo CD normalises
   * URLs: a source that names another repository (a team's own) is not looked for in dist/.
   * @default - every source path under `basePath` is looked for in dist/
   */
  readonly platformRepos?: readonly string[];
}

/** `Kind/name` of an object. */
export function objectId(o: any): string {
  return `${o?.kind ?? '?'}/${o?.metadata?.name ?? '?'}`;
}
