/** scripts/run.mjs: the npm scripts' fast start (a cached esbuild bundle), behaving like tsx would. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importGraph, sourceFiles } from './support/imports.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUN = path.join(ROOT, 'scripts', 'run.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-run-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [RUN, ...args], { cwd: ROOT, encoding: 'utf8', env });

describe('scripts/run.mjs', () => {
  it('runs main.ts with its arguments and exit code', () => {
    const plan = run(['main.ts', 'plan', '--json']);
    assert.equal(plan.status, 0, plan.stderr);
    assert.ok(JSON.parse(plan.stdout).applications.length > 0);
    const bad = run(['main.ts', 'no-such-command']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown command "no-such-command"/);
  });

  it('keeps the dirname of import.meta pointing at the source file (the schema folder is found from render/)', () => {
    const entry = path.join(tmp, 'where.ts');
    fs.writeFileSync(entry, `import { CRDS_DIR } from ${JSON.stringify(path.join(ROOT, 'render', 'validate', 'validate-schemas.ts'))};\nconsole.log(JSON.stringify({ crds: CRDS_DIR, here: import.meta.${'dirname'} }));\n`);
    const env = { ...process.env };
    delete env.CRDS_DIR;
    const r = run([entry], env);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { crds: path.resolve(ROOT, '..', 'shared', 'crds'), here: tmp });
  });

  it('rebuilds the bundle when a source changes', () => {
    const entry = path.join(tmp, 'say.ts');
    fs.writeFileSync(entry, 'const word: string = "one";\nconsole.log(word);\n');
    assert.equal(run([entry]).stdout.trim(), 'one');
    fs.writeFileSync(entry, 'const word: string = "two, changed";\nconsole.log(word);\n');
    assert.equal(run([entry]).stdout.trim(), 'two, changed');
  });

  it('fingerprints every source folder the commands import, so a change anywhere rebuilds the bundle', () => {
    const listed = /const SOURCES = \[([^\]]*)\]/.exec(fs.readFileSync(path.join(ROOT, 'scripts', 'bundle.mjs'), 'utf8'))![1].split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
    const graph = importGraph(sourceFiles(['main.ts', 'environments', 'charts', 'engines', 'render', 'bench']));
    const reached = new Set<string>();
    const visit = (f: string) => {
      if (reached.has(f)) return;
      reached.add(f);
      for (const d of graph.get(f) ?? []) visit(d);
    };
    visit('main.ts');
    visit('bench/run.ts');
    const folders = [...new Set([...reached].map((f) => f.split('/')[0]))].sort();
    assert.ok(folders.includes('engines'), 'the commands use the engines');
    assert.deepEqual(folders.filter((f) => !listed.includes(f)), []);
  });
});
