/**
 * The permissions of the add-ons' IAM roles (`charts/iac/addon-permissions.ts`): one entry per catalog
 * add-on with an IAM role (but argo-cd and crossplane), IAM grammar, inputs that match the `${token}`s,
 * no wildcard grants beyond upstream's, ARNs of the cluster's account, region and name, every document
 * within IAM's managed-policy size, and the upstream content that matters.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolved } from './support/fleet.js';
import { ADDON_CATALOG } from '../charts/addons/catalog.js';
import { clusterArn } from '../charts/model/resolve.js';
import {
  ADDON_PERMISSION_ADDONS,
  AddonPermissionContext,
  AddonPermissions,
  addonPermissions,
  SECRET_SCOPE_TAG,
} from '../charts/iam/permissions/addon-permissions.js';
import { IamPolicy, IamStatement } from '../charts/iam/iam-documents.js';

/** Add-ons whose roles are written elsewhere (Crossplane role chains, the hub's Argo CD). */
const ELSEWHERE = ['argo-cd', 'crossplane'];
/** IAM's limit on all of a role's inline policies, in characters without white space (the IaC attaches each document inline). */
const INLINE_POLICIES_MAX = 10240;
/** Documents kept as upstream wrote them, with upstream's account/region wildcards in ARNs. */
const UPSTREAM_ARNS = ['aws-gateway-api-controller', 'aws-load-balancer-controller', 'karpenter'];
/** `service:*` on `*` that upstream grants: the VPC Lattice controller manages every Lattice resource. */
const UPSTREAM_SERVICE_WILDCARDS: Readonly<Record<string, readonly string[]>> = {
  'aws-gateway-api-controller': ['vpc-lattice:*'],
  // config/iam/recommended-inline-policy of aws-controllers-k8s/eks-controller at v1.20.0: the controller manages every EKS resource.
  'ack-eks-controller': ['eks:*'],
  // config/iam/recommended-inline-policy of aws-controllers-k8s/s3-controller at v1.10.0: every bucket of the account.
  'ack-s3-controller': ['s3:*', 's3-object-lambda:*', 's3express:*'],
};

const CTX: AddonPermissionContext = { accountId: '111122223333', region: 'us-west-2', clusterName: 'spoke-prod-usw2' };
const OTHER: AddonPermissionContext = { accountId: '444455556666', region: 'eu-central-1', clusterName: 'hub-euc1' };

const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
const perms = (addon: string, ctx: AddonPermissionContext = CTX): AddonPermissions => {
  const p = addonPermissions(addon, ctx);
  assert.ok(p, `${addon} has permissions`);
  return p;
};
const policies = (ctx: AddonPermissionContext = CTX): Array<[string, IamPolicy]> =>
  ADDON_PERMISSION_ADDONS.flatMap((a) => {
    const p = perms(a, ctx).policy;
    return p ? [[a, p] as [string, IamPolicy]] : [];
  });
const statement = (addon: string, sid: string, ctx: AddonPermissionContext = CTX): IamStatement => {
  const s = perms(addon, ctx).policy?.Statement.find((x) => x.Sid === sid);
  assert.ok(s, `${addon}: statement ${sid}`);
  return s;
};
/** The statements of a document that allow `action`. */
const granting = (addon: string, action: string, ctx: AddonPermissionContext = CTX): IamStatement[] =>
  (perms(addon, ctx).policy?.Statement ?? []).filter((s) => list(s.Action).includes(action));
const tokensOf = (text: string): Set<string> => new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]));
const minifiedLength = (p: IamPolicy): number => JSON.stringify(p).replace(/\s/g, '').length;

