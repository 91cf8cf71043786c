/**
 * `npm run bench`: renders synthetic fleets through the real code path, each run a fresh process, and
 * measures the baselines a competent user would write in the same run:
 * - plain cdk8s, one App per team and one App per app x environment (the one-App-for-everything way,
 *   quadratic, only up to 100 apps (S, M), to show what not to do);
 * - kubectl kustomize, one kustomization per team x environment, the whole batch built in parallel
 *   (os.availableParallelism() processes at a time);
 * each checked to produce the same objects as ours on a sample of 3 apps x environments. Every
 * measurement runs --runs N times (default 3): min and median; ratios against our steady state (2nd+
 * render, dist/ present) and our first render (empty folder). With two sizes or more, the scaling
 * exponents of time, peak RSS, bytes, files and objects against the fleet's objects and apps (log-log
 * least squares, bench/scaling.ts). Writes bench/results.md (or --results FILE).
 * Options: --sizes S,M,L (default S,M; also 4L and APPSxCLUSTERS), --runs N, --no-cdk8s-baseline, --results FILE.
 *
 * One command on one or more fleets, no baselines:
 *   npm run bench -- --fleet <S|M|L|4L|APPSxCLUSTERS>[,...] --command <synth|check|plan|validate|diff> [--json]
 *                    [--out DIR] [--runs N] [--results FILE]
 * (--sizes X,Y works as --fleet X,Y with --command; --fleet without --command runs synth.)
 * Each run is a fresh process (bench/render-size.ts): min / median wall, peak RSS; the figures are printed
 * and appended, with the exact command line, to bench/runs.md (or --results FILE). DIR (kept; default a
 * temporary folder, removed) holds dist/ (the rendered fleet), plan.txt / plan.json, diff.md and, for diff,
 * the git repository diff compares with; one folder per fleet under DIR when there are several. DIR must
 * be new, empty, or an earlier --out of this bench (it holds .fleet-bench).
 *   synth     first render into an empty dist/ and empty caches (removed before each run), the steady state
 *             (again, nothing changed, no cache), the no-op (with the index synth leaves), one app promoted
 *             (caches warm), one spoke added (a platform change: caches warm, every app from the app cache)
 *             and a first render into an empty dist/ with the caches warm
 *   check     `check` against a dist/ rendered once before (untimed): without cache, then with the index
 *   plan      `plan` (table; --json: `plan --json`) written to DIR/plan.txt (plan.json): from dist/ (synthesized,
 *             untimed, before each run: the plan reads its index and files, nothing rendered), then rendered
 *             (`--out` a folder no synth wrote: no index; render caches warm); the two outputs must be identical
 *   validate  `validate`: schemas and policies (writes nothing)
 *   diff      `diff -- HEAD --committed` of the fleet with one app promoted against the fleet as it was, with dist/
 *             as committed (the working tree rendered) and after a synth of the change (read from dist/): DIR is made
 *             a throwaway git repository whose one commit holds dist/ of the fleet before the change (untimed)
 * With several fleets, the scaling exponents of the command's time, peak RSS and output bytes as above.
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
import { exponentTable, Series } from './scaling.js';
import { FleetSize, parseSize, syntheticFleet } from './synthetic-fleet.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
/** A mistake on the command line: one line on stderr, exit 2. */
function usage(message: string): never {
  console.error(`bench: ${message}\nusage: npm run bench -- [--sizes S,M,L] [--runs N] [--no-cdk8s-baseline] [--results FILE]\n       npm run bench -- --fleet <S|M|L|4L|APPSxCLUSTERS>[,...] --command <synth|check|plan|validate|diff> [--json] [--out DIR] [--runs N] [--results FILE]\n(bench/run.ts explains each)`);
  process.exit(2);
}
const VALUED = ['--sizes', '--runs', '--fleet', '--command', '--out', '--results'];
const FLAGS = ['--no-cdk8s-baseline', '--json'];
for (let i = 0; i < argv.length; i++) {
  if (VALUED.includes(argv[i]) && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) i++;
  else if (!FLAGS.includes(argv[i])) usage(`unknown option or option without its value: "${argv[i]}"`);
}
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const COMMANDS = ['synth', 'check', 'plan', 'validate', 'diff'];
const fleetMode = opt('--fleet') !== undefined || opt('--command') !== undefined;
const sizes = (opt('--fleet') ?? opt('--sizes') ?? (fleetMode ? 'S' : 'S,M')).split(',').map((name) => {
  try {
    return parseSize(name);
  } catch (e) {
    return usage((e as Error).message);
  }
});
if (new Set(sizes.map((z) => z.name)).size !== sizes.length) usage('a fleet size is named twice');
const RUNS = Number(opt('--runs') ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) usage(`--runs must be a whole number of at least 1, got "${opt('--runs')}"`);
if (argv.includes('--fleet') && argv.includes('--sizes')) usage('--fleet and --sizes both name the fleets: give one');
if (!fleetMode && argv.includes('--out')) usage('--out goes with --fleet and --command');
if (!fleetMode && argv.includes('--json')) usage('--json goes with --command plan');
const command = opt('--command') ?? 'synth';
if (!COMMANDS.includes(command)) usage(`unknown --command "${command}": ${COMMANDS.join(', ')}`);
const json = argv.includes('--json');
if (json && command !== 'plan') usage('--json goes with --command plan');
const outArg = opt('--out');
/** Where each fleet's dist/ (and plan.txt, diff.md) goes under --out: DIR itself for one fleet, DIR/<size> for several. */
const outFolder = (size: FleetSize): string => (sizes.length > 1 ? path.join(path.resolve(outArg!), size.name) : path.resolve(outArg!));
if (outArg !== undefined) for (const dir of [path.resolve(outArg), ...sizes.map(outFolder)]) checkBenchFolder(dir);
const withCdk8s = !argv.includes('--no-cdk8s-baseline');
const PARALLEL = os.availableParallelism();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));
const loadAtStart = os.loadavg()[0];
const npmCommand = `npm run bench -- ${argv.join(' ')}`.trim();
const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}, load average ${loadAtStart.toFixed(2)} at start`;

interface Run { wallMs: number; ms: number; maxRssMb: number; code: number; summary: string }
interface Stat { min: number; median: number; runs: number[] }

/**
 * The render caches (render/cache) a run may use: `cold` a new, empty cache folder (a first render on a
 * fresh clone), `warm` the fleet's own cache folder as earlier runs left it, `off` none
 * (CDK8S_FLEET_CACHE=off: every render complete, what the baselines are compared with).
 */
type CacheMode = 'cold' | 'warm' | 'off';
let cacheRuns = 0;
function cacheEnv(mode: CacheMode, size: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CDK8S_FLEET_CACHE;
  if (mode === 'off') env.CDK8S_FLEET_CACHE = 'off';
  env.CDK8S_FLEET_CACHE_DIR = mode === 'cold' ? path.join(work, `cache-cold-${cacheRuns++}`) : path.join(work, `cache-${size}`);
  return env;
}

function run(mode: string, size: string, dir: string, cache: CacheMode = 'warm'): Run {
  const start = process.hrtime.bigint();
  // The way `npm run synth` starts: scripts/run.mjs and its cached bundle (built by the first run).
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run.mjs'), path.join(ROOT, 'bench', 'render-size.ts'), mode, size, dir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: cacheEnv(cache, size) });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    throw new Error(`${mode} ${size} failed (${why}): ${r.stderr.slice(-2000)}${r.stdout.slice(-500)}`);
  }
  return { wallMs, ...JSON.parse(line) };
}

/** What a rendered dist/ holds: files, bytes, and objects (top-level `kind:` lines of its YAML files). */
interface TreeFigures { files: number; bytes: number; objects: number }
function treeFigures(dir: string): TreeFigures {
  const files = readTree(dir);
  let bytes = 0;
  let objects = 0;
  for (const [f, b] of files) {
    bytes += b.length;
    if (/\.ya?ml$/.test(f)) objects += b.toString('utf8').match(/^kind: /gm)?.length ?? 0;
  }
  return { files: files.size, bytes, objects };
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
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const kbOrMb = (bytes: number) => (bytes < 1e5 ? `${(bytes / 1e3).toFixed(1)} kB` : mb(bytes));
const rm = (d: string) => () => fs.rmSync(d, { recursive: true, force: true });

/** The scaling section: exponents of each series against the sizes' objects and apps, with the sizes used. */
function scalingSection(fitted: readonly FleetSize[], objects: readonly number[], series: readonly Series[]): string {
  if (fitted.length < 2) return '';
  const used = fitted.map((z, i) => `${z.name} (${z.apps} apps, ${z.clusters} clusters, ${objects[i]} objects)`).join(', ');
  return `Scaling exponents k of y = c * size^k, least squares on log y against log size over ${used}; R² of the
