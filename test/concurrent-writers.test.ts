/**
 * Several processes on one output folder: one writer at a time (the lock beside the folder), a reader
 * never shown a mix, a stale lock taken over, a live one never removed, a failed write either rolled
 * back or completed by the next writer, and every summary line true. Real processes throughout.
 */
import { after, before, describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTree } from '../render/tree.js';
import { mainArgs, ROOT, scriptArgs } from './support/main-process.js';
import { taggedTree } from './support/tree-writer.js';

/** Child processes that write a tagged tree, and read the folder until told to stop (started like the npm scripts). */
const TREE_WRITER = path.join(import.meta.dirname, 'support', 'tree-writer.ts');
const TREE_READER = path.join(import.meta.dirname, 'support', 'tree-reader.ts');

function tmpDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-concurrent-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command of main.ts in its own process (through scripts/run.mjs, as the npm scripts do). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, mainArgs(args), env);
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** "N files in DIR/: a added, c changed, r removed, u unchanged" as numbers. */
function summary(r: Run): [number, number, number, number, number] {
  const m = /cdk8s-fleet: (\d+) files in .*: (\d+) added, (\d+) changed, (\d+) removed, (\d+) unchanged, in /.exec(r.stdout);
  assert.ok(m, `no summary line in ${JSON.stringify(r.stdout + r.stderr)}`);
  return m.slice(1).map(Number) as [number, number, number, number, number];
}

const text = (dir: string) => new Map([...readTree(dir)].map(([p, b]) => [p, b.toString()]));
const snapshot = (dir: string) => [...readTree(dir)].map(([p, b]) => [p, b.toString('base64'), fs.statSync(path.join(dir, p)).mtimeMs] as const);

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

function livePid(t: TestContext): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  return child.pid!;
}

const lockOf = (pid: number) => JSON.stringify({ pid, host: os.hostname(), started: '2020-01-01T00:00:00.000Z' });

/** What `synth` renders, written once into a folder of its own. */
let rendered: Map<string, string>;
let renderedDir: string;
before(async () => {
  renderedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-concurrent-ref-'));
  const r = await cli(['synth', '--out', path.join(renderedDir, 'dist')]);
  assert.equal(r.code, 0, r.stderr);
  rendered = text(path.join(renderedDir, 'dist'));
});
after(() => fs.rmSync(renderedDir, { recursive: true, force: true }));

/** A tree that shares no file with the render, so that any mix shows. */
function writeForeign(dir: string, count: number): void {
  for (let i = 0; i < count; i++) {
    fs.mkdirSync(path.join(dir, `old${i % 20}`), { recursive: true });
    fs.writeFileSync(path.join(dir, `old${i % 20}`, `f${i}.yaml`), `old: ${i}\n`);
  }
}

