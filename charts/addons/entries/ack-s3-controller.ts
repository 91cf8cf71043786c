import type { AddonDefinition } from '../../model/addon.js';
import { ClusterAnnotation } from '../../model/contract.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

/**
 * ACK service controller for Amazon S3, chart `s3-chart` 1.10.0: aws-controllers-k8s/s3-controller@v1.10.0,
 * helm/Chart.yaml (version and appVersion 1.10.0) and helm/values.yaml. Its pin has no Kubernetes range: the chart has no
 * `kubeVersion` and the ACK project documents no Kubernetes range, so no range can be stated (every
 * cluster gets `version`). CRDs in helm/crds (largest 73433 bytes, under the client-side apply limit), no
 * webhooks. The role's permissions: config/iam at the same tag (charts/iam/permissions/ack-s3-controller.ts).
 */
export const ackS3Controller: AddonDefinition = {
  name: 'ack-s3-controller',
  description: 'AWS Controllers for Kubernetes: S3 buckets as Kubernetes resources.',
  homepage: 'https://github.com/aws-controllers-k8s/s3-controller',
  chart: 's3-chart',
  repoUrl: 'public.ecr.aws/aws-controllers-k8s',
  oci: true,
  version: '1.10.0',
  pins: [{ version: '1.10.0', appVersion: '1.10.0', checkedAgainst: 'aws-controllers-k8s/s3-controller@v1.10.0:helm/Chart.yaml' }],
  namespace: 'ack-system',
  // The chart's default service account name (values.yaml serviceAccount.name).
  serviceAccount: 'ack-s3-controller',
  iamRole: true,
  // Owns CRDs whose custom resources stand for live AWS resources: leave it running when disabled.
  onDisable: 'orphan',
  clusterValues: (t, a) => ({ aws: { region: t.annotation(ClusterAnnotation.awsRegion) }, serviceAccount: irsaServiceAccount(t, a) }),
};
