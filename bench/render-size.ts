/**
 * One measured run, in a process of its own so wall time and peak RSS are the whole process's:
 *   synth <size> <dir>     the real render path (runCli synth) of a synthetic fleet into <dir>
 *   promote <size> <dir>   the same after the inner-loop change (a new tag promoted to prod for one app)
 *   check <size> <dir>     the drift check against <dir>
 *   cdk8s <size> <dir>     baseline: the same app bases the plain cdk8s way, one App with one chart per
 *                          app and environment, App.synth() into <dir>
 * Prints one JSON line: { ms (since process start), maxRssMb, code, summary }.
 */
import { App, Chart, YamlOutputType } from 'cdk8s';
import { WebService } from '../charts/index.js';
import { runCli } from '../render/cli.js';
import { SIZES, syntheticFleet } from './synthetic-fleet.js';

const [mode, sizeName, dir] = process.argv.slice(2);
const size = SIZES.find((s) => s.name === sizeName);
if (!size || !dir) throw new Error('usage: render-size.ts <synth|promote|check|cdk8s> <S|M|L> <dir>');
const source = syntheticFleet(size, { promote: mode === 'promote' });
let code = 0;
const lines: string[] = [];
const log = console.log;
console.log = (m: string) => lines.push(m);
console.error = (m: string) => lines.push(m);

if (mode === 'cdk8s') {
  const app = new App({ outdir: dir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const team of source.spec.teams ?? []) {
    for (const a of team.apps) {
      for (const env of Object.keys(a.environments)) {
        const chart = new Chart(app, `${team.name}-${a.name}-${env}`, { namespace: `${team.name}-${env}`, disableResourceNameHashes: true });
        new WebService(chart, a.name, { ...a.webService!, name: a.name });
      }
    }
  }
  app.synth();
} else {
  code = runCli([mode === 'promote' ? 'synth' : mode, '--out', dir], source);
}
log(JSON.stringify({ ms: Math.round(process.uptime() * 1000), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), code, summary: lines.join(' ').slice(0, 300) }));
