/**
 * The permissions of the add-ons' IAM roles, as data: per add-on of the catalog that calls AWS APIs
 * (`iamRole: true`), the AWS managed policies to attach and our own permissions policy, for one cluster.
 * The IaC contract lists these per cluster; the IaC fills in the `${token}` inputs and attaches each
 * document to its role as an inline policy (IAM allows 10,240 characters for a role's inline policies;
 * a managed policy holds only 6,144, which Karpenter's document, upstream's six policies in one, passes).
 *
 * Two kinds of documents:
 * - taken from upstream (aws-load-balancer-controller, aws-gateway-api-controller, karpenter): the
 *   statements, actions, conditions and resource ARNs of the upstream recommended policy of the pinned
 *   version, Sids added where upstream has none; upstream's account/region wildcards are kept as they are
 *   (shared VPC subnets and security groups, public AMIs), so a diff against upstream stays readable;
 * - written here after the add-on's documentation (the rest): scoped to the cluster's account, region and
 *   name wherever the API allows it.
 *
 * argo-cd and crossplane roles are not here: their permissions are the role chains of
 * `charts/outputs/iam-crossplane.ts` and the hub's cluster access.
 */
import { IamStatement, iamPolicy } from '../iam-documents.js';
import type { AddonPermissionContext, AddonPermissions } from './types.js';
import { ackDynamodbControllerPermissions } from './ack-dynamodb-controller.js';
import { ackEksControllerPermissions } from './ack-eks-controller.js';
import { ackIamControllerPermissions } from './ack-iam-controller.js';
import { ackRdsControllerPermissions } from './ack-rds-controller.js';
import { ackS3ControllerPermissions } from './ack-s3-controller.js';
import { adotCollectorPermissions } from './adot-collector.js';
import { amazonCloudwatchObservabilityPermissions } from './amazon-cloudwatch-observability.js';
import { awsMountpointS3CsiDriverPermissions } from './aws-mountpoint-s3-csi-driver.js';
import { awsPrivatecaIssuerPermissions } from './aws-privateca-issuer.js';
import { karpenterPermissions } from './karpenter.js';
import { trivyOperatorPermissions } from './trivy-operator.js';
import { veleroPermissions } from './velero.js';


export type { AddonPermissionContext, AddonPermissions } from './types.js';

/** Tag that scopes which Secrets Manager secrets / SSM parameters the external-secrets controller of a cluster may read: value = the EKS cluster name. */
export const SECRET_SCOPE_TAG = 'fleet/cluster';

const PARTITION = 'aws';

/** `${name}`: a value the IaC fills in. */
const token = (name: string): string => `\${${name}}`;

/**
 * A list input: the IaC replaces a `Resource` element that is exactly `${route53_zone_arns}` with one
 * element per hosted zone ARN (the element of a one-zone cluster is simply that ARN).
 */
const ROUTE53_ZONES = 'route53_zone_arns';
const ROUTE53_ZONES_INPUT =
  'List input: the ARNs of the Route 53 hosted zones whose records this cluster manages, arn:aws:route53:::hostedzone/<zone id>; the IaC replaces the Resource element "${route53_zone_arns}" with one element per zone';

type Builder = (ctx: AddonPermissionContext) => AddonPermissions;

const managedOnly = (...arns: string[]): Builder => () => ({ managedPolicyArns: [...arns].sort(), inputs: {} });

const ownPolicy = (statements: readonly IamStatement[], inputs: Record<string, string> = {}): AddonPermissions => ({
  managedPolicyArns: [],
  policy: iamPolicy(statements),
  inputs,
});

/**
 * aws-load-balancer-controller v3.5.0: `docs/install/iam_policy.json` of
 * kubernetes-sigs/aws-load-balancer-controller at tag v3.5.0, statement for statement, Sids added.
 */
