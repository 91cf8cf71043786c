/**
 * Kubernetes objects as plain JSON, and the identity kustomize gives them (group, version, kind,
 * name, namespace). Pure helpers; nothing here reads files or the environment.
 */

/** A Kubernetes object as plain JSON. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

/** Group, version and kind of an object; `group` is `''` for the core group (`apiVersion: v1`). */
export interface Gvk {
  /** API group, `''` for core. */
  readonly group: string;
  /** API version, for example `v1`. */
  readonly version: string;
  /** Kind, for example `Deployment`. */
  readonly kind: string;
}

/** The identity of an object: its GVK, name and namespace (`''` when none). */
export interface ResId extends Gvk {
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.namespace`, `''` when unset. */
  readonly namespace: string;
}

/** A partial GVK used to select objects: an empty or missing part matches anything. */
export interface GvkSelector {
  /**
   * API group to match.
   * @default - any group
   */
  readonly group?: string;
  /**
   * API version to match.
   * @default - any version
   */
  readonly version?: string;
  /**
   * Kind to match.
   * @default - any kind
   */
  readonly kind?: string;
}

/** Splits `apiVersion` into group and version: `apps/v1` -> `apps`, `v1`; `v1` -> `''`, `v1`. */
const splitCache = new Map<string, { readonly group: string; readonly version: string }>();

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  let split = splitCache.get(apiVersion);
  if (!split) {
    const i = apiVersion.lastIndexOf('/');
    split = i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
    splitCache.set(apiVersion, split);
  }
  return { group: split.group, version: split.version };
}

const gvkCache = new Map<string, Map<string, Gvk>>();

/** The GVK of an object (one shared, frozen value per apiVersion and kind: this runs for every object in every transformer). */
export function gvkOf(obj: KubeObject): Gvk {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  let byKind = gvkCache.get(apiVersion);
  if (!byKind) gvkCache.set(apiVersion, (byKind = new Map()));
  let gvk = byKind.get(kind);
  if (!gvk) {
    const { group, version } = splitApiVersion(apiVersion);
    byKind.set(kind, (gvk = Object.freeze({ group, version, kind })));
  }
  return gvk;
}

/** The current identity of an object. */
export function idOf(obj: KubeObject): ResId {
  const { group, version, kind } = gvkOf(obj);
  return { group, version, kind, name: String(obj.metadata?.name ?? ''), namespace: String(obj.metadata?.namespace ?? '') };
}

/** Whether a selector picks a GVK (kustomize `Gvk.IsSelected`): every non-empty part must be equal. */
export function gvkSelected(gvk: Gvk, selector: GvkSelector): boolean {
  if (selector.group && selector.group !== gvk.group) return false;
  if (selector.version && selector.version !== gvk.version) return false;
  if (selector.kind && selector.kind !== gvk.kind) return false;
  return true;
}

/**
 * Kinds that live outside namespaces, by `group/kind` (core group: `/kind`). Any other kind, custom
 * resources included, is namespaced: kustomize assumes the same for kinds its schema does not know.
 */
const CLUSTER_SCOPED = new Set([
  '/Namespace', '/Node', '/PersistentVolume', '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'node.k8s.io/RuntimeClass',
  'policy/PodSecurityPolicy',
  'certificates.k8s.io/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'authentication.k8s.io/TokenReview', 'authentication.k8s.io/SelfSubjectReview',
  'authorization.k8s.io/SubjectAccessReview', 'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
]);

/** Whether objects of this GVK are cluster-scoped (never get a namespace). */
export function isClusterScoped(gvk: Gvk): boolean {
  return CLUSTER_SCOPED.has(`${gvk.group}/${gvk.kind}`);
}

const NO_NAMESPACE = '~cluster-scoped~';

/** The namespace kustomize compares: `default` for `''`, a sentinel for cluster-scoped objects. */
export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id)) return NO_NAMESPACE;
  return id.namespace === '' ? 'default' : id.namespace;
}

/** kustomize `ResId.Equals`: same GVK, same name, same effective namespace. */
export function idEquals(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name && effectiveNamespace(a) === effectiveNamespace(b);
}

/** A short readable form of an identity, for error messages: `{apiVersion: apps/v1, kind: Deployment, name: web}`. */
export function describeId(id: ResId): string {
  const apiVersion = id.group ? `${id.group}/${id.version}` : id.version;
  return `{apiVersion: ${apiVersion}, kind: ${id.kind}, name: ${id.name}${id.namespace ? `, namespace: ${id.namespace}` : ''}}`;
}
