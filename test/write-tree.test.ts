import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTree } from '../render/tree.js';
import { readTreeSettled, recoverTree, TreeWriteError, writeTreeAtomic } from '../render/write-tree.js';

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-write-'));
  made.push(dir);
  return dir;
}

/** The pid of a process that has exited (and been reaped): no process runs under it. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/** A process that runs until the tests end: its pid is a live writer's. */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  after(() => child.kill('SIGKILL'));
  return child.pid!;
}

/** Runs `f` with CDK8S_FLEET_FAIL_AFTER set. */
function failingAfter<T>(n: number, f: () => T): T {
  process.env.CDK8S_FLEET_FAIL_AFTER = String(n);
  try {
    return f();
  } finally {
    delete process.env.CDK8S_FLEET_FAIL_AFTER;
  }
}

const snapshot = (dir: string) =>
  [...readTree(dir)].map(([p, b]) => [p, b.toString(), fs.statSync(path.join(dir, p)).mtimeMs] as const);

describe('writeTreeAtomic', () => {
  it('writes a new tree and reports what it did', () => {
    const out = path.join(tmpDir(), 'dist');
    const r = writeTreeAtomic(out, new Map([['a/x.yaml', 'x\n'], ['b.yaml', 'b\n']]));
    assert.deepEqual([r.added, r.changed, r.removed, r.total], [['a/x.yaml', 'b.yaml'], [], [], 2]);
    assert.equal(fs.readFileSync(path.join(out, 'a/x.yaml'), 'utf8'), 'x\n');
  });

  it('rewrites nothing when nothing changed: same inodes, same mtimes', () => {
    const out = path.join(tmpDir(), 'dist');
    const files = new Map([['a/x.yaml', 'x\n'], ['b.yaml', 'b\n']]);
    writeTreeAtomic(out, files);
    const before = snapshot(out);
    const ino = fs.statSync(path.join(out, 'b.yaml')).ino;
    const r = writeTreeAtomic(out, files);
    assert.deepEqual([r.added, r.changed, r.removed], [[], [], []]);
    assert.deepEqual(snapshot(out), before);
    assert.equal(fs.statSync(path.join(out, 'b.yaml')).ino, ino);
  });

  it('writes only the changed file of a large tree: every other file keeps its inode', () => {
    const out = path.join(tmpDir(), 'dist');
    const files = new Map(Array.from({ length: 200 }, (_, i) => [`d${i % 10}/f${i}.yaml`, `${i}\n`] as [string, string]));
    writeTreeAtomic(out, files);
    const inodes = new Map([...files.keys()].map((p) => [p, fs.statSync(path.join(out, p)).ino]));
    files.set('d3/f3.yaml', 'changed\n');
    const r = writeTreeAtomic(out, files);
    assert.deepEqual(r.changed, ['d3/f3.yaml']);
    const moved = [...files.keys()].filter((p) => fs.statSync(path.join(out, p)).ino !== inodes.get(p));
    assert.deepEqual(moved, ['d3/f3.yaml']);
  });

  it('keeps unchanged files (same inode, same mtime) when others change, and removes stale files', async () => {
    const out = path.join(tmpDir(), 'dist');
    writeTreeAtomic(out, new Map([['keep.yaml', 'k\n'], ['change.yaml', '1\n'], ['gone/old.yaml', 'o\n']]));
    const keptMtime = fs.statSync(path.join(out, 'keep.yaml')).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const r = writeTreeAtomic(out, new Map([['keep.yaml', 'k\n'], ['change.yaml', '2\n']]));
    assert.deepEqual([r.added, r.changed, r.removed], [[], ['change.yaml'], ['gone/old.yaml']]);
    assert.equal(fs.statSync(path.join(out, 'keep.yaml')).mtimeMs, keptMtime);
    assert.equal(fs.existsSync(path.join(out, 'gone')), false);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['dist'], 'no staging or old folder left behind');
  });

  it('leaves the old tree whole when writing fails part-way', () => {
    const out = path.join(tmpDir(), 'dist');
    writeTreeAtomic(out, new Map([['a.yaml', 'old\n']]));
    const before = snapshot(out);
    // 'x' as a file and 'x/y.yaml' below it cannot both exist: the write fails after 'a.yaml' is staged.
    assert.throws(() => writeTreeAtomic(out, new Map([['a.yaml', 'new\n'], ['x', 'file\n'], ['x/y.yaml', 'y\n']])));
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['dist']);
  });
});

