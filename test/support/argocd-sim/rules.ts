/**
 * Argo CD's rules the convergence simulator needs, transcribed from its source (see the header of
 * `simulator.ts` for what is modelled and what is simplified):
 *
 * - which kinds have a health check: gitops-engine `pkg/health/health.go` (`GetHealthCheckFunc`), Argo CD
 *   `resource_customizations/<group>/<kind>/health.lua` (wildcards `_.crossplane.io/_`, `_.upbound.io/_`),
 *   and `resource.customizations.health.<group>_<kind>` keys of `argocd-cm`;
 * - the sync retry backoff: Argo CD `pkg/apis/application/v1alpha1/types.go` (`RetryStrategy.NextRetryAt`:
 *   duration * factor^retryCount, capped at maxDuration; defaults 5s, 2, 3m; auto-sync's default limit 5
 *   in `controller/appcontroller.go`);
 * - the order kinds are applied in inside a wave: gitops-engine `pkg/sync/sync_tasks.go` (`kindOrder`);
 * - whether an AppProject permits a destination: Argo CD `pkg/apis/application/v1alpha1/app_project_types.go`
 *   (`IsDestinationPermitted`, `isDestinationMatched`, `globMatch`) at v3.2.0.
 */
import { argoGlobMatch } from '../../../charts/argocd/destination-patterns.js';

/** A health status as Argo CD names it; `undefined` is "this kind has no health check". */
export type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Suspended';

/** Argo CD's order of badness (`health.IsWorse`): Healthy < Suspended < Progressing < Missing < Degraded. */
const ORDER: readonly Health[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded'];
export function worse(a: Health, b: Health): Health {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** gitops-engine `pkg/health/health.go` GetHealthCheckFunc: the kinds with a built-in health check. */
const BUILTIN_HEALTH = new Set([
  'apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet', 'apps/DaemonSet',
  'extensions/Ingress', 'networking.k8s.io/Ingress', 'argoproj.io/Workflow', 'apiregistration.k8s.io/APIService',
  '/Service', '/PersistentVolumeClaim', '/Pod', 'batch/Job', 'autoscaling/HorizontalPodAutoscaler',
]);

/** Argo CD `resource_customizations/<group>/<kind>/health.lua` this fleet can meet (exact group and kind). */
const CUSTOMIZATIONS = new Set([
  'argoproj.io/ApplicationSet', 'argoproj.io/Rollout', 'argoproj.io/AnalysisRun', 'argoproj.io/Experiment',
  'external-secrets.io/ClusterSecretStore', 'external-secrets.io/SecretStore', 'external-secrets.io/ExternalSecret',
  'external-secrets.io/ClusterExternalSecret', 'external-secrets.io/PushSecret',
  'pkg.crossplane.io/Provider',
  'cert-manager.io/Certificate', 'cert-manager.io/Issuer', 'cert-manager.io/ClusterIssuer',
]);

/** Wildcard customizations: `resource_customizations/_.crossplane.io/_` and `_.upbound.io/_`. */
const WILDCARD_GROUP_SUFFIXES = ['.crossplane.io', '.upbound.io'];

/** Whether Argo CD computes a health for a kind, given the `argocd-cm` health keys in force. */
export function hasHealthCheck(group: string, kind: string, cmKeys: ReadonlySet<string>): boolean {
  const gk = `${group}/${kind}`;
  if (cmKeys.has(`${group}_${kind}`)) return true;
  if (BUILTIN_HEALTH.has(gk) || CUSTOMIZATIONS.has(gk)) return true;
  return WILDCARD_GROUP_SUFFIXES.some((s) => group.endsWith(s));
}

/** `RetryStrategy.NextRetryAt`: seconds to wait after the failed attempt number `retryCount` (0-based). */
export function retryDelay(retry: RetryPolicy, retryCount: number): number {
  const wait = retry.duration * Math.pow(retry.factor, retryCount);
  return retry.maxDuration > 0 ? Math.min(retry.maxDuration, wait) : wait;
}

export interface RetryPolicy {
  readonly limit: number;
  readonly duration: number;
  readonly factor: number;
  readonly maxDuration: number;
}

/** Go duration strings of the forms Argo CD's `parseStringToDuration` accepts here: `10s`, `3m`, `1h`, `1m30s`, or plain seconds. */
export function parseDuration(s: unknown, fallback: number): number {
  if (typeof s !== 'string' || s === '') return fallback;
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|m|s|ms)/g;
  let m: RegExpExecArray | null;
  let matched = '';
  while ((m = re.exec(s)) !== null) {
    matched += m[0];
    total += Number(m[1]) * ({ h: 3600, m: 60, s: 1, ms: 0.001 } as Record<string, number>)[m[2]];
  }
  return matched === s ? total : fallback;
}

/** The retry policy of an auto-sync operation: `spec.syncPolicy.retry`, else `{ limit: 5 }` with default backoff. */
export function retryPolicyOf(spec: any): RetryPolicy {
  const r = spec?.syncPolicy?.retry;
  const b = r?.backoff ?? {};
  return {
    limit: typeof r?.limit === 'number' ? r.limit : 5,
    duration: parseDuration(b.duration, 5),
    factor: typeof b.factor === 'number' ? b.factor : 2,
    maxDuration: parseDuration(b.maxDuration, 180),
  };
}

/** gitops-engine `pkg/sync/sync_tasks.go` kindOrder: kinds applied first inside one wave. */
const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];
export function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** API groups Kubernetes serves without any add-on. */
export const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'policy', 'autoscaling', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'apiextensions.k8s.io',
  'storage.k8s.io', 'admissionregistration.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
  'apiregistration.k8s.io', 'node.k8s.io', 'certificates.k8s.io',
]);

