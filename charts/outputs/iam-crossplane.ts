/**
 * The IAM roles Crossplane's AWS providers need, written down as JSON for the IaC that creates them
 * (`dist/iam/crossplane/`; no Argo CD Application reads it):
 *
 * - the hub's Crossplane role (the `crossplane` add-on's `iamRoleArn` on a hub): trusted by the provider
 *   pods' service accounts through the hub's EKS OIDC provider (IRSA), allowed to assume the Crossplane
 *   role of each account its ProviderConfigs reach, and, when the hub's own account holds databases, to
 *   manage them itself;
 * - each account's Crossplane role (`AccountSpec.crossplaneRoleArn`): trusted by the hub role(s) that
 *   reach it, allowed to manage what the Composition makes: RDS instances, DB subnet groups and
 *   parameter groups, EC2 security groups and their rules, and the Secrets Manager secret and KMS grants
 *   RDS needs for a managed master password.
 *
 * Create and change rights are scoped by the tag the providers put on everything they create
 * (`crossplane-providerconfig` = the ProviderConfig `aws-<account>`; upjet adds it with
 * `crossplane-kind` and `crossplane-name`), by account and by the regions the account's databases use.
 *
 * The one value the fleet model does not know is the hub's OIDC issuer: the trust policy holds the
 * token `${oidc_provider_<hub>}` (hub name with `_` for `-`), to be replaced by the issuer without
 * `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>`), for example with Terraform's `templatefile()`.
 * `roles.json` lists every role, its files and its inputs.
 */
import { AccountSpec } from '../model/spec.js';
import { ResolvedFleet, resolveFleet } from '../model/resolve.js';
import { hubNames, hubSpec } from '../model/hubs.js';
import { CrossplaneIamPaths } from '../layout/dist-layout.js';
import { CROSSPLANE_PACKAGES, CROSSPLANE_PROVIDER_SERVICE_ACCOUNT } from '../crossplane/crossplane-packages.js';
import { AwsProviderConfig } from '../crossplane/aws-provider-config.js';
import { planDatabases } from '../crossplane/database-plan.js';
import { OutputFile } from './output-file.js';
import { IamStatement, iamPolicy, irsaTrustStatement, oidcInput, oidcToken, pascalCase, podIdentityTrustStatement, TrustedServiceAccounts, serviceAccountSubject } from '../iam/iam-documents.js';
import { jsonFile } from './output-file.js';
import { compareStrings } from '../../engines/util/index.js';

/** The tag upjet-based providers put on every AWS resource they create: the ProviderConfig's name. */
export const PROVIDER_CONFIG_TAG = 'crossplane-providerconfig';

/** How the providers' pods are known to AWS: their namespace and service account names (or name patterns). */
export interface ProviderServiceAccounts extends TrustedServiceAccounts {
  readonly namespace: string;
}

/** One role of `roles.json`. */
export interface CrossplaneRole {
  readonly roleArn: string;
  readonly account: string;
  readonly accountId: string;
  /** `hub` for a hub's provider role, `account` for the role a hub assumes into an account. */
  readonly kind: 'hub' | 'account';
  readonly trustPolicy: string;
  readonly permissionsPolicy?: string;
  /** Tokens in the trust policy the IaC replaces (`${name}`), with what each stands for. */
  readonly inputs: Readonly<Record<string, string>>;
}

interface RoleDocs {
  readonly roleArn: string;
  readonly account: AccountSpec;
  readonly kind: 'hub' | 'account';
  readonly trust: IamStatement[];
  readonly permissions: IamStatement[];
  readonly inputs: Record<string, string>;
  readonly assumes: Set<string>;
  readonly trustedBy: Set<string>;
  readonly regions: Set<string>;
  /** `<region>/<vpc id>` of the account's databases. */
  readonly vpcs: Set<string>;
}

/**
 * The service accounts the AWS providers run as. Their runtime config (`CrossplanePackages`) names no
 * service account, so Crossplane names each provider's after its package revision
 * (`<provider>-<digest>`): the subject is a pattern per provider of `CROSSPLANE_PACKAGES`.
 */