log-log fit in brackets (1 for two sizes). Time includes process start-up and module loading (about 0.3 s),
a fixed cost that pulls the exponents of small sizes below their asymptote; peak RSS likewise includes
Node's own (about 60 MB).

${exponentTable([{ name: 'objects', values: objects }, { name: 'apps', values: fitted.map((z) => z.apps) }], series)}
`;
}

try {
  // Builds the cached bundle of render-size.ts (after any source change) before anything is timed.
  run('synth', '1x4', path.join(work, 'warm-up'));
  if (fleetMode) await fleetBench();
  else await fullBench();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

async function fullBench(): Promise<void> {
  const oursRows: string[] = [];
  const baseRows: string[] = [];
  const firstMedian: Record<string, number> = {};
  const steadyMedian: Record<string, number> = {};
  const fig: { size: FleetSize; tree: TreeFigures; first: number; steady: number; noop: number; promote: number; check: number; rss: number }[] = [];

  for (const size of sizes) {
    const dir = path.join(work, `dist-${size.name}`);
    let rss = 0;
    const wall = (mode: string, d: string, cache: CacheMode = 'off') => () => { const r = run(mode, size.name, d, cache); rss = Math.max(rss, r.maxRssMb); if (r.code !== 0) throw new Error(`${mode}: ${r.summary}`); return r.wallMs; };
    // A first render: empty folder, empty caches (a fresh clone). It leaves the warm caches for the runs below.
    const first = await measure(rm(dir), wall('synth', dir, 'cold'));
    run('synth', size.name, dir, 'warm');
    const files = readTree(dir);
    const tree = treeFigures(dir);
    const bytes = tree.bytes;
    const mtimes = new Map([...files.keys()].map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
    // Steady state: dist/ present, nothing changed, every render complete (no cache): what the baselines do.
    const steady = await measure(() => {}, wall('synth', dir, 'off'));
    const rewritten = [...mtimes].filter(([f, m]) => fs.statSync(path.join(dir, f)).mtimeMs !== m).length;
    // No-op: the same, with the index of dist/ a synth left (input, code and folder unchanged: nothing rendered).
    run('synth', size.name, dir, 'warm');
    const noop = await measure(() => {}, wall('synth', dir, 'warm'));
    const check = await measure(() => {}, wall('check', dir, 'off'));
    const checkNoop = await measure(() => {}, wall('check', dir, 'warm'));
    // The inner loop: one app's new tag promoted to prod, from a rendered dist/, caches warm.
    const promote = await measure(() => run('synth', size.name, dir, 'warm'), wall('promote', dir, 'warm'));
    run('synth', size.name, dir, 'warm'); // back to the unpromoted fleet the baselines are compared with
    firstMedian[size.name] = first.median;
    steadyMedian[size.name] = steady.median;
    fig.push({ size, tree, first: first.median, steady: steady.median, noop: noop.median, promote: promote.median, check: check.median, rss });
    oursRows.push([
      size.name, `${size.apps} x 3`, String(size.clusters), String(files.size), mb(bytes), String(tree.objects),
      mm(first), mm(steady), `${rewritten}`, mm(noop), mm(promote), `${mm(check)} (${(check.median / steady.median).toFixed(2)}x steady)`, mm(checkNoop), `${rss} MB`,
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
        ...(size.apps > 100 ? [] : [['cdk8s', 'plain cdk8s, one App for everything (quadratic, what not to do)'] as [string, string]]),
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
  const scaling = scalingSection(fig.map((f) => f.size), fig.map((f) => f.tree.objects), [
    { metric: 'first render (s, median)', values: fig.map((f) => f.first / 1000) },
    { metric: 'steady state (s, median)', values: fig.map((f) => f.steady / 1000) },
    { metric: 'no-op (s, median)', values: fig.map((f) => f.noop / 1000) },
    { metric: 'one app promoted (s, median)', values: fig.map((f) => f.promote / 1000) },
    { metric: 'check (s, median)', values: fig.map((f) => f.check / 1000) },
    { metric: 'peak RSS (MB)', values: fig.map((f) => f.rss) },
    { metric: 'dist/ bytes', values: fig.map((f) => f.tree.bytes) },
    { metric: 'dist/ files', values: fig.map((f) => f.tree.files) },
    { metric: 'objects', values: fig.map((f) => f.tree.objects) },
  ]);
  const md = `# Benchmark

