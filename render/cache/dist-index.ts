import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../../engines/util/index.js';
import { cacheDir } from './cache-dir.js';
import { codeVersion } from './run-key.js';
import type { AppKeys } from './app-keys.js';

/**
 * The index of an output folder: what a successful synth wrote there (each file's size, modification
 * time and content hash) and the key of the render that made it. With it, a render whose key has not
 * changed only has to confirm that nobody touched the folder since, the way git's own index confirms a
 * clean work tree: a walk and one `stat` per file, no rendering and no reading of file contents.
 *
 * The index lives outside the folder (it is not committed, and a fresh clone has none), under
 * node_modules/.cache/cdk8s-fleet/ or $CDK8S_FLEET_CACHE_DIR, one file per output folder. It is written
 * by synth only, under the folder's write lock, after a write that completed, and atomically (a
 * temporary file renamed into place). A file whose times are within a clock tick of the index itself
 * could have changed after it was recorded without its times showing it ("racily clean" in git's
 * words): its content is read and hashed instead.
 */

const FORMAT = 5;
/** At most this many indexes are kept (test runs make one per temporary folder); the oldest go first. */
const MAX_INDEXES = 64;
/**
 * File times come from a coarse kernel clock (a tick of 1-10 ms): a file written this close before the
 * index could be changed again with the same times, so its content is what counts.
 */
const RACY_MS = 50;

/**
 * One file as recorded: size in bytes, modification and change times in ms, inode, sha256 of the
 * content (hex). The change time cannot be set back by a program (`touch -d` sets the modification
 * time and moves the change time to now), so an edit that restores the size and mtime still shows.
 */
export type IndexedFile = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number, sha256: string];

/**
 * One folder as recorded: modification and change times in ms, inode. A folder's times move whenever an
 * entry is added to it, removed or renamed, so a folder whose times are as recorded holds the entries it
 * held then, and need not be listed again.
 */
export type IndexedDir = readonly [mtimeMs: number, ctimeMs: number, ino: number];

export interface DistIndex {
  readonly format: number;
  /** The render key (`renderKey`) of the render that wrote the folder. */
  readonly key: string;
  /** The code that rendered it (`codeVersion`): its files were scanned for credentials by that code. */
  readonly code: string;
  /** Absolute path of the folder. */
  readonly dir: string;
  /** When the index was written, ms since the epoch, after every file it records was written. */
  readonly written: number;
  readonly files: Readonly<Record<string, IndexedFile>>;
  /** Every folder that holds a recorded file, and the output folder itself (`''`). */
  readonly dirs: Readonly<Record<string, IndexedDir>>;
  /** What an app-only change is checked against (render/cache/app-keys.ts); absent when not known. */
  readonly apps?: AppKeys;
}

function indexFile(dir: string): string {
  const id = sha256(path.resolve(dir)).slice(0, 16);
  return path.join(cacheDir(), `dist-index-${id}.json`);
}

/** The index recorded for `dir`, or undefined (none, unreadable, another format, another folder). */
export function readIndex(dir: string): DistIndex | undefined {
  try {
    const index = JSON.parse(fs.readFileSync(indexFile(dir), 'utf8')) as DistIndex;
    if (index.format !== FORMAT || index.dir !== path.resolve(dir) || typeof index.key !== 'string' || typeof index.code !== 'string' || !index.files || typeof index.files !== 'object' || !index.dirs || typeof index.dirs !== 'object') return undefined;
    return index;
  } catch {
    return undefined;
  }
}

/** Removes the index of `dir`: whatever the folder holds now, nothing is known about it. */
export function dropIndex(dir: string): void {
  fs.rmSync(indexFile(dir), { force: true });
}

/**
 * What a write knows of the files it did not touch: the index the folder was verified against (under
 * the write lock, by `folderMatchesIndex`) and the files the write added or changed. The records of the
 * other files still hold.
 */
export interface IndexReuse {
  readonly index: DistIndex;
  readonly written: ReadonlySet<string>;
  /** The files the write deleted: their folders' times moved too. */
  readonly removed: readonly string[];
}

/** Each recorded file's content hash. */
export function indexHashes(index: DistIndex): Map<string, string> {
  return new Map(Object.entries(index.files).map(([rel, f]) => [rel, f[4]]));
}

/**
 * Records that `dir` holds exactly `files` (rendered with `key`). Call only while holding the folder's
 * write lock, right after a write that completed. Failing to record is harmless: the next render
 * renders in full.
 */
