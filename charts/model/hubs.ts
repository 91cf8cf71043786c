/**
 * Several hubs: a fleet may run one Argo CD hub per region or account group. Each hub manages itself
 * and the spokes that name it (`ClusterSpec.hub`), and gets its own bootstrap and Argo CD objects
 * (the folders: layout/dist-layout.ts `hubDir`). Everything that is not the hub's own
 * Argo CD configuration (add-on values, team boundaries, app manifests) is shared by all hubs.
 */
import { ClusterSpec, FleetSpec } from './spec.js';
import { clusterIdentity } from './resolve.js';

/** The names of the fleet's hubs, in input order. */
export function hubNames(spec: FleetSpec): string[] {
  return (Array.isArray(spec.clusters) ? spec.clusters : []).filter((c) => c?.role === 'hub').map((c) => c.name);
}

/** The hub that manages a cluster: itself for a hub, `hub` for a spoke, else the fleet's only hub. */
export function hubOf(cluster: ClusterSpec, hubs: readonly string[]): string | undefined {
  if (cluster.role === 'hub') return cluster.name;
  return cluster.hub ?? (hubs.length === 1 ? hubs[0] : undefined);
}

/**
 * The part of a fleet one hub manages, as a fleet of its own: the hub, its spokes, and the teams and
 * app environments that run on those spokes (each team keeps only the environments where the hub has a
 * workload spoke; teams left with none are dropped). Accounts, environments and repositories stay whole.
 */
export function hubSpec(spec: FleetSpec, hub: string): FleetSpec {
  const hubs = hubNames(spec);
  const clusters = spec.clusters.filter((c) => hubOf(c, hubs) === hub);
  const workloadEnvs = new Set(clusters.filter((c) => c.workloads ?? c.role === 'spoke').map((c) => c.environment));
  const teams = (spec.teams ?? []).flatMap((t) => {
    const environments = t.environments.filter((e) => workloadEnvs.has(e));
    if (environments.length === 0) return [];
    const apps = t.apps.flatMap((a) => {
      const overlays = Object.fromEntries(Object.entries(a.environments).filter(([e]) => workloadEnvs.has(e)));
      return Object.keys(overlays).length === 0 ? [] : [{ ...a, environments: overlays }];
    });
    return [{ ...t, environments, apps }];
  });
  return { ...spec, clusters, teams };
}

/**
 * Whether Argo CD reaches a spoke in single-role mode: the hub that manages it runs with EKS Pod
 * Identity, so its own role is the principal of the spoke's access entry and `awsAuthConfig` has no
 * `roleARN` (argo-cd #17064).
 */
export function argoCdSingleRole(spec: FleetSpec, spoke: ClusterSpec): boolean {
  const clusters = Array.isArray(spec.clusters) ? spec.clusters.filter((x) => x !== null && typeof x === 'object') : [];
  const hubName = hubOf(spoke, hubNames({ ...spec, clusters }));
  const hub = clusters.find((x) => x.role === 'hub' && x.name === hubName);
  return hub !== undefined && clusterIdentity(spec, hub) === 'pod-identity';
}
