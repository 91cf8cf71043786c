import type { AddonDefinition } from '../../model/addon.js';
import { ClusterAnnotation } from '../../model/contract.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

/**
 * ACK service controller for Amazon DynamoDB, chart `dynamodb-chart` 1.9.2: aws-controllers-k8s/dynamodb-controller@v1.9.2,
 * helm/Chart.yaml (version and appVersion 1.9.2) and helm/values.yaml. Its pin has no Kubernetes range: the chart has no
 * `kubeVersion` and the ACK project documents no Kubernetes range, so no range can be stated (every
 * cluster gets `version`). CRDs in helm/crds (largest 40516 bytes, under the client-side apply limit), no
 * webhooks. The role's permissions: config/iam at the same tag (charts/iam/permissions/ack-dynamodb-controller.ts).
 */
export const ackDynamodbController: AddonDefinition = {
  name: 'ack-dynamodb-controller',
  description: 'AWS Controllers for Kubernetes: DynamoDB tables, global tables and backups as Kubernetes resources.',
  homepage: 'https://github.com/aws-controllers-k8s/dynamodb-controller',
  chart: 'dynamodb-chart',
  repoUrl: 'public.ecr.aws/aws-controllers-k8s',
  oci: true,
  version: '1.9.2',
  pins: [{ version: '1.9.2', appVersion: '1.9.2', checkedAgainst: 'aws-controllers-k8s/dynamodb-controller@v1.9.2:helm/Chart.yaml' }],
  namespace: 'ack-system',
  // The chart's default service account name (values.yaml serviceAccount.name).
  serviceAccount: 'ack-dynamodb-controller',
  iamRole: true,
  // Owns CRDs whose custom resources stand for live AWS resources: leave it running when disabled.
  onDisable: 'orphan',
  clusterValues: (t, a) => ({ aws: { region: t.annotation(ClusterAnnotation.awsRegion) }, serviceAccount: irsaServiceAccount(t, a) }),
};
