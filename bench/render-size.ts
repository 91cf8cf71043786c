/**
 * One measured run, in a process of its own so wall time and peak RSS are the whole process's. <size> is
 * S, M, L, 4L or APPSxCLUSTERS (bench/synthetic-fleet.ts parseSize):
 *   synth <size> <dir>                the real render path (runCli synth) of a synthetic fleet into <dir>
 *   promote <size> <dir>              the same after the inner-loop change (a new tag promoted to prod for one app)
 *   add-spoke <size> <dir>            the same after a platform change (one more spoke, no app changed)
 *   check <size> <dir>                the drift check against <dir>
 *   plan <size> <dir>                 `npm run plan -- --out <dir>/dist` (runPlan): the table written to <dir>/plan.txt, as
 *                                     `npm run plan > plan.txt`; with <dir>/dist synthesized first (its index present), the
 *                                     plan reads it instead of rendering
 *   plan-json <size> <dir>            `npm run plan -- --json --out <dir>/dist`: <dir>/plan.json
 *   plan-render, plan-json-render     the same with `--out <dir>/no-dist`, a folder never synthesized (no index): the plan
 *     <size> <dir>                    renders the fleet (render caches as the bench sets them)
 *   validate <size> <dir>             `npm run validate` (runValidate): schemas and policies; writes nothing, <dir> unused
 *   diff <size> <dir>                 `npm run diff -- HEAD --committed --out diff.md` (runDiff) of the promoted fleet
 *                                     in the git repository <dir>, whose HEAD commits <dir>/dist/ rendered from the
 *                                     fleet before the promotion (bench/run.ts prepares it); the Markdown is <dir>/diff.md
 * Baselines: the same objects (each app's WebService with its environment's image tag, replica count,
 * namespace and team label) the plain cdk8s way, one Chart per app and environment:
 *   cdk8s-app-per-team <size> <dir>   one App per team, app.synth() into <dir>/<team>
 *   cdk8s-app-per-chart <size> <dir>  one App per app x environment, app.synth() into <dir>/<chart>
 *   cdk8s <size> <dir>                one App for everything with FILE_PER_CHART: every chart re-resolves
 *                                     the whole App (quadratic, what not to do); the bench runs it for S and M only
 * Prints one JSON line: { ms (since process start), maxRssMb, code, summary }.
 */
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppSpec, TeamSpec, WebService } from '../charts/index.js';
import { runCli } from '../render/cli.js';
import { parseSize, syntheticFleet } from './synthetic-fleet.js';

const MODES = ['synth', 'promote', 'add-spoke', 'check', 'plan', 'plan-json', 'plan-render', 'plan-json-render', 'validate', 'diff', 'cdk8s', 'cdk8s-app-per-team', 'cdk8s-app-per-chart'];
const [mode, sizeName, dir] = process.argv.slice(2);
if (!MODES.includes(mode) || !sizeName || !dir) throw new Error(`usage: render-size.ts <${MODES.join('|')}> <S|M|L|4L|APPSxCLUSTERS> <dir>`);
const size = parseSize(sizeName);
const source = syntheticFleet(size, { promote: mode === 'promote' || mode === 'diff', addSpoke: mode === 'add-spoke' });
let code = 0;
const lines: string[] = [];
const log = console.log;
// The plan goes to a file as `npm run plan > plan.txt` would: written as it comes, synchronously (held in
// memory, an L plan's 500,000 lines would weigh on the peak RSS the real command does not have); its
// last two lines are the summary.
const planMode = mode === 'plan' || mode === 'plan-json' || mode === 'plan-render' || mode === 'plan-json-render';
const planJson = mode === 'plan-json' || mode === 'plan-json-render';
const planFile = planMode ? path.join(dir, planJson ? 'plan.json' : 'plan.txt') : undefined;
const planFd = planFile === undefined ? undefined : (fs.mkdirSync(dir, { recursive: true }), fs.openSync(planFile, 'w'));
let planTail = '';
const toPlanFile = (text: string): void => {
  fs.writeSync(planFd!, text);
  planTail = (planTail + text.slice(-4096)).slice(-4096);
};
/** The last `n` lines of `text` (without its final newline). */
const lastLines = (text: string, n: number): string => {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  let at = body.length;
  for (let i = 0; i < n && at >= 0; i++) at = body.lastIndexOf('\n', at - 1);
  return body.slice(at + 1);
};
console.log = (m: string) => (planFd === undefined ? lines.push(m) : toPlanFile(`${m}\n`));
// Notes (a deprecated add-on the fleet runs) are not the summary: the synthetic fleets enable every add-on.
console.error = (m: string) => (String(m).startsWith('cdk8s-fleet: note: ') ? undefined : lines.push(m));

/** What a cdk8s user writes per app and environment: the environment's values set directly as props. */
function appChart(scope: App, team: TeamSpec, a: AppSpec, env: string): void {
  const ws = a.webService!;
  const overlay = a.environments[env];
  const tag = overlay.images?.find((i) => i.name === ws.image.repository)?.newTag ?? ws.image.tag;
  const replicas = overlay.replicas?.find((r) => r.name === a.name)?.count ?? ws.replicas;
  const labels = { team: team.name };
  const chart = new Chart(scope, `${team.name}-${a.name}-${env}`, { namespace: `${team.name}-${env}`, labels, disableResourceNameHashes: true });
  new WebService(chart, a.name, { ...ws, name: a.name, image: { ...ws.image, tag }, replicas, labels: { ...ws.labels, ...labels } });
}

const teams = source.spec.teams ?? [];
const charts = (team: TeamSpec) => team.apps.flatMap((a) => Object.keys(a.environments).map((env) => ({ a, env })));
if (mode === 'cdk8s') {
  const app = new App({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const team of teams) for (const { a, env } of charts(team)) appChart(app, team, a, env);
  app.synth();
} else if (mode === 'cdk8s-app-per-team') {
  for (const team of teams) {
    const app = new App({ outdir: path.join(dir, team.name), yamlOutputType: YamlOutputType.FILE_PER_CHART });
    for (const { a, env } of charts(team)) appChart(app, team, a, env);
    app.synth();
  }
} else if (mode === 'cdk8s-app-per-chart') {
  for (const team of teams) {
    for (const { a, env } of charts(team)) {
      const app = new App({ outdir: path.join(dir, `${team.name}-${a.name}-${env}`), yamlOutputType: YamlOutputType.FILE_PER_CHART });
      appChart(app, team, a, env);
      app.synth();
    }
  }
} else if (planMode) {
  const { runPlan } = await import('../render/plan/plan-cli.js');
  const out = path.join(dir, mode.endsWith('-render') ? 'no-dist' : 'dist');
  code = runPlan([...(planJson ? ['--json'] : []), '--out', out], source, {}, toPlanFile);
  fs.closeSync(planFd!);
  lines.push(`${fs.statSync(planFile!).size} bytes in ${path.basename(planFile!)}`);
  if (!planJson) lines.push(lastLines(planTail, 2).replace('\n', ' '));
} else if (mode === 'validate') {
  const { runValidate } = await import('../render/validate/validate-cli.js');
  code = runValidate(source);
} else if (mode === 'diff') {
  const { runDiff } = await import('../render/diff/diff-cli.js');
  code = runDiff(['HEAD', '--committed', '--out', 'diff.md'], source, { cwd: dir });
} else {
  code = runCli([mode === 'promote' || mode === 'add-spoke' ? 'synth' : mode, '--out', dir], source);
}
log(JSON.stringify({ ms: Math.round(process.uptime() * 1000), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), code, summary: lines.join(' ').slice(0, 300) }));
