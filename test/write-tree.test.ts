import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTree } from '../render/tree.js';
import { recoverTree, writeTreeAtomic } from '../render/write-tree.js';

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-write-'));
  made.push(dir);
  return dir;
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
    writeTreeAtomic(dist, new Map([['a.yaml', 'old\n'], ['gone/b.yaml', 'b\n'], ['c.yaml', 'c\n']]));
    // As a write killed after its commit point leaves it: a.yaml already moved in, new/d.yaml still staged.
    fs.mkdirSync(path.join(parent, '.dist.staging-9', 'new'), { recursive: true });
    fs.writeFileSync(path.join(parent, '.dist.staging-9', 'new', 'd.yaml'), 'd\n');
    fs.writeFileSync(path.join(dist, 'a.yaml'), 'new\n');
    fs.writeFileSync(path.join(parent, '.dist.journal'), JSON.stringify({ staging: '.dist.staging-9', write: ['a.yaml', 'new/d.yaml'], remove: ['gone/b.yaml'] }));
    recoverTree(dist);
    assert.deepEqual([...readTree(dist)].map(([p, b]) => `${p}=${b.toString().trim()}`), ['a.yaml=new', 'c.yaml=c', 'new/d.yaml=d']);
    assert.equal(fs.existsSync(path.join(dist, 'gone')), false, 'emptied folders go too');
    assert.deepEqual(fs.readdirSync(parent), ['dist']);
  });

  it('drops a staging folder whose write never committed, leaving the old tree', () => {
    const parent = tmpDir();
    const dist = path.join(parent, 'dist');
    writeTreeAtomic(dist, new Map([['a.yaml', 'old\n']]));
    fs.mkdirSync(path.join(parent, '.dist.staging-9'));
    fs.writeFileSync(path.join(parent, '.dist.staging-9', 'a.yaml'), 'new\n');
    fs.writeFileSync(path.join(parent, '.dist.journal.tmp-9'), '{"staging":');
    recoverTree(dist);
    assert.equal(fs.readFileSync(path.join(dist, 'a.yaml'), 'utf8'), 'old\n');
    assert.deepEqual(fs.readdirSync(parent), ['dist']);
  });

  it('brings the old tree back when a render died between the two renames', () => {
    const parent = tmpDir();
    fs.mkdirSync(path.join(parent, '.dist.old'));
    fs.writeFileSync(path.join(parent, '.dist.old', 'a.yaml'), 'old\n');
    fs.mkdirSync(path.join(parent, '.dist.staging-123'));
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