Generated on ${new Date().toISOString().slice(0, 10)} by \`${npmCommand}\` (\`node scripts/run.mjs bench/run.ts ${argv.join(' ')}\`):
${machine}.
Each run is a fresh process started the way \`npm run synth\` starts (\`node scripts/run.mjs\`, a cached esbuild
bundle of the TypeScript), so times include start-up and module loading. Every figure is wall time in
seconds, min / median of ${RUNS} runs.

## Ours

First render: into an empty folder with empty caches (a fresh clone). Steady state: again with \`dist/\`
present and nothing changed, every render complete (\`CDK8S_FLEET_CACHE=off\`): what the baselines are
compared with. No-op: the same with the caches a synth leaves (render/cache: the index of \`dist/\` says
input, code and folder are unchanged, nothing is rendered). One app promoted: one app's new tag reaches
prod, from a rendered \`dist/\`, caches warm (the other apps' manifests reused). Check: complete, then
with the index (no-op).

Objects: top-level \`kind:\` lines of the YAML files of \`dist/\`.

| size | apps x envs | clusters | files | size | objects | first render | steady state | files rewritten by the steady state | no-op | one app promoted | check | check, no-op | peak RSS |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${oursRows.map((r) => `| ${r} |`).join('\n')}

${[growth, scaling && `## Scaling\n\n${scaling.trimEnd()}`].filter(Boolean).map((t) => `${t}\n\n`).join('')}## Baselines

