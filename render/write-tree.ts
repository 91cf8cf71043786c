import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffTree, isClean, readTree, TreeDiff } from './tree.js';
import { ExpectedError } from './cli-failure.js';

/** What a write did. */
export interface WriteResult extends TreeDiff {
  /** Files in the folder afterwards. */
  readonly total: number;
}

/** What a committed write still has to do: move staged files in, delete stale ones. */
interface Journal {
  /** Name of the staging folder beside `dir` that holds the new and changed files. */
  readonly staging: string;
  /** Files to move from staging into `dir`, relative paths. */
  readonly write: readonly string[];
  /** Files to delete from `dir`, relative paths. */
  readonly remove: readonly string[];
}

function siblings(dir: string) {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  return {
    abs,
    parent,
    // Left by versions that swapped whole trees; still mended.
    old: path.join(parent, `.${base}.old`),
    stagingPrefix: `.${base}.staging-`,
    journal: path.join(parent, `.${base}.journal`),
  };
}

/** Removes `rel`'s parent folders inside `root` while they are empty. */
function pruneEmptyParents(root: string, rel: string): void {
  for (let d = path.dirname(rel); d !== '.' && d !== ''; d = path.dirname(d)) {
    try {
      fs.rmdirSync(path.join(root, d));
    } catch {
      return; // not empty (or already gone): the folders above are not empty either
    }
  }
}

/** Carries out a committed journal; safe to run again on a journal that was partly carried out. */
function applyJournal(abs: string, parent: string, journal: Journal): void {
  const staging = path.join(parent, journal.staging);
  for (const rel of journal.remove) {
    fs.rmSync(path.join(abs, rel), { force: true });
    pruneEmptyParents(abs, rel);
  }
  const parentOf = folderMaker();
  for (const rel of journal.write) {
    const from = path.join(staging, rel);
    if (!fs.existsSync(from)) continue; // moved before a crash
    fs.renameSync(from, parentOf(path.join(abs, rel)));
  }
}

/** Returns its file path after making the file's folder (each folder once). */
function folderMaker(): (file: string) => string {
  const made = new Set<string>();
  return (file) => {
    const folder = path.dirname(file);
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    return file;
  };
}

/**
 * Finishes what a killed write left: a committed journal is carried out to the end (the write had
 * decided, so the new tree is completed); staging folders of writes that never committed are removed,
 * so `dir` is exactly the old tree. Every command runs this before it reads or writes `dir`.
 */
export function recoverTree(dir: string): void {
  const s = siblings(dir);
  if (fs.existsSync(s.old)) {
    if (fs.existsSync(s.abs)) fs.rmSync(s.old, { recursive: true, force: true });
    else fs.renameSync(s.old, s.abs);
  }
  if (fs.existsSync(s.journal)) {
    applyJournal(s.abs, s.parent, JSON.parse(fs.readFileSync(s.journal, 'utf8')) as Journal);
    fs.rmSync(s.journal);
  }
  if (fs.existsSync(s.parent)) {
    for (const name of fs.readdirSync(s.parent)) {
      if (name.startsWith(s.stagingPrefix) || name.startsWith(`${path.basename(s.journal)}.tmp-`)) {
        fs.rmSync(path.join(s.parent, name), { recursive: true, force: true });
      }
    }
  }
}

function writeFiles(root: string, files: Iterable<[string, string]>): void {
  const parentOf = folderMaker();
  for (const [rel, content] of files) fs.writeFileSync(parentOf(path.join(root, rel)), content);
}

/**
 * Makes `dir` hold exactly `files`, touching only what changed, so that a killed or failed write never
 * leaves a half-written tree behind:
 *
 * 1. new and changed files are written to a staging folder beside `dir` (a failure here, or a kill,
 *    leaves `dir` untouched; `recoverTree` removes the staging folder);
 * 2. a journal naming the files to move in and to delete is committed with one rename;
 * 3. the journal is carried out (renames into `dir`, deletions) and removed. A kill during this step is
 *    completed by `recoverTree` on the next run.
 *
 * Unchanged files are never rewritten: they keep their bytes, inode and mtime, and a one-file change
 * costs one file, not the whole tree. A folder that does not exist yet is staged whole and renamed into
 * place at once. Nothing is touched when nothing changed.
 */
export function writeTreeAtomic(dir: string, files: ReadonlyMap<string, string>): WriteResult {
  recoverTree(dir);
  const s = siblings(dir);
  const exists = fs.existsSync(s.abs);
  const diff = diffTree(files, exists ? readTree(s.abs) : new Map());
  if (isClean(diff) && exists) return { ...diff, total: files.size };

  const stagingName = `${s.stagingPrefix}${process.pid}`;
  const staging = path.join(s.parent, stagingName);
  fs.mkdirSync(staging, { recursive: true });
  if (!exists) {
    try {
      writeFiles(staging, files);
      fs.renameSync(staging, s.abs);
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw e;
    }
    return { ...diff, total: files.size };
  }

  const write = [...diff.added, ...diff.changed].sort();
  const journal: Journal = { staging: stagingName, write, remove: diff.removed };
  try {
    writeFiles(staging, write.map((rel) => [rel, files.get(rel)!]));
    // A stale file's path may become a folder of new files (or the reverse): check before committing.
    const removed = new Set(diff.removed);
    const folders = new Set<string>();
    for (const rel of write) {
      for (let d = path.dirname(rel); d !== '.' && !folders.has(d); d = path.dirname(d)) {
        folders.add(d);
        if (files.has(d)) throw new Error(`output "${rel}" needs "${d}" to be a folder, but "${d}" is also a file`);
        const there = path.join(s.abs, d);
        if (!removed.has(d) && fs.existsSync(there) && !fs.statSync(there).isDirectory()) throw new ExpectedError(`output "${rel}" needs "${d}" to be a folder, but it is a file in the output folder; move it away`);
      }
    }
    const tmp = `${s.journal}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(journal));
    fs.renameSync(tmp, s.journal); // the commit point
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  applyJournal(s.abs, s.parent, journal);
  fs.rmSync(s.journal);
  fs.rmSync(staging, { recursive: true, force: true });
  return { ...diff, total: files.size };
}