describe('add-on IAM permissions (charts/iac/addon-permissions.ts)', () => {
  it('cover exactly the catalog add-ons with an IAM role, but argo-cd and crossplane', () => {
    const expected = ADDON_CATALOG.filter((a) => a.iamRole && !ELSEWHERE.includes(a.name)).map((a) => a.name).sort();
    assert.deepEqual([...ADDON_PERMISSION_ADDONS].sort(), expected);
    for (const a of expected) assert.ok(addonPermissions(a, CTX), `${a} has permissions`);
    for (const a of ELSEWHERE) assert.equal(addonPermissions(a, CTX), undefined, `${a} is handled elsewhere`);
    assert.equal(addonPermissions('metrics-server', CTX), undefined);
    assert.equal(addonPermissions('toString', CTX), undefined, 'no inherited properties');
  });

  it('are deterministic: the same context gives the same documents', () => {
    for (const a of ADDON_PERMISSION_ADDONS) assert.deepEqual(addonPermissions(a, { ...CTX }), addonPermissions(a, CTX), a);
  });

  it('attach sorted, full AWS managed policy ARNs, and a policy wherever no managed policy covers the role', () => {
    for (const a of ADDON_PERMISSION_ADDONS) {
      const p = perms(a);
      assert.deepEqual([...p.managedPolicyArns], [...p.managedPolicyArns].sort(), `${a}: sorted`);
      for (const arn of p.managedPolicyArns) assert.match(arn, /^arn:aws:iam::aws:policy\/[A-Za-z0-9_/+=,.@-]+$/, `${a}: ${arn}`);
      assert.ok(p.managedPolicyArns.length > 0 || p.policy, `${a}: some permissions`);
    }
    assert.deepEqual(perms('aws-ebs-csi-driver'), {
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2'],
      inputs: {},
    });
    assert.deepEqual(perms('aws-efs-csi-driver'), {
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy'],
      inputs: {},
    });
  });

  it('are IAM documents: Version 2012-10-17, unique PascalCase Sids, Allow statements with actions and resources', () => {
    for (const [a, doc] of policies()) {
      assert.deepEqual(Object.keys(doc), ['Version', 'Statement'], a);
      assert.equal(doc.Version, '2012-10-17', a);
      assert.ok(doc.Statement.length > 0, a);
      const sids = doc.Statement.map((s) => s.Sid);
      assert.equal(new Set(sids).size, sids.length, `${a}: Sids are unique`);
      for (const s of doc.Statement) {
        const where = `${a} ${s.Sid}`;
        assert.match(s.Sid, /^[A-Z][A-Za-z0-9]*$/, `${where}: PascalCase Sid`);
        assert.equal(s.Effect, 'Allow', where);
        assert.equal(s.Principal, undefined, `${where}: no Principal in a permissions policy`);
        const actions = list(s.Action);
        assert.ok(actions.length > 0, `${where}: Action`);
        assert.equal(new Set(actions).size, actions.length, `${where}: no repeated action`);
        for (const action of actions) assert.match(action, /^[a-z0-9-]+:(\*|[A-Za-z0-9]+)$/, `${where}: ${action}`);
        const resources = list(s.Resource);
        assert.ok(resources.length > 0, `${where}: Resource`);
        for (const r of resources) assert.ok(r === '*' || r.startsWith('arn:aws:') || /^\$\{[a-z0-9_]+\}/.test(r), `${where}: resource ${r}`);
        for (const [operator, block] of Object.entries(s.Condition ?? {})) {
          assert.match(operator, /^(ForAllValues:|ForAnyValue:)?(StringEquals|StringLike|StringEqualsIfExists|Null|ArnLike|ArnEquals|Bool)$/, `${where}: ${operator}`);
          assert.ok(Object.keys(block).length > 0, `${where}: ${operator} has keys`);
        }
      }
    }
  });

  it('list every ${token} of a policy in inputs, and use every input', () => {
    for (const a of ADDON_PERMISSION_ADDONS) {
      const p = perms(a);
      const used = p.policy ? tokensOf(JSON.stringify(p.policy)) : new Set<string>();
      assert.deepEqual([...used].sort(), Object.keys(p.inputs).sort(), `${a}: tokens = inputs`);
      for (const [name, description] of Object.entries(p.inputs)) {
        assert.match(name, /^[a-z][a-z0-9_]*$/, `${a}: token ${name}`);
        assert.ok(description.length > 0 && !description.includes('\n'), `${a}: ${name} has a one-line description`);
      }
    }
    assert.deepEqual(Object.keys(perms('velero').inputs), ['velero_bucket_arn']);
    assert.deepEqual(Object.keys(perms('karpenter').inputs), ['karpenter_node_role_arn', 'karpenter_sqs_queue_name']);
    assert.deepEqual(Object.keys(perms('aws-node-termination-handler').inputs), ['nth_queue_arn']);
    assert.deepEqual(Object.keys(perms('cert-manager').inputs), ['route53_zone_arns']);
    assert.deepEqual(Object.keys(perms('external-dns').inputs), ['route53_zone_arns']);
  });

  it('grant no "*" action, and "<service>:*" on "*" only where upstream does', () => {
    for (const [a, doc] of policies()) {
      for (const s of doc.Statement) {
        const actions = list(s.Action);
        assert.ok(!actions.includes('*'), `${a} ${s.Sid}: no "*" action`);
        const wildcards = actions.filter((x) => x.endsWith(':*'));
        const allowed = UPSTREAM_SERVICE_WILDCARDS[a] ?? [];
        for (const w of wildcards) assert.ok(allowed.includes(w), `${a} ${s.Sid}: ${w} is not upstream's`);
      }
    }
  });

  it('name ARNs of the cluster account, region and name only (upstream account/region wildcards aside)', () => {
    for (const ctx of [CTX, OTHER]) {
      const other = ctx === CTX ? OTHER : CTX;
      for (const [a, doc] of policies(ctx)) {
        const text = JSON.stringify(doc);
        for (const v of [other.accountId, other.region, other.clusterName]) assert.ok(!text.includes(v), `${a}: no ${v} of another cluster`);
        for (const s of doc.Statement) {
          for (const r of list(s.Resource).filter((x) => x.startsWith('arn:'))) {
            const [, partition, service, region, account] = r.split(':');
            assert.equal(partition, 'aws', `${a}: ${r}`);
            const regionOk = region === '' || region === ctx.region || (region === '*' && UPSTREAM_ARNS.includes(a));
            assert.ok(regionOk, `${a}: region of ${r}`);
            const accountOk = account === '' || account === ctx.accountId || (account === '*' && UPSTREAM_ARNS.includes(a));
            assert.ok(accountOk, `${a}: account of ${r} (${service})`);
          }
        }
      }
      const { accountId, region, clusterName } = ctx;
      assert.equal(statement('karpenter', 'AllowAPIServerEndpointDiscovery', ctx).Resource, `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`);
      // The queue is the one the IaC made (the fact karpenter_sqs_queue_name), not assumed to be named after the cluster.
      assert.equal(statement('karpenter', 'AllowInterruptionQueueActions', ctx).Resource, `arn:aws:sqs:${region}:${accountId}:\${karpenter_sqs_queue_name}`);
      assert.deepEqual(statement('cluster-autoscaler', 'ScaleOwnedNodeGroups', ctx).Condition, {
        StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' },
      });
      assert.deepEqual(list(statement('aws-for-fluent-bit', 'CreateLogGroupsAndStreams', ctx).Resource), [
        `arn:aws:logs:${region}:${accountId}:log-group:/aws/eks/${clusterName}/*`,
      ]);
      assert.deepEqual(list(statement('aws-for-fluent-bit', 'PutLogEvents', ctx).Resource), [
        `arn:aws:logs:${region}:${accountId}:log-group:/aws/eks/${clusterName}/*:log-stream:*`,
      ]);
    }
  });

  it('agree with the example fleet: the karpenter cluster ARN is the one the fleet resolves', () => {
    for (const c of resolved().clusters) {
      const ctx = { accountId: c.account.id, region: c.region, clusterName: c.awsClusterName };
      assert.equal(statement('karpenter', 'AllowAPIServerEndpointDiscovery', ctx).Resource, clusterArn(c));
    }
  });

  it(`fit IAM's ${INLINE_POLICIES_MAX} characters of a role's inline policies, on every example cluster and at EKS's longest cluster name`, () => {
    const contexts: AddonPermissionContext[] = [
      CTX,
      ...resolved().clusters.map((c) => ({ accountId: c.account.id, region: c.region, clusterName: c.awsClusterName })),
      // Karpenter repeats the cluster name in most statements: EKS allows 100 characters.
      { accountId: '111122223333', region: 'ap-southeast-2', clusterName: 'x'.repeat(100) },
    ];
    for (const ctx of contexts) {
      for (const [a, doc] of policies(ctx)) {
        const size = minifiedLength(doc);
        assert.ok(size <= INLINE_POLICIES_MAX, `${a} on ${ctx.clusterName}: ${size} characters`);
      }
    }
  });

  describe('upstream content', () => {
    it('aws-load-balancer-controller v3.5.0: creation and tagging conditioned on elbv2.k8s.aws/cluster', () => {
      const lbc = 'aws-load-balancer-controller';
      const create = granting(lbc, 'elasticloadbalancing:CreateLoadBalancer');
      assert.equal(create.length, 1);
      assert.deepEqual(list(create[0].Action), ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup']);
      assert.deepEqual(create[0].Condition, { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } });
      assert.equal(granting(lbc, 'ec2:CreateSecurityGroup').length, 1);
      const sgTag = granting(lbc, 'ec2:CreateTags').find((s) => s.Condition?.StringEquals?.['ec2:CreateAction'] === 'CreateSecurityGroup');
      assert.ok(sgTag, 'security groups are tagged on creation');
      assert.equal(sgTag.Resource, 'arn:aws:ec2:*:*:security-group/*');
      const addTagsOnCreation = granting(lbc, 'elasticloadbalancing:AddTags').find((s) => s.Condition?.StringEquals?.['elasticloadbalancing:CreateAction']);
      assert.ok(addTagsOnCreation, 'load balancers and target groups are tagged on creation');
      assert.deepEqual(addTagsOnCreation.Condition?.StringEquals?.['elasticloadbalancing:CreateAction'], ['CreateTargetGroup', 'CreateLoadBalancer']);
      const deleteLb = granting(lbc, 'elasticloadbalancing:DeleteLoadBalancer');
      assert.equal(deleteLb.length, 1);
      assert.deepEqual(deleteLb[0].Condition, { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } });
      assert.deepEqual(granting(lbc, 'iam:CreateServiceLinkedRole')[0].Condition, {
        StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
      });
      for (const action of ['ec2:GetSecurityGroupsForVpc', 'elasticloadbalancing:DescribeListenerAttributes', 'elasticloadbalancing:ModifyCapacityReservation']) {
        assert.equal(granting(lbc, action).length, 1, `v2.11 grants ${action}`);
      }
      for (const action of ['ec2:DescribeIpamPools', 'ec2:DescribeRouteTables', 'elasticloadbalancing:ModifyIpPools', 'elasticloadbalancing:SetRulePriorities']) {
        assert.equal(granting(lbc, action).length, 1, `v3.5 grants ${action}`);
      }
      assert.deepEqual(granting(lbc, 'elasticloadbalancing:ModifyIpPools')[0].Condition, { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } });
      assert.equal(perms(lbc).policy?.Statement.length, 16);
      assert.equal(JSON.stringify(perms(lbc).policy).includes('ingress.k8s.aws'), false, 'no pre-v2.2 tag keys');
    });

    it('karpenter v1.14: scoped by the cluster ownership and nodepool tags, PassRole on the node role only to EC2', () => {
      const owned = `aws:ResourceTag/kubernetes.io/cluster/${CTX.clusterName}`;
      const run = statement('karpenter', 'AllowScopedEC2LaunchTemplateAccessActions');
      assert.deepEqual(run.Condition, { StringEquals: { [owned]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } });
      const launch = statement('karpenter', 'AllowScopedEC2InstanceActionsWithTags');
      assert.deepEqual(launch.Condition?.StringEquals, {
        [`aws:RequestTag/kubernetes.io/cluster/${CTX.clusterName}`]: 'owned',
        'aws:RequestTag/eks:eks-cluster-name': CTX.clusterName,
      });
      const terminate = granting('karpenter', 'ec2:TerminateInstances');
      assert.equal(terminate.length, 1);
      assert.deepEqual(terminate[0].Condition?.StringEquals, { [owned]: 'owned' });
      const pass = statement('karpenter', 'AllowPassingInstanceRole');
      assert.equal(pass.Resource, '${karpenter_node_role_arn}');
      assert.deepEqual(pass.Condition?.StringEquals?.['iam:PassedToService'], ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn']);
      assert.deepEqual(statement('karpenter', 'AllowRegionalReadActions').Condition, { StringEquals: { 'aws:RequestedRegion': CTX.region } });
      assert.equal(statement('karpenter', 'AllowSSMReadActions').Resource, `arn:aws:ssm:${CTX.region}::parameter/aws/service/*`);
      for (const action of ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:GetInstanceProfile', 'pricing:GetProducts']) {
        assert.equal(granting('karpenter', action).length, 1, action);
      }
      assert.equal(perms('karpenter').policy?.Statement.length, 18);
    });

    it('external-secrets reads only the secrets and parameters tagged for its cluster', () => {
      const tag = SECRET_SCOPE_TAG;
      assert.equal(tag, 'fleet/cluster');
      for (const action of ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:GetResourcePolicy']) {
        const [s, ...more] = granting('external-secrets', action);
        assert.equal(more.length, 0, action);
        assert.equal(s.Resource, `arn:aws:secretsmanager:${CTX.region}:${CTX.accountId}:secret:*`);
        assert.deepEqual(s.Condition, { StringEquals: { [`secretsmanager:ResourceTag/${tag}`]: CTX.clusterName } });
      }
      for (const action of ['ssm:GetParameter', 'ssm:GetParameters']) {
        const [s, ...more] = granting('external-secrets', action);
        assert.equal(more.length, 0, action);
        assert.equal(s.Resource, `arn:aws:ssm:${CTX.region}:${CTX.accountId}:parameter/*`);
        assert.deepEqual(s.Condition, { StringEquals: { [`ssm:ResourceTag/${tag}`]: CTX.clusterName } });
      }
      // What is granted on "*" reveals metadata only, never a value.
      const unscoped = (perms('external-secrets').policy?.Statement ?? []).filter((s) => s.Resource === '*').flatMap((s) => list(s.Action));
      assert.deepEqual(unscoped.sort(), ['secretsmanager:BatchGetSecretValue', 'secretsmanager:ListSecrets', 'ssm:DescribeParameters']);
    });

    it('cert-manager, external-dns: record changes only on the hosted zones of the input', () => {
      assert.deepEqual(list(granting('cert-manager', 'route53:ChangeResourceRecordSets')[0].Resource), ['${route53_zone_arns}']);
      assert.deepEqual(list(granting('cert-manager', 'route53:GetChange')[0].Resource), ['arn:aws:route53:::change/*']);
      assert.equal(granting('cert-manager', 'route53:ListHostedZonesByName')[0].Resource, '*');
      assert.deepEqual(list(granting('external-dns', 'route53:ChangeResourceRecordSets')[0].Resource), ['${route53_zone_arns}']);
      assert.equal(granting('external-dns', 'route53:ListHostedZones')[0].Resource, '*');
      // ListTagsForResources (plural) is the batch call external-dns 0.21 makes; upstream grants it on every hosted zone.
      for (const action of ['route53:ListResourceRecordSets', 'route53:ListTagsForResources']) {
        assert.equal(granting('external-dns', action)[0].Resource, 'arn:aws:route53:::hostedzone/*', action);
      }
      assert.equal(granting('external-dns', 'route53:ListTagsForResource').length, 0, 'not the single-resource call');
    });

    it('cluster-autoscaler, node termination handler, velero, gateway API controller: the upstream actions', () => {
      assert.deepEqual(list(statement('cluster-autoscaler', 'ScaleOwnedNodeGroups').Action), [
        'autoscaling:SetDesiredCapacity',
        'autoscaling:TerminateInstanceInAutoScalingGroup',
      ]);
      assert.equal(granting('cluster-autoscaler', 'eks:DescribeNodegroup').length, 1);
      assert.deepEqual(list(granting('aws-node-termination-handler', 'sqs:ReceiveMessage')[0].Resource), ['${nth_queue_arn}']);
      for (const action of ['autoscaling:CompleteLifecycleAction', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeTags', 'ec2:DescribeInstances', 'sqs:DeleteMessage']) {
        assert.equal(granting('aws-node-termination-handler', action).length, 1, action);
      }
      assert.deepEqual(list(granting('velero', 's3:PutObject')[0].Resource), ['${velero_bucket_arn}/*']);
      assert.deepEqual(list(granting('velero', 's3:ListBucket')[0].Resource), ['${velero_bucket_arn}']);
      assert.equal(granting('velero', 'ec2:CreateSnapshot')[0].Resource, '*');
      assert.equal(granting('aws-gateway-api-controller', 'iam:CreateServiceLinkedRole').length, 2);
      assert.equal(granting('aws-gateway-api-controller', 'vpc-lattice:*')[0].Resource, '*');
    });
  });
});