const awsLoadBalancerController: Builder = () => {
  const clusterTag = 'elbv2.k8s.aws/cluster';
  const elbResources = [
    'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*',
    'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*',
    'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*',
  ];
  return ownPolicy([
    {
      Sid: 'CreateElbServiceLinkedRole',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
    {
      Sid: 'DescribeNetworkAndLoadBalancers',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAccountAttributes',
        'ec2:DescribeAddresses',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags',
        'ec2:GetCoipPoolUsage',
        'ec2:DescribeCoipPools',
        'ec2:GetSecurityGroupsForVpc',
        'ec2:DescribeIpamPools',
        'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      Resource: '*',
    },
    {
      Sid: 'UseCertificatesWafAndShield',
      Effect: 'Allow',
      Action: [
        'cognito-idp:DescribeUserPoolClient',
        'acm:ListCertificates',
        'acm:DescribeCertificate',
        'iam:ListServerCertificates',
        'iam:GetServerCertificate',
        'waf-regional:GetWebACL',
        'waf-regional:GetWebACLForResource',
        'waf-regional:AssociateWebACL',
        'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL',
        'wafv2:GetWebACLForResource',
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'shield:GetSubscriptionState',
        'shield:DescribeProtection',
        'shield:CreateProtection',
        'shield:DeleteProtection',
      ],
      Resource: '*',
    },
    {
      Sid: 'ManageSecurityGroupIngress',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: '*',
    },
    {
      Sid: 'CreateSecurityGroup',
      Effect: 'Allow',
      Action: ['ec2:CreateSecurityGroup'],
      Resource: '*',
    },
    {
      Sid: 'TagSecurityGroupOnCreation',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: 'arn:aws:ec2:*:*:security-group/*',
      Condition: {
        StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' },
        Null: { [`aws:RequestTag/${clusterTag}`]: 'false' },
      },
    },
    {
      Sid: 'TagOwnedSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: 'arn:aws:ec2:*:*:security-group/*',
      Condition: { Null: { [`aws:RequestTag/${clusterTag}`]: 'true', [`aws:ResourceTag/${clusterTag}`]: 'false' } },
    },
    {
      Sid: 'ManageOwnedSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      Resource: '*',
      Condition: { Null: { [`aws:ResourceTag/${clusterTag}`]: 'false' } },
    },
    {
      Sid: 'CreateTaggedLoadBalancersAndTargetGroups',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: '*',
      Condition: { Null: { [`aws:RequestTag/${clusterTag}`]: 'false' } },
    },
    {
      Sid: 'ManageListenersAndRules',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
      ],
      Resource: '*',
    },
    {
      Sid: 'TagOwnedLoadBalancersAndTargetGroups',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: elbResources,
      Condition: { Null: { [`aws:RequestTag/${clusterTag}`]: 'true', [`aws:ResourceTag/${clusterTag}`]: 'false' } },
    },
    {
      Sid: 'TagListenersAndRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [
        'arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*',
        'arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*',
        'arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*',
        'arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*',
      ],
    },
    {
      Sid: 'ManageOwnedLoadBalancersAndTargetGroups',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools',
      ],
      Resource: '*',
      Condition: { Null: { [`aws:ResourceTag/${clusterTag}`]: 'false' } },
    },
    {
      Sid: 'TagLoadBalancersAndTargetGroupsOnCreation',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags'],
      Resource: elbResources,
      Condition: {
        StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
        Null: { [`aws:RequestTag/${clusterTag}`]: 'false' },
      },
    },
    {
      Sid: 'RegisterTargets',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      Resource: 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*',
    },
    {
      Sid: 'ModifyListenersAndRules',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:SetWebAcl',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
      ],
      Resource: '*',
    },
  ]);
};

/**
 * aws-for-fluent-bit: CloudWatch Logs on the cluster's log groups `/aws/eks/<cluster>/*` (the chart's
 * log group is `/aws/eks/<cluster>/workloads`), after aws-ia/terraform-aws-eks-blueprints-addons.
 */
const awsForFluentBit: Builder = ({ accountId, region, clusterName }) => {
  const logGroups = `arn:${PARTITION}:logs:${region}:${accountId}:log-group:/aws/eks/${clusterName}/*`;
  return ownPolicy([
    {
      Sid: 'PutLogEvents',
      Effect: 'Allow',
      Action: 'logs:PutLogEvents',
      Resource: `${logGroups}:log-stream:*`,
    },
    {
      Sid: 'CreateLogGroupsAndStreams',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
        'logs:PutRetentionPolicy',
      ],
      Resource: logGroups,
    },
  ]);
};

/**
 * aws-gateway-api-controller v2.1.3: `files/controller-installation/recommended-inline-policy.json` of
 * aws/aws-application-networking-k8s at tag v2.1.3, statement for statement, Sids added. Upstream grants `vpc-lattice:*` on `*`:
 * the controller creates and deletes every kind of VPC Lattice resource, kept as upstream has it.
 */
const awsGatewayApiController: Builder = () =>
  ownPolicy([
    {
      Sid: 'ManageVpcLattice',
      Effect: 'Allow',
      Action: [
        'vpc-lattice:*',
        'ec2:DescribeVpcs',
        'ec2:DescribeSubnets',
        'ec2:DescribeTags',
        'ec2:DescribeSecurityGroups',
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:DescribeLogGroups',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'tag:GetResources',
        'firehose:TagDeliveryStream',
        's3:GetBucketPolicy',
        's3:PutBucketPolicy',
        'tag:TagResources',
        'tag:UntagResources',
        'acm:ListCertificates',
      ],
      Resource: '*',
    },
    {
      Sid: 'CreateVpcLatticeServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: 'arn:aws:iam::*:role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice',
      Condition: { StringLike: { 'iam:AWSServiceName': 'vpc-lattice.amazonaws.com' } },
    },
    {
      Sid: 'CreateLogDeliveryServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: 'arn:aws:iam::*:role/aws-service-role/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery',
      Condition: { StringLike: { 'iam:AWSServiceName': 'delivery.logs.amazonaws.com' } },
    },
  ]);

/**
 * aws-node-termination-handler in queue-processor mode (the Deployment's policy in the README of
 * aws/aws-node-termination-handler at tag v1.25.6: the same six actions, there on `*`), the queue an
 * input; lifecycle completion limited to the Auto Scaling groups of the cluster's account and region.
 */
const awsNodeTerminationHandler: Builder = ({ accountId, region }) =>
  ownPolicy(
    [
      {
        Sid: 'DescribeInstances',
        Effect: 'Allow',
        Action: ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeTags', 'ec2:DescribeInstances'],
        Resource: '*',
      },
      {
        Sid: 'CompleteLifecycleActions',
        Effect: 'Allow',
        Action: 'autoscaling:CompleteLifecycleAction',
        Resource: `arn:${PARTITION}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
      },
      {
        Sid: 'ConsumeEventQueue',
        Effect: 'Allow',
        Action: ['sqs:DeleteMessage', 'sqs:ReceiveMessage'],
        Resource: token('nth_queue_arn'),
      },
    ],
    {
      nth_queue_arn: `ARN of the SQS queue that EventBridge feeds with the cluster's EC2 and Auto Scaling events (arn:aws:sqs:${region}:${accountId}:<queue>)`,
    },
  );

/** cert-manager: Route 53 DNS-01 (cert-manager docs, ACME DNS01 Route53), the hosted zones an input. */
const certManager: Builder = () =>
  ownPolicy(
    [
      { Sid: 'GetChange', Effect: 'Allow', Action: 'route53:GetChange', Resource: `arn:${PARTITION}:route53:::change/*` },
      {
        Sid: 'ChangeChallengeRecords',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
        Resource: [token(ROUTE53_ZONES)],
      },
      { Sid: 'FindHostedZones', Effect: 'Allow', Action: 'route53:ListHostedZonesByName', Resource: '*' },
    ],
    { [ROUTE53_ZONES]: ROUTE53_ZONES_INPUT },
  );

/**
 * cluster-autoscaler 1.30 to 1.35: the "Full Cluster Autoscaler Features Policy" of
 * `cluster-autoscaler/cloudprovider/aws/README.md` (kubernetes/autoscaler at tag
 * cluster-autoscaler-chart-9.59.0; the 1.30 pin's README, cluster-autoscaler-chart-9.37.0, also lists
 * autoscaling:DescribeTags, kept for that pin), the scaling actions limited by the tag
 * `k8s.io/cluster-autoscaler/<cluster>: owned` with a tag-based conditional as the README recommends.
 */
const clusterAutoscaler: Builder = ({ clusterName }) =>
  ownPolicy([
    {
      Sid: 'DescribeNodeGroups',
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'autoscaling:DescribeTags',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:GetInstanceTypesFromInstanceRequirements',
        'eks:DescribeNodegroup',
      ],
      Resource: '*',
    },
    {
      Sid: 'ScaleOwnedNodeGroups',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: '*',
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' } },
    },
  ]);

/**
 * external-dns 0.21: the policy of `docs/tutorials/aws.md` (kubernetes-sigs/external-dns at tag
 * external-dns-helm-chart-1.21.1), record changes limited to the hosted zones of the input; records and
 * zone tags (ListTagsForResources, the batch call the AWS provider makes) read on every hosted zone, as
 * upstream has it.
 */
const externalDns: Builder = () =>
  ownPolicy(
    [
      {
        Sid: 'ChangeRecords',
        Effect: 'Allow',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: [token(ROUTE53_ZONES)],
      },
      {
        Sid: 'ReadRecordsAndZoneTags',
        Effect: 'Allow',
        Action: ['route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        Resource: `arn:${PARTITION}:route53:::hostedzone/*`,
      },
      {
        Sid: 'ListZones',
        Effect: 'Allow',
        Action: 'route53:ListHostedZones',
        Resource: '*',
      },
    ],
    { [ROUTE53_ZONES]: ROUTE53_ZONES_INPUT },
  );

/**
 * external-secrets: read the secrets and parameters of the cluster's account and region that carry
 * `fleet/cluster: <cluster>`. The tag-free actions on `*` list metadata only (names, tags) for
 * `find` by name or tag; BatchGetSecretValue still needs GetSecretValue on each secret.
 * Secrets under a customer managed KMS key also need kms:Decrypt on that key (not granted here).
 */
const externalSecrets: Builder = ({ accountId, region, clusterName }) =>
  ownPolicy([
    {
      Sid: 'ReadClusterSecrets',
      Effect: 'Allow',
      Action: [
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
        'secretsmanager:ListSecretVersionIds',
        'secretsmanager:GetResourcePolicy',
      ],
      Resource: `arn:${PARTITION}:secretsmanager:${region}:${accountId}:secret:*`,
      Condition: { StringEquals: { [`secretsmanager:ResourceTag/${SECRET_SCOPE_TAG}`]: clusterName } },
    },
    {
      Sid: 'FindSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'],
      Resource: '*',
    },
    {
      Sid: 'ReadClusterParameters',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:ListTagsForResource'],
      Resource: `arn:${PARTITION}:ssm:${region}:${accountId}:parameter/*`,
      Condition: { StringEquals: { [`ssm:ResourceTag/${SECRET_SCOPE_TAG}`]: clusterName } },
    },
    {
      Sid: 'FindParameters',
      Effect: 'Allow',
      Action: 'ssm:DescribeParameters',
      Resource: '*',
    },
  ]);

const BUILDERS: Readonly<Record<string, Builder>> = {
  'aws-load-balancer-controller': awsLoadBalancerController,
  // docs/install.md of kubernetes-sigs/aws-ebs-csi-driver at helm-chart-aws-ebs-csi-driver-2.64.0: V2 scopes
  // the driver to volumes and snapshots tagged ebs.csi.aws.com/cluster=true (the driver tags what it creates).
  // That page writes it under service-role/, where only V1 lives: AWS's managed policy reference has V2 at
  // arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2, with no path.
  'aws-ebs-csi-driver': managedOnly(`arn:${PARTITION}:iam::aws:policy/AmazonEBSCSIDriverPolicyV2`),
  // docs/iam-policy-create.md of kubernetes-sigs/aws-efs-csi-driver at helm-chart-aws-efs-csi-driver-4.4.1, for
  // EFS volumes (its Amazon S3 Files policies are for S3 Files volumes, not used here).
  'aws-efs-csi-driver': managedOnly(`arn:${PARTITION}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy`),
  'aws-for-fluent-bit': awsForFluentBit,
  'aws-gateway-api-controller': awsGatewayApiController,
  'aws-node-termination-handler': awsNodeTerminationHandler,
  'cert-manager': certManager,
  'cluster-autoscaler': clusterAutoscaler,
  'external-dns': externalDns,
  'external-secrets': externalSecrets,
  karpenter: karpenterPermissions,
  velero: veleroPermissions,
  'ack-dynamodb-controller': ackDynamodbControllerPermissions,
  'ack-eks-controller': ackEksControllerPermissions,
  'ack-iam-controller': ackIamControllerPermissions,
  'ack-rds-controller': ackRdsControllerPermissions,
  'ack-s3-controller': ackS3ControllerPermissions,
  'adot-collector': adotCollectorPermissions,
  'amazon-cloudwatch-observability': amazonCloudwatchObservabilityPermissions,
  'aws-mountpoint-s3-csi-driver': awsMountpointS3CsiDriverPermissions,
  'aws-privateca-issuer': awsPrivatecaIssuerPermissions,
  'trivy-operator': trivyOperatorPermissions,
};

/** The add-ons this module knows. */
export const ADDON_PERMISSION_ADDONS: readonly string[] = Object.keys(BUILDERS).sort();

/** The permissions of an add-on's IAM role on one cluster, or undefined for an add-on this module does not know. */
export function addonPermissions(addon: string, ctx: AddonPermissionContext): AddonPermissions | undefined {
  return Object.prototype.hasOwnProperty.call(BUILDERS, addon) ? BUILDERS[addon](ctx) : undefined;
}
