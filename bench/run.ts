/**
 * `npm run bench`: renders synthetic fleets S, M, L through the real code path and prints wall time,
 * peak memory and output size per size, with the baselines measured in the same run (plain cdk8s with one
 * chart per app and environment; kubectl kustomize on a sample of overlays, extrapolated), then writes the
 * table to bench/results.md. Options: --sizes S,M (default S,M,L), --no-cdk8s-baseline.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { buildAppBase, environmentOverlay, resolveFleet, ADDON_CATALOG } from '../charts/index.js';
import { toKustomization } from '../engines/kustomize/kustomization.js';
import { readTree } from '../render/tree.js';
import { SIZES, syntheticFleet } from './synthetic-fleet.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const sizes = (argv.includes('--sizes') ? argv[argv.indexOf('--sizes') + 1].split(',') : ['S', 'M', 'L']).map((n) => SIZES.find((s) => s.name === n)!);
const withCdk8s = !argv.includes('--no-cdk8s-baseline');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));

interface Run { wallMs: number; ms: number; maxRssMb: number; code: number; summary: string }

function run(mode: string, size: string, dir: string): Run {
  const start = process.hrtime.bigint();
  // The way `npm run synth` starts: scripts/run.mjs and its cached bundle (built by the first run).
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run.mjs'), path.join(ROOT, 'bench', 'render-size.ts'), mode, size, dir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  if (r.status !== 0) throw new Error(`${mode} ${size} failed: ${r.stderr}`);
  return { wallMs, ...JSON.parse(line) };
}

function kustomizeSample(size: (typeof SIZES)[number], samples: number): { perOverlayMs: number; overlays: number } | undefined {
  if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0) return undefined;
  const fleet = resolveFleet(syntheticFleet(size).spec, ADDON_CATALOG);
  const pairs = fleet.teams.flatMap((t) => t.apps.flatMap((a) => t.environments.filter((e) => a.environments[e.name]).map((e) => ({ t, a, e: e.name }))));
  const picked = pairs.filter((_, i) => i % Math.max(1, Math.floor(pairs.length / samples)) === 0).slice(0, samples);
  let total = 0;
  for (const [i, { t, a, e }] of picked.entries()) {
    const dir = path.join(work, `kustomize-${size.name}-${i}`);
    fs.mkdirSync(path.join(dir, 'base'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'overlay'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'base', 'resources.yaml'), buildAppBase(a).map((o) => stringify(o)).join('---\n'));
    fs.writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources:\n  - resources.yaml\n');
    const k = toKustomization(environmentOverlay(t, e, a.environments[e]), ['../base']);
    fs.writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), stringify(k.kustomization, { version: '1.1' }));
    for (const [n, c] of Object.entries(k.files)) fs.writeFileSync(path.join(dir, 'overlay', n), c);
    const start = process.hrtime.bigint();
    const r = spawnSync('kubectl', ['kustomize', path.join(dir, 'overlay')], { encoding: 'utf8' });
    total += Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(r.stderr);
  }
  return { perOverlayMs: total / picked.length, overlays: pairs.length };
}

const rows: string[] = [];
const s = (ms: number) => (ms / 1000).toFixed(2);
const results: Record<string, number> = {};
for (const size of sizes) {
  const dir = path.join(work, `dist-${size.name}`);
  const first = run('synth', size.name, dir);
  const files = readTree(dir);
  const bytes = [...files.values()].reduce((n, b) => n + b.length, 0);
  const mtimes = new Map([...files.keys()].map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
  const second = run('synth', size.name, dir);
  const rewritten = [...mtimes].filter(([f, m]) => fs.statSync(path.join(dir, f)).mtimeMs !== m).length;
  const check = run('check', size.name, dir);
  const promote = run('promote', size.name, dir);
  const written = /(\d+) added, (\d+) changed, (\d+) removed/.exec(promote.summary);
  const promoted = written ? Number(written[1]) + Number(written[2]) + Number(written[3]) : NaN;
  const cdk8s = withCdk8s ? run('cdk8s', size.name, path.join(work, `cdk8s-${size.name}`)) : undefined;
  const kustomize = kustomizeSample(size, 20);
  results[size.name] = first.wallMs;
  rows.push([
    size.name, `${size.apps} x 3`, String(size.clusters), String(files.size), `${(bytes / 1e6).toFixed(1)} MB`,
    s(first.wallMs), `${first.maxRssMb} MB`, `${s(second.wallMs)} (${rewritten} rewritten)`, `${s(promote.wallMs)} (${promoted} files written)`, `${s(check.wallMs)} (${(check.wallMs / first.wallMs).toFixed(2)}x)`,
    cdk8s ? `${s(cdk8s.wallMs)} (${(cdk8s.wallMs / first.wallMs).toFixed(1)}x ours)` : 'skipped',
    kustomize ? `${s(kustomize.perOverlayMs * kustomize.overlays)} est. (${kustomize.perOverlayMs.toFixed(0)} ms x ${kustomize.overlays}; ${(kustomize.perOverlayMs * kustomize.overlays / first.wallMs).toFixed(1)}x ours)` : 'no kubectl',
  ].join(' | '));
  process.stdout.write(`${rows[rows.length - 1]}\n`);
}
const growth = results.M && results.L ? `M -> L: ${(results.L / results.M).toFixed(1)}x the time for 10x the apps and 5x the clusters.` : '';
const table = [
  '| size | apps x envs | clusters | files | size | render (s, wall, process start to files written) | peak RSS | 2nd render (s) | one app promoted (s) | check (s) | plain cdk8s, one chart per app x env (s) | kubectl kustomize (s, extrapolated from 20 overlays) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r} |`),
].join('\n');
const md = `# Benchmark

Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}.
Each run is a fresh process started the way \`npm run synth\` starts (\`node scripts/run.mjs\`, a cached esbuild bundle of the TypeScript), so times include start-up and module loading.

${table}

${growth}

Where the time goes, what was fixed and what is next: [NOTES.md](NOTES.md).
`;
fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), md);
fs.rmSync(work, { recursive: true, force: true });
console.log(`\n${growth}\nwrote bench/results.md`);
