/**
 * The IAM documents of Crossplane's roles (`dist/iam/crossplane/`): valid JSON with IAM's grammar, one
 * role per account that holds databases, the hub role assuming exactly the roles the ProviderConfigs
 * name, the IRSA trust matching the service accounts the providers run as, and no wildcard actions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { fleetCopy, render, resolved } from './support/fleet.js';
import { CrossplaneIamPaths, IAM_DIR } from '../charts/layout/dist-layout.js';
import { crossplaneIamOutputs, CrossplaneRole, PROVIDER_CONFIG_TAG } from '../charts/outputs/iam-crossplane.js';
import { IamPolicy, IamStatement, oidcToken } from '../charts/iam/iam-documents.js';
import { planDatabases } from '../charts/crossplane/database-plan.js';
import { AWS_RUNTIME_CONFIG } from '../charts/crossplane/crossplane-packages.js';

const files = render();
const crossplaneFiles = [...files.keys()].filter((p) => p.startsWith(`${IAM_DIR}/crossplane/`));
const index = JSON.parse(files.get(CrossplaneIamPaths.index)!) as { roles: CrossplaneRole[] };
const policyAt = (path: string): IamPolicy => JSON.parse(files.get(path)!) as IamPolicy;
const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);

/** Every object rendered into a YAML file of dist/. */
function renderedObjects(): any[] {
  return [...files].filter(([p]) => p.endsWith('.yaml')).flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS()));
}

