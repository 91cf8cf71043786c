import type { AddonDefinition } from '../../model/addon.js';
import { ClusterAnnotation } from '../../model/contract.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

/**
 * ACK service controller for AWS IAM, chart `iam-chart` 1.8.1: aws-controllers-k8s/iam-controller@v1.8.1,
 * helm/Chart.yaml (version and appVersion 1.8.1) and helm/values.yaml. Its pin has no Kubernetes range: the chart has no
 * `kubeVersion` and the ACK project documents no Kubernetes range, so no range can be stated (every
 * cluster gets `version`). CRDs in helm/crds (largest 15658 bytes, under the client-side apply limit), no
 * webhooks. The role's permissions: config/iam at the same tag (charts/iam/permissions/ack-iam-controller.ts).
 */
export const ackIamController: AddonDefinition = {
  name: 'ack-iam-controller',
  description: 'AWS Controllers for Kubernetes: IAM roles, policies, users, groups and OIDC providers as Kubernetes resources.',
  homepage: 'https://github.com/aws-controllers-k8s/iam-controller',
  chart: 'iam-chart',
  repoUrl: 'public.ecr.aws/aws-controllers-k8s',
  oci: true,
  version: '1.8.1',
  pins: [{ version: '1.8.1', appVersion: '1.8.1', checkedAgainst: 'aws-controllers-k8s/iam-controller@v1.8.1:helm/Chart.yaml' }],
  namespace: 'ack-system',
  // The chart's default service account name (values.yaml serviceAccount.name).
  serviceAccount: 'ack-iam-controller',
  iamRole: true,
  // Owns CRDs whose custom resources stand for live AWS resources: leave it running when disabled.
  onDisable: 'orphan',
  clusterValues: (t, a) => ({ aws: { region: t.annotation(ClusterAnnotation.awsRegion) }, serviceAccount: irsaServiceAccount(t, a) }),
};