What a user who knows the tool writes for the same objects (each app's Deployment, Service,
ServiceAccount, ConfigMap and PodDisruptionBudget per environment, with the environment's image tag,
replica count, namespace and team label):
- plain cdk8s: one Chart per app x environment with the environment's values as props, in one App per
  team or one App per chart, each App synthesized with \`app.synth()\`. One App for everything with
  FILE_PER_CHART re-resolves the whole App per chart (quadratic): shown up to 100 apps (S, M) only, as what not to do.
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

Where the time goes, what was fixed and what is next: [NOTES.md](NOTES.md). One command on one fleet
(\`npm run bench -- --fleet <size> --command <synth|check|plan|validate|diff>\`): [runs.md](runs.md).
`;
  const resultsFile = path.resolve(opt('--results') ?? path.join(ROOT, 'bench', 'results.md'));
  fs.writeFileSync(resultsFile, md);
  console.log(`\n${growth}\n${scaling}\nwrote ${path.relative(process.cwd(), resultsFile)}`);
}


// ---- one command on one or more fleets ---------------------------------------------------------

/** Refuses (usage error) a folder the bench must not write into: one not empty and not an earlier --out of the bench. */
function checkBenchFolder(dir: string): void {
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || (fs.readdirSync(dir).length > 0 && !fs.existsSync(path.join(dir, '.fleet-bench'))))) {
    usage(`--out ${dir}: not empty and not an earlier --out of the bench (no .fleet-bench in it); name a new or empty folder`);
  }
}

/** A fleet's work folder (checked by {@link checkBenchFolder}), created and marked as the bench's. */
function benchFolder(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '.fleet-bench'), 'A folder of `npm run bench -- --fleet ... --out`: dist/, plan.txt, diff.md; safe to delete.\n');
  return dir;
}