export function writeIndex(dir: string, key: string, files: ReadonlyMap<string, string>, hashes?: ReadonlyMap<string, string>, reuse?: IndexReuse, apps?: AppKeys): void {
  const abs = path.resolve(dir);
  const file = indexFile(dir);
  try {
    // No prototype: a file named __proto__ is a key like any other.
    const recorded: Record<string, IndexedFile> = Object.create(null);
    for (const [rel, text] of files) {
      const sha = hashes?.get(rel) ?? sha256(text);
      const before = reuse && !reuse.written.has(rel) && Object.prototype.hasOwnProperty.call(reuse.index.files, rel) ? reuse.index.files[rel] : undefined;
      if (before && before[4] === sha) {
        recorded[rel] = before;
        continue;
      }
      const st = fs.statSync(path.join(abs, rel));
      recorded[rel] = [st.size, st.mtimeMs, st.ctimeMs, st.ino, sha];
    }
    // The folders last, right before the time the index is written at: one changed after its stat is racy.
    // A folder the write did not touch (no file or folder added, changed or deleted in it) keeps its record.
    const touched = reuse ? new Set(['', ...foldersOf([...reuse.written, ...reuse.removed])]) : undefined;
    const dirs: Record<string, IndexedDir> = Object.create(null);
    for (const rel of ['', ...foldersOf(Object.keys(recorded))]) {
      const before = touched && !touched.has(rel) && Object.prototype.hasOwnProperty.call(reuse!.index.dirs, rel) ? reuse!.index.dirs[rel] : undefined;
      if (before) {
        dirs[rel] = before;
        continue;
      }
      const st = fs.statSync(rel === '' ? abs : path.join(abs, rel));
      dirs[rel] = [st.mtimeMs, st.ctimeMs, st.ino];
    }
    const index: DistIndex = { format: FORMAT, key, code: codeVersion(), dir: abs, written: Date.now(), files: recorded, dirs, ...(apps && { apps }) };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(index));
    fs.renameSync(tmp, file);
    prune(path.dirname(file));
  } catch {
    fs.rmSync(file, { force: true });
  }
}

function prune(folder: string): void {
  const indexes = fs
    .readdirSync(folder)
    .filter((n) => /^dist-index-[0-9a-f]{16}\.json$/.test(n))
    .map((n) => ({ n, t: fs.statSync(path.join(folder, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of indexes.slice(MAX_INDEXES)) fs.rmSync(path.join(folder, n), { force: true });
}

/** Every folder above the given file paths (not the root), each once. */
function foldersOf(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    for (let cut = file.lastIndexOf('/'); cut > 0; cut = file.lastIndexOf('/', cut - 1)) {
      const folder = file.slice(0, cut);
      if (out.has(folder)) break;
      out.add(folder);
    }
  }
  return out;
}

/**
 * Whether `dir` holds exactly what `index` recorded: the same folders, each holding the same entries,
 * and the same files, each with the same size, times and inode (or, for a racily clean file, the same
 * content hash). A folder whose times are as recorded holds the same entries; one whose times moved (or
 * are racy) is listed and its entries compared with the recorded ones. Any doubt is a no.
 */
export function folderMatchesIndex(dir: string, index: DistIndex): boolean {
  const abs = path.resolve(dir);
  const racy = (st: fs.Stats) => st.mtimeMs >= index.written - RACY_MS || st.ctimeMs >= index.written - RACY_MS;
  // Folders whose times moved (or are racy) are listed; the entries each held are then read off the index.
  const toList = new Map<string, Map<string, 'file' | 'dir'>>();
  for (const [rel, recorded] of Object.entries(index.dirs)) {
    const st = fs.statSync(rel === '' ? abs : path.join(abs, rel), { throwIfNoEntry: false });
    if (!st || !st.isDirectory()) return false;
    if (st.mtimeMs !== recorded[0] || st.ctimeMs !== recorded[1] || st.ino !== recorded[2] || racy(st)) toList.set(rel, new Map());
  }
  if (toList.size > 0) {
    const put = (rel: string, type: 'file' | 'dir') => {
      const cut = rel.lastIndexOf('/');
      toList.get(cut < 0 ? '' : rel.slice(0, cut))?.set(rel.slice(cut + 1), type);
    };
    for (const rel of Object.keys(index.files)) put(rel, 'file');
    for (const rel of Object.keys(index.dirs)) if (rel !== '') put(rel, 'dir');
    for (const [rel, expected] of toList) {
      let found: fs.Dirent[];
      try {
        found = fs.readdirSync(rel === '' ? abs : path.join(abs, rel), { withFileTypes: true });
      } catch {
        return false;
      }
      if (found.length !== expected.size) return false;
      for (const entry of found) {
        const type = expected.get(entry.name);
        if (type === undefined || (type === 'dir' ? !entry.isDirectory() : !entry.isFile())) return false;
      }
    }
  }
  // Recorded paths are plain relative paths with `/` (render.ts SAFE_PATH), which every platform's fs accepts.
  const base = `${abs}/`;
  for (const [rel, recorded] of Object.entries(index.files)) {
    const st = fs.statSync(base + rel, { throwIfNoEntry: false });
    if (!st || !st.isFile() || st.size !== recorded[0] || st.mtimeMs !== recorded[1] || st.ctimeMs !== recorded[2] || st.ino !== recorded[3]) return false;
    // Racily clean: it could have been changed right after being recorded; only its content can tell.
    if (racy(st) && sha256(fs.readFileSync(base + rel)) !== recorded[4]) return false;
  }
  return true;
}
