#!/usr/bin/env node
/**
 * `node scripts/test.mjs [test files...]`: runs the tests (default every test/*.test.ts) with node's test
 * runner, two processes at a time, from one esbuild bundle of them (scripts/bundle.mjs) instead of through
 * tsx: a process then starts in about 0.4 s of CPU instead of 1.5 s (tsx's loader and its per-module
 * transform). Stack traces point into the TypeScript sources (source maps). Test files still spawn tsx or
 * scripts/run.mjs where they test those.
 *
 * Test files share processes: they are bundled into one entry per lane (`group-1`, `group-2`, ...)
 * that imports them in turn, so the modules (cdk8s, the library, ajv's validators), the example fleet's
 * render and the parsed YAML of support/fleet.ts are loaded once per lane instead of once per file (34
 * files: 23 s of CPU in one process against 54 s in 34). Within a process the files' tests run one after
 * the other, as they would alone; every change a test makes to process.env is undone by the test itself.
 * A file runs in a process of its own when it is not in COST yet, when its text mentions what would reach
 * beyond its own tests (SHARED_UNSAFE: listeners on the process, the working directory, module mocks,
 * the exit code), or when it starts processes and costs BIG seconds or more (its children are most of
 * its cost, so it gains little, and the lanes balance better with it on its own).
 *
 * The processes start longest first (COST: CPU seconds each file took alone on a 2-core machine, which
 * need only be roughly right), so the two lanes finish together instead of one waiting on the last big
 * file; a file not in COST starts first.
 *
 * TEST_PLAN=1 prints the processes and their files in that order, and runs nothing.
 *
 * Should esbuild be missing or fail, the files run through tsx instead, one process each. The exit code
 * is the runner's. TEST_CONCURRENCY sets how many processes run at a time, and so how many groups there
 * are (default 2: on this project's 2-core machines 3 and 4 measured slower, 99 s and 104 s against 90 s).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleFolder, CACHE, fingerprint, ROOT, SOURCES } from './bundle.mjs';

/** What in a test file's text keeps it out of a shared process. */
const SHARED_UNSAFE = /process\.on\(|process\.once\(|process\.chdir|process\.exitCode\s*=|process\.exit\(|mock\.module|mock\.timers/;
/** CPU seconds from which a file that starts processes (SPAWNS) runs in a process of its own. */
const BIG = 3;
const SPAWNS = /child_process|support\/main-process/;
/** Files sharing one of these go to one group: the schema validators take about 1.8 s to load. */
const AFFINITY = [['schemas', /support\/schemas/]];

/**
 * CPU seconds (user + sys) of each file run alone, measured 2026-12-02 on a 2-core machine that was busy
 * with other work too; for the order of the processes and the sharing out of the groups only.
 */
const COST = {
  'consumer-package': 25, 'concurrent-writers': 13, 'render-fast-path': 6.5, 'diff-cli': 10.8, 'plan': 9.8, 'render-cache': 5.2,
  'secretlint-changed': 8.2, 'properties': 7.1, 'crash-safety': 3, 'plan-from-dist': 5.8, 'validator-cache': 3.2, 'cli': 4.7,
  'kustomize-equivalence': 4.5, 'run-script': 3.8, 'synthetic-fleets': 3.1, 'first-boot': 2.9, 'policies': 2.9,
  'destination-patterns': 2.9, 'plan-changes': 2.8, 'bad-input-catalogue': 2.8, 'apps-kustomize': 2.7, 'workflow': 2.4,
  'iac-contract': 2.2, 'architecture': 2.2, 'addon-application-set': 1.9, 'git-credentials': 1.8, 'crd-lock': 2, 'argocd-health': 1.6,
  'iam': 1.6, 'schema': 1.5, 'render': 1.5, 'hub': 1.5, 'hubs': 1.5, 'fleet-readme': 1.5, 'contract': 1.5, 'yaml-writer': 1.2,
  'write-tree': 1.1, 'crossplane': 1.4, 'teams': 1.3, 'argocd-rbac': 1.3, 'iac-outputs': 1.3, 'hostile-inputs': 1.3, 'go-oracle': 0.9,
  'database-chain': 1.2, 'validate': 1.0, 'app-manifests': 0.8, 'addon-permissions': 0.8, 'app-workload': 0.7, 'object-diff': 0.7,
  'promote': 3.8, 'team-repo': 1.5, 'renovate': 0.6, 'plan-speed-fast-paths': 2.9, 'overlay': 0.6, 'line-diff': 0.6, 'applicationset-generators': 0.4, 'go-template': 0.4, 'bench-scaling': 0.3,
  'team-repo-template': 2.4, 'docs-examples': 4.9,
  'addon-companions': 4.5, 'addon-escape-hatches': 2, 'addon-versions': 1.3, 'argocd-production': 2, 'catalog-aws-addons': 1,
  'catalog-aws-existing': 0.4, 'catalog-cli': 1.5, 'catalog-cluster-addons': 0.8, 'catalog-core-addons': 0.4,
  'catalog-observability-addons': 0.4, 'chart-values-keys': 1.2,
};
/** What a file costs in a shared process, against alone: its share of the loading is gone. */
const SHARED = 0.45;

const args = process.argv.slice(2);
const files = (args.length > 0 ? args : fs.readdirSync(path.join(ROOT, 'test')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join('test', f)))
  .map((f) => path.resolve(f));
const lanes = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 2) || 2);
const concurrency = [`--test-concurrency=${lanes}`];
const nameOf = (f) => path.basename(f, '.ts');
const costOf = (f) => COST[path.basename(f, '.test.ts')] ?? Infinity;

/**
 * The processes to run: each file that needs its own, and the others dealt into one group per lane,
 * largest first onto the lightest group. Longest first.
 */
function plan() {
  const own = [];
  const shared = [];
  // Files that use the same costly thing go to the same group as one block (AFFINITY).
  const blocks = new Map();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const alone = costOf(f) === Infinity || SHARED_UNSAFE.test(text) || (costOf(f) >= BIG && SPAWNS.test(text));
    if (alone) own.push(f);
    else {
      shared.push(f);
      const key = AFFINITY.find(([, re]) => re.test(text))?.[0] ?? f;
      blocks.set(key, [...(blocks.get(key) ?? []), f]);
    }
  }
  const groups = Array.from({ length: shared.length < 2 ? 0 : Math.min(lanes, shared.length) }, (_, i) => ({ name: `group-${i + 1}`, files: [], cost: 0 }));
  if (groups.length === 0) own.push(...shared);
  else {
    const blockCost = (b) => b.reduce((sum, f) => sum + Math.min(costOf(f), 10) * SHARED, 0);
    for (const block of [...blocks.values()].sort((a, b) => blockCost(b) - blockCost(a) || a[0].localeCompare(b[0]))) {
      const g = groups.reduce((x, y) => (y.cost < x.cost ? y : x));
      g.files.push(...block);
      g.cost += blockCost(block);
    }
  }
  const units = [...own.map((f) => ({ name: nameOf(f), files: [f], cost: costOf(f) })), ...groups.filter((g) => g.files.length > 0)];
  return units.sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name));
}

