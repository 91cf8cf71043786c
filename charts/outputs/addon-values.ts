import { AddonDefinition } from '../model/addon.js';
import { ClusterAddonSetting } from '../model/spec.js';
import { asSetting, ResolvedFleet } from '../model/resolve.js';
import { OutputFile } from './output-file.js';
import { isObject } from '../../engines/util/index.js';
import { addonValuesFiles, joinPath } from '../layout/dist-layout.js';

/** `b` over `a`, merging nested maps (lists and scalars of `b` replace), like Helm merges values. */
function deepMerge(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/**
 * Values the fleet settings imply for an add-on on a cluster, under the cluster's own values: the
 * application controller's replicas and sharding algorithm for a sharded Argo CD.
 */
function platformClusterValues(fleet: ResolvedFleet, addon: AddonDefinition): Record<string, unknown> | undefined {
  const sharding = fleet.spec.argocd?.sharding;
  if (addon.name !== 'argo-cd' || !sharding) return undefined;
  return {
    controller: { replicas: sharding.replicas },
    configs: { params: { 'controller.sharding.algorithm': sharding.algorithm ?? 'consistent-hashing' } },
  };
}

/**
 * The values files of every add-on that runs somewhere: the catalog defaults always, environment and
 * cluster layers only where they hold values (the Applications set `ignoreMissingValueFiles`).
 */
export function addonValuesOutputs(fleet: ResolvedFleet): OutputFile[] {
  const root = joinPath(fleet.repos.addons.path);
  const out: OutputFile[] = [];
  for (const addon of fleet.catalog) {
    const running = fleet.clusters.filter((c) => c.addons.has(addon.name));
    if (running.length === 0) continue;
    const layout = addonValuesFiles(addon.name);
    out.push({ path: joinPath(root, layout.defaultFile), data: addon.values ?? {} });
    for (const env of fleet.environments) {
      const values = asSetting(env.addons?.[addon.name])?.values;
      if (values && running.some((c) => c.environment === env)) out.push({ path: joinPath(root, layout.environmentFile(env.name)), data: values });
    }
    for (const cluster of running) {
      const own = asSetting<ClusterAddonSetting>(cluster.spec.addons?.[addon.name])?.values;
      const platform = platformClusterValues(fleet, addon);
      const values = platform || own ? deepMerge(platform ?? {}, own ?? {}) : undefined;
      if (values) out.push({ path: joinPath(root, layout.clusterFile(cluster.name)), data: values });
    }
  }
  return out;
}
