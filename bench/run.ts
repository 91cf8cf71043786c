/**
 * `npm run bench`: renders synthetic fleets through the real code path, each run a fresh process, and
 * measures the baselines a competent user would write in the same run:
 * - plain cdk8s, one App per team and one App per app x environment (the one-App-for-everything way,
 *   quadratic, only for S and M, to show what not to do);
 * - kubectl kustomize, one kustomization per team x environment, the whole batch built in parallel
 *   (os.availableParallelism() processes at a time);
 * each checked to produce the same objects as ours on a sample of 3 apps x environments. Every
 * measurement runs --runs N times (default 3): min and median; ratios against our steady state (2nd+
 * render, dist/ present) and our first render (empty folder). Writes bench/results.md.
 * Options: --sizes S,M,L (default S,M), --runs N, --no-cdk8s-baseline.
 */
import { spawn, spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { buildAppBase, environmentOverlay, resolveFleet, ADDON_CATALOG } from '../charts/index.js';
import type { Overlay } from '../engines/kustomize/index.js';
import { toKustomization } from '../engines/kustomize/kustomization.js';
import { readTree } from '../render/tree.js';
import { FleetSize, SIZES, syntheticFleet } from './synthetic-fleet.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const sizes = (opt('--sizes')?.split(',') ?? ['S', 'M']).map((n) => SIZES.find((s) => s.name === n) ?? (() => { throw new Error(`unknown size ${n}`); })());
const RUNS = Math.max(1, Number(opt('--runs') ?? 3));
const withCdk8s = !argv.includes('--no-cdk8s-baseline');
const PARALLEL = os.availableParallelism();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));

interface Run { wallMs: number; ms: number; maxRssMb: number; code: number; summary: string }
interface Stat { min: number; median: number; runs: number[] }

function run(mode: string, size: string, dir: string): Run {
  const start = process.hrtime.bigint();
  // The way `npm run synth` starts: scripts/run.mjs and its cached bundle (built by the first run).
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run.mjs'), path.join(ROOT, 'bench', 'render-size.ts'), mode, size, dir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  if (r.status !== 0) throw new Error(`${mode} ${size} failed: ${r.stderr}`);
  return { wallMs, ...JSON.parse(line) };
}

function stat(runs: number[]): Stat {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return { min: sorted[0], median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, runs };
}

/** Runs `measure` RUNS times (after `before`, untimed, each time) and returns wall-time statistics. */
async function measure(before: () => void, once: () => number | Promise<number>): Promise<Stat> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before();
    runs.push(await once());
  }
  return stat(runs);
}

// ---- objects, canonical form, equivalence -------------------------------------------------------

type Obj = Record<string, any>;
const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Obj)[k])])) : v;
const keyOf = (o: Obj) => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const parseObjects = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o && typeof o === 'object');
function yamlObjectsUnder(dir: string): Obj[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).flatMap((f) => parseObjects(fs.readFileSync(path.join(dir, f), 'utf8')));
}
interface Sample { team: string; app: string; env: string; namespace: string }
const ofSample = (s: Sample) => (o: Obj) => o.metadata?.namespace === s.namespace && o.metadata?.labels?.['app.kubernetes.io/name'] === s.app;

/** Compares a baseline's objects with ours for each sample: '' when equal, else what differs. */
function equivalence(samples: readonly Sample[], ours: string, theirs: Obj[]): string {
  const problems: string[] = [];
  for (const s of samples) {
    const a = new Map(yamlObjectsUnder(path.join(ours, 'apps', s.team, s.app, s.env)).map((o) => [keyOf(o), canonical(o)]));
    const b = new Map(theirs.filter(ofSample(s)).map((o) => [keyOf(o), canonical(o)]));
    const where = `${s.team}/${s.app}/${s.env}`;
    if (a.size === 0) problems.push(`${where}: no objects of ours`);
    for (const k of a.keys()) if (!b.has(k)) problems.push(`${where}: ${k} missing`);
    for (const k of b.keys()) if (!a.has(k)) problems.push(`${where}: ${k} extra`);
    for (const [k, v] of a) if (b.has(k) && !isDeepStrictEqual(v, b.get(k))) problems.push(`${where}: ${k} differs`);
  }
  return problems.join('; ');
}

// ---- kustomize baseline -------------------------------------------------------------------------

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

/**
 * The repository a kustomize user keeps: one base per app, and one kustomization per team x environment
 * whose resources are the team's app bases and whose images and replicas are those of its apps.
 */