/** Resolves `test-group:<name>` to an entry that imports the group's files in order. */
function groupEntries(units) {
  const byName = new Map(units.map((u) => [u.name, u]));
  return {
    name: 'test-groups',
    setup(build) {
      build.onResolve({ filter: /^test-group:/ }, (a) => ({ path: a.path.slice('test-group:'.length), namespace: 'test-group' }));
      build.onLoad({ filter: /.*/, namespace: 'test-group' }, (a) => ({
        contents: byName.get(a.path).files.map((f) => `import ${JSON.stringify(f)};`).join('\n'),
        resolveDir: ROOT,
        loader: 'js',
      }));
    },
  };
}

const units = plan();
if (process.env.TEST_PLAN) {
  // TEST_PLAN=1: the processes, in the order they start, with their estimated cost, and nothing run.
  for (const u of units) console.log(`${u.name} (${u.cost === Infinity ? 'new' : `${u.cost.toFixed(1)} s`}): ${u.files.map(nameOf).join(' ')}`);
  process.exit(0);
}
let run;
try {
  const entryPoints = Object.fromEntries(units.map((u) => [u.name, u.files.length === 1 && u.name === nameOf(u.files[0]) ? u.files[0] : `test-group:${u.name}`]));
  const layout = units.map((u) => `${u.name}=${u.files.map(nameOf).join(',')}`).join(';');
  const key = createHash('sha256').update(`${fingerprint([...SOURCES, 'test', 'scripts'], files)}\0${layout}`).digest('hex').slice(0, 16);
  // Another run of other files (or of the same files at another state) may be under way: a bundle built
  // in the last 15 minutes is kept (removing it failed the files of that run not started yet).
  const recent = (k) => {
    try {
      return Date.now() - fs.statSync(path.join(CACHE, `tests-${k}`)).mtimeMs < 900_000;
    } catch {
      return false;
    }
  };
  const dir = await bundleFolder('tests', key, entryPoints, recent, [groupEntries(units)]);
  run = ['--enable-source-maps', '--test', ...concurrency, ...units.map((u) => path.join(dir, `${u.name}.js`))];
} catch (e) {
  console.error(`scripts/test.mjs: no bundle (${e?.message ?? e}); running the tests through tsx`);
  run = ['--import', 'tsx', '--test', ...concurrency, ...units.flatMap((u) => u.files)];
}
const r = spawnSync(process.execPath, run, { stdio: 'inherit', cwd: ROOT });
process.exit(r.status ?? 1);
