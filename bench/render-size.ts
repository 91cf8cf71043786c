/**
 * One measured run, in a process of its own so wall time and peak RSS are the whole process's:
 *   synth <size> <dir>                the real render path (runCli synth) of a synthetic fleet into <dir>
 *   promote <size> <dir>              the same after the inner-loop change (a new tag promoted to prod for one app)
 *   check <size> <dir>                the drift check against <dir>
 * Baselines: the same objects (each app's WebService with its environment's image tag, replica count,
 * namespace and team label) the plain cdk8s way, one Chart per app and environment:
 *   cdk8s-app-per-team <size> <dir>   one App per team, app.synth() into <dir>/<team>
 *   cdk8s-app-per-chart <size> <dir>  one App per app x environment, app.synth() into <dir>/<chart>
 *   cdk8s <size> <dir>                one App for everything with FILE_PER_CHART: every chart re-resolves
 *                                     the whole App (quadratic, what not to do); the bench runs it for S and M only
 * Prints one JSON line: { ms (since process start), maxRssMb, code, summary }.
 */
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as path from 'node:path';
import { AppSpec, TeamSpec, WebService } from '../charts/index.js';
import { runCli } from '../render/cli.js';
import { SIZES, syntheticFleet } from './synthetic-fleet.js';

const [mode, sizeName, dir] = process.argv.slice(2);
const size = SIZES.find((s) => s.name === sizeName);
if (!size || !dir) throw new Error('usage: render-size.ts <synth|promote|check|cdk8s|cdk8s-app-per-team|cdk8s-app-per-chart> <S|M|L> <dir>');
const source = syntheticFleet(size, { promote: mode === 'promote' });
let code = 0;
const lines: string[] = [];
const log = console.log;
console.log = (m: string) => lines.push(m);
console.error = (m: string) => lines.push(m);

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
} else {
  code = runCli([mode === 'promote' ? 'synth' : mode, '--out', dir], source);
}
log(JSON.stringify({ ms: Math.round(process.uptime() * 1000), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), code, summary: lines.join(' ').slice(0, 300) }));
