import type { AddonDefinition } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';
import { karpenterCompanions, KARPENTER_NODE_ROLE_FACT } from '../companions/karpenter.js';

/** The fact that names the SQS queue EventBridge feeds with the cluster's interruption events. */
export const KARPENTER_QUEUE_FACT = 'karpenter_sqs_queue_name';

/**
 * Karpenter 1.14.1 (aws/karpenter-provider-aws). The chart's Chart.yaml in the repository says 1.13.0 at
 * the tag v1.14.1: the release job sets the published chart's version, and commits it on the branch
 * release-v1.14.1 ("Stable Release updates Release v1.14.1"), which is what `checkedAgainst` names. The
 * Kubernetes range is the compatibility matrix of the v1.14 docs: 1.30 to 1.36 all supported (its columns
 * are the last seven minors; the data it is generated from, hack/docs/compatibilitymatrix_gen/compatibility.yaml,
 * says 1.14.x: 1.26 to 1.36).
 */
export const karpenter: AddonDefinition = {
  name: 'karpenter',
  description: 'Just-in-time node provisioning.',
  homepage: 'https://karpenter.sh/',
  chart: 'karpenter',
  repoUrl: 'public.ecr.aws/karpenter',
  oci: true,
  version: '1.14.1',
  pins: [
    {
      version: '1.14.1',
      appVersion: '1.14.1',
      kubernetes: { min: '1.30', max: '1.36' },
      checkedAgainst:
        'aws/karpenter-provider-aws@release-v1.14.1:charts/karpenter/Chart.yaml; ' +
        'aws/karpenter-provider-aws@release-v1.14.1:website/content/en/v1.14/upgrading/compatibility.md',
    },
  ],
  facts: [
    {
      key: KARPENTER_QUEUE_FACT,
      description: "Name of the SQS queue that EventBridge feeds with the cluster's interruption events (spot interruptions, rebalance recommendations, scheduled changes, instance state changes) for Karpenter",
      // SQS queue names: 1 to 80 letters, digits, hyphens and underscores (a FIFO queue cannot be an EventBridge target of these rules).
      pattern: '[A-Za-z0-9_-]{1,80}',
    },
    {
      key: KARPENTER_NODE_ROLE_FACT,
      description: 'Name (not ARN) of the IAM role of the nodes Karpenter launches; its EC2NodeClass names it and the controller may pass it to EC2',
      // IAM role names: 1 to 64 of letters, digits and +=,.@_-
      pattern: '[A-Za-z0-9+=,.@_-]{1,64}',
    },
  ],
  namespace: 'karpenter',
  onDisable: 'orphan',
  serviceAccount: 'karpenter',
  iamRole: true,
  serverSideApply: true,
  // No `webhooks`: the 1.14 chart installs no admission or conversion webhook (charts/karpenter/templates).
  companions: karpenterCompanions,
  clusterValues: (t, a) => {
    const aws = awsClusterValues(t);
    return {
      serviceAccount: irsaServiceAccount(t, a),
      // templates/deployment.yaml: CLUSTER_NAME (required) and INTERRUPTION_QUEUE (interruption handling off when empty).
      settings: { clusterName: aws.clusterName, interruptionQueue: t.annotation(KARPENTER_QUEUE_FACT) },
    };
  },
};
