import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffTree, isClean, readTree, TreeDiff } from './tree.js';

/** What a write did. */
export interface WriteResult extends TreeDiff {
  /** Files in the folder afterwards. */
  readonly total: number;
}

function siblings(dir: string) {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  return { abs, parent, base, old: path.join(parent, `.${base}.old`), stagingPrefix: `.${base}.staging-` };
}

/**
 * Finishes or undoes a swap that a killed process left half-done, so that `dir` is whole again:
 * if only the old copy is there the swap never completed and the old copy comes back; if both are
 * there the swap completed and the old copy goes. Leftover staging folders are removed.
 */
export function recoverTree(dir: string): void {
  const s = siblings(dir);
  if (fs.existsSync(s.old)) {
    if (fs.existsSync(s.abs)) fs.rmSync(s.old, { recursive: true, force: true });
    else fs.renameSync(s.old, s.abs);
  }
  if (fs.existsSync(s.parent)) {
    for (const name of fs.readdirSync(s.parent)) {
      if (name.startsWith(s.stagingPrefix)) fs.rmSync(path.join(s.parent, name), { recursive: true, force: true });
    }
  }
}

/**
 * Makes `dir` hold exactly `files`, all at once: the new tree is built in a staging folder beside
 * `dir` (unchanged files are hard-linked, so they keep their bytes and mtime), then swapped in with
 * two renames. A reader or a crash sees the whole old tree or the whole new one; `recoverTree` mends
 * the one instant between the renames. Nothing is touched when nothing changed.
 */
export function writeTreeAtomic(dir: string, files: ReadonlyMap<string, string>): WriteResult {
  recoverTree(dir);
  const s = siblings(dir);
  const current = readTree(s.abs);
  const diff = diffTree(files, current);
  if (isClean(diff) && fs.existsSync(s.abs)) return { ...diff, total: files.size };

  const staging = path.join(s.parent, `${s.stagingPrefix}${process.pid}`);
  fs.mkdirSync(staging, { recursive: true });
  try {
    const made = new Set<string>();
    for (const [rel, content] of files) {
      const target = path.join(staging, rel);
      const folder = path.dirname(target);
      if (!made.has(folder)) {
        fs.mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      const have = current.get(rel);
      if (have && have.equals(Buffer.from(content))) {
        try {
          fs.linkSync(path.join(s.abs, rel), target);
          continue;
        } catch {
          // fall through to a plain write (file systems without hard links)
        }
      }
      fs.writeFileSync(target, content);
    }
    if (fs.existsSync(s.abs)) fs.renameSync(s.abs, s.old);
    fs.renameSync(staging, s.abs);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    recoverTree(dir);
    throw e;
  }
  fs.rmSync(s.old, { recursive: true, force: true });
  return { ...diff, total: files.size };
}