export function providerServiceAccounts(namespace: string): ProviderServiceAccounts {
  return { namespace, operator: 'StringLike', subjects: providerServiceAccountNames().map((name) => serviceAccountSubject(namespace, name)) };
}

/** The names of the providers' service accounts, as patterns: `<provider>-*`, sorted. */
export function providerServiceAccountNames(): string[] {
  return Object.keys(CROSSPLANE_PACKAGES.providers).sort(compareStrings).map((p) => `${p}-*`);
}
/** `arn:<partition>:...`: the partition of an ARN. */
function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

/** The permissions to manage one account's databases, as the Composition makes them. */
export function databaseStatements(account: AccountSpec, regions: readonly string[], vpcs: readonly { region: string; vpcId: string }[], partition: string): IamStatement[] {
  const id = account.id;
  const pc = AwsProviderConfig.nameFor(account.name);
  const arns = (service: string, type: string, name = '*') => regions.map((r) => `arn:${partition}:${service}:${r}:${id}:${type}${name}`);
  const requestTag = { StringEquals: { [`aws:RequestTag/${PROVIDER_CONFIG_TAG}`]: pc } };
  const resourceTag = { StringEquals: { [`aws:ResourceTag/${PROVIDER_CONFIG_TAG}`]: pc } };
  const rdsOwn = [...arns('rds', 'db:'), ...arns('rds', 'subgrp:'), ...arns('rds', 'pg:')];
  const viaServices = regions.flatMap((r) => [`rds.${r}.amazonaws.com`, `secretsmanager.${r}.amazonaws.com`]);
  return [
    {
      Sid: 'RdsRead',
      Effect: 'Allow',
      Action: [
        'rds:DescribeDBEngineVersions',
        'rds:DescribeDBInstances',
        'rds:DescribeDBParameterGroups',
        'rds:DescribeDBParameters',
        'rds:DescribeDBSnapshots',
        'rds:DescribeDBSubnetGroups',
        'rds:DescribeOptionGroups',
        'rds:DescribeOrderableDBInstanceOptions',
        'rds:DescribePendingMaintenanceActions',
        'rds:ListTagsForResource',
      ],
      Resource: '*',
    },
    {
      // Creating with tags is also authorized as rds:AddTagsToResource; the request must carry the tag.
      // CreateDBInstance is also checked against the default parameter and option groups it uses.
      Sid: 'RdsCreateTagged',
      Effect: 'Allow',
      Action: ['rds:AddTagsToResource', 'rds:CreateDBInstance', 'rds:CreateDBParameterGroup', 'rds:CreateDBSubnetGroup'],
      Resource: [...rdsOwn, ...arns('rds', 'og:')],
      Condition: requestTag,
    },
    {
      Sid: 'RdsManageOwn',
      Effect: 'Allow',
      Action: [
        'rds:AddTagsToResource',
        'rds:CreateDBSnapshot',
        'rds:DeleteDBInstance',
        'rds:DeleteDBParameterGroup',
        'rds:DeleteDBSubnetGroup',
        'rds:ModifyDBInstance',
        'rds:ModifyDBParameterGroup',
        'rds:ModifyDBSubnetGroup',
        'rds:RebootDBInstance',
        'rds:RemoveTagsFromResource',
        'rds:ResetDBParameterGroup',
      ],
      Resource: rdsOwn,
      Condition: resourceTag,
    },
    {
      // The final snapshot on deletion: named `<identifier>-final` by the Composition.
      Sid: 'RdsFinalSnapshot',
      Effect: 'Allow',
      Action: ['rds:AddTagsToResource', 'rds:CreateDBSnapshot'],
      Resource: arns('rds', 'snapshot:', '*-final'),
    },
    {
      Sid: 'RdsServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: `arn:${partition}:iam::${id}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`,
      Condition: { StringEquals: { 'iam:AWSServiceName': 'rds.amazonaws.com' } },
    },
    {
      Sid: 'Ec2Read',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroupRules',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeTags',
        'ec2:DescribeVpcs',
      ],
      Resource: '*',
    },
    {
      Sid: 'Ec2CreateTagged',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateSecurityGroup'],
      Resource: [...arns('ec2', 'security-group/'), ...arns('ec2', 'security-group-rule/')],
      Condition: requestTag,
    },
    {
      // Security groups are created in the VPCs the environments name; a VPC carries no tag of ours.
      Sid: 'Ec2CreateInVpc',
      Effect: 'Allow',
      Action: 'ec2:CreateSecurityGroup',
      Resource: vpcs.map((v) => `arn:${partition}:ec2:${v.region}:${id}:vpc/${v.vpcId}`),
    },
    {
      Sid: 'Ec2TagOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: [...arns('ec2', 'security-group/'), ...arns('ec2', 'security-group-rule/')],
      Condition: { StringEquals: { 'ec2:CreateAction': ['AuthorizeSecurityGroupIngress', 'CreateSecurityGroup'] } },
    },
    {
      Sid: 'Ec2ManageOwn',
      Effect: 'Allow',
      Action: [
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:CreateTags',
        'ec2:DeleteSecurityGroup',
        'ec2:DeleteTags',
        'ec2:ModifySecurityGroupRules',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
        'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
      ],
      Resource: [...arns('ec2', 'security-group/'), ...arns('ec2', 'security-group-rule/')],
      Condition: resourceTag,
    },
    {
      // RDS creates, rotates and deletes the master password's secret (`rds!db-...`) with the caller's rights.
      Sid: 'RdsManagedSecret',
      Effect: 'Allow',
      Action: [
        'secretsmanager:CreateSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:RotateSecret',
        'secretsmanager:TagResource',
        'secretsmanager:UpdateSecret',
      ],
      Resource: arns('secretsmanager', 'secret:', 'rds!*'),
    },
    {
      Sid: 'RdsManagedSecretPassword',
      Effect: 'Allow',
      Action: 'secretsmanager:GetRandomPassword',
      Resource: '*',
    },
    {
      // Storage encryption and the managed secret: KMS used only through RDS and Secrets Manager.
      Sid: 'KmsThroughRds',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      Resource: arns('kms', 'key/'),
      Condition: { StringEquals: { 'kms:ViaService': viaServices } },
    },
    {
      Sid: 'KmsGrantsForRds',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: arns('kms', 'key/'),
      Condition: { StringEquals: { 'kms:ViaService': viaServices }, Bool: { 'kms:GrantIsForAWSResource': true } },
    },
  ];
}