/** git in `cwd` with the bench's own identity, no hooks and nothing from the environment's git settings. */
function git(cwd: string, ...args: string[]): void {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  const r = spawnSync('git', ['-c', 'user.name=fleet-bench', '-c', 'user.email=fleet-bench@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${r.error?.message ?? r.stderr}`);
}

interface Measurement { what: string; stat: Stat; rss: number; code: number; summary: string; outputBytes?: number }

async function fleetBench(): Promise<void> {
  if (outArg !== undefined && sizes.length > 1) benchFolder(path.resolve(outArg));
  const label = json ? 'plan --json' : command;
  const rows: string[] = [];
  const fig: { size: FleetSize; tree: TreeFigures; main: Measurement; steady?: Measurement; rss: number }[] = [];

  for (const size of sizes) {
    const folder = benchFolder(outArg === undefined ? path.join(work, size.name) : outFolder(size));
    const dist = path.join(folder, 'dist');
    const measurements: Measurement[] = [];
    /** RUNS fresh processes of `mode` (after `before`, untimed, each time). */
    const timed = async (what: string, mode: string, dir: string, before: () => void = () => {}, cache: CacheMode = 'warm'): Promise<Measurement> => {
      let rss = 0;
      let last: Run | undefined;
      const stat = await measure(before, () => {
        last = run(mode, size.name, dir, cache);
        rss = Math.max(rss, last.maxRssMb);
        return last.wallMs;
      });
      // The folder as the summary names it (relative to the project), shortened to DIR.
      const m = { what, stat, rss, code: last!.code, summary: last!.summary.split(`${path.relative(ROOT, folder)}/`).join('DIR/') };
      measurements.push(m);
      process.stdout.write(`${size.name} ${what}: ${mm(stat)} s (min / median of ${RUNS}), peak RSS ${rss} MB, exit ${m.code}: ${m.summary}\n`);
      return m;
    };
    const prepare = (mode = 'synth', dir = dist) => {
      const r = run(mode, size.name, dir);
      if (r.code !== 0) throw new Error(`${mode} ${size.name} (untimed preparation) failed: ${r.summary}`);
    };

    let main: Measurement;
    let steady: Measurement | undefined;
    if (command === 'synth') {
      main = await timed('synth, first render (empty dist/, empty caches)', 'synth', dist, rm(dist), 'cold');
      prepare();
      const mtimes = new Map([...readTree(dist).keys()].map((f) => [f, fs.statSync(path.join(dist, f)).mtimeMs]));
      steady = await timed('synth, steady state (dist/ present, nothing changed, no cache)', 'synth', dist, () => {}, 'off');
      const rewritten = [...mtimes].filter(([f, m]) => fs.statSync(path.join(dist, f)).mtimeMs !== m).length;
      steady.summary = `${rewritten} files rewritten; ${steady.summary}`;
      prepare();
      const noop = await timed('synth, no-op (the index of dist/: nothing rendered)', 'synth', dist);
      if (!noop.summary.includes('nothing rendered')) throw new Error(`the no-op synth rendered (did the code change during the bench?): ${noop.summary}`);
      const one = await timed('synth, one app promoted (caches warm)', 'promote', dist, () => prepare());
      if (!/only the changed app/.test(one.summary)) throw new Error(`the one-app synth rendered in full (did the code change during the bench?): ${one.summary}`);
      // A change of the platform: every file is rendered, every app comes from the app cache.
      const spoke = await timed('synth, one spoke added (caches warm: no app rendered)', 'add-spoke', dist, () => prepare());
      if (!/every app from the app cache/.test(spoke.summary)) throw new Error(`the platform change rendered apps (did the code change during the bench?): ${spoke.summary}`);
      // A first render with the caches a render leaves (dist/ removed by hand, or a fresh clone with a warm cache).
      prepare();
      await timed('synth, first render (empty dist/, caches warm)', 'synth', dist, () => fs.rmSync(dist, { recursive: true, force: true }));
      prepare();
    } else if (command === 'check') {
      prepare();
      main = await timed('check (dist/ up to date, no cache)', 'check', dist, () => {}, 'off');
      const noop = await timed('check (dist/ up to date, index: nothing rendered)', 'check', dist);
      if (!noop.summary.includes('nothing rendered')) throw new Error(`the no-op check rendered (did the code change during the bench?): ${noop.summary}`);
    } else if (command === 'plan') {
      // From dist/: synthesized (untimed) before each run, so that its index vouches for it; the plan reads
      // the Argo CD objects from it. Rendered: `--out` a folder no synth wrote (no index), so the plan renders
      // the fleet, as every plan did before it could read dist/ (render caches warm, as then).
      const what = json ? 'plan --json' : 'plan (table)';
      const outputFile = path.join(folder, json ? 'plan.json' : 'plan.txt');
      main = await timed(`${what}, from dist/ (synthesized first: its index vouches for it, nothing rendered)`, json ? 'plan-json' : 'plan', folder, () => prepare());
      main.outputBytes = fs.statSync(outputFile).size;
      if (!main.summary.includes('nothing rendered')) throw new Error(`${what} from dist/ rendered instead (did the code change during the bench?): ${main.summary}`);
      const fromDist = fs.readFileSync(outputFile);
      const rendered = await timed(`${what}, rendered (--out a folder never synthesized: no index; render caches warm)`, json ? 'plan-json-render' : 'plan-render', folder);
      rendered.outputBytes = fs.statSync(outputFile).size;
      if (!fromDist.equals(fs.readFileSync(outputFile))) throw new Error(`${what}: the output from dist/ and the rendered output differ`);
    } else if (command === 'validate') {
      prepare();
      main = await timed('validate (schemas and policies)', 'validate', folder);
    } else {
      // The diff of a PR: the fleet with one app promoted against the fleet as committed. DIR becomes a
      // throwaway git repository whose one commit holds dist/ of the fleet before the change.
      fs.rmSync(path.join(folder, '.git'), { recursive: true, force: true });
      prepare();
      git(folder, 'init', '-q');
      git(folder, 'add', '-A', 'dist');
      git(folder, 'commit', '-q', '--no-verify', '-m', `fleet-bench: ${size.name} before the promotion`);
      main = await timed('diff HEAD --committed (one app promoted; dist/ as committed: the working tree rendered)', 'diff', folder);
      main.outputBytes = fs.statSync(path.join(folder, 'diff.md')).size;
      // The usual order in a PR: synth (untimed), then diff, which reads the working tree from dist/.
      const read = await timed('diff HEAD --committed (one app promoted and synthesized first: the working tree read from dist/)', 'diff', folder, () => prepare('promote'));
      read.outputBytes = fs.statSync(path.join(folder, 'diff.md')).size;
      if (!read.summary.includes('nothing rendered')) throw new Error(`the diff after synth rendered the working tree (did the code change during the bench?): ${read.summary}`);
    }
    if (main.code !== 0) process.stdout.write(`${size.name} ${label}: exit ${main.code} (see the summary above)\n`);
    const tree = treeFigures(dist);
    fig.push({ size, tree, main, steady, rss: Math.max(...measurements.map((m) => m.rss)) });
    for (const m of measurements) {
      rows.push([
        size.name, `${size.apps} x 3`, String(size.clusters), String(tree.files), mb(tree.bytes), String(tree.objects),
        m.what, mm(m.stat), `${m.rss} MB`, m.outputBytes === undefined ? '' : kbOrMb(m.outputBytes), String(m.code),
        m.summary.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 200),
      ].join(' | '));
    }
  }

  const series: Series[] = [
    ...(command === 'synth'
      ? [
        { metric: 'first render (s, median)', values: fig.map((f) => f.main.stat.median / 1000) },
        { metric: 'steady state (s, median)', values: fig.map((f) => (f.steady ? f.steady.stat.median / 1000 : undefined)) },
      ]
      : [{ metric: `${label} (s, median)`, values: fig.map((f) => f.main.stat.median / 1000) }]),
    { metric: 'peak RSS (MB)', values: fig.map((f) => f.rss) },
    ...(fig.some((f) => f.main.outputBytes !== undefined) ? [{ metric: `${label} output bytes`, values: fig.map((f) => f.main.outputBytes) }] : []),
    { metric: 'dist/ bytes', values: fig.map((f) => f.tree.bytes) },
    { metric: 'dist/ files', values: fig.map((f) => f.tree.files) },
    { metric: 'objects', values: fig.map((f) => f.tree.objects) },
  ];
  const scaling = scalingSection(fig.map((f) => f.size), fig.map((f) => f.tree.objects), series);
  const kept = outArg === undefined ? 'a temporary folder, removed' : `${outArg} (kept)`;
  const entry = `## \`${npmCommand}\`

${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${machine}; output in ${kept}.
Wall time in seconds, min / median of ${RUNS} fresh process${RUNS === 1 ? '' : 'es'}; peak RSS the largest of the runs.

| fleet | apps x envs | clusters | files | dist/ | objects | measurement | min / median (s) | peak RSS | output | exit | summary |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r} |`).join('\n')}
${scaling ? `\n${scaling}` : ''}
`;
  const resultsFile = path.resolve(opt('--results') ?? path.join(ROOT, 'bench', 'runs.md'));
  if (!fs.existsSync(resultsFile)) {
    fs.writeFileSync(resultsFile, `# One command on a synthetic fleet

Each section: the exact command that made its figures (\`npm run bench -- --fleet ... --command ...\`, see
bench/run.ts), appended by that command. Each run is a fresh process started the way \`npm run synth\`
starts (\`node scripts/run.mjs\`, a cached esbuild bundle), so times include start-up and module loading.
Fleet sizes: bench/synthetic-fleet.ts. Objects: top-level \`kind:\` lines of the YAML files of dist/.
The full bench with its baselines: [results.md](results.md).

`);
  }
  fs.appendFileSync(resultsFile, entry);
  if (scaling) console.log(`\n${scaling}`);
  console.log(`appended to ${path.relative(process.cwd(), resultsFile)}${outArg === undefined ? '' : `; output kept in ${outArg}`}`);
}
