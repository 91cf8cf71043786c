import type { AddonCompanions } from '../../model/companions.js';

/** Kubernetes' annotation of the default StorageClass. */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/**
 * The EBS CSI driver's companion: the cluster's default StorageClass `gp3` (storage.k8s.io/v1,
 * provisioner `ebs.csi.aws.com`): encrypted gp3 volumes, bound when a pod is scheduled (so in its
 * zone), deleted with their claim, expandable. Replaces the chart's own `storageClasses` values.
 */
export const awsEbsCsiDriverCompanions: AddonCompanions = () => ({
  gp3: {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'gp3', annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'true' } },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3', encrypted: 'true' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  },
});
