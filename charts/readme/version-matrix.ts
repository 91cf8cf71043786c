/** The add-on x cluster version matrix of the generated README. */
import { ResolvedFleet } from '../model/resolve.js';
import { clusterOrder } from './fleet-queries.js';
import { plural } from '../../engines/util/index.js';
import { compareVersions, table } from './markdown.js';

/**
 * The README's "Add-on versions" section: the chart version of each running add-on per cluster, or per
 * environment (with cluster counts) when the fleet has more than `maxMatrixClusters` clusters; empty
 * when no cluster runs an add-on.
 */
export function addonMatrix(fleet: ResolvedFleet, opts: { readonly maxMatrixClusters: number }): string {
  const running = fleet.catalog.filter((a) => fleet.clusters.some((c) => c.addons.has(a.name)));
  if (running.length === 0) return '';
  const clusters = [...fleet.clusters].sort(clusterOrder(fleet));
  const mark = (version: string, catalog: string) => (version === catalog ? version : `**${version}**`);
  let header: string[];
  let rows: string[][];
  let note: string;
  if (clusters.length <= opts.maxMatrixClusters) {
    header = ['add-on', 'catalog', ...clusters.map((c) => `${c.name}<br>${c.environment.name}`)];
    rows = running.map((a) => [
      `\`${a.name}\``,
      a.version,
      ...clusters.map((c) => {
        const on = c.addons.get(a.name);
        return on ? mark(on.version, a.version) : '—';
      }),
    ]);
    note = 'Chart version per add-on and cluster. **Bold**: pinned away from the catalog default (by the environment or the cluster); —: not enabled.';
  } else {
    const envs = fleet.environments.filter((e) => clusters.some((c) => c.environment.name === e.name));
    const inEnv = new Map(envs.map((e) => [e.name, clusters.filter((c) => c.environment.name === e.name)]));
    header = ['add-on', 'catalog', ...envs.map((e) => `${e.name}<br>${plural(inEnv.get(e.name)!.length, 'cluster')}`)];
    rows = running.map((a) => [
      `\`${a.name}\``,
      a.version,
      ...envs.map((e) => {
        const counts = new Map<string, number>();
        let off = 0;
        for (const c of inEnv.get(e.name)!) {
          const on = c.addons.get(a.name);
          if (on) counts.set(on.version, (counts.get(on.version) ?? 0) + 1);
          else off++;
        }
        if (off === 0 && counts.size === 1) return mark([...counts.keys()][0], a.version);
        if (counts.size === 0) return '—';
        const parts = [...counts].sort(([x], [y]) => compareVersions(x, y)).map(([v, n]) => `${mark(v, a.version)} ×${n}`);
        return [...parts, ...(off > 0 ? [`— ×${off}`] : [])].join('<br>');
      }),
    ]);
    note = `Chart version per add-on and environment (${plural(clusters.length, 'cluster')} are too many for a column each). A single version: every cluster of the environment runs it; otherwise ×n counts the clusters per version. **Bold**: pinned away from the catalog default; —: not enabled.`;
  }
  return ['## Add-on versions', '', note, '', table(header, rows)].join('\n');
}
