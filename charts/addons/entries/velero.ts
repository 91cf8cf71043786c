import type { AddonDefinition } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';

/** The fact that names the S3 bucket of the cluster's backups. */
export const VELERO_BUCKET_FACT = 'velero_backup_s3_bucket_name';

/**
 * The AWS plugin (object store on S3, volume snapshotter on EBS) for Velero 1.18, the chart's app version:
 * the plugin's compatibility table pairs v1.14.x with Velero v1.18.x (README of
 * vmware-tanzu/velero-plugin-for-aws at v1.14.0-rc.1), and Velero's own upgrade guide for 1.18 names
 * v1.14.0 (vmware-tanzu/velero, site/content/docs/v1.18/upgrade-to-1.18.md). A chart pin with another
 * Velero minor needs the plugin of that minor.
 */
export const VELERO_AWS_PLUGIN_IMAGE = 'velero/velero-plugin-for-aws:v1.14.0';

/**
 * Velero on AWS with the role of its service account (IRSA or EKS Pod Identity): no credentials Secret,
 * the AWS plugin as an init container (the chart's example in values.yaml), backups in the cluster's
 * bucket under a prefix named after the EKS cluster, EBS snapshots in the cluster's region, and one daily
 * schedule of the whole cluster kept 30 days.
 */
export const velero: AddonDefinition = {
  name: 'velero',
  description: 'Backups of cluster resources and volumes to S3.',
  homepage: 'https://velero.io/',
  chart: 'velero',
  repoUrl: 'https://vmware-tanzu.github.io/helm-charts',
  version: '12.1.0',
  pins: [
    {
      version: '12.1.0',
      appVersion: '1.18.1',
      // Chart.yaml: kubeVersion ">=1.16.0-0"; Velero's compatibility matrix: 1.18 expects Kubernetes "1.18-latest".
      kubernetes: { min: '1.18' },
      checkedAgainst: 'vmware-tanzu/helm-charts@velero-12.1.0:charts/velero/Chart.yaml; vmware-tanzu/velero@v1.18.1:README.md',
    },
  ],
  facts: [
    {
      key: VELERO_BUCKET_FACT,
      description: "Name of the S3 bucket that holds the cluster's backups (Velero writes under the prefix <EKS cluster name>/)",
      // S3 bucket names: 3 to 63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit.
      pattern: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]',
    },
  ],
  namespace: 'velero',
  onDisable: 'orphan',
  serviceAccount: 'velero',
  iamRole: true,
  values: {
    // The role of the service account gives the credentials (templates/deployment.yaml mounts no
    // cloud-credentials Secret and sets no AWS_SHARED_CREDENTIALS_FILE when false).
    credentials: { useSecret: false },
    initContainers: [
      {
        name: 'velero-plugin-for-aws',
        image: VELERO_AWS_PLUGIN_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
      },
    ],
    // templates/schedule.yaml: one Schedule per key, `template` is the Backup spec.
    schedules: {
      daily: {
        schedule: '0 3 * * *',
        useOwnerReferencesInBackup: false,
        template: { ttl: '720h0m0s', storageLocation: 'default' },
      },
    },
  },
  clusterValues: (t, a) => {
    const aws = awsClusterValues(t);
    return {
      serviceAccount: { server: irsaServiceAccount(t, a) },
      configuration: {
        // Lists in the chart: given whole here, since Helm replaces a list rather than merging it.
        backupStorageLocation: [
          // No config.region: the plugin queries the bucket's region (backupstoragelocation.md).
          { name: 'default', provider: 'aws', bucket: t.annotation(VELERO_BUCKET_FACT), prefix: aws.clusterName, default: true },
        ],
        // config.region is required for the AWS volume snapshotter (volumesnapshotlocation.md).
        volumeSnapshotLocation: [{ name: 'default', provider: 'aws', config: { region: aws.region } }],
      },
    };
  },
};
