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
    const repo = t.repo && { ...t.repo, apps: t.repo.apps.map((a) => ({ ...a, environments: a.environments.filter((e) => workloadEnvs.has(e)) })).filter((a) => a.environments.length > 0) };
    return [{ ...t, environments, apps, ...(repo ? { repo } : {}) }];
  });
  return { ...spec, clusters, teams };
}

/**
 * How Argo CD on the hub reaches a cluster:
 * - `none`: it needs no AWS credentials (the hub is Argo CD's own cluster; the EKS capability reaches
 *   clusters by ARN with its capability role);
 * - `assume-role`: a spoke of a self-managed hub on IRSA: Argo CD assumes the spoke's `argocdRoleArn`
 *   (`awsAuthConfig.roleARN`), which the spoke's access entry names;
 * - `own-role`: a spoke of a self-managed hub on EKS Pod Identity, single-role mode (argo-cd #17064): no
 *   `roleARN`, the spoke's access entry names the hub's own Argo CD role.
 */
export function argoCdSpokeAccess(spec: FleetSpec, cluster: ClusterSpec): 'none' | 'assume-role' | 'own-role' {
  if (cluster.role !== 'spoke' || (spec.argocd?.mode ?? 'self-managed') !== 'self-managed') return 'none';
  const clusters = Array.isArray(spec.clusters) ? spec.clusters.filter((x) => x !== null && typeof x === 'object') : [];
  const hubName = hubOf(cluster, hubNames({ ...spec, clusters }));
  const hub = clusters.find((x) => x.role === 'hub' && x.name === hubName);
  return hub !== undefined && clusterIdentity(spec, hub) === 'pod-identity' ? 'own-role' : 'assume-role';
}