describe('recoverTree', () => {
  it('completes a committed journal that a killed write left half carried out', () => {
    const parent = tmpDir();
    const dist = path.join(parent, 'dist');
    const pid = deadPid();
    writeTreeAtomic(dist, new Map([['a.yaml', 'old\n'], ['gone/b.yaml', 'b\n'], ['c.yaml', 'c\n']]));
    // As a write killed after its commit point leaves it: a.yaml already moved in, new/d.yaml still staged.
    fs.mkdirSync(path.join(parent, `.dist.staging-${pid}`, 'new'), { recursive: true });
    fs.writeFileSync(path.join(parent, `.dist.staging-${pid}`, 'new', 'd.yaml'), 'd\n');
    fs.writeFileSync(path.join(dist, 'a.yaml'), 'new\n');
    fs.writeFileSync(path.join(parent, '.dist.lock'), JSON.stringify({ pid, host: os.hostname(), started: new Date().toISOString() }));
    fs.writeFileSync(path.join(parent, '.dist.journal'), JSON.stringify({ staging: `.dist.staging-${pid}`, write: ['a.yaml', 'new/d.yaml'], remove: ['gone/b.yaml'] }));
    assert.equal(readTreeSettled(dist).kind, 'unfinished', 'a reader is told, not shown the mix');
    assert.equal(recoverTree(dist)?.pid, pid);
    assert.deepEqual([...readTree(dist)].map(([p, b]) => `${p}=${b.toString().trim()}`), ['a.yaml=new', 'c.yaml=c', 'new/d.yaml=d']);
    assert.equal(fs.existsSync(path.join(dist, 'gone')), false, 'emptied folders go too');
    assert.deepEqual(fs.readdirSync(parent), ['dist']);
  });

  it('drops a staging folder whose write never committed, leaving the old tree', () => {
    const parent = tmpDir();
    const dist = path.join(parent, 'dist');
    writeTreeAtomic(dist, new Map([['a.yaml', 'old\n']]));
    const pid = deadPid();
    fs.mkdirSync(path.join(parent, `.dist.staging-${pid}`));
    fs.writeFileSync(path.join(parent, `.dist.staging-${pid}`, 'a.yaml'), 'new\n');
    fs.writeFileSync(path.join(parent, `.dist.journal.tmp-${pid}`), '{"staging":');
    recoverTree(dist);
    assert.equal(fs.readFileSync(path.join(dist, 'a.yaml'), 'utf8'), 'old\n');
    assert.deepEqual(fs.readdirSync(parent), ['dist']);
  });

  it('brings the old tree back when a render died between the two renames', () => {
    const parent = tmpDir();
    fs.mkdirSync(path.join(parent, '.dist.old'));
    fs.writeFileSync(path.join(parent, '.dist.old', 'a.yaml'), 'old\n');
    fs.mkdirSync(path.join(parent, `.dist.staging-${deadPid()}`));
    recoverTree(path.join(parent, 'dist'));
    assert.deepEqual(fs.readdirSync(parent), ['dist']);
    assert.equal(fs.readFileSync(path.join(parent, 'dist', 'a.yaml'), 'utf8'), 'old\n');
  });

  it('drops the old tree when the swap had completed', () => {
    const parent = tmpDir();
    fs.mkdirSync(path.join(parent, '.dist.old'));
    fs.mkdirSync(path.join(parent, 'dist'));
    fs.writeFileSync(path.join(parent, 'dist', 'a.yaml'), 'new\n');
    recoverTree(path.join(parent, 'dist'));
    assert.deepEqual(fs.readdirSync(parent), ['dist']);
    assert.equal(fs.readFileSync(path.join(parent, 'dist', 'a.yaml'), 'utf8'), 'new\n');
  });
});

