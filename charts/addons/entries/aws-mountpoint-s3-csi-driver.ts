import type { AddonDefinition } from '../../model/addon.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

/**
 * Mountpoint for Amazon S3 CSI Driver 2.7.0: awslabs/mountpoint-s3-csi-driver@v2.7.0,
 * charts/aws-mountpoint-s3-csi-driver/Chart.yaml (`kubeVersion: ">=1.30.0-0"`, no appVersion; README:
 * "compatible with Kubernetes versions v1.30+") and values.yaml; Helm repository and namespace of
 * docs/INSTALL.md. Driver-level credentials through the node service account (docs/CONFIGURATION.md,
 * "AWS Credentials"); `node.serviceAccount.annotations` is commented out in values.yaml and read by
 * templates/serviceaccount-csi-node.yaml. The chart also creates the `mount-s3` namespace for its
 * Mountpoint pods. IAM: charts/iam/permissions/aws-mountpoint-s3-csi-driver.ts.
 */
export const awsMountpointS3CsiDriver: AddonDefinition = {
  name: 'aws-mountpoint-s3-csi-driver',
  description: 'Mountpoint for Amazon S3 CSI driver: S3 buckets as persistent volumes.',
  homepage: 'https://github.com/awslabs/mountpoint-s3-csi-driver',
  chart: 'aws-mountpoint-s3-csi-driver',
  repoUrl: 'https://awslabs.github.io/mountpoint-s3-csi-driver',
  version: '2.7.0',
  pins: [
    {
      version: '2.7.0',
      kubernetes: { min: '1.30' },
      checkedAgainst: 'awslabs/mountpoint-s3-csi-driver@v2.7.0:charts/aws-mountpoint-s3-csi-driver/Chart.yaml',
    },
  ],
  namespace: 'kube-system',
  // values.yaml node.serviceAccount.name: the node plugin's account, which carries the driver-level role.
  serviceAccount: 's3-csi-driver-sa',
  iamRole: true,
  // A storage driver: pods that mount its volumes break without it.
  onDisable: 'orphan',
  clusterValues: (t, a) => ({ node: { serviceAccount: irsaServiceAccount(t, a) } }),
};
