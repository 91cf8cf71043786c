import type { AddonDefinition } from '../../model/addon.js';
import { ClusterAnnotation } from '../../model/contract.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

/**
 * ACK service controller for Amazon RDS, chart `rds-chart` 1.11.1: aws-controllers-k8s/rds-controller@v1.11.1,
 * helm/Chart.yaml (version and appVersion 1.11.1) and helm/values.yaml. Its pin has no Kubernetes range: the chart has no
 * `kubeVersion` and the ACK project documents no Kubernetes range, so no range can be stated (every
 * cluster gets `version`). CRDs in helm/crds (largest 98968 bytes, under the client-side apply limit), no
 * webhooks. The role's permissions: config/iam at the same tag (charts/iam/permissions/ack-rds-controller.ts).
 */
export const ackRdsController: AddonDefinition = {
  name: 'ack-rds-controller',
  description: 'AWS Controllers for Kubernetes: RDS database instances, clusters, parameter and subnet groups as Kubernetes resources.',
  homepage: 'https://github.com/aws-controllers-k8s/rds-controller',
  chart: 'rds-chart',
  repoUrl: 'public.ecr.aws/aws-controllers-k8s',
  oci: true,
  version: '1.11.1',
  pins: [{ version: '1.11.1', appVersion: '1.11.1', checkedAgainst: 'aws-controllers-k8s/rds-controller@v1.11.1:helm/Chart.yaml' }],
  namespace: 'ack-system',
  // The chart's default service account name (values.yaml serviceAccount.name).
  serviceAccount: 'ack-rds-controller',
  iamRole: true,
  // Owns CRDs whose custom resources stand for live AWS resources: leave it running when disabled.
  onDisable: 'orphan',
  clusterValues: (t, a) => ({ aws: { region: t.annotation(ClusterAnnotation.awsRegion) }, serviceAccount: irsaServiceAccount(t, a) }),
};
