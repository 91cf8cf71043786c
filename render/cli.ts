import * as path from 'node:path';
import { fleetRender, FleetOutputsOptions } from '../charts/outputs/fleet-outputs.js';
import { checkPolicies } from '../charts/policy/check-policies.js';
import { formatFinding } from '../charts/policy/finding.js';
import { scanText } from '../engines/secret-scan/index.js';
import { FleetSource } from '../charts/model/spec.js';
import { FleetValidationError } from '../charts/validate/problems.js';
import { renderTree, RenderedTree } from './render.js';
import { diffTree, isClean, TreeDiff } from './tree.js';
import { reportFailure, UsageError } from './cli-failure.js';
import { folderIdle, readTreeSettled, TreeWriteError, writeTreeAtomic } from './write-tree.js';
import { DistIndex, folderMatchesIndex, indexHashes, readIndex, writeIndex } from './cache/dist-index.js';
import { renderCacheable } from './cache/cache-dir.js';
import { sha256 } from '../engines/util/index.js';
import { codeVersion } from './cache/run-key.js';
import { AppManifestCache } from './cache/app-cache.js';
import { appKeys, fleetKey } from './cache/app-keys.js';
import { checkAppsOnly, synthAppsOnly } from './app-only.js';

const USAGE = `usage: main.ts <synth|check|validate|plan|diff|promote|catalog> [options]
  synth [--out DIR] [--no-cache]  render the fleet into DIR (default dist/, or $CDK8S_OUTDIR under cdk8s synth), atomically
  check [--out DIR] [--no-cache]  exit 1 and list the files that differ when DIR is not what the code renders
                     (--no-cache, or CDK8S_FLEET_CACHE=off: render even when neither input, code nor DIR changed)
  validate           check every rendered object against the real schema of its kind, and the policies
  plan [--json] [--out DIR] [--no-cache]  every Application Argo CD will run, per cluster; exit 1 on what Argo CD would fail on
                     (reads DIR instead of rendering when its index vouches that DIR is what the code renders)
  diff <ref>         what the working tree changes against a git ref, as Markdown for a PR (diff --help)
  promote <team>/<app>|addon:<name> <from-env> <to-env> [--out DIR]
                     make <to-env> run what <from-env> runs: edit the source (environments/), render DIR,
                     print a summary for the PR; refused (exit 1, nothing written) unless <from-env> is earlier
                     and DIR already runs it there (promote --help)
  catalog [--json]   the add-ons: chart, IAM, versions per Kubernetes minor and the release each was checked against,
                     and where the fleet runs them`;

/** Where output goes: --out, else cdk8s synth's $CDK8S_OUTDIR, else dist/. */
export function outDir(args: readonly string[]): string {
  const i = args.indexOf('--out');
  if (i >= 0) {
    const dir = args[i + 1];
    if (!dir) throw new UsageError('--out needs a folder');
    return dir;
  }
  return process.env.CDK8S_OUTDIR ?? 'dist';
}


function seconds(): string {
  return `${process.uptime().toFixed(2)} s`;
}

/** A rendered tree that passed every check, with the sha256 of each file's text when asked for. */
export interface CheckedTree extends RenderedTree {
  readonly hashes?: ReadonlyMap<string, string>;
  /** With the app cache: how many apps it gave, of all the apps rendered. */
  readonly apps?: { readonly fromCache: number; readonly total: number };
}

/**
 * Validates the input, renders, and runs the policies. Returns the tree, or exit code 1 after printing
 * every policy finding (one line each: file, object, rule id, message). The input's problems come back
 * from the library as values; here, at the command's edge, they become the one `FleetValidationError`
 * that every command reports the same way.
 *
 * With caching on, apps rendered before are reused (`AppManifestCache`). With `hashes` (what synth
 * records in the index) or an `index`, each file's sha256 is computed, and files whose bytes are those the
 * output folder's index recorded, written by the same code, are not scanned for credentials again.
 */