describe('one writer at a time', () => {
  const lockOf = (pid: number) => JSON.stringify({ pid, host: os.hostname(), started: '2020-01-01T00:00:00.000Z' });

  it('takes over the lock of a writer that is gone, and removes it afterwards', () => {
    const parent = tmpDir();
    const dist = path.join(parent, 'dist');
    fs.writeFileSync(path.join(parent, '.dist.lock'), lockOf(deadPid()));
    const r = writeTreeAtomic(dist, new Map([['a.yaml', 'a\n']]), { lockWaitMs: 0 });
    assert.deepEqual(r.added, ['a.yaml']);
    assert.deepEqual(fs.readdirSync(parent), ['dist']);
  });

  it('never removes the lock of a writer that runs: waits, then fails naming it, and writes nothing', () => {
    const parent = tmpDir();
    const dist = path.join(parent, 'dist');
    writeTreeAtomic(dist, new Map([['a.yaml', 'old\n']]));
    const before = snapshot(dist);
    const pid = livePid();
    fs.writeFileSync(path.join(parent, '.dist.lock'), lockOf(pid));
    const e = (() => {
      try {
        writeTreeAtomic(dist, new Map([['a.yaml', 'new\n']]), { lockWaitMs: 300 });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    assert.ok(e instanceof TreeWriteError);
    assert.match(e.message, new RegExp(`being written by another synth \\(pid ${pid} on `));
    assert.equal(e.state, 'Nothing was written.');
    assert.equal(e.touched, false);
    assert.equal(fs.readFileSync(path.join(parent, '.dist.lock'), 'utf8'), lockOf(pid), 'the live lock is still there, unchanged');
    assert.deepEqual(snapshot(dist), before);
    assert.throws(() => recoverTree(dist, { lockWaitMs: 100 }), /being written by another synth/);
    const read = readTreeSettled(dist, { lockWaitMs: 100 });
    assert.equal(read.kind, 'busy');
    assert.equal(read.kind === 'busy' && read.writer?.pid, pid);
    assert.equal(fs.readFileSync(path.join(parent, '.dist.lock'), 'utf8'), lockOf(pid));
  });

  it('never removes the staging folder or unfinished journal of a writer that runs', () => {
    const parent = tmpDir();
    const dist = path.join(parent, 'dist');
    writeTreeAtomic(dist, new Map([['a.yaml', 'old\n']]));
    const pid = livePid();
    fs.mkdirSync(path.join(parent, `.dist.staging-${pid}`));
    fs.writeFileSync(path.join(parent, `.dist.staging-${pid}`, 'a.yaml'), 'new\n');
    fs.writeFileSync(path.join(parent, `.dist.journal.tmp-${pid}`), '{"staging":');
    assert.equal(readTreeSettled(dist).kind, 'read');
    recoverTree(dist);
    writeTreeAtomic(dist, new Map([['a.yaml', 'newer\n']]));
    assert.deepEqual(fs.readdirSync(parent).sort(), ['.dist.journal.tmp-' + pid, '.dist.staging-' + pid, 'dist'].sort());
    assert.equal(fs.readFileSync(path.join(parent, `.dist.staging-${pid}`, 'a.yaml'), 'utf8'), 'new\n');
  });

  it('leaves alone a committed journal whose writer still runs', () => {
    const parent = tmpDir();
    const dist = path.join(parent, 'dist');
    writeTreeAtomic(dist, new Map([['a.yaml', 'old\n']]));
    const pid = livePid();
    const journal = JSON.stringify({ owner: { pid, host: os.hostname(), started: 'x' }, staging: `.dist.staging-${pid}`, write: [], remove: ['a.yaml'] });
    fs.writeFileSync(path.join(parent, '.dist.journal'), journal);
    assert.throws(() => writeTreeAtomic(dist, new Map([['a.yaml', 'new\n']])), (e: unknown) => e instanceof TreeWriteError && e.state === 'Nothing was written.' && /still running/.test(e.message));
    assert.equal(fs.readFileSync(path.join(parent, '.dist.journal'), 'utf8'), journal);
    assert.equal(fs.readFileSync(path.join(dist, 'a.yaml'), 'utf8'), 'old\n');
    assert.equal(readTreeSettled(dist, { lockWaitMs: 100 }).kind, 'busy');
  });
});

describe('a write that fails (CDK8S_FLEET_FAIL_AFTER)', () => {
  const old = new Map([['keep.yaml', 'k\n'], ['a.yaml', 'old\n'], ['b/x.yaml', 'old\n'], ['gone1.yaml', 'g\n'], ['gone2/y.yaml', 'g\n']]);
  const fresh = new Map([['keep.yaml', 'k\n'], ['a.yaml', 'new\n'], ['b/x.yaml', 'new\n'], ['c/z.yaml', 'new\n']]);
  // 3 files staged, the journal written, the commit rename: 5 operations before the commit point.

  for (const n of [0, 2, 3, 4]) {
    it(`before its commit point (after ${n} operations): rolled back, "Nothing was written." is true, and nothing applies it later`, () => {
      const parent = tmpDir();
      const dist = path.join(parent, 'dist');
      writeTreeAtomic(dist, old);
      const before = snapshot(dist);
      assert.throws(
        () => failingAfter(n, () => writeTreeAtomic(dist, fresh)),
        (e: unknown) => e instanceof TreeWriteError && e.state === 'Nothing was written.' && !e.touched && /EINJECTED/.test(e.message),
      );
      assert.deepEqual(snapshot(dist), before);
      assert.deepEqual(fs.readdirSync(parent), ['dist'], 'no staging folder, no journal, no lock');
      // Neither a reader, nor recovery, nor the next write of the old input carries out the refused write.
      const read = readTreeSettled(dist);
      assert.equal(read.kind, 'read');
      recoverTree(dist);
      const r = writeTreeAtomic(dist, old);
      assert.deepEqual([r.added, r.changed, r.removed], [[], [], []]);
      assert.deepEqual(snapshot(dist), before);
    });
  }

  for (const n of [5, 6, 8]) {
    it(`after its commit point (after ${n} operations): says the folder is part old, part new; the next writer completes it`, () => {
      const parent = tmpDir();
      const dist = path.join(parent, 'dist');
      writeTreeAtomic(dist, old);
      let err: unknown;
      try {
        failingAfter(n, () => writeTreeAtomic(dist, fresh));
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof TreeWriteError);
      assert.equal(err.touched, true);
      assert.match(err.state, /committed and stopped part-way: .*dist\/ is part old, part new \(\d of 2 stale files deleted, \d of 3 new or changed files moved in\)\. The next synth completes it/);
      assert.ok(fs.existsSync(path.join(parent, '.dist.journal')));
      assert.ok(!fs.existsSync(path.join(parent, '.dist.lock')), 'the lock is released');
      const read = readTreeSettled(dist);
      assert.equal(read.kind, 'unfinished', 'a reader is told the folder is unfinished');
      // The next write (of any input) completes the committed one first, then writes its own diff.
      const r = writeTreeAtomic(dist, old);
      assert.equal(r.completed?.pid, process.pid);
      assert.deepEqual([r.added, r.changed, r.removed], [['gone1.yaml', 'gone2/y.yaml'], ['a.yaml', 'b/x.yaml'], ['c/z.yaml']]);
      assert.deepEqual([...readTree(dist)].map(([p, b]) => `${p}=${b}`).sort(), [...old].map(([p, c]) => `${p}=${c}`).sort());
      assert.deepEqual(fs.readdirSync(parent), ['dist']);
    });
  }

  it('a committed, failed write is completed by recovery when the next write changes nothing else', () => {
    const parent = tmpDir();
    const dist = path.join(parent, 'dist');
    writeTreeAtomic(dist, old);
    assert.throws(() => failingAfter(6, () => writeTreeAtomic(dist, fresh)), TreeWriteError);
    const r = writeTreeAtomic(dist, fresh);
    assert.equal(r.completed?.pid, process.pid);
    assert.deepEqual([r.added, r.changed, r.removed], [[], [], []], 'the completed write was already this tree');
    assert.deepEqual([...readTree(dist)].map(([p, b]) => `${p}=${b}`).sort(), [...fresh].map(([p, c]) => `${p}=${c}`).sort());
  });
});