/** Kinds that are cluster-scoped (the rest are namespaced; an XRD's composite kind is added by the simulator). */
export const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PersistentVolume',
  'PriorityClass', 'APIService', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'IngressClass',
  'ClusterSecretStore', 'ClusterExternalSecret', 'ClusterIssuer', 'Provider', 'Function', 'Configuration',
  'DeploymentRuntimeConfig', 'ProviderConfig', 'ClusterProviderConfig', 'CompositeResourceDefinition', 'Composition',
  'ClusterPolicy', 'NodePool', 'EC2NodeClass', 'ClusterTriggerAuthentication',
]);

/**
 * The add-on whose chart installs the CRDs of an API group (derived from the charts of the catalog,
 * `charts/addons/catalog.ts`). `argoproj.io` on the hub is Argo CD's own (installed by hand).
 */
export function addonOfGroup(group: string, kind: string): string | undefined {
  if (group === 'external-secrets.io' || group.endsWith('.external-secrets.io')) return 'external-secrets';
  if (group === 'cert-manager.io' || group === 'acme.cert-manager.io') return 'cert-manager';
  if (group === 'pkg.crossplane.io' || group === 'apiextensions.crossplane.io') return 'crossplane';
  if (group === 'monitoring.coreos.com') return 'kube-prometheus-stack';
  if (group === 'keda.sh' || group === 'eventing.keda.sh') return 'keda';
  if (group === 'kyverno.io' || group.endsWith('.kyverno.io')) return 'kyverno';
  if (group === 'karpenter.sh' || group === 'karpenter.k8s.aws') return 'karpenter';
  if (group === 'velero.io') return 'velero';
  if (group === 'elbv2.k8s.aws') return 'aws-load-balancer-controller';
  if (group === 'externaldns.k8s.io') return 'external-dns';
  if (group === 'argoproj.io' && ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'].includes(kind)) return 'argo-rollouts';
  return undefined;
}

/** A cluster as Argo CD knows it (its cluster Secret's `name` and `server`). */
export interface KnownCluster { readonly name: string; readonly server: string }

/**
 * Argo CD v3.2.0 `pkg/apis/application/v1alpha1/app_project_types.go` `IsDestinationPermitted(destCluster,
 * namespace)` (without `permitOnlyProjectScopedClusters`, unused here): the Application's cluster is the one
 * Argo CD looked up (`util/argo/argo.go` `GetDestinationCluster`: by `server`, else by `name`), and both its
 * name and its server are compared with each destination (`isDestinationMatched`, transcribed below with
 * Go's `a || b && c` precedence). Globs: `globMatch` (`!` negates, `*` alone matches all, else gobwas/glob
 * without separators), emulated by `argoGlobMatch` for literals and `<literal><* or ?...><literal>`; any
 * other pattern is reported as unsupported rather than guessed.
 */
export function destinationPermitted(destinations: readonly any[], cluster: KnownCluster, namespace: string): boolean | 'unsupported-pattern' {
  let unsupported = false;
  const glob = (pattern: unknown, value: string): boolean => {
    const m = argoGlobMatch(String(pattern ?? ''), value);
    if (m === undefined) unsupported = true;
    return m === true;
  };
  const isDeny = (p: unknown) => String(p ?? '').startsWith('!');
  let any = false;
  for (const item of destinations) {
    const nameMatched = cluster.name !== '' && glob(item?.name, cluster.name);
    const serverMatched = cluster.server !== '' && glob(item?.server, cluster.server);
    const namespaceMatched = glob(item?.namespace, namespace);
    if ((serverMatched || nameMatched) && namespaceMatched) any = true;
    else if ((!nameMatched && isDeny(item?.name)) || ((!serverMatched && isDeny(item?.server)) && namespaceMatched)) return false;
    else if (!namespaceMatched && isDeny(item?.namespace) && serverMatched) return false;
  }
  if (unsupported) return 'unsupported-pattern';
  return any;
}
