import type { AddonDefinition } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';

const NTH = 'aws/aws-node-termination-handler';
/** The IaC fact that carries the queue URL (the IAM policy gets the queue ARN as its `nth_queue_arn` input). */
const NTH_QUEUE_URL_FACT = 'aws_node_termination_handler_queue_url';

export const awsNodeTerminationHandler: AddonDefinition = {
  name: 'aws-node-termination-handler',
  description: 'Drains nodes on EC2 spot interruptions, rebalance and maintenance events and ASG lifecycle hooks (queue processor).',
  // The eks-charts copy was removed in October 2024 (aws/eks-charts#1155); the chart is published here.
  chart: 'aws-node-termination-handler',
  repoUrl: 'public.ecr.aws/aws-ec2/helm',
  oci: true,
  version: '0.27.6',
  pins: [
    {
      version: '0.27.6',
      appVersion: '1.25.6',
      kubernetes: { min: '1.16' },
      checkedAgainst: `${NTH}@v1.25.6:config/helm/aws-node-termination-handler/Chart.yaml`,
    },
  ],
  homepage: 'https://github.com/aws/aws-node-termination-handler',
  namespace: 'kube-system',
  onDisable: 'uninstall',
  serviceAccount: 'aws-node-termination-handler',
  iamRole: true,
  facts: [
    {
      key: NTH_QUEUE_URL_FACT,
      description:
        'URL of the SQS queue that EventBridge feeds with the EC2 and Auto Scaling events of the cluster\'s nodes (https://sqs.<region>.amazonaws.com/<account>/<queue>); the node ASGs carry the tag aws-node-termination-handler/managed',
      pattern: 'https://sqs\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[0-9]{12}/[A-Za-z0-9_-]{1,80}(\\.fifo)?',
    },
  ],
  // Queue-processor mode (one Deployment reading the queue), the mode the role's permissions are for: the
  // chart's default is the IMDS DaemonSet, which uses no AWS API and misses ASG lifecycle events. NTH
  // drains only instances tagged aws-node-termination-handler/managed (checkTagBeforeDraining, default true).
  values: { enableSqsTerminationDraining: true },
  clusterValues: (t, a) => ({
    serviceAccount: irsaServiceAccount(t, a),
    awsRegion: awsClusterValues(t).region,
    queueURL: t.annotation(NTH_QUEUE_URL_FACT),
  }),
};
