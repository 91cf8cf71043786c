/**
 * karpenter v1.14.1: the controller policies of
 * `website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml`
 * (aws/karpenter-provider-aws, tag v1.14.1; the same file on release-v1.14.1), statement for statement and
 * in upstream's order: KarpenterControllerNodeLifecyclePolicy, -IAMIntegrationPolicy, -EKSIntegrationPolicy,
 * -InterruptionPolicy, -ZonalShiftPolicy and -ResourceDiscoveryPolicy, as one document. Upstream's
 * account/region wildcards are kept. Two inputs: the node role (upstream's `KarpenterNodeRole.Arn`) and the
 * interruption queue's name (upstream names it after the cluster; here it is the cluster's
 * `karpenter_sqs_queue_name` fact, which the chart's `settings.interruptionQueue` reads).
 */
import type { AddonPermissionContext, AddonPermissions } from './types.js';
import { iamPolicy } from '../iam-documents.js';

const PARTITION = 'aws';

/** `${name}`: a value the IaC fills in. */
const token = (name: string): string => `\${${name}}`;

export function karpenterPermissions({ accountId, region, clusterName }: AddonPermissionContext): AddonPermissions {
  const ec2 = `arn:${PARTITION}:ec2:${region}`;
  const clusterOwned = `kubernetes.io/cluster/${clusterName}`;
  const instanceProfiles = `arn:${PARTITION}:iam::${accountId}:instance-profile/*`;
  const clusterArn = `arn:${PARTITION}:eks:${region}:${accountId}:cluster/${clusterName}`;
  const taggedOnLaunch = [
    `${ec2}:*:fleet/*`,
    `${ec2}:*:instance/*`,
    `${ec2}:*:volume/*`,
    `${ec2}:*:network-interface/*`,
    `${ec2}:*:launch-template/*`,
    `${ec2}:*:spot-instances-request/*`,
  ];
  return {
    managedPolicyArns: [],
    policy: iamPolicy([
      // KarpenterControllerNodeLifecyclePolicy
      {
        Sid: 'AllowScopedEC2InstanceAccessActions',
        Effect: 'Allow',
        Resource: [
          `${ec2}::image/*`,
          `${ec2}::snapshot/*`,
          `${ec2}:*:security-group/*`,
          `${ec2}:*:subnet/*`,
          `${ec2}:*:capacity-reservation/*`,
          `${ec2}:*:placement-group/*`,
        ],
        Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      },
      {
        Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        Effect: 'Allow',
        Resource: `${ec2}:*:launch-template/*`,
        Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
        Condition: {
          StringEquals: { [`aws:ResourceTag/${clusterOwned}`]: 'owned' },
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedEC2InstanceActionsWithTags',
        Effect: 'Allow',
        Resource: taggedOnLaunch,
        Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        Condition: {
          StringEquals: { [`aws:RequestTag/${clusterOwned}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': clusterName },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedResourceCreationTagging',
        Effect: 'Allow',
        Resource: taggedOnLaunch,
        Action: 'ec2:CreateTags',
        Condition: {
          StringEquals: {
            [`aws:RequestTag/${clusterOwned}`]: 'owned',
            'aws:RequestTag/eks:eks-cluster-name': clusterName,
            'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
          },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedResourceTagging',
        Effect: 'Allow',
        Resource: `${ec2}:*:instance/*`,
        Action: 'ec2:CreateTags',
        Condition: {
          StringEquals: { [`aws:ResourceTag/${clusterOwned}`]: 'owned' },
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
          StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
        },
      },
      {
        Sid: 'AllowScopedDeletion',
        Effect: 'Allow',
        Resource: [`${ec2}:*:instance/*`, `${ec2}:*:launch-template/*`],
        Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        Condition: {
          StringEquals: { [`aws:ResourceTag/${clusterOwned}`]: 'owned' },
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        },
      },
      // KarpenterControllerIAMIntegrationPolicy
      {
        Sid: 'AllowPassingInstanceRole',
        Effect: 'Allow',
        Resource: token('karpenter_node_role_arn'),
        Action: 'iam:PassRole',
        Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
      },
      {
        Sid: 'AllowScopedInstanceProfileCreationActions',
        Effect: 'Allow',
        Resource: instanceProfiles,
        Action: ['iam:CreateInstanceProfile'],
        Condition: {
          StringEquals: {
            [`aws:RequestTag/${clusterOwned}`]: 'owned',
            'aws:RequestTag/eks:eks-cluster-name': clusterName,
            'aws:RequestTag/topology.kubernetes.io/region': region,
          },
          StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      {
        Sid: 'AllowScopedInstanceProfileTagActions',
        Effect: 'Allow',
        Resource: instanceProfiles,
        Action: ['iam:TagInstanceProfile'],
        Condition: {
          StringEquals: {
            [`aws:ResourceTag/${clusterOwned}`]: 'owned',
            'aws:ResourceTag/topology.kubernetes.io/region': region,
            [`aws:RequestTag/${clusterOwned}`]: 'owned',
            'aws:RequestTag/eks:eks-cluster-name': clusterName,
            'aws:RequestTag/topology.kubernetes.io/region': region,
          },
          StringLike: {
            'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*',
            'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*',
          },
        },
      },
      {
        Sid: 'AllowScopedInstanceProfileActions',
        Effect: 'Allow',
        Resource: instanceProfiles,
        Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
        Condition: {
          StringEquals: { [`aws:ResourceTag/${clusterOwned}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      // KarpenterControllerEKSIntegrationPolicy
      { Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Resource: clusterArn, Action: 'eks:DescribeCluster' },
      // KarpenterControllerInterruptionPolicy (upstream: the ARN of the queue its template creates)
      {
        Sid: 'AllowInterruptionQueueActions',
        Effect: 'Allow',
        Resource: `arn:${PARTITION}:sqs:${region}:${accountId}:${token('karpenter_sqs_queue_name')}`,
        Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      },
      // KarpenterControllerZonalShiftPolicy
      {
        Sid: 'AllowZonalShiftStatusReadOnly',
        Effect: 'Allow',
        Resource: '*',
        Action: ['arc-zonal-shift:GetManagedResource'],
        Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } },
      },
      // KarpenterControllerResourceDiscoveryPolicy
      {
        Sid: 'AllowRegionalReadActions',
        Effect: 'Allow',
        Resource: '*',
        Action: [
          'ec2:DescribeCapacityReservations',
          'ec2:DescribeImages',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        Condition: { StringEquals: { 'aws:RequestedRegion': region } },
      },
      {
        Sid: 'AllowSSMReadActions',
        Effect: 'Allow',
        Resource: `arn:${PARTITION}:ssm:${region}::parameter/aws/service/*`,
        Action: 'ssm:GetParameter',
      },
      { Sid: 'AllowPricingReadActions', Effect: 'Allow', Resource: '*', Action: 'pricing:GetProducts' },
      { Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Resource: '*', Action: 'iam:ListInstanceProfiles' },
      { Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Resource: instanceProfiles, Action: 'iam:GetInstanceProfile' },
    ]),
    inputs: {
      karpenter_node_role_arn: `ARN of the IAM role of the nodes Karpenter launches for ${clusterName} (arn:aws:iam::${accountId}:role/<name>: the role named by the karpenter_node_iam_role_name fact)`,
      karpenter_sqs_queue_name: `Name of the SQS interruption queue of ${clusterName} in account ${accountId}, ${region}: the karpenter_sqs_queue_name fact`,
    },
  };
}