function writeKustomizeRepo(size: FleetSize, dir: string): string[] {
  const fleet = resolveFleet(syntheticFleet(size).spec, ADDON_CATALOG);
  const targets: string[] = [];
  for (const t of fleet.teams) {
    for (const a of t.apps) {
      const base = path.join(dir, t.name, 'bases', a.name);
      fs.mkdirSync(base, { recursive: true });
      fs.writeFileSync(path.join(base, 'resources.yaml'), buildAppBase(a).map((o) => stringify(o)).join('---\n'));
      fs.writeFileSync(path.join(base, 'kustomization.yaml'), 'resources:\n  - resources.yaml\n');
    }
    for (const e of t.environments) {
      const apps = t.apps.filter((a) => a.environments[e.name]);
      if (apps.length === 0) continue;
      const merged: Overlay = {
        images: apps.flatMap((a) => a.environments[e.name].images ?? []),
        replicas: apps.flatMap((a) => a.environments[e.name].replicas ?? []),
      };
      const k = toKustomization(environmentOverlay(t, e.name, merged), apps.map((a) => `../bases/${a.name}`));
      const overlay = path.join(dir, t.name, e.name);
      fs.mkdirSync(overlay, { recursive: true });
      fs.writeFileSync(path.join(overlay, 'kustomization.yaml'), stringify(k.kustomization, { version: '1.1' }));
      for (const [n, c] of Object.entries(k.files)) fs.writeFileSync(path.join(overlay, n), c);
      targets.push(overlay);
    }
  }
  return targets;
}

/** `kubectl kustomize` of every target, PARALLEL processes at a time; resolves with the outputs. */
function kustomizeAll(targets: readonly string[]): Promise<string[]> {
  const out: string[] = new Array(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await new Promise<string>((resolve, reject) => {
        const p = spawn('kubectl', ['kustomize', targets[i]], { stdio: ['ignore', 'pipe', 'pipe'] });
        const chunks: Buffer[] = [];
        const errs: Buffer[] = [];
        p.stdout.on('data', (c: Buffer) => chunks.push(c));
        p.stderr.on('data', (c: Buffer) => errs.push(c));
        p.on('error', reject);
        p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`kubectl kustomize ${targets[i]}: ${Buffer.concat(errs)}`))));
      });
    }
  };
  return Promise.all(Array.from({ length: Math.min(PARALLEL, targets.length) }, worker)).then(() => out);
}

// ---- the bench ----------------------------------------------------------------------------------

const s = (ms: number) => (ms / 1000).toFixed(2);
const mm = (st: Stat) => `${s(st.min)} / ${s(st.median)}`;
const oursRows: string[] = [];
const baseRows: string[] = [];
const firstMedian: Record<string, number> = {};
const steadyMedian: Record<string, number> = {};

for (const size of sizes) {
  const dir = path.join(work, `dist-${size.name}`);
  const rm = (d: string) => () => fs.rmSync(d, { recursive: true, force: true });
  let rss = 0;
  const wall = (mode: string, d: string) => () => { const r = run(mode, size.name, d); rss = Math.max(rss, r.maxRssMb); if (r.code !== 0) throw new Error(`${mode}: ${r.summary}`); return r.wallMs; };
  const first = await measure(rm(dir), wall('synth', dir));
  const files = readTree(dir);
  const bytes = [...files.values()].reduce((n, b) => n + b.length, 0);
  const mtimes = new Map([...files.keys()].map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
  const steady = await measure(() => {}, wall('synth', dir));
  const rewritten = [...mtimes].filter(([f, m]) => fs.statSync(path.join(dir, f)).mtimeMs !== m).length;
  const check = await measure(() => {}, wall('check', dir));
  const promote = await measure(() => run('synth', size.name, dir), wall('promote', dir));
  run('synth', size.name, dir); // back to the unpromoted fleet the baselines are compared with
  firstMedian[size.name] = first.median;
  steadyMedian[size.name] = steady.median;
  oursRows.push([
    size.name, `${size.apps} x 3`, String(size.clusters), String(files.size), `${(bytes / 1e6).toFixed(1)} MB`,
    mm(first), mm(steady), `${rewritten}`, mm(promote), `${mm(check)} (${(check.median / steady.median).toFixed(2)}x steady)`, `${rss} MB`,
  ].join(' | '));
  process.stdout.write(`ours ${oursRows[oursRows.length - 1]}\n`);

  // Samples: the first, a middle and the last app x environment of the fleet.
  const fleet = resolveFleet(syntheticFleet(size).spec, ADDON_CATALOG);
  const pairs: Sample[] = fleet.teams.flatMap((t) => t.apps.flatMap((a) => t.environments.filter((e) => a.environments[e.name]).map((e) => ({ team: t.name, app: a.name, env: e.name, namespace: t.namespace(e.name) }))));
  const samples = [pairs[0], pairs[Math.floor(pairs.length / 2)], pairs[pairs.length - 1]];
  const baseline = (label: string, st: Stat | undefined, mismatch: string, note = '') => {
    const ratio = (ours: number) => (mismatch ? `mismatch` : `${(st!.median / ours).toFixed(1)}x`);
    const row = st
      ? [size.name, label, mm(st), ratio(steady.median), ratio(first.median), mismatch ? `differs: ${mismatch.slice(0, 300)}` : `same objects (${samples.length} samples)`]
      : [size.name, label, 'skipped', '', '', note];
    baseRows.push(row.join(' | '));
    process.stdout.write(`baseline ${row.join(' | ')}\n`);
  };

  if (withCdk8s) {
    const modes: [string, string][] = [
      ['cdk8s-app-per-team', 'plain cdk8s, one App per team'],
      ['cdk8s-app-per-chart', 'plain cdk8s, one App per app x env'],
      ...(size.name === 'L' ? [] : [['cdk8s', 'plain cdk8s, one App for everything (quadratic, what not to do)'] as [string, string]]),
    ];
    for (const [mode, label] of modes) {
      const out = path.join(work, `${mode}-${size.name}`);
      const st = await measure(rm(out), wall(mode, out));
      baseline(label, st, equivalence(samples, dir, yamlObjectsUnder(out)));
    }
  }
  const klabel = `kubectl kustomize, one kustomization per team x env (${PARALLEL} in parallel)`;
  if (hasKubectl) {
    const repo = path.join(work, `kustomize-${size.name}`);
    const targets = writeKustomizeRepo(size, repo);
    let outputs: string[] = [];
    const st = await measure(() => {}, async () => {
      const start = process.hrtime.bigint();
      outputs = await kustomizeAll(targets);
      return Number(process.hrtime.bigint() - start) / 1e6;
    });
    baseline(`${klabel.replace(')', `; ${targets.length} kustomizations)`)}`, st, equivalence(samples, dir, outputs.flatMap(parseObjects)));
  } else {
    baseline(klabel, undefined, '', 'kubectl not found');
  }
}

