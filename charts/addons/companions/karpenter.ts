import type { AddonCompanions, CompanionObject } from '../../model/companions.js';

/** The IaC contract fact naming the IAM role Karpenter's nodes run with (its EC2NodeClass `role`). */
export const KARPENTER_NODE_ROLE_FACT = 'karpenter_node_iam_role_name';

/** The tag Karpenter discovers a cluster's subnets and security groups by; the IaC tags them `<tag>: <EKS cluster name>`. */
export const KARPENTER_DISCOVERY_TAG = 'karpenter.sh/discovery';

/**
 * The EKS-optimized Amazon Linux 2023 release the nodes boot, pinned (never `al2023@latest`, which would
 * roll every node whenever AWS publishes an AMI): v20260714 is the newest release in the CHANGELOG of
 * awslabs/amazon-eks-ami (snapshot of July 2026), with standard x86_64 and arm64 AMIs for Kubernetes
 * 1.30 to 1.36, so every minor the fleet supports. Karpenter picks the AMI of the cluster's minor.
 */
export const KARPENTER_AL2023_ALIAS = 'al2023@v20260714';

/** The EC2NodeClass every default NodePool points at. */
export const KARPENTER_NODE_CLASS = 'default';

/**
 * Karpenter's companions (CRDs of aws/karpenter-provider-aws v1.14.1), by the names `ec2nodeclass-default` and
 * `nodepool-default` (their file names; both objects are named `default`): an EC2NodeClass `default` (the
 * contract's node role; subnets and security groups by the discovery tag; AL2023 pinned; IMDSv2 only, hop
 * limit 1, so pods off the host network cannot reach the node's credentials; an encrypted gp3 root
 * volume) and a NodePool `default` on it: on-demand and spot, amd64 and arm64, c/m/r instances of
 * generation 5 or later, capped at 1000 vCPU and 1000 GiB, consolidating empty or underutilized nodes
 * one minute after they become so, at most 10% of the nodes at a time.
 */
export const karpenterCompanions: AddonCompanions = (ctx) => {
  const discovery = [{ tags: { [KARPENTER_DISCOVERY_TAG]: ctx.cluster.awsClusterName } }];
  const nodeClass: CompanionObject = {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: KARPENTER_NODE_CLASS },
    spec: {
      role: ctx.facts.get(KARPENTER_NODE_ROLE_FACT),
      amiSelectorTerms: [{ alias: KARPENTER_AL2023_ALIAS }],
      subnetSelectorTerms: discovery,
      securityGroupSelectorTerms: discovery,
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeSize: '20Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
      ],
    },
  };
  const nodePool: CompanionObject = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'default' },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: KARPENTER_NODE_CLASS },
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand', 'spot'] },
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
            { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
          ],
          expireAfter: '720h',
        },
      },
      limits: { cpu: '1000', memory: '1000Gi' },
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m', budgets: [{ nodes: '10%' }] },
    },
  };
  return { 'ec2nodeclass-default': nodeClass, 'nodepool-default': nodePool };
};
