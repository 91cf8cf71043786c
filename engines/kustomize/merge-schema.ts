/**
 * The part of the Kubernetes OpenAPI schema a strategic-merge patch needs: which lists are merged by
 * key (`x-kubernetes-list-map-keys` / `x-kubernetes-patch-merge-key`) and which lists of scalars are
 * merged as sets. Lists not described here are replaced. Like kustomize, objects of kinds the schema
 * does not know (custom resources) have no schema at all, so all their lists are replaced.
 */
import { Gvk } from './kube-object.js';

/** The schema of a field. */
export interface MergeSchema {
  /**
   * Schemas of the fields of a map.
   * @default - no rules below this map: its lists are replaced
   */
  readonly fields?: Readonly<Record<string, MergeSchema>>;
  /**
   * Schema of the elements of a list.
   * @default - no rules inside the elements
   */
  readonly items?: MergeSchema;
  /**
   * Merge keys of a list of maps; the list is merged element by element.
   * @default - no keys: the list is replaced (unless `scalarSet`)
   */
  readonly keys?: readonly string[];
  /**
   * A list of scalars merged as a set (`patchStrategy: merge`, for example `finalizers`).
   * @default false
   */
  readonly scalarSet?: boolean;
}

const OBJECT_META: MergeSchema = {
  fields: {
    finalizers: { scalarSet: true },
    ownerReferences: { keys: ['uid'], items: {} },
  },
};

const CONTAINER: MergeSchema = {
  fields: {
    env: { keys: ['name'], items: {} },
    ports: { keys: ['containerPort', 'protocol'], items: {} },
    volumeMounts: { keys: ['mountPath'], items: {} },
    volumeDevices: { keys: ['devicePath'], items: {} },
  },
};

const POD_SPEC: MergeSchema = {
  fields: {
    containers: { keys: ['name'], items: CONTAINER },
    initContainers: { keys: ['name'], items: CONTAINER },
    ephemeralContainers: { keys: ['name'], items: CONTAINER },
    volumes: { keys: ['name'], items: {} },
    imagePullSecrets: { keys: ['name'], items: {} },
    hostAliases: { keys: ['ip'], items: {} },
    topologySpreadConstraints: { keys: ['topologyKey', 'whenUnsatisfiable'], items: {} },
  },
};

const POD_TEMPLATE_SPEC: MergeSchema = { fields: { metadata: OBJECT_META, spec: POD_SPEC } };

const withMeta = (fields: Record<string, MergeSchema> = {}): MergeSchema => ({ fields: { metadata: OBJECT_META, ...fields } });
const templated: MergeSchema = withMeta({ spec: { fields: { template: POD_TEMPLATE_SPEC } } });

const WEBHOOKS: MergeSchema = withMeta({ webhooks: { keys: ['name'], items: {} } });

/** Schemas by `group/kind` (core group: `/kind`). */
const KINDS: Record<string, MergeSchema> = {
  '/Pod': withMeta({ spec: POD_SPEC }),
  '/PodTemplate': withMeta({ template: POD_TEMPLATE_SPEC }),
  '/ReplicationController': templated,
  'apps/Deployment': templated,
  'apps/ReplicaSet': templated,
  'apps/DaemonSet': templated,
  'apps/StatefulSet': templated,
  'extensions/Deployment': templated,
  'extensions/ReplicaSet': templated,
  'extensions/DaemonSet': templated,
  'batch/Job': templated,
  'batch/CronJob': withMeta({
    spec: { fields: { jobTemplate: { fields: { metadata: OBJECT_META, spec: { fields: { template: POD_TEMPLATE_SPEC } } } } } },
  }),
  '/Service': withMeta({ spec: { fields: { ports: { keys: ['port', 'protocol'], items: {} } } } }),
  '/ServiceAccount': withMeta({ secrets: { keys: ['name'], items: {} } }),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': WEBHOOKS,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': WEBHOOKS,
};

/** Other built-in kinds: known to the schema, with only `metadata` needing merge rules. */
const METADATA_ONLY = [
  '/ConfigMap', '/Secret', '/Namespace', '/Endpoints', '/Event', '/LimitRange', '/ResourceQuota',
  '/PersistentVolume', '/PersistentVolumeClaim', '/Node', '/Binding', '/ComponentStatus',
  'apps/ControllerRevision',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget', 'policy/PodSecurityPolicy',
  'networking.k8s.io/Ingress', 'networking.k8s.io/IngressClass', 'networking.k8s.io/NetworkPolicy', 'extensions/Ingress',
  'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass', 'coordination.k8s.io/Lease', 'node.k8s.io/RuntimeClass',
  'discovery.k8s.io/EndpointSlice', 'certificates.k8s.io/CertificateSigningRequest',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
];

/** The schema of an object of this GVK, or `undefined` when kustomize's schema does not know the kind. */
export function schemaFor(gvk: Gvk): MergeSchema | undefined {
  const key = `${gvk.group}/${gvk.kind}`;
  return KINDS[key] ?? (METADATA_ONLY.includes(key) ? withMeta() : undefined);
}
