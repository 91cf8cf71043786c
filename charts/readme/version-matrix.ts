/** The add-on x cluster version matrix of the generated README. */
import { ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import type { AddonDefinition } from '../model/addon.js';
import { addonVersionFor, compareChartVersions } from '../model/addon-versions.js';
import { clusterOrder } from './fleet-queries.js';
import { plural } from '../../engines/util/index.js';
import { table } from './markdown.js';

/**
 * The README's "Add-on versions" section: the chart version of each running add-on per cluster, or per
 * environment (with cluster counts) when the fleet has more than `maxMatrixClusters` clusters; empty
 * when no cluster runs an add-on.
 */
export function addonMatrix(fleet: ResolvedFleet, opts: { readonly maxMatrixClusters: number }): string {
  const running = fleet.catalog.filter((a) => fleet.clusters.some((c) => c.addons.has(a.name)));
  if (running.length === 0) return '';
  const clusters = [...fleet.clusters].sort(clusterOrder(fleet));
  /** A cluster's version, bold when a pin moves it away from what its Kubernetes minor's version set gives. */
  const pinned = (a: AddonDefinition, c: ResolvedCluster, version: string) => version !== (addonVersionFor(a, c.kubernetesVersion) ?? a.version);
  const mark = (version: string, bold: boolean) => (bold ? `**${version}**` : version);
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
        return on ? mark(on.version, pinned(a, c, on.version)) : '—';
      }),
    ]);
    note = 'Chart version per add-on and cluster; catalog: the newest checked version. **Bold**: pinned (by the environment or the cluster) away from the version set of the cluster\'s Kubernetes minor; —: not enabled.';
  } else {
    const envs = fleet.environments.filter((e) => clusters.some((c) => c.environment.name === e.name));
    const inEnv = new Map(envs.map((e) => [e.name, clusters.filter((c) => c.environment.name === e.name)]));
    header = ['add-on', 'catalog', ...envs.map((e) => `${e.name}<br>${plural(inEnv.get(e.name)!.length, 'cluster')}`)];
    rows = running.map((a) => [
      `\`${a.name}\``,
      a.version,
      ...envs.map((e) => {
        // By version, and whether a pin put it there: the same version can be one cluster's pin and another's version set.
        const counts = new Map<string, { version: string; bold: boolean; n: number }>();
        let off = 0;
        for (const c of inEnv.get(e.name)!) {
          const on = c.addons.get(a.name);
          if (!on) {
            off++;
            continue;
          }
          const bold = pinned(a, c, on.version);
          const key = `${on.version}\u0000${bold}`;
          const seen = counts.get(key);
          counts.set(key, { version: on.version, bold, n: (seen?.n ?? 0) + 1 });
        }
        if (off === 0 && counts.size === 1) {
          const only = [...counts.values()][0];
          return mark(only.version, only.bold);
        }
        if (counts.size === 0) return '—';
        const parts = [...counts.values()].sort((x, y) => compareChartVersions(x.version, y.version) || Number(x.bold) - Number(y.bold)).map((v) => `${mark(v.version, v.bold)} ×${v.n}`);
        return [...parts, ...(off > 0 ? [`— ×${off}`] : [])].join('<br>');
      }),
    ]);
    note = `Chart version per add-on and environment (${plural(clusters.length, 'cluster')} are too many for a column each). A single version: every cluster of the environment runs it; otherwise ×n counts the clusters per version. **Bold**: pinned away from the version set of the clusters' Kubernetes minor; —: not enabled.`;
  }
  return ['## Add-on versions', '', note, '', table(header, rows)].join('\n');
}
