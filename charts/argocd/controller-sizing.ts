/**
 * The hub's Argo CD sized for what it manages: the application controller's processors and client limits
 * from the Applications a hub's ApplicationSets generate, and ServiceMonitors where the hub runs
 * kube-prometheus-stack. charts/outputs/addon-values.ts layers these under the hub's own argo-cd values.
 */
import type { ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { hubNames, hubOf } from '../model/hubs.js';

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
export function argoCdServiceMonitorValues(cluster: ResolvedCluster): Record<string, unknown> | undefined {
  const stack = cluster.addons.get(PROMETHEUS_STACK)?.definition;
  if (!stack) return undefined;
  const metrics = { metrics: { serviceMonitor: { enabled: true, additionalLabels: { release: stack.releaseName ?? stack.name } } } };
  return { controller: metrics, server: metrics, repoServer: metrics, applicationSet: metrics };
}
