import * as fs from 'node:fs';
import * as path from 'node:path';
import { APPS_DIR, hubOfPath } from '../../charts/layout/dist-layout.js';
import { FleetOutputsOptions } from '../../charts/outputs/fleet-outputs.js';
import { FleetSource } from '../../charts/model/spec.js';
import { compareStrings, sha256 } from '../../engines/util/index.js';
import { cacheDisabled, renderCacheable } from '../cache/cache-dir.js';
import { DistIndex, readIndex } from '../cache/dist-index.js';
import { sourceKey } from '../cache/app-keys.js';
import { folderIdle } from '../write-tree.js';
import { isPlanInput } from './plan.js';
import { CheckedTree, renderChecked } from '../cli.js';
import { readYamlDocuments } from '../../engines/yaml/index.js';

/** Why the output folder cannot stand in for a render, in a few words for the summary line. */
export type DistVerdict = { readonly ok: true; readonly index: DistIndex } | { readonly ok: false; readonly reason: string };

/**
 * Whether the output folder `dir` may stand in for rendering `source`, as synth decides it before
 * rendering nothing (render/cli.ts `runCli`): the render may be cached, the folder's index
 * (render/cache/dist-index.ts) was written by a synth of the same render key (same input, same code),
 * and no synth is writing the folder. Synth writes the index only after a write that completed, and
 * writes nothing unless the input validated and the rendered files passed the credential scan and
 * every policy: the files the index records passed them.
 *
 * That the folder still holds those files is checked by {@link readPlanInputs} for the files the plan
 * reads, by their content (each one's sha256 against the index), as it reads them: stronger than
 * `folderMatchesIndex` (sizes and times) for those files, free of the window between a check and the
 * read, and without a `stat` of every file of the folder. Files the plan does not read (text files,
 * other hubs' files, files not in the index) do not change the plan, whatever they hold.
 */
export function distVerdict(dir: string, source: FleetSource, options: FleetOutputsOptions, noCache: boolean): DistVerdict {
  const rel = `${path.relative(process.cwd(), path.resolve(dir)) || '.'}/`;
  if (noCache) return { ok: false, reason: '--no-cache' };
  if (cacheDisabled()) return { ok: false, reason: `CDK8S_FLEET_CACHE=${process.env.CDK8S_FLEET_CACHE}` };
  if (!renderCacheable(options)) return { ok: false, reason: 'options other than the defaults' };
  const key = sourceKey(source);
  if (key === undefined) return { ok: false, reason: 'an input that is not plain data' };
  const index = readIndex(dir);
  if (!index) return { ok: false, reason: `no index of ${rel}: synth it to plan without rendering` };
  if (index.key !== key) return { ok: false, reason: `${rel} was synthesized from another input or code` };
  if (!folderIdle(dir)) return { ok: false, reason: `a synth is writing ${rel}` };
  return { ok: true, index };
}

/** A file that may hold an object the plan reads: every one of them names `argoproj.io` (apiVersion or Argo CD's secret-type label). */
const PLAN_MARK = Buffer.from('argoproj.io');

/**
 * The objects the plan reads, from the files of a folder vouched for by {@link distVerdict}: the same
 * map as a render's `RenderedTree.objects` for the plan (every file of the index, in path order; the
 * plan inputs of each YAML file, see `isPlanInput`; none for other files, which the render writes as
 * text), or undefined when a file is missing, unreadable or not byte for byte what the index recorded
 * (a synth started meanwhile): then only a render can tell.
 *
 * Only what the plan can read is read: not the apps' folders, and in a fleet with several hubs only the hubs' files. Each file read is
 * hashed and compared with the index, so its bytes are those the render that wrote it produced, and
 * parsed only when it names `argoproj.io`, with a fast reader for the writer's common shapes
 * (engines/yaml/reader.ts) and the `yaml` package for the rest.
 */
export function readPlanInputs(dir: string, index: DistIndex): Map<string, unknown[]> | undefined {
  return readVouched(dir, index, false)?.objects;
}

/**
 * Every file of a folder vouched for by {@link distVerdict}, as text, with the objects the plan reads
 * parsed from them (as {@link readPlanInputs} gives them): what `diff` compares and plans instead of a
 * render. Undefined when a file is missing, unreadable or not byte for byte what the index recorded.
 */
export function readDistTree(dir: string, index: DistIndex): { files: Map<string, string>; objects: Map<string, unknown[]> } | undefined {
  return readVouched(dir, index, true);
}

/** The plan inputs of the files of an index (and, with `all`, every file's text), each file hashed against it. */
function readVouched(dir: string, index: DistIndex, all: boolean): { files: Map<string, string>; objects: Map<string, unknown[]> } | undefined {
  const abs = path.resolve(dir);
  const paths = Object.keys(index.files).sort(compareStrings);
  const hubs = paths.some((p) => hubOfPath(p) !== undefined);
  const files = new Map<string, string>();
  const objects = new Map<string, unknown[]>();
  for (const p of paths) {
    // An app's folder holds no object the plan reads: a synth that wrote the folder refused Argo CD kinds
    // (team-kind), External Secrets kinds (secret-store-platform) and Secrets (the no-Secret rule) there.
    const mayHoldInputs = p.endsWith('.yaml') && !(hubs && hubOfPath(p) === undefined) && !p.startsWith(`${APPS_DIR}/`);
    if (!mayHoldInputs && !all) {
      objects.set(p, []);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(abs, p));
    } catch {
      return undefined;
    }
    if (sha256(bytes) !== index.files[p][4]) return undefined;
    const text = all || (mayHoldInputs && bytes.includes(PLAN_MARK)) ? bytes.toString('utf8') : '';
    if (all) files.set(p, text);
    if (!mayHoldInputs || !bytes.includes(PLAN_MARK)) {
      objects.set(p, []);
      continue;
    }
    const docs = readYamlDocuments(text);
    if (docs === undefined) return undefined;
    objects.set(p, docs.filter(isPlanInput));
  }
  return { files, objects };
}

/** What a command got of the fleet: read from the output folder, or rendered (and why). */
export type ReadOrRendered<T> = { readonly value: T; readonly fromDist: true } | { readonly value: T; readonly fromDist: false; readonly reason: string };

/**
 * What a command needs of the fleet's rendering (plan: the Argo CD objects; diff: every file and those
 * objects): `read` from the output folder when {@link distVerdict} vouches for it and every file read is
 * as the index recorded, else taken `fromTree` of a render (input validation, credential scan and
 * policies as in synth); the exit code of a render that failed.
 */
export function readOrRender<T>(
  source: FleetSource,
  options: FleetOutputsOptions,
  dir: string,
  noCache: boolean,
  read: (dir: string, index: DistIndex) => T | undefined,
  fromTree: (tree: CheckedTree) => T,
): ReadOrRendered<T> | number {
  const verdict = distVerdict(dir, source, options, noCache);
  const value = verdict.ok ? read(dir, verdict.index) : undefined;
  if (value !== undefined) return { value, fromDist: true };
  const reason = verdict.ok ? `${path.relative(process.cwd(), path.resolve(dir)) || '.'}/ changed since the last synth` : verdict.reason;
  const tree = renderChecked(source, options, { noCache });
  return typeof tree === 'number' ? tree : { value: fromTree(tree), fromDist: false, reason };
}
