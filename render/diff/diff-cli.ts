import * as fs from 'node:fs';
import * as path from 'node:path';
import { FleetOutputsOptions } from '../../charts/outputs/fleet-outputs.js';
import { FleetSource } from '../../charts/model/spec.js';
import { refTree } from './git-tree.js';
import { DEFAULT_MAX_CHARS, renderMarkdown } from './markdown.js';
import { compareTrees } from './object-diff.js';
import { reportFailure, UsageError } from '../cli-failure.js';
import { applicationChangesMarkdown, comparePlans, PLANNED_FILE, planOfFiles } from './plan-changes.js';
import { isPlanInput, planFleet } from '../plan/plan.js';
import { readDistTree, readOrRender } from '../plan/plan-source.js';

const USAGE = `usage: npm run diff -- <git-ref> [--committed] [--max-chars N] [--out FILE]
  <git-ref>        what to compare the working tree with: main, origin/main, HEAD~1, a commit
  --committed      read the ref's committed dist/ instead of rendering its code (fast, runs no code)
  --max-chars N    shorten the Markdown to at most N characters (default ${DEFAULT_MAX_CHARS}; at least 1000)
  --out FILE       write the Markdown to FILE instead of printing it
  --no-cache       render the working tree even when dist/ (or $CDK8S_OUTDIR) is vouched for by its index`;


/** The parsed command line of `npm run diff`. */
interface DiffArgs {
  readonly ref: string;
  readonly committed: boolean;
  readonly maxChars: number;
  readonly out?: string;
  readonly noCache: boolean;
}

function parseArgs(argv: readonly string[]): DiffArgs | 'help' {
  const refs: string[] = [];
  let committed = false;
  let maxChars = DEFAULT_MAX_CHARS;
  let out: string | undefined;
  let noCache = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--committed' && eq < 0) committed = true;
    else if (flag === '--no-cache' && eq < 0) noCache = true;
    else if (flag === '--out') out = value();
    else if (flag === '--max-chars') {
      const v = value();
      maxChars = Number(v);
      if (!/^\d+$/.test(v) || maxChars < 1000) throw new UsageError(`--max-chars must be a whole number of at least 1000, got "${v}"`);
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}"`);
    else refs.push(arg);
  }
  if (refs.length === 0) throw new UsageError('name the git ref to compare with, for example: npm run diff -- main');
  if (refs.length > 1) throw new UsageError(`one git ref, got ${refs.length}: ${refs.map((r) => `"${r}"`).join(', ')}`);
  return { ref: refs[0], committed, maxChars, noCache, ...(out === undefined ? {} : { out }) };
}

/** Options of {@link runDiff}: the render options of synth, and where the project is. */
export interface DiffCliOptions extends FleetOutputsOptions {
  /**
   * The project folder: where the git repository, node_modules and --out are looked up.
   * @default - the current folder
   */
  readonly cwd?: string;
}

/**
 * The working tree's rendering: read from the output folder when its index vouches that it is what the
 * code renders from this input (as plan does: `readOrRender`), else rendered in memory. `read` names
 * the folder when it was read.
 */
function workingTree(
  source: FleetSource,
  options: FleetOutputsOptions,
  dist: string,
  noCache: boolean,
): { files: Map<string, string>; objects: ReadonlyMap<string, readonly unknown[]>; read?: string } | number {
  const got = readOrRender(source, options, dist, noCache, readDistTree, (tree) => ({ files: tree.files, objects: tree.objects }));
  if (typeof got === 'number') return got;
  return got.fromDist ? { ...got.value, read: `${path.relative(process.cwd(), dist) || '.'}/` } : got.value;
}

/**
 * `npm run diff -- <git-ref>`: renders the working tree in memory and compares it with the ref's
 * rendering (its code rendered in a temporary worktree, or with --committed its committed dist/),
 * object by object, and prints Markdown grouped by hub / cluster / environment / team / app, ready for
 * a PR comment (or writes it to --out). Returns 0 whether or not anything differs (it is a report), 1
 * when the working tree does not render or the ref cannot be read, 2 on a usage mistake.
 */
export function runDiff(argv: readonly string[], source: FleetSource, options: DiffCliOptions = {}): number {
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      console.log(USAGE);
      return 0;
    }
    const { cwd: project, ...renderOptions } = options;
    const cwd = project ?? process.cwd();
    const tree = workingTree(source, renderOptions, path.resolve(cwd, process.env.CDK8S_OUTDIR ?? 'dist'), args.noCache);
    if (typeof tree === 'number') return tree;
    const base = refTree(args.ref, { cwd, committed: args.committed, known: tree.files });
    const comparison = compareTrees(base.files, tree.files);
    let applications = '';
    if (comparison.changes.length > 0) {
      // The working tree's objects are at hand; only the ref's side is parsed from its files (those of
      // hub/ or hubs/). When no object of those files changed and no other file holds anything the plan
      // reads, the ref's plan is the working tree's: no Application changes, and no second plan to make.
      const after = planFleet(tree.objects);
      const hubFile = (p: string) => PLANNED_FILE.test(p);
      const hubsUnchanged =
        !comparison.changes.some((c) => hubFile(c.path) || (c.movedFrom !== undefined && hubFile(c.movedFrom))) &&
        ![...tree.objects].some(([file, docs]) => !hubFile(file) && docs.some(isPlanInput));
      applications = applicationChangesMarkdown(hubsUnchanged ? [] : comparePlans(planOfFiles(base.files), after), after);
    }
    const markdown = renderMarkdown(comparison, {
      baseRef: args.ref,
      baseCommit: base.commit,
      baseSource: args.committed ? 'committed' : 'rendered',
      maxChars: args.maxChars,
      command: `npm run diff -- ${args.ref}${args.committed ? ' --committed' : ''}`,
      applications,
    });
    const counts = { added: 0, removed: 0, changed: 0 };
    for (const c of comparison.changes) counts[c.change]++;
    const took = `${process.uptime().toFixed(2)} s`;
    const summary = `cdk8s-fleet: ${args.ref} (${base.commit.slice(0, 7)}) → working tree: ${counts.added} added, ${counts.removed} removed, ${counts.changed} changed objects in ${comparison.filesDiffering} of ${comparison.files} files, in ${took}${tree.read ? ` (the working tree as ${tree.read} holds it: input, code and folder as at the last synth, nothing rendered)` : ''}`;
    if (args.out !== undefined) {
      const file = path.resolve(cwd, args.out);
      fs.writeFileSync(file, markdown);
      console.log(`${summary}; Markdown (${markdown.length} characters) written to ${path.relative(cwd, file) || file}`);
    } else {
      console.log(markdown.trimEnd());
      console.error(summary);
    }
    return 0;
  } catch (e) {
    return reportFailure(e, USAGE);
  }
}
