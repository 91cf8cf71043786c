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

  it('an edit of the fleet\'s own files rebuilds the fleet\'s small bundle only, which shares one copy of the library', () => {
    const cache = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-fleet');
    const entry = path.join(tmp, 'fleet-edit.ts');
    const write = (tag: string) =>
      fs.writeFileSync(
        entry,
        [
          `import * as library from ${JSON.stringify(path.join(ROOT, 'charts', 'index.ts'))};`,
          `import { teamNamespace } from ${JSON.stringify(path.join(ROOT, 'charts', 'model', 'resolve.ts'))};`,
          `console.log(JSON.stringify({ tag: ${JSON.stringify(tag)}, shared: library.teamNamespace === teamNamespace, ns: teamNamespace('web', 'prod') }));`,
          '',
        ].join('\n'),
      );
    const libraries = () => fs.readdirSync(cache).filter((n) => n.startsWith('library-')).map((n) => `${n} ${fs.statSync(path.join(cache, n)).mtimeMs}`).sort();
    write('v1');
    const first = run([entry]);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { tag: 'v1', shared: true, ns: 'web-prod' }, 'one copy of the library: a function imported from two of its modules is the same function');
    const before = libraries();
    write('v2');
    const second = run([entry]);
    assert.equal(JSON.parse(second.stdout).tag, 'v2', 'the edit is seen');
    assert.deepEqual(libraries(), before, 'the library bundle is neither rebuilt nor removed');
    const bundles = fs.readdirSync(cache).filter((n) => n.startsWith('fleet-edit-'));
    assert.equal(bundles.length, 1, 'the fleet bundle of the earlier edit is removed');
    const text = fs.readFileSync(path.join(cache, bundles[0], 'index.js'), 'utf8');
    assert.ok(!text.includes('function teamNamespace'), 'the fleet bundle imports the library instead of holding a copy');
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