describe('two synth processes at once', () => {
  it('both exit 0, the folder ends as one render, and each summary is what that process did', { timeout: 120_000 }, async (t) => {
    const parent = tmpDir(t);
    const dist = path.join(parent, 'dist');
    writeForeign(dist, 300);
    const [a, b] = await Promise.all([cli(['synth', '--out', dist]), cli(['synth', '--out', dist])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(text(dist), rendered, 'the folder is exactly the render');
    // One of them replaced the foreign tree; the other found the render already there.
    const n = rendered.size;
    assert.deepEqual([summary(a), summary(b)].sort((x, y) => x[1] - y[1]), [[n, 0, 0, 0, n], [n, n, 0, 300, 0]]);
    assert.deepEqual(fs.readdirSync(parent), ['dist'], 'no lock, staging folder or journal left');
  });

  it('writers of different trees, and a reader, at once: the reader only ever sees a whole tree; counts are true', { timeout: 180_000 }, async (t) => {
    const parent = tmpDir(t);
    const dist = path.join(parent, 'dist');
    // old: 0..COUNT-1; a: 0..COUNT-1 (same names); b: SHIFT..SHIFT+COUNT-1.
    const COUNT = 600;
    const SHIFT = 200;
    const { writeTreeAtomic } = await import('../render/write-tree.js');
    writeTreeAtomic(dist, taggedTree('old', 0, COUNT));
    const stop = path.join(parent, 'stop');
    const readerRun = run(process.execPath, scriptArgs(TREE_READER, [dist, stop]));
    const [a, b] = await Promise.all([
      run(process.execPath, scriptArgs(TREE_WRITER, [dist, 'a', '0', String(COUNT)])),
      run(process.execPath, scriptArgs(TREE_WRITER, [dist, 'b', String(SHIFT), String(COUNT)])),
    ]);
    fs.writeFileSync(stop, '');
    const r = await readerRun;
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(r.code, 0, r.stderr);
    const final = text(dist);
    const whole = (tag: string, from: number) => [...taggedTree(tag, from, COUNT)].every(([p, c]) => final.get(p) === c) && final.size === COUNT;
    const aCounts = JSON.parse(a.stdout);
    const bCounts = JSON.parse(b.stdout);
    const replaced = [SHIFT, COUNT - SHIFT, SHIFT]; // added, changed, removed when one tree replaces the other
    if (whole('b', SHIFT)) {
      // a wrote first, over old (same names); b then replaced a's tree.
      assert.deepEqual([aCounts, bCounts], [[0, COUNT, 0], replaced]);
    } else {
      assert.ok(whole('a', 0), 'the folder is one whole tree, never a mix');
      assert.deepEqual([aCounts, bCounts], [replaced, replaced]);
    }
    const seen: string[] = JSON.parse(r.stdout);
    const allowed = new Set([`old:0-${COUNT - 1}:${COUNT}`, `a:0-${COUNT - 1}:${COUNT}`, `b:${SHIFT}-${SHIFT + COUNT - 1}:${COUNT}`]);
    const mixed = seen.filter((s) => !allowed.has(s));
    assert.deepEqual(mixed, [], `the reader saw a mix (${seen.length} reads)`);
    t.diagnostic(`reader: ${seen.length} reads: ${[...new Set(seen)].join(', ')}`);
    assert.deepEqual(fs.readdirSync(parent).sort(), ['dist', 'stop']);
  });
});

describe('the lock between processes', () => {
  it('synth takes over a lock whose process is gone', { timeout: 60_000 }, async (t) => {
    const parent = tmpDir(t);
    const dist = path.join(parent, 'dist');
    fs.writeFileSync(path.join(parent, '.dist.lock'), lockOf(deadPid()));
    const r = await cli(['synth', '--out', dist], { CDK8S_FLEET_LOCK_WAIT: '0' });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(text(dist), rendered);
    assert.deepEqual(fs.readdirSync(parent), ['dist']);
  });

  it('synth and check never remove a live lock: each waits, then fails naming the holder; nothing written', { timeout: 60_000 }, async (t) => {
    const parent = tmpDir(t);
    const dist = path.join(parent, 'dist');
    writeForeign(dist, 10);
    const before = snapshot(dist);
    const pid = livePid(t);
    fs.writeFileSync(path.join(parent, '.dist.lock'), lockOf(pid));
    const s = await cli(['synth', '--out', dist], { CDK8S_FLEET_LOCK_WAIT: '1' });
    assert.equal(s.code, 1);
    assert.match(s.stderr, new RegExp(`dist/ is being written by another synth \\(pid ${pid} on .*\\): waited 1 s`));
    assert.match(s.stderr, /\nNothing was written\.$/m);
    const c = await cli(['check', '--out', dist], { CDK8S_FLEET_LOCK_WAIT: '1' });
    assert.equal(c.code, 1);
    assert.match(c.stderr, new RegExp(`dist/ is being written by a synth \\(pid ${pid} on `));
    assert.equal(fs.readFileSync(path.join(parent, '.dist.lock'), 'utf8'), lockOf(pid), 'the lock is untouched');
    assert.deepEqual(snapshot(dist), before);
  });

  it('neither check nor synth removes the staging folder of a writer that runs', { timeout: 60_000 }, async (t) => {
    const parent = tmpDir(t);
    const dist = path.join(parent, 'dist');
    const pid = livePid(t);
    const staging = path.join(parent, `.dist.staging-${pid}`);
    fs.mkdirSync(staging);
    fs.writeFileSync(path.join(staging, 'a.yaml'), 'staged\n');
    assert.equal((await cli(['synth', '--out', dist])).code, 0);
    const c = await cli(['check', '--out', dist]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /dist\/ is up to date/);
    assert.equal(fs.readFileSync(path.join(staging, 'a.yaml'), 'utf8'), 'staged\n');
    // Once its writer is gone, the next synth removes it.
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const dead = spawnSync('kill', ['-0', String(pid)]).status !== 0;
    if (dead) {
      assert.equal((await cli(['synth', '--out', dist])).code, 0);
      assert.deepEqual(fs.readdirSync(parent), ['dist']);
    }
  });
});

describe('a synth that fails part-way (CDK8S_FLEET_FAIL_AFTER)', () => {
  /** The render with 3 files hand-changed and 2 stale files: the write stages 3 files, deletes 2, moves 3. */
  function nearlyRendered(t: TestContext): string {
    const parent = tmpDir(t);
    const dist = path.join(parent, 'dist');
    fs.cpSync(path.join(renderedDir, 'dist'), dist, { recursive: true });
    const names = [...rendered.keys()].sort().slice(0, 3);
    for (const n of names) fs.appendFileSync(path.join(dist, n), '# edited\n');
    fs.writeFileSync(path.join(dist, 'stale-1.yaml'), 'x: 1\n');
    fs.mkdirSync(path.join(dist, 'stale'));
    fs.writeFileSync(path.join(dist, 'stale', 'two.yaml'), 'x: 2\n');
    return dist;
  }

  it('before the commit point: "Nothing was written." is true, and a later check never applies it', { timeout: 60_000 }, async (t) => {
    const dist = nearlyRendered(t);
    const before = snapshot(dist);
    const s = await cli(['synth', '--out', dist], { CDK8S_FLEET_FAIL_AFTER: '4' }); // fails on the commit rename
    assert.equal(s.code, 1);
    assert.match(s.stderr, /EINJECTED.*\nNothing was written\./);
    assert.deepEqual(snapshot(dist), before);
    assert.deepEqual(fs.readdirSync(path.dirname(dist)), ['dist']);
    const c = await cli(['check', '--out', dist]);
    assert.equal(c.code, 1);
    assert.match(c.stderr, /5 files differ/);
    assert.deepEqual(snapshot(dist), before, 'check applied nothing');
  });

  it('after the commit point: says what the folder holds; check reports it unfinished; the next synth completes it', { timeout: 60_000 }, async (t) => {
    const dist = nearlyRendered(t);
    const s = await cli(['synth', '--out', dist], { CDK8S_FLEET_FAIL_AFTER: '6' }); // 3 staged, journal, commit, 1 deletion
    assert.equal(s.code, 1);
    assert.doesNotMatch(s.stderr, /Nothing was written/);
    assert.match(s.stderr, /The write had committed and stopped part-way: .*dist\/ is part old, part new \(1 of 2 stale files deleted, 0 of 3 new or changed files moved in\)\. The next synth completes it/);
    const during = snapshot(dist);
    const c = await cli(['check', '--out', dist]);
    assert.equal(c.code, 1);
    assert.match(c.stderr, /dist\/ is part old, part new: a synth \(pid \d+ on .*\) committed a write and stopped before finishing it/);
    assert.deepEqual(snapshot(dist), during, 'check changed nothing');
    const next = await cli(['synth', '--out', dist]);
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, /completed first the write that pid \d+ .* had committed and not finished/);
    const n = rendered.size;
    assert.deepEqual(summary(next), [n, 0, 0, 0, n], 'the completed write was the render');
    assert.deepEqual(text(dist), rendered);
    assert.deepEqual(fs.readdirSync(path.dirname(dist)), ['dist']);
  });
});
