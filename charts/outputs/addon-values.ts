import { AddonDefinition } from '../model/addon.js';
import { ClusterAddonSetting } from '../model/spec.js';
import { asSetting, ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { OutputFile } from './output-file.js';
import { isObject } from '../../engines/util/index.js';
import { addonValuesFiles, joinPath } from '../layout/dist-layout.js';
import { hubNames, hubSpec } from '../model/hubs.js';
import { argoCdSsoValues } from '../argocd/sso-rbac.js';
import { argoCdControllerTuning, argoCdControllerTuningValues, argoCdServiceMonitorValues, hubArgoCdLoad } from '../argocd/controller-sizing.js';

/** `b` over `a`, merging nested maps (lists and scalars of `b` replace), like Helm merges values. */
function deepMerge(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/**
 * Values the fleet settings imply for an add-on on a cluster, under the cluster's own values. For the
 * argo-cd add-on on a hub: the application controller's replicas and sharding algorithm for a sharded
 * Argo CD; its processors and client limits sized for what that hub manages ({@link hubArgoCdLoad},
 * {@link argoCdControllerTuning}; nothing while Argo CD's defaults suffice); ServiceMonitors when the hub
 * runs kube-prometheus-stack; single sign-on with the RBAC generated from the teams that hub manages
 * (`charts/argocd/sso-rbac.ts`).
 */
function platformClusterValues(fleet: ResolvedFleet, addon: AddonDefinition, cluster: ResolvedCluster): Record<string, unknown> | undefined {
  if (addon.name !== 'argo-cd') return undefined;
  const sharding = fleet.spec.argocd?.sharding;
  const shardingValues = sharding && {
    controller: { replicas: sharding.replicas },
    configs: { params: { 'controller.sharding.algorithm': sharding.algorithm ?? 'consistent-hashing' } },
  };
  const hubs = hubNames(fleet.spec);
  const isHub = cluster.role === 'hub';
  const teams = !isHub ? [] : hubs.length === 1 ? fleet.spec.teams ?? [] : hubSpec(fleet.spec, cluster.name).teams ?? [];
  const sso = isHub ? argoCdSsoValues(fleet.spec.argocd, teams) : undefined;
  const tuning = isHub ? argoCdControllerTuningValues(argoCdControllerTuning(hubArgoCdLoad(fleet, cluster), sharding?.replicas ?? 1)) : {};
  const monitors = isHub ? argoCdServiceMonitorValues(cluster) : undefined;
  const layers = [shardingValues || undefined, Object.keys(tuning).length > 0 ? tuning : undefined, monitors, sso].filter((v): v is Record<string, unknown> => v !== undefined);
  if (layers.length === 0) return undefined;
  return layers.reduce((a, b) => deepMerge(a, b), {});
}

/** The environment layer of an add-on's values, or undefined when the environment sets none. */
function environmentValues(addon: AddonDefinition, env: ResolvedCluster['environment']): Readonly<Record<string, unknown>> | undefined {
  return asSetting(env.addons?.[addon.name])?.values;
}

/** The cluster layer of an add-on's values: what the fleet settings imply, under the cluster's own; undefined when empty. */
function clusterLayerValues(fleet: ResolvedFleet, addon: AddonDefinition, cluster: ResolvedCluster): Record<string, unknown> | undefined {
  const own = asSetting<ClusterAddonSetting>(cluster.spec.addons?.[addon.name])?.values;
  const platform = platformClusterValues(fleet, addon, cluster);
  return platform || own ? deepMerge(platform ?? {}, own ?? {}) : undefined;
}

/**
 * The values files an add-on's Application on a cluster reads, in Helm's order (default, environment,
 * cluster), relative to the repository root: only those that exist.
 */
export function clusterValuesFiles(fleet: ResolvedFleet, addon: AddonDefinition, cluster: ResolvedCluster): string[] {
  const root = joinPath(fleet.repos.addons.basePath, fleet.repos.addons.path);
  const layout = addonValuesFiles(addon.name);
  const files = [joinPath(root, layout.defaultFile)];
  if (environmentValues(addon, cluster.environment)) files.push(joinPath(root, layout.environmentFile(cluster.environment.name)));
  if (clusterLayerValues(fleet, addon, cluster)) files.push(joinPath(root, layout.clusterFile(cluster.name)));
  return files;
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
      const values = environmentValues(addon, env);
      if (values && running.some((c) => c.environment === env)) out.push({ path: joinPath(root, layout.environmentFile(env.name)), data: values });
    }
    for (const cluster of running) {
      const values = clusterLayerValues(fleet, addon, cluster);
      if (values) out.push({ path: joinPath(root, layout.clusterFile(cluster.name)), data: values });
    }
  }
  return out;
}