/** What a StringLike pattern matches (IAM: `*` any run of characters, `?` one character). */
function stringLike(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

function assertStatementGrammar(s: IamStatement, trust: boolean, where: string): void {
  assert.ok(typeof s.Sid === 'string' && /^[A-Za-z0-9]+$/.test(s.Sid), `${where}: Sid is alphanumeric`);
  assert.ok(s.Effect === 'Allow' || s.Effect === 'Deny', `${where}: Effect`);
  const actions = list(s.Action);
  assert.ok(actions.length > 0, `${where}: Action`);
  for (const a of actions) {
    assert.match(a, /^[a-z0-9-]+:[A-Za-z0-9]+$/, `${where}: action ${a} is service:Action, no wildcard`);
  }
  if (trust) {
    assert.ok(s.Principal && Object.keys(s.Principal).length > 0, `${where}: a trust statement names a Principal`);
    assert.equal(s.Resource, undefined, `${where}: a trust statement has no Resource`);
  } else {
    assert.equal(s.Principal, undefined, `${where}: a permissions statement has no Principal`);
    const resources = list(s.Resource);
    assert.ok(resources.length > 0, `${where}: Resource`);
    for (const r of resources) assert.ok(r === '*' || r.startsWith('arn:'), `${where}: resource ${r} is an ARN or *`);
  }
  if (s.Condition) {
    for (const [operator, block] of Object.entries(s.Condition)) {
      assert.match(operator, /^(StringEquals|StringLike|Bool|ArnEquals|ArnLike)$/, `${where}: condition operator ${operator}`);
      assert.ok(Object.keys(block).length > 0, `${where}: condition ${operator} has keys`);
    }
  }
}

describe('IAM documents of Crossplane (dist/iam/crossplane/)', () => {
  it('are rendered: an index and, per role, a trust and a permissions policy', () => {
    assert.ok(files.has(CrossplaneIamPaths.index));
    assert.deepEqual(
      crossplaneFiles.sort(),
      [CrossplaneIamPaths.index, ...index.roles.flatMap((r) => [r.trustPolicy, ...(r.permissionsPolicy ? [r.permissionsPolicy] : [])])].sort(),
    );
  });

  it('are valid JSON with IAM grammar: Version 2012-10-17, statements with Sid, Effect, Action, and Resource or Principal', () => {
    for (const role of index.roles) {
      for (const [path, trust] of [[role.trustPolicy, true], [role.permissionsPolicy, false]] as const) {
        if (!path) continue;
        const text = files.get(path)!;
        assert.ok(text.endsWith('\n'), `${path}: ends with a newline`);
        const doc = JSON.parse(text) as IamPolicy;
        assert.deepEqual(Object.keys(doc), ['Version', 'Statement'], path);
        assert.equal(doc.Version, '2012-10-17', path);
        assert.ok(Array.isArray(doc.Statement) && doc.Statement.length > 0, `${path}: Statement`);
        const sids = doc.Statement.map((s) => s.Sid);
        assert.equal(new Set(sids).size, sids.length, `${path}: Sids are unique`);
        doc.Statement.forEach((s, i) => assertStatementGrammar(s, trust, `${path} Statement[${i}]`));
        // IAM counts a managed policy's characters without white space: at most 6,144.
        assert.ok(JSON.stringify(doc).length <= 6144, `${path}: ${JSON.stringify(doc).length} characters, within IAM's 6,144 for a managed policy`);
      }
    }
  });

  it('grant no action by wildcard, and "*" resources only to reading actions', () => {
    for (const path of crossplaneFiles.filter((p) => p !== CrossplaneIamPaths.index)) {
      for (const s of policyAt(path).Statement) {
        for (const a of list(s.Action)) assert.ok(!a.includes('*'), `${path}: ${s.Sid}: action ${a}`);
        if (list(s.Resource).includes('*')) {
          for (const a of list(s.Action)) assert.match(a, /:(Describe|List|GetRandomPassword)/, `${path}: ${s.Sid}: ${a} on *`);
        }
      }
    }
  });

  it('give every account that holds databases (other than the hub\'s own) a role with a trust and a permissions policy', () => {
    const fleet = resolved();
    const accounts = new Set(planDatabases(fleet).map((d) => d.account).filter((a) => a.name !== fleet.hub.account.name));
    assert.ok(accounts.size > 0, 'the example fleet has databases in a tenant account');
    for (const account of accounts) {
      const role = index.roles.find((r) => r.kind === 'account' && r.account === account.name);
      assert.ok(role, `a role for account ${account.name}`);
      assert.equal(role.roleArn, account.crossplaneRoleArn);
      assert.equal(role.accountId, account.id);
      assert.ok(role.permissionsPolicy, `${account.name}: permissions`);
      const statements = policyAt(role.permissionsPolicy).Statement;
      const actions = new Set(statements.flatMap((s) => list(s.Action)));
      for (const a of ['rds:CreateDBInstance', 'rds:CreateDBSubnetGroup', 'rds:AddTagsToResource', 'ec2:CreateSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'kms:CreateGrant', 'kms:DescribeKey']) {
        assert.ok(actions.has(a), `${account.name}: ${a}`);
      }
      // Every resource ARN names the account.
      for (const s of statements) {
        for (const r of list(s.Resource).filter((x) => x !== '*')) assert.ok(r.split(':')[4] === account.id || r.startsWith(`arn:aws:iam::${account.id}:`), `${s.Sid}: ${r} in account ${account.id}`);
      }
    }
  });

  it('scope creating to the ProviderConfig tag in the request and changing to the tag on the resource', () => {
    const role = index.roles.find((r) => r.kind === 'account')!;
    const statements = policyAt(role.permissionsPolicy!).Statement;
    const pc = `aws-${role.account}`;
    const create = statements.find((s) => s.Sid === 'RdsCreateTagged')!;
    assert.deepEqual(create.Condition, { StringEquals: { [`aws:RequestTag/${PROVIDER_CONFIG_TAG}`]: pc } });
    for (const sid of ['RdsManageOwn', 'Ec2ManageOwn']) {
      assert.deepEqual(statements.find((s) => s.Sid === sid)!.Condition, { StringEquals: { [`aws:ResourceTag/${PROVIDER_CONFIG_TAG}`]: pc } }, sid);
    }
    // The ProviderConfig the tag names is the one the claims use in that account.
    const providerConfigs = renderedObjects().filter((o) => o?.kind === 'ProviderConfig').map((o) => o.metadata.name);
    assert.ok(providerConfigs.includes(pc), `ProviderConfig ${pc} is rendered`);
  });

  it('let the hub role assume exactly the roles the ProviderConfigs assume', () => {
    const fleet = resolved();
    const hubRole = index.roles.find((r) => r.kind === 'hub')!;
    assert.equal(hubRole.roleArn, fleet.hub.addons.get('crossplane')!.iamRoleArn);
    const assumed = policyAt(hubRole.permissionsPolicy!).Statement.filter((s) => list(s.Action).includes('sts:AssumeRole')).flatMap((s) => list(s.Resource));
    const chains = renderedObjects().filter((o) => o?.kind === 'ProviderConfig').flatMap((o) => (o.spec.assumeRoleChain ?? []).map((c: { roleARN?: string; roleArn?: string }) => c.roleARN ?? c.roleArn));
    assert.ok(chains.length > 0);
    assert.deepEqual(assumed.sort(), [...new Set(chains)].sort());
    const tenantRoles = index.roles.filter((r) => r.kind === 'account').map((r) => r.roleArn);
    assert.deepEqual(assumed.sort(), tenantRoles.sort());
    // ...and each of those roles trusts the hub role, and only it.
    for (const r of index.roles.filter((x) => x.kind === 'account')) {
      const trust = policyAt(r.trustPolicy).Statement;
      assert.deepEqual(trust.map((s) => [s.Principal, s.Action]), [[{ AWS: hubRole.roleArn }, 'sts:AssumeRole']]);
    }
  });

  it('trust, on the hub, exactly the service accounts the DeploymentRuntimeConfig gives the AWS providers', () => {
    const fleet = resolved();
    const hubRole = index.roles.find((r) => r.kind === 'hub')!;
    const [statement, ...rest] = policyAt(hubRole.trustPolicy).Statement;
    assert.equal(rest.length, 0);
    const token = `\${${oidcToken(fleet.hub.name)}}`;
    assert.equal(statement.Action, 'sts:AssumeRoleWithWebIdentity');
    assert.deepEqual(statement.Principal, { Federated: `arn:aws:iam::${fleet.hub.account.id}:oidc-provider/${token}` });
    assert.ok(hubRole.inputs[oidcToken(fleet.hub.name)], 'roles.json documents the token');
    assert.deepEqual(statement.Condition!.StringEquals, { [`${token}:aud`]: 'sts.amazonaws.com' });

    const objects = renderedObjects();
    const runtime = objects.find((o) => o?.kind === 'DeploymentRuntimeConfig' && o.metadata.name === AWS_RUNTIME_CONFIG);
    assert.ok(runtime, 'the runtime config is rendered');
    assert.equal(runtime.spec.serviceAccountTemplate.metadata.annotations['eks.amazonaws.com/role-arn'], hubRole.roleArn, 'the providers run with the hub role');
    const providers = objects.filter((o) => o?.kind === 'Provider' && o.spec.runtimeConfigRef?.name === AWS_RUNTIME_CONFIG).map((o) => o.metadata.name as string);
    assert.ok(providers.length > 0);
    const namespace = fleet.hub.addons.get('crossplane')!.definition.namespace;
    const named: string | undefined = runtime.spec.serviceAccountTemplate.metadata.name;
    if (named) {
      // The runtime config names the service account: the subject is exactly it.
      assert.deepEqual(statement.Condition!.StringEquals[`${token}:sub`], `system:serviceaccount:${namespace}:${named}`);
    } else {
      // Crossplane names each provider's service account after its package revision: <provider>-<digest>.
      assert.deepEqual(Object.keys(statement.Condition!).sort(), ['StringEquals', 'StringLike']);
      const patterns = list(statement.Condition!.StringLike[`${token}:sub`] as string | string[]);
      for (const p of providers) {
        assert.ok(patterns.some((pat) => stringLike(pat, `system:serviceaccount:${namespace}:${p}-0123456789ab`)), `provider ${p} is trusted`);
      }
      // Nothing else: not the family provider Crossplane installs as a dependency, not Crossplane itself, not another namespace.
      for (const other of ['crossplane-contrib-provider-family-aws-0123456789ab', 'crossplane', 'provider-aws-s3-0123456789ab']) {
        assert.ok(!patterns.some((pat) => stringLike(pat, `system:serviceaccount:${namespace}:${other}`)), `${other} is not trusted`);
      }
      assert.ok(!patterns.some((pat) => stringLike(pat, `system:serviceaccount:default:${providers[0]}-0123456789ab`)));
    }
  });

  it("give the hub role the database permissions itself when the hub's own account holds databases", () => {
    const spec = fleetCopy();
    const staging = spec.environments.find((e) => e.name === 'staging')!;
    staging.databases = { ...staging.databases!, account: 'central' };
    const out = crossplaneIamOutputs(resolved(spec));
    const idx = JSON.parse(out.find((f) => f.path === CrossplaneIamPaths.index)!.text!) as { roles: CrossplaneRole[] };
    const hubRole = idx.roles.find((r) => r.kind === 'hub')!;
    const statements = (JSON.parse(out.find((f) => f.path === hubRole.permissionsPolicy)!.text!) as IamPolicy).Statement;
    assert.deepEqual(statements.find((s) => s.Sid === 'AssumeAccountRoles')!.Resource, 'arn:aws:iam::444455556666:role/crossplane-provider-aws');
    const create = statements.find((s) => s.Sid === 'RdsCreateTagged')!;
    assert.ok(list(create.Resource).every((r) => r.includes(':111122223333:')));
    assert.deepEqual(create.Condition, { StringEquals: { [`aws:RequestTag/${PROVIDER_CONFIG_TAG}`]: 'aws-central' } });
  });

  it('with several hubs: each hub role trusts its own cluster\'s OIDC provider and assumes the roles of the databases it claims', () => {
    const spec = fleetCopy();
    const hub = spec.clusters.find((c) => c.name === 'hub')!;
    const euRole = 'arn:aws:iam::111122223333:role/hub-eu-crossplane';
    spec.clusters.push({ ...structuredClone(hub), name: 'hub-eu', region: 'eu-west-1', vpcId: 'vpc-0e1f2a3b4c5d6e7f8', addons: { ...hub.addons, crossplane: { iamRoleArn: euRole } } });
    spec.clusters.find((c) => c.name === 'spoke-staging')!.hub = 'hub-eu';
    spec.clusters.find((c) => c.name === 'spoke-prod')!.hub = 'hub';
    const out = new Map(crossplaneIamOutputs(resolved(spec)).map((f) => [f.path, JSON.parse(f.text!)]));
    const roles = (out.get(CrossplaneIamPaths.index) as { roles: CrossplaneRole[] }).roles;
    assert.deepEqual(roles.map((r) => [r.kind, r.roleArn]), [['hub', 'arn:aws:iam::111122223333:role/hub-crossplane'], ['hub', euRole], ['account', 'arn:aws:iam::444455556666:role/crossplane-provider-aws']]);
    for (const [name, r] of [['hub', roles[0]], ['hub-eu', roles[1]]] as const) {
      const trust = (out.get(r.trustPolicy) as IamPolicy).Statement;
      assert.equal(trust.length, 1);
      assert.deepEqual(trust[0].Principal, { Federated: `arn:aws:iam::111122223333:oidc-provider/\${${oidcToken(name)}}` });
      assert.deepEqual(Object.keys(r.inputs), [oidcToken(name)]);
      assert.deepEqual((out.get(r.permissionsPolicy!) as IamPolicy).Statement.map((s) => [s.Action, s.Resource]), [['sts:AssumeRole', 'arn:aws:iam::444455556666:role/crossplane-provider-aws']]);
    }
    const tenantTrust = (out.get(roles[2].trustPolicy) as IamPolicy).Statement;
    assert.deepEqual(tenantTrust[0].Principal, { AWS: ['arn:aws:iam::111122223333:role/hub-crossplane', euRole] });
  });

  it('are not rendered when no hub runs Crossplane', () => {
    const spec = fleetCopy();
    const hub = spec.clusters.find((c) => c.role === 'hub')!;
    hub.addons = { ...hub.addons, crossplane: false };
    assert.deepEqual(crossplaneIamOutputs(resolved(spec)), []);
  });
});
