/**
 * Child process for test/concurrent-writers.test.ts: reads DIR with readTreeSettled over and over until
 * the file STOP exists (`node scripts/run.mjs test/support/tree-reader.ts DIR STOP`), then prints what
 * each read saw: `<tags>:<first>-<last>:<count>` of the files written by tree-writer.ts, or the kind of
 * a read that found no settled tree.
 */
import * as fs from 'node:fs';
import { readTreeSettled } from '../../render/write-tree.js';

const [dir, stop] = process.argv.slice(2);
const seen: string[] = [];
do {
  const r = readTreeSettled(dir, { lockWaitMs: 120_000 });
  if (r.kind !== 'read') {
    seen.push(r.kind);
    continue;
  }
  const tags = new Set([...r.files.values()].map((b) => /^tag: (\w+)/.exec(b.toString())?.[1] ?? '?'));
  const keys = [...r.files.keys()].map((p) => Number(/f(\d+)\.yaml$/.exec(p)![1])).sort((x, y) => x - y);
  seen.push(`${[...tags].sort().join('+')}:${keys[0]}-${keys[keys.length - 1]}:${keys.length}`);
} while (!fs.existsSync(stop));
console.log(JSON.stringify(seen));
