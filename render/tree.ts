import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file below `dir`, keyed by '/'-separated relative path. Empty when `dir` does not exist. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}

/** How a folder on disk differs from what should be there. */
export interface TreeDiff {
  /** Files that should exist and do not. */
  readonly added: string[];
  /** Files whose bytes differ. */
  readonly changed: string[];
  /** Files that exist and should not. */
  readonly removed: string[];
}

/** Compares expected files with the folder's current content. */
export function diffTree(expected: ReadonlyMap<string, string>, current: ReadonlyMap<string, Buffer>): TreeDiff {
  return diffBy(expected, current, (p) => current.get(p)!.equals(Buffer.from(expected.get(p)!)));
}

/**
 * Compares expected files with what the folder holds, both keyed by path; `same` says whether a path in
 * both is unchanged (by bytes, or by content hash when the folder is known by hashes).
 */
export function diffBy(expected: ReadonlyMap<string, unknown>, current: ReadonlyMap<string, unknown>, same: (path: string) => boolean): TreeDiff {
  const added: string[] = [];
  const changed: string[] = [];
  for (const p of expected.keys()) {
    if (!current.has(p)) added.push(p);
    else if (!same(p)) changed.push(p);
  }
  const removed = [...current.keys()].filter((p) => !expected.has(p));
  return { added, changed: changed.sort(), removed: removed.sort() };
}

/** Whether a diff is empty. */
export function isClean(d: TreeDiff): boolean {
  return d.added.length === 0 && d.changed.length === 0 && d.removed.length === 0;
}
