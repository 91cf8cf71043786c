/**
 * The database chain, end to end, for every claim of the example fleet: claim (hub) -> composite
 * resource (as Crossplane makes it from a claim) -> composed resources (as function-patch-and-transform
 * v0.10.8 patches them) -> what RDS creates (identifier, ARN, address, managed secret and its tag) ->
 * status back on the composite -> the spoke's ExternalSecret lookup (as External Secrets v2.9.0's AWS
 * Secrets Manager provider does it, with the store's IAM policy) -> DB_HOST.
 *
 * Upstream semantics this relies on, read in the pinned sources:
 * - provider-upjet-aws v2.6.0 config/externalname.go: `"aws_db_instance": config.IdentifierFromProvider`;
 *   the name RDS creates the instance under is `spec.forProvider.identifier` (v1beta3 CRD), not the
 *   external-name annotation (the ID of an instance to import).
 * - crossplane v2.3.4 internal/controller/apiextensions/claim/syncer_ssa.go: the composite gets the
 *   claim's labels, then `crossplane.io/claim-name` / `crossplane.io/claim-namespace` (set last).
 * - external-secrets v2.9.0 providers/v1/aws/secretsmanager/secretsmanager.go: `find.tags` (no name) is
 *   `findByTags` -> `fetchWithBatch`: BatchGetSecretValue with one `tag-key` and one `tag-value` filter
 *   per tag and no exact comparison afterwards; `it.Errors` (secrets the role may not read) is ignored.
 *   Secrets Manager filters match tag keys and values by prefix (awsdocs/aws-secrets-manager-docs
 *   doc_source/manage_search-secret.md); BatchGetSecretValue needs GetSecretValue on each secret and
 *   reports the others in `Errors` (Secrets Manager API reference, BatchGetSecretValue).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseIdentifier } from '../charts/crossplane/postgres-api.js';
import { exampleFleet, objects, render } from './support/fleet.js';
import { compositeOfClaim, patchAndTransform, patchAndTransformInput, schemaHasPath } from './support/patch-and-transform.js';
import { crdsAvailable, CRDS_DIR, registerXrd, schemaProblems } from './support/schemas.js';

const files = render();
const all = objects(files);
const ofKind = (kind: string) => all.filter((o) => o.obj.kind === kind);
const xrd = ofKind('CompositeResourceDefinition').find((o) => o.obj.spec.claimNames?.kind === 'PostgreSQLInstance')!.obj;
const input = patchAndTransformInput(ofKind('Composition').find((o) => o.obj.metadata.name === 'postgresql-rds')!.obj);
const CLAIM_FILE = /^hubs?\/(?:[^/]+\/)?crossplane\/claims\/([^/]+)\/([^/]+)\/([^/]+)\.yaml$/;
const claims = ofKind('PostgreSQLInstance').map(({ file, obj }) => {
  const m = CLAIM_FILE.exec(file);
  assert.ok(m, `claim in an unexpected place: ${file}`);
  return { file, claim: obj, env: m[1], team: m[2], app: m[3] };
});

const accountId = (roleArn: string) => /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1];
const hubRoleArn = ofKind('DeploymentRuntimeConfig')[0].obj.spec.serviceAccountTemplate.metadata.annotations['eks.amazonaws.com/role-arn'];

/** The account the AWS provider acts in through a ProviderConfig: its assumed role's, or the hub's own (IRSA). */
function accountOf(providerConfigName: string): string {
  const pc = ofKind('ProviderConfig').find((o) => o.obj.metadata.name === providerConfigName)?.obj;
  assert.ok(pc, `no ProviderConfig ${providerConfigName}`);
  const chain = pc.spec.assumeRoleChain ?? [];
  return accountId(chain.length ? chain[chain.length - 1].roleARN : hubRoleArn)!;
}

/** The random part of RDS endpoints, fixed per account and region: a fact of the AWS world, kept per environment. */
function endpointDomain(account: string, region: string): string {
  const domains = new Set(exampleFleet.spec.environments
    .filter((e) => e.databases && e.databases.region === region && exampleFleet.spec.accounts.find((a) => a.name === e.databases!.account)?.id === account)
    .map((e) => e.databases!.endpointDomain));
  assert.equal(domains.size, 1, `one RDS endpoint domain for ${account} ${region}`);
  return [...domains][0];
}

interface AwsSecret { readonly name: string; readonly arn: string; readonly region: string; readonly account: string; readonly tags: Record<string, string> }

let counter = 0;
/** What RDS does for an instance with manageMasterUserPassword: the instance ARN and a secret tagged with it. */
function rdsCreates(identifier: string, region: string, account: string) {
  const n = String(++counter).padStart(4, '0');
  const arn = `arn:aws:rds:${region}:${account}:db:${identifier}`;
  const name = `rds!db-7f3c9a2e-0000-4000-8000-00000000${n}`;
  const secret: AwsSecret = { name, arn: `arn:aws:secretsmanager:${region}:${account}:secret:${name}-AbC${n}`, region, account, tags: { 'aws:rds:primaryDBInstanceArn': arn } };
  return { arn, address: `${identifier}.${endpointDomain(account, region)}`, secret };
}