export function renderChecked(
  source: FleetSource,
  options: FleetOutputsOptions = {},
  reuse: { readonly noCache?: boolean; readonly index?: DistIndex; readonly hashes?: boolean } = {},
): CheckedTree | number {
  const cache = renderCacheable(options, reuse.noCache) ? AppManifestCache.open() : undefined;
  const render = fleetRender(source, cache ? { ...options, appManifests: cache } : options);
  if (!render.ok) throw new FleetValidationError(render.problems);
  for (const notice of render.notices) console.error(`cdk8s-fleet: note: ${notice}`);
  const tree = renderTree(render.outputs, cache);
  let hashes: Map<string, string> | undefined;
  if (reuse.hashes || reuse.index) {
    hashes = new Map();
    for (const [file, text] of tree.files) hashes.set(file, sha256(text));
  }
  const scanned = reuse.index && hashes && reuse.index.code === codeVersion() ? reuse.index.files : undefined;
  // Files whose bytes the app cache gave were scanned when it stored them (by this code: one pack per version).
  const alreadyScanned = (file: string) =>
    tree.reused.has(file) || (scanned !== undefined && Object.prototype.hasOwnProperty.call(scanned, file) && scanned[file][4] === hashes!.get(file));
  // Credentials in the bytes about to be written: planted in Helm values, app config, annotations...
  const secrets: string[] = [];
  for (const [file, text] of tree.files) {
    if (!alreadyScanned(file)) for (const f of scanText(text)) secrets.push(`  ${file}:${f.line}: [no-credentials] ${f.what}`);
  }
  if (secrets.length > 0) {
    const n = secrets.length;
    console.error([`cdk8s-fleet: ${n} credential${n === 1 ? '' : 's'} in the rendered output (dist/ is committed: nothing secret may be in it):`, ...secrets, 'Nothing was written.'].join('\n'));
    return 1;
  }
  const findings = [...new Map(checkPolicies(tree.objects, render.context).map((f) => [formatFinding(f), f])).values()];
  if (findings.length === 0) {
    cache?.save();
    return { ...tree, hashes, ...(cache && { apps: { fromCache: cache.hits, total: cache.hits + cache.misses } }) };
  }
  const n = findings.length;
  console.error([`cdk8s-fleet: ${n} polic${n === 1 ? 'y finding' : 'y findings'} in the rendered output:`, ...findings.map((f) => `  ${formatFinding(f)}`), 'Nothing was written.'].join('\n'));
  return 1;
}

/** `renderChecked` without the objects: what synth and check keep of a render. */
function renderedFiles(...args: Parameters<typeof renderChecked>): Pick<CheckedTree, 'files' | 'hashes' | 'apps'> | number {
  const tree = renderChecked(...args);
  return typeof tree === 'number' ? tree : { files: tree.files, hashes: tree.hashes, apps: tree.apps };
}

/** What a complete render took from the app cache, for the summary line, when it took any. */
function fromCache(apps: CheckedTree['apps']): string | undefined {
  if (!apps || apps.fromCache === 0) return undefined;
  return apps.fromCache === apps.total ? `every app from the app cache (${apps.total})` : `${apps.fromCache} of ${apps.total} apps from the app cache`;
}

/** synth's summary line: the files written, after what the folder held. */
function reportWrite(rel: string, r: TreeDiff & { readonly total: number }, how?: string): number {
  const unchanged = r.total - r.added.length - r.changed.length;
  console.log(`cdk8s-fleet: ${r.total} files in ${rel}/: ${r.added.length} added, ${r.changed.length} changed, ${r.removed.length} removed, ${unchanged} unchanged, in ${seconds()}${how ? ` (${how})` : ''}`);
  return 0;
}

/** check's verdict: up to date (exit 0), or each file that differs (exit 1). */
function reportCheck(rel: string, diff: TreeDiff, total: number, how?: string): number {
  if (isClean(diff)) {
    console.log(`cdk8s-fleet: ${rel}/ is up to date (${total} files) in ${seconds()}${how ? ` (${how})` : ''}`);
    return 0;
  }
  if (how) console.log(`cdk8s-fleet: checked in ${seconds()} (${how})`);
  const n = diff.added.length + diff.changed.length + diff.removed.length;
  const lines = [
    `cdk8s-fleet: ${rel}/ is not what the code renders: ${n} file${n === 1 ? '' : 's'} differ.`,
    ...diff.changed.map((f) => `  changed  ${rel}/${f}`),
    ...diff.added.map((f) => `  missing  ${rel}/${f}`),
    ...diff.removed.map((f) => `  stale    ${rel}/${f}`),
    'Run `npm run synth` and commit the result.',
  ];
  console.error(lines.join('\n'));
  return 1;
}

