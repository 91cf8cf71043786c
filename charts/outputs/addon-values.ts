import { AddonDefinition } from '../model/addon.js';
import { ClusterAddonSetting } from '../model/spec.js';
import { asSetting, ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { OutputFile } from './output-file.js';
import { isObject } from '../../engines/util/index.js';
import { addonValuesFiles, joinPath } from '../layout/dist-layout.js';
import { hubNames, hubOf, hubSpec } from '../model/hubs.js';
import { argoCdSsoValues } from '../argocd/sso-rbac.js';

/** `b` over `a`, merging nested maps (lists and scalars of `b` replace), like Helm merges values. */
function deepMerge(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/** What one hub's Argo CD manages, counted from the resolved fleet. */
export interface HubArgoCdLoad {
  /** Clusters the hub manages: itself and its spokes. */
  readonly clusters: number;
  /**
   * Applications the hub's ApplicationSets generate: one per enabled add-on per cluster, one per team
   * boundary (team x environment x workload spoke) and one per team delivery (app x environment x workload
   * spoke). The few Applications of the hub's bootstrap (the root and its children) are left out.
   */
  readonly applications: number;
  /** The most Applications on any one cluster (a cluster is never split across controller shards). */
  readonly largestCluster: number;
}

/** Counts what the hub `hub` manages in `fleet` (see {@link HubArgoCdLoad}). */
export function hubArgoCdLoad(fleet: ResolvedFleet, hub: ResolvedCluster): HubArgoCdLoad {
  const hubs = hubNames(fleet.spec);
  const managed = fleet.clusters.filter((c) => hubOf(c.spec, hubs) === hub.name);
  const perCluster = new Map(managed.map((c) => [c.name, c.addons.size]));
  for (const team of fleet.teams) {
    // Per environment: the team's boundaries (one) and its deliveries there, on each workload spoke.
    const perEnv = new Map(team.environments.map((e) => [e.name, 1]));
    for (const d of team.deliveries) perEnv.set(d.environment, (perEnv.get(d.environment) ?? 0) + 1);
    for (const [env, n] of perEnv) {
      for (const c of team.clusters(env)) {
        const count = perCluster.get(c.name);
        if (count !== undefined) perCluster.set(c.name, count + n);
      }
    }
  }
  const counts = [...perCluster.values()];
  return { clusters: managed.length, applications: counts.reduce((a, b) => a + b, 0), largestCluster: Math.max(0, ...counts) };
}

/** Argo CD's defaults (argocd-cmd-params-cm at v3.4.4 and v3.5.1, pkg/apis/application/v1alpha1/cluster_constants.go). */
export const ARGOCD_CONTROLLER_DEFAULTS = { statusProcessors: 20, operationProcessors: 10, kubectlParallelismLimit: 20, k8sClientQps: 50, k8sClientBurst: 100 } as const;

/**
 * The most Applications per shard the tuning grows with (ours, not Argo CD's: its docs give the rule of
 * thumb at 1,000 and no ceiling). Past it, more goroutines and client throughput in one controller process
 * only move the bottleneck (its memory, the in-cluster API server, Redis): shard the controller
 * (`argocd.sharding`) instead. A hub past it gets the tuning of this many, and `capped`.
 */
export const MAX_SIZED_APPLICATIONS_PER_SHARD = 5000;

/** The application controller's tuning for a number of Applications per controller replica. */
export interface ArgoCdControllerTuning {
  readonly applicationsPerShard: number;
  /** More Applications per shard than {@link MAX_SIZED_APPLICATIONS_PER_SHARD}: the hub needs (more) shards. */
  readonly capped: boolean;
  readonly statusProcessors: number;
  readonly operationProcessors: number;
  readonly kubectlParallelismLimit: number;
  readonly k8sClientQps: number;
  readonly k8sClientBurst: number;
}

/**
 * The application controller's tuning for a hub, per controller replica (shard):
 *
 * - Applications per shard `n` = max(ceil(applications / shards), largestCluster), shards being
 *   `argocd.sharding.replicas` (1 unsharded): Argo CD shards by cluster, so a shard holds at least the
 *   busiest cluster;
 * - status processors = max(20, ceil(50 n / 1000)) and operation processors = max(10, ceil(25 n / 1000)):
 *   Argo CD's rule of thumb ("For 1000 applications, we use 50 for `--status-processors` and 25 for
 *   `--operation-processors`", docs/operator-manual/high_availability.md at v3.5.1), never below its
 *   defaults (20, 10);
 * - kubectl parallelism limit = 2 x operation processors, and the Kubernetes client QPS =
 *   ceil(50 x status processors / 20), burst = 2 x QPS: Argo CD's default ratios (limit 20 for 10 operation
 *   processors; QPS 50 and burst 100 for 20 status processors) kept as the processors grow, so the client
 *   does not throttle what the processors do in parallel. The QPS applies to each cluster's client and to
 *   the controller's in-cluster client, which writes the status of every Application of the shard.
 *
 * Up to 400 Applications per shard this is exactly Argo CD's defaults; from
 * {@link MAX_SIZED_APPLICATIONS_PER_SHARD} on it stays at that size's (250 status and 125 operation
 * processors, QPS 625, burst 1250, kubectl limit 250) and says `capped`.
 */
export function argoCdControllerTuning(load: HubArgoCdLoad, shards: number): ArgoCdControllerTuning {
  const d = ARGOCD_CONTROLLER_DEFAULTS;
  const perShard = Math.max(Math.ceil(load.applications / Math.max(1, shards)), load.largestCluster);
  const n = Math.min(perShard, MAX_SIZED_APPLICATIONS_PER_SHARD);
  const statusProcessors = Math.max(d.statusProcessors, Math.ceil((50 * n) / 1000));
  const operationProcessors = Math.max(d.operationProcessors, Math.ceil((25 * n) / 1000));
  const k8sClientQps = Math.ceil((d.k8sClientQps * statusProcessors) / d.statusProcessors);
  return {
    applicationsPerShard: perShard,
    capped: perShard > MAX_SIZED_APPLICATIONS_PER_SHARD,
    statusProcessors,
    operationProcessors,
    kubectlParallelismLimit: (d.kubectlParallelismLimit / d.operationProcessors) * operationProcessors,
    k8sClientQps,
    k8sClientBurst: (d.k8sClientBurst / d.k8sClientQps) * k8sClientQps,
  };
}

/**
 * The argo-cd chart values of a tuning, only where it differs from Argo CD's defaults (`{}` up to 400
 * Applications per shard): the processors and the kubectl limit as `argocd-cmd-params-cm` keys
 * (`configs.params`, which the chart's controller StatefulSet reads as environment variables), the client
 * QPS and burst as the controller's `ARGOCD_K8S_CLIENT_QPS` / `ARGOCD_K8S_CLIENT_BURST` environment
 * (`controller.env`): the chart, unlike Argo CD's own manifests, does not pass `controller.k8s.client.qps`
 * and `.burst` from the ConfigMap to the controller (argo-helm argo-cd-10.1.1,
 * templates/argocd-application-controller/statefulset.yaml). A cluster's own `controller.env` replaces this
 * list (lists are not merged).
 */
export function argoCdControllerTuningValues(t: ArgoCdControllerTuning): Record<string, unknown> {
  const d = ARGOCD_CONTROLLER_DEFAULTS;
  if (t.statusProcessors === d.statusProcessors && t.operationProcessors === d.operationProcessors) return {};
  return {
    configs: {
      params: {
        'controller.status.processors': t.statusProcessors,
        'controller.operation.processors': t.operationProcessors,
        'controller.kubectl.parallelism.limit': t.kubectlParallelismLimit,
      },
    },
    controller: {
      env: [
        { name: 'ARGOCD_K8S_CLIENT_QPS', value: String(t.k8sClientQps) },
        { name: 'ARGOCD_K8S_CLIENT_BURST', value: String(t.k8sClientBurst) },
      ],
    },
  };
}

/** The add-on whose Prometheus Operator serves ServiceMonitors. */
const PROMETHEUS_STACK = 'kube-prometheus-stack';

/**
 * ServiceMonitors for the metrics of the controller, API server, repo server and ApplicationSet controller
 * (metrics Services are on in the catalog's values), only on a hub that runs kube-prometheus-stack: its
 * CRDs serve them (the chart renders a ServiceMonitor only when the API exists) and its Prometheus selects
 * ServiceMonitors labelled `release: <its Helm release>` unless told otherwise, so they carry that label.
 */
function argoCdServiceMonitorValues(cluster: ResolvedCluster): Record<string, unknown> | undefined {
  const stack = cluster.addons.get(PROMETHEUS_STACK)?.definition;
  if (!stack) return undefined;
  const metrics = { metrics: { serviceMonitor: { enabled: true, additionalLabels: { release: stack.releaseName ?? stack.name } } } };
  return { controller: metrics, server: metrics, repoServer: metrics, applicationSet: metrics };
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
