/**
 * Child process for test/concurrent-writers.test.ts: writes, atomically, `count` files numbered from
 * `from` whose content is tagged (`node scripts/run.mjs test/support/tree-writer.ts DIR TAG FROM COUNT`),
 * then prints [added, changed, removed].
 */
import { writeTreeAtomic } from '../../render/write-tree.js';

export const treeFile = (i: number): string => `d${i % 40}/f${i}.yaml`;
export const treeContent = (tag: string, i: number): string => `tag: ${tag}\nindex: ${i}\n${'x'.repeat(1000)}\n`;

/** The tree of `count` files numbered from `from`, tagged `tag`. */
export function taggedTree(tag: string, from: number, count: number): Map<string, string> {
  return new Map(Array.from({ length: count }, (_, k) => [treeFile(from + k), treeContent(tag, from + k)] as [string, string]));
}

if (process.argv[1] === import.meta.filename) {
  const [dir, tag, from, count] = process.argv.slice(2);
  const r = writeTreeAtomic(dir, taggedTree(tag, Number(from), Number(count)), { lockWaitMs: 120_000 });
  console.log(JSON.stringify([r.added.length, r.changed.length, r.removed.length]));
}
