/**
 * Synth and check after a change to some apps' own fields only (the index of the output folder records
 * the platform key and each app's key: render/cache/app-keys.ts): those apps are rendered alone, with
 * their README lines, and everything else is the folder as the index recorded it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FleetSource } from '../charts/model/spec.js';
import { AppRef, appUpdate } from '../charts/outputs/app-update.js';
import { checkPolicies } from '../charts/policy/check-policies.js';
import { README_FILE } from '../charts/layout/dist-layout.js';
import { scanText } from '../engines/secret-scan/index.js';
import { sha256 } from '../engines/util/index.js';
import { readYamlDocuments } from '../engines/yaml/index.js';
import { renderTree } from './render.js';
import { folderIdle, PartialWriteRefused, TreeWriteError, WriteResult, writeTreeAtomic } from './write-tree.js';
import { diffBy, TreeDiff } from './tree.js';
import { DistIndex, folderMatchesIndex, indexHashes, writeIndex } from './cache/dist-index.js';
import { AppKeys, changedApps } from './cache/app-keys.js';
import { AppManifestCache } from './cache/app-cache.js';

/**
 * At most this many changed apps are rendered alone; more, and a complete render (which renders only
 * the apps the app store does not hold) costs about the same.
 */
const MAX_APPS = 50;

/** What a synth that rendered only the changed apps wrote. */
export interface AppOnlyWrite extends WriteResult {
  /** The apps rendered, `<team>/<app>`. */
  readonly apps: readonly string[];
}

/**
 * The folder's tree after a change to some apps' own fields: the new files with their text, every other
 * file a placeholder (empty text) with its recorded hash; what the app store is to remember.
 */
interface AppOnlyTree {
  readonly apps: readonly string[];
  readonly files: Map<string, string>;
  readonly hashes: Map<string, string>;
  readonly save: () => void;
}

/**
 * The tree after a change to some apps' own fields only, made and checked as `synthAppsOnly` says, or
 * undefined when that cannot be shown to be what a complete render makes.
 */
function appOnlyTree(dir: string, source: FleetSource, index: DistIndex, keys: AppKeys): AppOnlyTree | undefined {
  const changed = index.apps && changedApps(index.apps, keys);
  if (!changed || changed.length === 0 || changed.length > MAX_APPS) return undefined;
  const teams = source.spec.teams ?? [];
  const refs: AppRef[] = [];
  for (const id of changed) {
    const cut = id.indexOf('/');
    const team = teams.findIndex((t) => t.name === id.slice(0, cut));
    const app = team < 0 ? -1 : teams[team].apps.findIndex((a) => a.name === id.slice(cut + 1));
    if (app < 0) return undefined;
    refs.push({ team, app });
  }
  const store = AppManifestCache.open();
  const update = appUpdate(source, refs, store);
  if (!update) return undefined;

  const abs = path.resolve(dir);
  /** A file of the folder as the index recorded it, or undefined. */
  const recordedText = (rel: string): string | undefined => {
    const recorded = Object.prototype.hasOwnProperty.call(index.files, rel) ? index.files[rel] : undefined;
    if (!recorded) return undefined;
    try {
      const text = fs.readFileSync(path.join(abs, rel), 'utf8');
      return sha256(text) === recorded[4] ? text : undefined;
    } catch {
      return undefined;
    }
  };

  // The store is told the changed apps' objects before they are rendered, to keep each one's bytes.
  for (const { context, app, byEnvironment } of update.rendered) store.set(context, app, byEnvironment);
  const tree = renderTree(update.files, store);
  const readme = recordedText(README_FILE);
  if (readme === undefined) return undefined;
  const lines = readme.split('\n');
  for (const { start, line } of update.readmeLines) {
    const at = lines.flatMap((l, i) => (l.startsWith(start) ? [i] : []));
    if (at.length !== 1) return undefined;
    lines[at[0]] = line;
  }
  const written = new Map(tree.files).set(README_FILE, lines.join('\n'));

  // What a complete render checks of these files: no credential, and the policies, which read the
  // team boundaries beside the apps (an app's Secret comes from the boundaries' ExternalSecret).
  for (const text of written.values()) if (scanText(text).length > 0) return undefined;
  const checked = new Map<string, unknown[]>(tree.objects);
  for (const rel of Object.keys(index.files)) {
    if (!update.boundaries.some((b) => rel.startsWith(`${b}/`))) continue;
    const text = recordedText(rel);
    if (text === undefined) return undefined;
    const docs = readYamlDocuments(text);
    if (docs === undefined) return undefined;
    checked.set(rel, docs);
  }
  if (checkPolicies(checked, update.context).length > 0) return undefined;

  // The whole tree: the new files, and a placeholder with the recorded hash for every file that stays.
  const replaced = (rel: string) => rel === README_FILE || update.replaces.some((r) => rel.startsWith(`${r}/`));
  const files = new Map<string, string>();
  const hashes = new Map<string, string>();
  for (const [rel, recorded] of Object.entries(index.files)) {
    if (replaced(rel)) continue;
    files.set(rel, '');
    hashes.set(rel, recorded[4]);
  }
  for (const [rel, text] of written) {
    files.set(rel, text);
    hashes.set(rel, sha256(text));
  }
  const save = () => {
    store.save(true);
  };
  return { apps: changed, files, hashes, save };
}

/**
 * Synth when only some apps' own fields changed since the synth the folder's index records (an image
 * tag promoted, replicas, an overlay): renders those apps, their lines of the README and nothing else,
 * checks them as a complete render would, and writes the files that changed. Returns undefined, having
 * written nothing, whenever that cannot be shown to give the bytes of a complete render: another
 * platform key or set of apps, a problem or policy finding (the complete render reports it), an app the
 * app store no longer holds, a file not as the index recorded it. The caller then renders in full.
 *
 * The folder is verified against the index under the write lock (a walk and a `stat` per file); the
 * few files read before that (the README and the team boundaries the policies need) are verified by
 * content hash.
 */
export function synthAppsOnly(dir: string, source: FleetSource, index: DistIndex, key: string, keys: AppKeys): AppOnlyWrite | undefined {
  const tree = appOnlyTree(dir, source, index, keys);
  if (!tree) return undefined;
  const { files, hashes } = tree;
  let result: WriteResult;
  try {
    result = writeTreeAtomic(dir, files, {
      partial: true,
      hashes,
      currentHashes: () => (folderMatchesIndex(dir, index) ? indexHashes(index) : undefined),
      afterWrite: (d) => writeIndex(dir, key, files, hashes, { index, written: new Set([...d.added, ...d.changed]), removed: d.removed }, keys),
    });
  } catch (e) {
    if (e instanceof TreeWriteError && e.reason instanceof PartialWriteRefused) return undefined;
    throw e;
  }
  tree.save();
  return { ...result, apps: tree.apps };
}

/**
 * Check when only some apps' own fields changed since the synth the folder's index records: what a
 * complete render would find different, from those apps alone, or undefined (then the check renders in
 * full) when that cannot be shown, or when the folder is being written or is not as the index says.
 */
export function checkAppsOnly(dir: string, source: FleetSource, index: DistIndex, keys: AppKeys): (TreeDiff & { readonly total: number; readonly apps: readonly string[] }) | undefined {
  if (!folderIdle(dir) || !folderMatchesIndex(dir, index)) return undefined;
  const tree = appOnlyTree(dir, source, index, keys);
  if (!tree) return undefined;
  const known = indexHashes(index);
  const diff = diffBy(tree.files, known, (p) => known.get(p) === tree.hashes.get(p));
  return { ...diff, total: tree.files.size, apps: tree.apps };
}