/**
 * The command line: validates, renders, then writes (`synth`) or compares (`check`). Returns the exit
 * code. Every failure is one clear message on stderr and a non-zero code; the output folder is only
 * ever replaced whole, after everything rendered.
 */
export function runCli(argv: readonly string[], source: FleetSource, options: FleetOutputsOptions = {}): number {
  const [command, ...args] = argv;
  try {
    if (command !== 'synth' && command !== 'check') throw new UsageError(`unknown command ${JSON.stringify(command ?? '')}`);
    const dir = outDir(args);
    const rel = path.relative(process.cwd(), path.resolve(dir)) || '.';
    // Same input, same code, and the folder untouched since the synth that rendered them: nothing to render.
    // No key when the render must not be cached: caching off, a catalog or option other than the
    // defaults, or an input that is not plain data (an app's `chart` function, say).
    const noCache = args.includes('--no-cache');
    const keys = renderCacheable(options, noCache) ? appKeys(source) : undefined;
    const key = keys && fleetKey(keys);
    const index = key === undefined ? undefined : readIndex(dir);
    if (index && index.key === key && folderIdle(dir) && folderMatchesIndex(dir, index)) {
      const n = Object.keys(index.files).length;
      const nothing = 'input, code and folder as at the last synth: nothing rendered';
      return command === 'synth' ? reportWrite(rel, { added: [], changed: [], removed: [], total: n }, nothing) : reportCheck(rel, { added: [], changed: [], removed: [] }, n, nothing);
    }
    // Only some apps' own fields changed: render those apps alone, when that is shown to give the same bytes.
    if (key !== undefined && keys && index?.apps) {
      const only = (apps: readonly string[]) => `only the changed ${apps.length === 1 ? `app ${apps[0]}` : `${apps.length} apps`} rendered`;
      if (command === 'synth') {
        const w = synthAppsOnly(dir, source, index, key, keys);
        if (w) return reportWrite(rel, w, only(w.apps));
      } else {
        const d = checkAppsOnly(dir, source, index, keys);
        if (d) return reportCheck(rel, d, d.total, only(d.apps));
      }
    }
    // Only the bytes and their hashes stay: the rendered objects are garbage before the write starts.
    const checked = renderedFiles(source, options, { noCache, index, hashes: key !== undefined });
    if (typeof checked === 'number') return checked;
    const { files, hashes } = checked;
    const how = fromCache(checked.apps);

    if (command === 'synth') {
      // One writer at a time (a lock beside the folder); the counts are against the folder as found under it.
      // With an index the folder still matches (checked under the lock), the comparison reads no file.
      let verified: DistIndex | undefined;
      const r = writeTreeAtomic(dir, files, {
        hashes,
        currentHashes: () => {
          verified = index && folderMatchesIndex(dir, index) ? index : undefined;
          return verified && indexHashes(verified);
        },
        afterWrite:
          key === undefined
            ? undefined
            : (d) => writeIndex(dir, key, files, hashes, verified && { index: verified, written: new Set([...d.added, ...d.changed]), removed: d.removed }, keys),
      });
      if (r.completed) console.log(`cdk8s-fleet: completed first the write that pid ${r.completed.pid} (${r.completed.host}) had committed and not finished`);
      return reportWrite(rel, r, how);
    }

    // check writes nothing and takes no lock: it waits out a running synth, and reports an unfinished one.
    const read = readTreeSettled(dir);
    if (read.kind === 'busy') {
      const who = read.writer ? `a synth (pid ${read.writer.pid} on ${read.writer.host})` : 'a synth';
      console.error(`cdk8s-fleet: ${rel}/ is being written by ${who}: waited ${Math.round(read.waitedMs / 1000)} s. Run check again when it has finished.`);
      return 1;
    }
    if (read.kind === 'unfinished') {
      console.error(
        `cdk8s-fleet: ${rel}/ is part old, part new: a synth (pid ${read.owner.pid} on ${read.owner.host}) committed a write and stopped before finishing it.\n` +
          'Run `npm run synth` (it completes that write first) and commit the result.',
      );
      return 1;
    }
    return reportCheck(rel, diffTree(files, read.files), files.size, how);
  } catch (e) {
    // A failed write says what the folder holds: exactly "Nothing was written." only when it is untouched.
    if (e instanceof TreeWriteError) return reportFailure(e.reason, USAGE, e.state);
    return reportFailure(e, USAGE, 'Nothing was written.');
  }
}