/** Each claim through Crossplane and the provider, and the secrets RDS made. */
const chain = claims.map((c, i) => {
  const xr = compositeOfClaim(c.claim, xrd, `4a1b7c3d-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const desired = patchAndTransform(input, xr).resources;
  const instance = desired.get('instance');
  const fp = instance.spec.forProvider;
  const account = accountOf(instance.spec.providerConfigRef.name);
  const created = rdsCreates(fp.identifier, fp.region, account);
  const observedInstance = {
    ...instance,
    status: { atProvider: { address: created.address, port: 5432, arn: created.arn, masterUserSecret: [{ secretArn: created.secret.arn, secretStatus: 'active' }] } },
  };
  const observed = patchAndTransform(input, xr, new Map([...desired].map(([n, r]) => [n, n === 'instance' ? observedInstance : r])));
  return { ...c, xr, desired, instance, account, created, observed };
});

/** Secrets Manager of the world: every fleet database's secret, plus a restored copy of each (`<id>-restore`). */
const restores = chain.map((c) => rdsCreates(`${c.instance.spec.forProvider.identifier}-restore`, c.instance.spec.forProvider.region, c.account).secret);
const secrets: AwsSecret[] = [...chain.map((c) => c.created.secret), ...restores];

/** Go's path.Match-like wildcard of IAM resources (`*`, `?`). */
const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** Whether an IAM permissions policy allows GetSecretValue on a secret (Allow statements; StringEquals on resource tags). */
function mayRead(policy: any, secret: AwsSecret): boolean {
  return (policy.Statement as any[]).some((st) => {
    const actions = [st.Action].flat();
    if (st.Effect !== 'Allow' || !actions.some((a: string) => wildcard(a).test('secretsmanager:GetSecretValue'))) return false;
    if (![st.Resource].flat().some((r: string) => wildcard(r).test(secret.arn))) return false;
    return Object.entries(st.Condition ?? {}).every(([op, cond]: [string, any]) => {
      if (op !== 'StringEquals') throw new Error(`IAM condition ${op} is not emulated`);
      return Object.entries(cond).every(([key, values]) => {
        const tag = /^(?:secretsmanager|aws):ResourceTag\/(.+)$/.exec(key);
        if (!tag) throw new Error(`IAM condition key ${key} is not emulated`);
        return [values].flat().includes(secret.tags[tag[1]]);
      });
    });
  });
}

/** The store an ExternalSecret uses: its region, its account, and the IAM policy of its role (if rendered). */
function storeOf(es: any) {
  const store = ofKind('ClusterSecretStore').find((o) => o.obj.metadata.name === es.spec.secretStoreRef.name)?.obj;
  assert.ok(store, `no ClusterSecretStore ${es.spec.secretStoreRef.name}`);
  const aws = store.spec.provider.aws;
  const saRef = aws.auth?.jwt?.serviceAccountRef;
  const sa = saRef && ofKind('ServiceAccount').find((o) => o.obj.metadata.name === saRef.name && o.obj.metadata.namespace === (saRef.namespace ?? es.metadata.namespace))?.obj;
  const roleArn: string | undefined = sa?.metadata.annotations?.['eks.amazonaws.com/role-arn'] ?? aws.role;
  const iam = roleArn && [...files].filter(([f]) => f.startsWith('iam/') && f.endsWith('.json')).map(([, t]) => JSON.parse(t)).find((d) => d.roleArn === roleArn);
  return { region: aws.region as string, account: roleArn ? accountId(roleArn) : undefined, policy: iam?.permissionsPolicy };
}

/**
 * What External Secrets v2.9.0 gives an ExternalSecret from AWS Secrets Manager: per `dataFrom[].find`
 * with tags, the secrets whose tags match every (key, value) by prefix, less those the store's role may not
 * read; per `data[].remoteRef.key`, the secret with that name or ARN. Returns the secrets found.
 */
function externalSecretsFinds(es: any, world: readonly AwsSecret[], options: { ignoreIam?: boolean } = {}): AwsSecret[] {
  const store = storeOf(es);
  const reachable = world.filter((s) => s.region === store.region && (store.account === undefined || s.account === store.account));
  const readable = (s: AwsSecret) => options.ignoreIam || !store.policy || mayRead(store.policy, s);
  const found: AwsSecret[] = [];
  for (const d of es.spec.dataFrom ?? []) {
    if (!d.find) throw new Error('only dataFrom.find is emulated');
    const { tags = {}, name } = d.find;
    const matches = reachable.filter((s) => Object.entries(tags as Record<string, string>).every(([k, v]) =>
      Object.keys(s.tags).some((tk) => tk.startsWith(k)) && Object.values(s.tags).some((tv) => tv.startsWith(v))));
    found.push(...matches.filter((s) => (name?.regexp === undefined || new RegExp(name.regexp).test(s.name)) && readable(s)));
  }
  for (const d of es.spec.data ?? []) {
    const key = d.remoteRef.key;
    found.push(...reachable.filter((s) => (s.name === key || s.arn === key) && readable(s)));
  }
  return found;
}

const externalSecretOf = (namespace: string, app: string) => {
  const found = ofKind('ExternalSecret').filter((o) => o.obj.metadata.namespace === namespace && o.obj.metadata.name === `${app}-database`);
  assert.equal(found.length, 1, `one ExternalSecret ${app}-database in ${namespace}`);
  return found[0].obj;
};

describe('the database chain, claim to DB_HOST, for every claim of the example fleet', () => {
  it('the example fleet has claims in every environment with databases', () => {
    assert.deepEqual([...new Set(claims.map((c) => c.env))].sort(), ['prod', 'staging']);
  });

  for (const c of chain) {
    describe(`${c.file}`, () => {
      const identifier = databaseIdentifier(c.team, c.app, c.env);

      it('the Instance is created under the documented identifier, <team>-<app>-<env>, and nothing asks to import one', () => {
        assert.equal(c.instance.spec.forProvider.identifier, identifier);
        for (const [name, r] of c.desired) assert.equal(r.metadata?.annotations?.['crossplane.io/external-name'], undefined, name);
      });

      it('every composed resource is valid against its Upbound CRD after patching', (t) => {
        if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
        assert.equal(c.desired.size, input.resources.length);
        for (const [name, r] of c.desired) assert.deepEqual(schemaProblems({ ...r, metadata: { name: `${c.xr.metadata.name}-${name}` } }), [], name);
      });

      it('status patches land in the XRD\'s status schema and carry what RDS reports', (t) => {
        const status = xrd.spec.versions[0].schema.openAPIV3Schema.properties.status;
        for (const r of input.resources) {
          for (const p of (r.patches as any[]).filter((x) => x.type === 'ToCompositeFieldPath')) {
            assert.ok(p.toFieldPath.startsWith('status.') && schemaHasPath({ properties: { status } }, p.toFieldPath), `${r.name}: ${p.toFieldPath}`);
          }
        }
        assert.deepEqual(c.observed.xr.status, {
          address: c.created.address, port: 5432, instanceArn: c.created.arn, masterUserSecretArn: c.created.secret.arn,
        });
        if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
        registerXrd(xrd);
        assert.deepEqual(schemaProblems({ apiVersion: c.claim.apiVersion, kind: c.claim.kind, spec: c.claim.spec, status: c.observed.xr.status }), []);
        assert.deepEqual(c.observed.connectionDetails, { endpoint: c.created.address, port: 5432, username: 'app_admin' });
      });

      it('the spoke\'s ExternalSecret finds exactly the secret RDS made for this instance', () => {
        const es = externalSecretOf(c.claim.metadata.namespace, c.app);
        const found = externalSecretsFinds(es, secrets);
        assert.deepEqual(found.map((s) => s.arn), [c.created.secret.arn]);
        // The status the hub shows names the same secret.
        assert.equal(c.observed.xr.status.masterUserSecretArn, found[0].arn);
      });

      it('DB_HOST, DB_PORT and DB_NAME are the instance\'s address, port and database', () => {
        const data = externalSecretOf(c.claim.metadata.namespace, c.app).spec.target.template.data;
        assert.equal(data.DB_HOST, c.created.address);
        assert.equal(data.DB_HOST, `${identifier}.${endpointDomain(c.account, c.instance.spec.forProvider.region)}`);
        assert.equal(data.DB_PORT, '5432');
        assert.equal(data.DB_NAME, c.instance.spec.forProvider.dbName);
      });
    });
  }

  it('the tag lookup alone is a prefix match: it would also find a restored <identifier>-restore; the store\'s role is what makes it exact', () => {
    const c = chain.find((x) => x.env === 'prod')!;
    const es = externalSecretOf(c.claim.metadata.namespace, c.app);
    const loose = externalSecretsFinds(es, secrets, { ignoreIam: true }).map((s) => s.name);
    if (es.spec.dataFrom?.some((d: any) => d.find?.tags)) assert.ok(loose.length > 1, 'the emulation matches tag values by prefix, as Secrets Manager does');
    assert.equal(externalSecretsFinds(es, secrets).length, 1);
  });

  it('no fleet identifier is a prefix of another in the same account and region (the store\'s role may read all of a team\'s databases)', () => {
    const arns = chain.map((c) => c.created.arn);
    for (const a of arns) assert.deepEqual(arns.filter((b) => b !== a && b.startsWith(a)), [], a);
  });
});