/** The IRSA trust of a hub's provider role. */
function irsaTrust(hub: ResolvedFleet['hub'], roleArn: string, accounts: ProviderServiceAccounts): IamStatement {
  return irsaTrustStatement(`ProvidersOn${pascalCase(hub.name)}`, hub.name, hub.account.id, accounts, partitionOf(roleArn));
}

/** The name of a role from its ARN (`arn:aws:iam::<id>:role/<path/>name`). */
export function roleName(roleArn: string): string {
  return roleArn.split('/').pop()!;
}

/** Every Crossplane role of the fleet with its statements, hubs first, in a stable order. */
export function crossplaneRoles(fleet: ResolvedFleet): RoleDocs[] {
  const roles = new Map<string, RoleDocs>();
  const role = (roleArn: string, account: AccountSpec, kind: 'hub' | 'account'): RoleDocs => {
    let r = roles.get(roleArn);
    if (!r) {
      r = { roleArn, account, kind, trust: [], permissions: [], inputs: {}, assumes: new Set(), trustedBy: new Set(), regions: new Set(), vpcs: new Set() };
      roles.set(roleArn, r);
    }
    return r;
  };
  const hubs = hubNames(fleet.spec);
  for (const hub of hubs) {
    const view = hubs.length === 1 ? fleet : resolveFleet(hubSpec(fleet.spec, hub), fleet.catalog);
    const crossplane = view.hub.addons.get('crossplane');
    if (!crossplane?.iamRoleArn) continue;
    const hubRole = role(crossplane.iamRoleArn, view.hub.account, 'hub');
    if (view.hub.identity === 'pod-identity') {
      hubRole.trust.push(podIdentityTrustStatement(`ProvidersOn${pascalCase(hub)}`, [view.hub.awsClusterName], crossplane.definition.namespace, [CROSSPLANE_PROVIDER_SERVICE_ACCOUNT]));
    } else {
      hubRole.trust.push(irsaTrust(view.hub, crossplane.iamRoleArn, providerServiceAccounts(crossplane.definition.namespace)));
      hubRole.inputs[oidcToken(hub)] = oidcInput(view.hub);
    }
    for (const db of planDatabases(view)) {
      if (db.account.name === view.hub.account.name) {
        hubRole.regions.add(db.settings.region);
        hubRole.vpcs.add(`${db.settings.region}/${db.settings.vpcId}`);
        continue;
      }
      const target = role(db.account.crossplaneRoleArn!, db.account, 'account');
      hubRole.assumes.add(target.roleArn);
      target.trustedBy.add(hubRole.roleArn);
      target.regions.add(db.settings.region);
      target.vpcs.add(`${db.settings.region}/${db.settings.vpcId}`);
    }
  }
  const sorted = [...roles.values()].sort((a, b) => (a.kind === b.kind ? compareStrings(a.roleArn, b.roleArn) : a.kind === 'hub' ? -1 : 1));
  for (const r of sorted) {
    const partition = partitionOf(r.roleArn);
    if (r.trustedBy.size > 0) {
      const principals = [...r.trustedBy].sort();
      r.trust.push({ Sid: 'HubCrossplane', Effect: 'Allow', Principal: { AWS: principals.length === 1 ? principals[0] : principals }, Action: 'sts:AssumeRole' });
    }
    if (r.assumes.size > 0) {
      const targets = [...r.assumes].sort();
      r.permissions.push({ Sid: 'AssumeAccountRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: targets.length === 1 ? targets[0] : targets });
    }
    if (r.regions.size > 0) {
      const vpcs = [...r.vpcs].sort().map((v) => ({ region: v.split('/')[0], vpcId: v.split('/')[1] }));
      r.permissions.push(...databaseStatements(r.account, [...r.regions].sort(), vpcs, partition));
    }
  }
  return sorted;
}

/**
 * `dist/iam/crossplane/`: each Crossplane role's trust and permissions policies and `roles.json`; no
 * files when no hub runs Crossplane.
 */
export function crossplaneIamOutputs(fleet: ResolvedFleet): OutputFile[] {
  const roles = crossplaneRoles(fleet);
  if (roles.length === 0) return [];
  const files: OutputFile[] = [];
  const index: CrossplaneRole[] = [];
  for (const r of roles) {
    const name = roleName(r.roleArn);
    const trustPolicy = CrossplaneIamPaths.trust(r.account.name, name);
    const permissionsPolicy = r.permissions.length > 0 ? CrossplaneIamPaths.permissions(r.account.name, name) : undefined;
    files.push(jsonFile(trustPolicy, iamPolicy(r.trust)));
    if (permissionsPolicy) files.push(jsonFile(permissionsPolicy, iamPolicy(r.permissions)));
    index.push({
      roleArn: r.roleArn,
      account: r.account.name,
      accountId: r.account.id,
      kind: r.kind,
      trustPolicy,
      ...(permissionsPolicy ? { permissionsPolicy } : {}),
      inputs: r.inputs,
    });
  }
  files.push(jsonFile(CrossplaneIamPaths.index, {
    description:
      "IAM roles of Crossplane's AWS providers, generated by cdk8s-fleet (npm run synth): create each role with its trust policy and attach its permissions policy. Replace each ${input} of a trust policy with the value described under inputs (for example with Terraform's templatefile()).",
    roles: index,
  }));
  return files;
}
