import type { AddonDefinition } from '../../model/addon.js';
import { ClusterAnnotation } from '../../model/contract.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

/**
 * ACK service controller for Amazon EKS, chart `eks-chart` 1.20.0: aws-controllers-k8s/eks-controller@v1.20.0,
 * helm/Chart.yaml (version and appVersion 1.20.0) and helm/values.yaml. Its pin has no Kubernetes range: the chart has no
 * `kubeVersion` and the ACK project documents no Kubernetes range, so no range can be stated (every
 * cluster gets `version`). CRDs in helm/crds (largest 33485 bytes, under the client-side apply limit), no
 * webhooks. The role's permissions: config/iam at the same tag (charts/iam/permissions/ack-eks-controller.ts).
 */
export const ackEksController: AddonDefinition = {
  name: 'ack-eks-controller',
  description: 'AWS Controllers for Kubernetes: EKS clusters, node groups, add-ons, access entries and Pod Identity associations as Kubernetes resources.',
  homepage: 'https://github.com/aws-controllers-k8s/eks-controller',
  chart: 'eks-chart',
  repoUrl: 'public.ecr.aws/aws-controllers-k8s',
  oci: true,
  version: '1.20.0',
  pins: [{ version: '1.20.0', appVersion: '1.20.0', checkedAgainst: 'aws-controllers-k8s/eks-controller@v1.20.0:helm/Chart.yaml' }],
  namespace: 'ack-system',
  // The chart's default service account name (values.yaml serviceAccount.name).
  serviceAccount: 'ack-eks-controller',
  iamRole: true,
  // Owns CRDs whose custom resources stand for live AWS resources: leave it running when disabled.
  onDisable: 'orphan',
  clusterValues: (t, a) => ({ aws: { region: t.annotation(ClusterAnnotation.awsRegion) }, serviceAccount: irsaServiceAccount(t, a) }),
};
