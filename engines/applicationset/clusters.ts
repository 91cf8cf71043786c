import { isObject as isObj } from '../util/json.js';

/**
 * The clusters Argo CD knows, read from cluster Secrets the way Argo CD reads them: a Secret in Argo CD's
 * namespace labelled `argocd.argoproj.io/secret-type: cluster`, whose `name`, `server` and `project`
 * come from its data (`stringData` here, or base64 `data`), and whose labels and annotations are what
 * the clusters generator selects on and hands to templates. When no Secret has the in-cluster address,
 * Argo CD adds the local cluster `in-cluster` itself (no Secret, so no labels).
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#clusters
 * @see https://github.com/argoproj/argo-cd/blob/master/applicationset/utils/clusterUtils.go (ListClusters)
 */

/** The label that makes a Secret an Argo CD cluster. */
export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/** Argo CD's address of the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Name Argo CD gives the local cluster when no Secret describes it. */
export const IN_CLUSTER_NAME = 'in-cluster';

/** One cluster as the ApplicationSet controller sees it. */
export interface ArgoCluster {
  /** The Secret's `name` field (what `{{.name}}` gives). */
  readonly name: string;
  /** The Secret's `server` field, as written. */
  readonly server: string;
  /** The Secret's `project` field, when it has one. */
  readonly project?: string;
  /** The Secret's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Secret's annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  /** The Secret and the file it was read from; undefined for the local cluster Argo CD adds itself. */
  readonly secret?: { readonly name: string; readonly namespace: string; readonly file?: string };
}

/** A cluster Secret Argo CD would not use as written. */
export interface ClusterProblem {
  readonly file?: string;
  readonly secret: string;
  readonly message: string;
}

/** The clusters, in Secret-name order, and what is wrong with the cluster Secrets. */
export interface ClusterInventory {
  readonly clusters: readonly ArgoCluster[];
  readonly problems: readonly ClusterProblem[];
}

/** Options of {@link clusterInventory}. */
export interface ClusterInventoryOptions {
  /**
   * Argo CD's namespace: cluster Secrets elsewhere are ignored by Argo CD (and reported).
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
  /**
   * Whether Argo CD adds the local `in-cluster` cluster when no Secret has its address
   * (`cluster.inClusterEnabled` in argocd-cm).
   * @default true
   */
  readonly inClusterEnabled?: boolean;
}

/** A cluster Secret and, optionally, the dist/ file it came from. */
export interface ClusterSecretInput {
  readonly object: unknown;
  readonly file?: string;
}

type Obj = Record<string, unknown>;

/** Whether `o` is a Secret that Argo CD reads as a cluster. */
export function isClusterSecret(o: unknown): boolean {
  if (!isObj(o) || o.kind !== 'Secret' || (o.apiVersion !== undefined && o.apiVersion !== 'v1')) return false;
  const labels = (o.metadata as Obj | undefined)?.labels as Obj | undefined;
  return labels?.[SECRET_TYPE_LABEL] === 'cluster';
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** The Secret's data as Kubernetes stores it: base64 `data`, with `stringData` written over it. */
export function secretData(secret: Obj): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringRecord(secret.data))) data[k] = Buffer.from(v, 'base64').toString('utf8');
  return { ...data, ...stringRecord(secret.stringData) };
}

/**
 * Reads cluster Secrets (Secrets of another type are skipped) into the clusters Argo CD knows.
 * Secrets are taken in name order, as the API server lists them.
 */
export function clusterInventory(secrets: readonly (unknown | ClusterSecretInput)[], options: ClusterInventoryOptions = {}): ClusterInventory {
  const namespace = options.argocdNamespace ?? 'argocd';
  const problems: ClusterProblem[] = [];
  const inputs = secrets
    .map((s) => (isObj(s) && 'object' in s && !('kind' in s) ? (s as unknown as ClusterSecretInput) : { object: s }))
    .filter((s) => isClusterSecret(s.object));
  const byName = new Map<string, ArgoCluster>();
  const secretName = (s: ClusterSecretInput) => String(((s.object as Obj).metadata as Obj | undefined)?.name ?? '');
  for (const input of [...inputs].sort((a, b) => (secretName(a) < secretName(b) ? -1 : secretName(a) > secretName(b) ? 1 : 0))) {
    const secret = input.object as Obj;
    const meta = (secret.metadata ?? {}) as Obj;
    const name = secretName(input);
    const ns = typeof meta.namespace === 'string' ? meta.namespace : namespace;
    const where = { file: input.file, secret: `Secret/${name}` };
    if (ns !== namespace) {
      problems.push({ ...where, message: `cluster Secret is in namespace "${ns}", not Argo CD's namespace "${namespace}": Argo CD ignores it; move it to "${namespace}"` });
      continue;
    }
    const data = secretData(secret);
    if (!data.server) problems.push({ ...where, message: 'cluster Secret has no server: set stringData.server to the cluster API URL' });
    if (!data.name) problems.push({ ...where, message: 'cluster Secret has no name: set stringData.name (what {{.name}} gives and destinations name)' });
    const cluster: ArgoCluster = {
      name: data.name ?? '',
      server: data.server ?? '',
      project: data.project,
      labels: stringRecord(meta.labels),
      annotations: stringRecord(meta.annotations),
      secret: { name, namespace: ns, file: input.file },
    };
    const previous = byName.get(cluster.name);
    if (previous) {
      problems.push({
        ...where,
        message: `two cluster Secrets name the cluster "${cluster.name}" (${previous.secret?.name} and ${name}): the clusters generator keys clusters by name, so one of them is lost; give every cluster a unique name`,
      });
    }
    byName.set(cluster.name, cluster);
  }
  const clusters = [...byName.values()].sort((a, b) => (a.secret!.name < b.secret!.name ? -1 : a.secret!.name > b.secret!.name ? 1 : 0));
  const hasInCluster = clusters.some((c) => c.server.replace(/\/+$/, '') === IN_CLUSTER_SERVER);
  if (!hasInCluster && options.inClusterEnabled !== false) {
    clusters.push({ name: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER, labels: {}, annotations: {} });
  }
  return { clusters, problems };
}