const growth = firstMedian.M && firstMedian.L
  ? `M -> L: ${(firstMedian.L / firstMedian.M).toFixed(1)}x the time (first render; ${(steadyMedian.L / steadyMedian.M).toFixed(1)}x steady state) for 10x the apps and 5x the clusters.`
  : '';
const command = `node --import tsx bench/run.ts ${argv.join(' ')}`.trim();
const md = `# Benchmark

Generated on ${new Date().toISOString().slice(0, 10)} by \`${command}\` (the same as \`npm run bench -- ${argv.join(' ')}\`):
${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}.
Each run is a fresh process started the way \`npm run synth\` starts (\`node scripts/run.mjs\`, a cached esbuild
bundle of the TypeScript), so times include start-up and module loading. Every figure is wall time in
seconds, min / median of ${RUNS} runs.

## Ours

First render: into an empty folder. Steady state: again with \`dist/\` present and nothing changed.
Promote: one app's new tag reaches prod, from a rendered \`dist/\`.

| size | apps x envs | clusters | files | size | first render | steady state | files rewritten by the steady state | one app promoted | check | peak RSS |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${oursRows.map((r) => `| ${r} |`).join('\n')}

${growth}

## Baselines

What a user who knows the tool writes for the same objects (each app's Deployment, Service,
ServiceAccount, ConfigMap and PodDisruptionBudget per environment, with the environment's image tag,
replica count, namespace and team label):
- plain cdk8s: one Chart per app x environment with the environment's values as props, in one App per
  team or one App per chart, each App synthesized with \`app.synth()\`. One App for everything with
  FILE_PER_CHART re-resolves the whole App per chart (quadratic): shown for S and M only, as what not to do.
- kubectl kustomize: one base per app and one kustomization per team x environment (the team's app
  bases, their images and replicas, namespace and team label), all built with \`kubectl kustomize\`,
  ${PARALLEL} processes at a time (\`os.availableParallelism()\`), the whole batch timed. Writing the
  kustomizations is not timed (they are the user's sources).

Each baseline's objects are compared with ours (\`dist/apps/<team>/<app>/<env>/\`) for 3 apps x
environments (the first, a middle and the last): the same set by apiVersion/kind/namespace/name and the
same canonical JSON. A baseline that differs shows "mismatch" instead of a ratio.

The baselines render only the apps' objects; ours renders the whole fleet (the apps plus the hub's
bootstrap, Argo CD ApplicationSets and cluster Secrets, add-on values, Crossplane claims, README), runs
its validation and policies, and writes only changed files, so a ratio below 1x means the baseline's
smaller job is faster than our whole one. Ratios above 1x: the baseline is slower.

| size | baseline | min / median | median vs our steady state | median vs our first render | objects vs ours |
| --- | --- | --- | --- | --- | --- |
${baseRows.map((r) => `| ${r} |`).join('\n')}

Where the time goes, what was fixed and what is next: [NOTES.md](NOTES.md).
`;
fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), md);
fs.rmSync(work, { recursive: true, force: true });
console.log(`\n${growth}\nwrote bench/results.md`);
