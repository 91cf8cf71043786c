/**
 * A render killed part-way (SIGKILL at a random moment of the write) leaves dist/ entirely old or
 * entirely new, once recoverTree has run (as every synth does first, under the lock; the killed writer's
 * lock is taken over because its pid is gone).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTree } from '../render/tree.js';
import { recoverTree, writeTreeAtomic } from '../render/write-tree.js';
import { scriptArgs } from './support/main-process.js';

const CHILD = path.join(import.meta.dirname, 'support', 'write-child.ts');
/**
 * Files per tree. Each round costs a process and two writes of the tree (the child's, the parent's reset),
 * mostly in system calls; the kills are spread over the write's own duration, however long that is, so
 * more files only make each round dearer (1,500 files: 15 s of CPU for the test, 300: about 4 s).
 */
const COUNT = 300;

function tree(tag: string): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < COUNT; i++) files.set(`d${i % 50}/f${i}.yaml`, `tag: ${tag}\nindex: ${i}\n${'x'.repeat(2000)}\n`);
  return files;
}

/**
 * Runs the child writing the `new` tree and kills it `delayMs` after it is ready (about to write). Says
 * whether it was killed or finished, and for a finished one how long its write took (ready to done).
 */
function killDuringWrite(dir: string, delayMs: number): Promise<{ how: 'killed' | 'finished'; writeMs: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, scriptArgs(CHILD, [dir, 'new', String(COUNT)]), { stdio: ['ignore', 'pipe', 'inherit'] });
    let ready = 0;
    let done = 0;
    let timer: NodeJS.Timeout | undefined;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!ready && out.includes('ready')) {
        ready = performance.now();
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
      if (!done && out.includes('done')) done = performance.now();
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(done ? { how: 'finished', writeMs: done - ready } : { how: 'killed', writeMs: NaN });
    });
  });
}

describe('crash safety', () => {
  it('a write killed at random moments leaves the tree entirely old or entirely new', { timeout: 180_000 }, async (t) => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-crash-'));
    t.after(() => fs.rmSync(parent, { recursive: true, force: true }));
    const dir = path.join(parent, 'dist');
    const old = tree('old');
    const fresh = tree('new');
    const outcomes: Record<string, number> = { old: 0, new: 0 };
    let killed = 0;
    // How long one whole write takes here (not counting the child's start); the kills are spread over it and a little past it.
    writeTreeAtomic(dir, old);
    const calibration = await killDuringWrite(dir, 60_000);
    assert.equal(calibration.how, 'finished');
    const full = Math.max(1, Math.round(calibration.writeMs));
    for (let round = 0; round < 12; round++) {
      writeTreeAtomic(dir, old);
      const { how } = await killDuringWrite(dir, Math.round((full * round) / 10));
      if (how === 'killed') killed++;
      recoverTree(dir);
      const now = readTree(dir);
      const state = [...now].every(([p, b]) => old.get(p) === b.toString()) && now.size === old.size ? 'old'
        : [...now].every(([p, b]) => fresh.get(p) === b.toString()) && now.size === fresh.size ? 'new' : 'mixed';
      assert.notEqual(state, 'mixed', `round ${round}: the tree is half old, half new`);
      outcomes[state]++;
      assert.deepEqual(fs.readdirSync(parent), ['dist'], 'no staging or old folder left after recovery');
    }
    t.diagnostic(`one write: ${full} ms; outcomes: ${outcomes.old} old, ${outcomes.new} new, ${killed} of 12 runs killed before they finished`);
    assert.ok(killed > 0, 'at least one write was interrupted');
  });
});
