import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_SIZES, FleetSpec } from '../charts/index.js';
import { POSTGRES_PARAMETERS_SCHEMA } from '../charts/crossplane/postgres-definition.js';
import { databaseFindings } from '../charts/policy/database-rules.js';
import { PolicyContext } from '../charts/policy/finding.js';
import { crdsAvailable, crdSchema, CRDS_DIR, schemaProblems } from './support/schemas.js';
import { compositeOfClaim, patchAndTransform, patchAndTransformInput, PatchAndTransformError, schemaHasPath, getPath as segmentsGet } from './support/patch-and-transform.js';
import { fleetCopy, Mutable, objects, render, withSpec } from './support/fleet.js';

const files = render();
const all = objects(files);
const find = (kind: string, name: string, prefix = '') => all.find((o) => o.obj.kind === kind && o.obj.metadata.name === name && o.file.startsWith(prefix))?.obj;

function problemsOf(change: (spec: Mutable<FleetSpec>) => void): string {
  const spec = fleetCopy();
  change(spec);
  try {
    render(withSpec(spec));
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
const backend = (s: Mutable<FleetSpec>) => (s.teams![0].apps as any[]).find((a) => a.name === 'backend');

describe('Crossplane on the hub', () => {
  it('installs pinned AWS provider family members and the function, with the hub role through a runtime config', () => {
    const objs = objects(new Map([['p', files.get('hub/crossplane/packages/packages.yaml')!]])).map((o) => o.obj);
    assert.deepEqual(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
      'DeploymentRuntimeConfig/aws-irsa', 'Function/function-patch-and-transform', 'Provider/provider-aws-ec2', 'Provider/provider-aws-rds',
    ]);
    for (const o of objs.filter((x) => x.spec.package)) assert.match(o.spec.package, /:v\d+\.\d+\.\d+$/, 'pinned');
    for (const o of objs.filter((x) => x.kind === 'Provider')) assert.equal(o.spec.runtimeConfigRef.name, 'aws-irsa');
    const drc = objs.find((o) => o.kind === 'DeploymentRuntimeConfig');
    assert.equal(drc.spec.serviceAccountTemplate.metadata.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::111122223333:role/hub-crossplane');
  });

  it('reaches the tenant account by IRSA and an assumed role, never static keys', () => {
    const pc = find('ProviderConfig', 'aws-tenant1')!;
    assert.equal(pc.spec.credentials.source, 'IRSA');
    assert.deepEqual(pc.spec.assumeRoleChain, [{ roleARN: 'arn:aws:iam::444455556666:role/crossplane-provider-aws' }]);
  });

  it('installs function-patch-and-transform at the version whose input schema the tests validate against', () => {
    const fn = objects(new Map([['p', files.get('hub/crossplane/packages/packages.yaml')!]])).map((o) => o.obj).find((o) => o.kind === 'Function')!;
    // ../shared/crds/SOURCES.md: pt.fn.crossplane.io_resources.yaml is function-patch-and-transform v0.10.8.
    assert.match(fn.spec.package, /\/function-patch-and-transform:v0\.10\.8$/);
  });

  it('delivers packages, configuration and claims in waves; neither the XRD\'s Application nor the claims\' ever prunes', () => {
    const apps = ['packages', 'config', 'claims'].map((n) => find('Application', `crossplane-${n}`)!);
    const waves = apps.map((a) => Number(a.metadata.annotations['argocd.argoproj.io/sync-wave']));
    assert.deepEqual(waves, [0, 1, 2]);
    assert.equal(apps[1].spec.syncPolicy.automated.prune, false);
    assert.equal(apps[2].spec.syncPolicy.automated.prune, false);
    for (const a of apps) assert.ok(a.spec.syncPolicy.syncOptions.includes('SkipDryRunOnMissingResource=true'));
    assert.ok(find('Application', 'fleet-crossplane'), 'a child of the root');
  });

  it('the crossplane project allows Crossplane kinds and claims on the hub only', () => {
    const p = find('AppProject', 'crossplane')!;
    assert.deepEqual(p.spec.destinations.map((d: any) => d.server), Array(p.spec.destinations.length).fill('https://kubernetes.default.svc'));
    assert.deepEqual(p.spec.namespaceResourceWhitelist, [{ group: 'database.platform.example.org', kind: 'PostgreSQLInstance' }]);
    assert.ok(!p.spec.clusterResourceWhitelist.some((r: any) => r.kind === '*'));
  });
});

describe('XRD and Composition for PostgreSQL on RDS', () => {
  const xrd = find('CompositeResourceDefinition', 'xpostgresqlinstances.database.platform.example.org')!;
  const composition = find('Composition', 'postgresql-rds')!;
  const input = patchAndTransformInput(composition);
  const template = (name: string) => input.resources.find((r: any) => r.name === name);
  const claimOf = (env: string) => find('PostgreSQLInstance', 'backend', `hub/crossplane/claims/${env}/`)!;
  const compose = (claim: any) => patchAndTransform(input, compositeOfClaim(claim, xrd, '0b6f1c52-3a0e-4d7b-9a51-6c2f0e8d4a17')).resources;

  it('the XRD is apiextensions.crossplane.io/v1 with claim names and an enforced Composition', () => {
    assert.equal(xrd.apiVersion, 'apiextensions.crossplane.io/v1');
    assert.deepEqual(xrd.spec.claimNames, { kind: 'PostgreSQLInstance', plural: 'postgresqlinstances' });
    assert.deepEqual(xrd.spec.enforcedCompositionRef, { name: 'postgresql-rds' });
    const params = xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters;
    assert.deepEqual(params.properties.size.enum, ['small', 'medium', 'large']);
    assert.deepEqual(params.properties.identifier['x-kubernetes-validations'], [{ rule: 'self == oldSelf', message: 'identifier is immutable' }]);
  });

  it('a claim holds the team\'s intent only: no safety, account, region or network parameter exists', () => {
    const params = xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters;
    assert.deepEqual(Object.keys(params.properties).sort(), ['databaseName', 'engineVersion', 'identifier', 'size', 'tags']);
    for (const env of ['staging', 'prod']) assert.deepEqual(Object.keys(claimOf(env).spec.parameters).sort(), ['databaseName', 'engineVersion', 'identifier', 'size', 'tags']);
  });

  it('the XRD, the Composition, the claims and their namespaces are never pruned nor deleted by Argo CD', () => {
    const keep = 'Prune=false,Delete=false';
    assert.equal(xrd.metadata.annotations['argocd.argoproj.io/sync-options'], keep);
    assert.equal(composition.metadata.annotations['argocd.argoproj.io/sync-options'], keep);
    const claimsAndNamespaces = all.filter((o) => o.file.startsWith('hub/crossplane/claims/'));
    assert.ok(claimsAndNamespaces.length >= 4);
    for (const o of claimsAndNamespaces) assert.equal(o.obj.metadata.annotations?.['argocd.argoproj.io/sync-options'], keep, o.file);
  });

  it('the Composition runs function-patch-and-transform in pipeline mode for the XRD', () => {
    assert.equal(composition.spec.mode, 'Pipeline');
    assert.deepEqual(composition.spec.compositeTypeRef, { apiVersion: 'database.platform.example.org/v1alpha1', kind: 'XPostgreSQLInstance' });
    assert.equal(composition.spec.pipeline[0].functionRef.name, 'function-patch-and-transform');
    const names = input.resources.map((r: any) => `${r.name}:${r.base.kind}`);
    assert.deepEqual(names, ['subnet-group:SubnetGroup', 'security-group:SecurityGroup', 'postgres-from-spokes:SecurityGroupIngressRule', 'parameter-group:ParameterGroup', 'instance:Instance']);
  });

  it('the instance is encrypted, private, gp3, with its password managed by RDS', () => {
    const fp = template('instance').base.spec.forProvider;
    assert.deepEqual([fp.storageEncrypted, fp.publiclyAccessible, fp.storageType, fp.manageMasterUserPassword], [true, false, 'gp3', true]);
    assert.equal(fp.password, undefined);
    const rule = template('postgres-from-spokes').base.spec.forProvider;
    assert.deepEqual([rule.fromPort, rule.toPort, rule.ipProtocol], [5432, 5432, 'tcp']);
  });

  it('every composed resource, patched from each claim as function-patch-and-transform v0.10.8 does, is valid against its provider CRD', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    for (const env of ['staging', 'prod']) {
      const composed = compose(claimOf(env));
      assert.equal(composed.size, input.resources.length, env);
      for (const [name, r] of composed) assert.deepEqual(schemaProblems({ ...r, metadata: { name } }), [], `${env} ${name}`);
    }
    const instance = compose(claimOf('prod')).get('instance');
    assert.equal(instance.spec.forProvider.instanceClass, 'db.t4g.medium');
    assert.equal(instance.spec.forProvider.identifier, 'webstore-backend-prod');
    assert.equal(instance.metadata?.annotations?.['crossplane.io/external-name'], undefined, 'the external name is the provider\'s, not ours');
    assert.equal(instance.spec.forProvider.finalSnapshotIdentifier, 'webstore-backend-prod-final-0b6f1c52-3a0e-4d7b-9a51-6c2f0e8d4a17');
    assert.equal(compose(claimOf('prod')).get('parameter-group').spec.forProvider.family, 'postgres16');
  });

  it('every patch reads a parameter the XRD defines (or the claim namespace label, or the uid) and writes a field the provider CRD has', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    const xr = { properties: { spec: { properties: { parameters: POSTGRES_PARAMETERS_SCHEMA } }, status: xrd.spec.versions[0].schema.openAPIV3Schema.properties.status } };
    for (const r of input.resources) {
      const crd = crdSchema(r.base.apiVersion, r.base.kind);
      assert.ok(crd, `${r.base.apiVersion} ${r.base.kind} has a CRD`);
      for (const p of r.patches as any[]) {
        const reads = p.type === 'CombineFromComposite' ? p.combine.variables.map((v: any) => v.fromFieldPath) : [p.type === 'ToCompositeFieldPath' ? p.fromFieldPath : p.fromFieldPath];
        if (p.type === 'ToCompositeFieldPath') {
          assert.ok(schemaHasPath(xr, p.toFieldPath), `${r.name}: the XRD has no ${p.toFieldPath}`);
          assert.ok(schemaHasPath(crd, p.fromFieldPath), `${r.name}: ${r.base.kind} has no ${p.fromFieldPath}`);
          continue;
        }
        for (const path of reads) {
          assert.ok(['metadata.labels[crossplane.io/claim-namespace]', 'metadata.uid'].includes(path) || schemaHasPath(xr, path), `${r.name}: the XRD has no ${path}`);
        }
        assert.ok(schemaHasPath(crd, p.toFieldPath), `${r.name}: ${r.base.kind} has no ${p.toFieldPath}`);
        // An object merged in: each of its keys, in each environment, is a field of the CRD (a CRD prunes unknown fields silently).
        if (p.policy?.toFieldPath === 'MergeObjects') {
          const values = Object.values(p.transforms.at(-1).map) as Array<Record<string, unknown>>;
          for (const key of values.flatMap((v) => Object.keys(v))) assert.ok(schemaHasPath(crd, `${p.toFieldPath}.${key}`), `${r.name}: ${r.base.kind} has no ${p.toFieldPath}.${key}`);
          // MergeObjects keeps what the base sets: no environment value may collide with the base (encryption, privacy...).
          for (const key of values.flatMap((v) => Object.keys(v))) assert.equal(segmentsGet(r.base, `${p.toFieldPath}.${key}`), undefined, `${r.name}: base and environment both set ${key}`);
        }
      }
    }
  });

  it('the rds-safety policy reads the production safety from the Composition and fires when it is weakened', () => {
    const ctx = { productionEnvironments: ['prod'] } as unknown as PolicyContext;
    const findings = (c: any) => databaseFindings(new Map([['hub/crossplane/config/postgresql-rds-composition.yaml', [c]]]), ctx).map((f) => f.message);
    assert.deepEqual(findings(composition), []);
    const weak = structuredClone(composition);
    const instance = patchAndTransformInput(weak).resources.find((r: any) => r.name === 'instance');
    const byEnv = (to: string) => instance.patches.find((p: any) => p.toFieldPath === to).transforms[1].map;
    Object.assign(byEnv('spec.forProvider').prod, { multiAz: false, deletionProtection: false, backupRetentionPeriod: 1, skipFinalSnapshot: true });
    byEnv('spec.deletionPolicy').prod = 'Delete';
    assert.equal(findings(weak).length, 5, findings(weak).join('\n'));
  });

  it('size classes map to instance class and gp3 storage', () => {
    const cls = template('instance').patches.find((p: any) => p.toFieldPath === 'spec.forProvider.instanceClass');
    assert.deepEqual(cls.transforms[0].map, Object.fromEntries(Object.entries(DATABASE_SIZES).map(([k, v]) => [k, v.instanceClass])));
  });
});

describe('claims per environment', () => {
  const xrd = find('CompositeResourceDefinition', 'xpostgresqlinstances.database.platform.example.org')!;
  const input = patchAndTransformInput(find('Composition', 'postgresql-rds')!);
  const staging = find('PostgreSQLInstance', 'backend', 'hub/crossplane/claims/staging/')!;
  const prod = find('PostgreSQLInstance', 'backend', 'hub/crossplane/claims/prod/')!;
  const uid = '5d1e2f3a-0000-4000-8000-000000000001';
  const compose = (claim: any) => patchAndTransform(input, compositeOfClaim(claim, xrd, uid)).resources;

  it('staging is small and single-AZ; prod multi-AZ with deletion protection, longer backups, a final snapshot, windows and insights', () => {
    const s = compose(staging).get('instance').spec;
    const p = compose(prod).get('instance').spec;
    const safety = (x: any) => [x.forProvider.instanceClass, x.forProvider.multiAz, x.forProvider.deletionProtection, x.forProvider.backupRetentionPeriod, x.forProvider.skipFinalSnapshot, x.deletionPolicy];
    assert.deepEqual(safety(s), ['db.t4g.micro', false, false, 1, true, 'Delete']);
    assert.deepEqual(safety(p), ['db.t4g.medium', true, true, 14, false, 'Orphan']);
    assert.deepEqual([p.forProvider.maintenanceWindow, p.forProvider.backupWindow, p.forProvider.performanceInsightsEnabled, p.forProvider.enabledCloudwatchLogsExports, p.forProvider.deleteAutomatedBackups],
      ['sun:05:00-sun:06:00', '03:00-04:00', true, ['postgresql', 'upgrade'], false]);
    assert.equal(s.forProvider.maintenanceWindow, undefined);
  });

  it('in prod every composed AWS resource is orphaned, not deleted, when its composite goes', () => {
    for (const [name, r] of compose(prod)) assert.equal(r.spec.deletionPolicy, 'Orphan', name);
  });

  it('a claim cannot weaken its environment: safety, account and network parameters are ignored', () => {
    const weak = structuredClone(prod);
    Object.assign(weak.spec.parameters, {
      multiAz: false, deletionProtection: false, backupRetentionDays: 0, skipFinalSnapshot: true, providerConfigName: 'aws-central', region: 'eu-west-1', allowedCidr: '0.0.0.0/0',
    });
    weak.metadata.labels = { ...weak.metadata.labels, 'crossplane.io/claim-namespace': 'webstore-staging' };
    assert.deepEqual(compose(weak), compose(prod));
  });

  it('fails closed: a claim in a namespace the platform does not know composes nothing; a composite without a claim gets no resources', () => {
    const stray = { ...structuredClone(prod), metadata: { ...prod.metadata, namespace: 'intruder-prod' } };
    assert.throws(() => compose(stray), (e) => e instanceof PatchAndTransformError && /key intruder-prod is not found in map/.test(e.message));
    const bare = compositeOfClaim(prod, xrd, uid);
    delete bare.metadata.labels['crossplane.io/claim-namespace'];
    assert.equal(patchAndTransform(input, bare).resources.size, 0);
  });

  it('lives on the hub in the team namespace of its environment, in the tenant account', () => {
    assert.equal(prod.metadata.namespace, 'webstore-prod');
    assert.equal(prod.spec.parameters.identifier, 'webstore-backend-prod');
    const instance = compose(prod).get('instance');
    assert.equal(instance.spec.providerConfigRef.name, 'aws-tenant1');
    assert.equal(compose(prod).get('postgres-from-spokes').spec.forProvider.cidrIpv4, '10.2.0.0/16');
    assert.ok(files.has('hub/crossplane/claims/prod/webstore/namespace.yaml'));
  });
});

describe('delivery to the app on the spoke', () => {
  // Wherever the spoke side renders it (apps/ or teams/): the one in the team's prod namespace.
  const es = all.find((o) => o.obj.kind === 'ExternalSecret' && o.obj.metadata.name === 'backend-database' && o.obj.metadata.namespace === 'webstore-prod')!.obj;

  it('an ExternalSecret finds the RDS-managed secret by its instance tag and writes DB_* keys', () => {
    assert.equal(es.metadata.namespace, 'webstore-prod');
    assert.deepEqual(es.spec.secretStoreRef, { kind: 'ClusterSecretStore', name: 'aws-secrets-manager-webstore-prod' });
    assert.deepEqual(es.spec.dataFrom[0].find.tags, { 'aws:rds:primaryDBInstanceArn': 'arn:aws:rds:us-west-2:444455556666:db:webstore-backend-prod' });
    assert.deepEqual(Object.keys(es.spec.target.template.data).sort(), ['DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_USER']);
    assert.equal(es.spec.target.template.data.DB_HOST, 'webstore-backend-prod.c8xq2z1kqj5r.us-west-2.rds.amazonaws.com');
  });

  it('the team store serves only the team namespace', () => {
    const store = find('ClusterSecretStore', 'aws-secrets-manager-webstore-prod')!;
    assert.deepEqual(store.spec.conditions, [{ namespaces: ['webstore-prod'] }]);
  });

  it('the Deployment reads the Secret the ExternalSecret makes; no Secret is rendered', () => {
    const d = find('Deployment', 'backend', 'apps/webstore/backend/prod/')!;
    assert.ok(d.spec.template.spec.containers[0].envFrom.some((e: any) => e.secretRef?.name === 'backend-database'));
    assert.ok(!all.some((o) => o.obj.kind === 'Secret' && o.file.startsWith('apps/')));
  });
});

describe('database validation', () => {
  it('fails on an unknown size class', () => {
    assert.match(problemsOf((s) => { backend(s).database = { engine: 'postgres', size: 'huge' }; }),
      /environments\/teams\.ts: teams\[0\]\.apps\[1\]\.database\.size: "huge" is not a size class; known: small, medium, large/);
  });

  it('fails when the environment has no database settings', () => {
    assert.match(problemsOf((s) => { delete s.environments[2].databases; }),
      /teams\[0\]\.apps\[1\]\.database: environment "prod" has no database settings; add environments\[2\]\.databases/);
  });

  it('fails without Crossplane on the hub or External Secrets on the spokes', () => {
    assert.match(problemsOf((s) => { s.clusters[0].addons = { ...s.clusters[0].addons, crossplane: false }; }),
      /teams\[0\]\.apps\[1\]\.database: databases are claimed from Crossplane on the hub: enable the crossplane add-on on the hub/);
    assert.match(problemsOf((s) => { s.clusters[2].addons = { ...s.clusters[2].addons, 'external-secrets': false }; }),
      /enable external-secrets on cluster "spoke-prod"/);
  });

  it('fails on a safety flag that is not a boolean', () => {
    assert.match(problemsOf((s) => { (s.environments[2].databases as any).multiAz = 'yes'; }), /environments\[2\]\.databases\.multiAz: must be true or false, got "yes"/);
  });

  it('fails on a database open to the world, thin backups in a protected environment, a missing account role', () => {
    assert.match(problemsOf((s) => { (s.environments[2].databases as any).allowedCidr = '0.0.0.0/0'; }),
      /environments\/environments\.ts: environments\[2\]\.databases\.allowedCidr: a database is never open to 0\.0\.0\.0\/0/);
    assert.match(problemsOf((s) => { (s.environments[2].databases as any).backupRetentionDays = 3; }),
      /environments\[2\]\.databases\.backupRetentionDays: a protected environment keeps at least 7 days of backups/);
    assert.match(problemsOf((s) => { delete (s.accounts[1] as any).crossplaneRoleArn; }),
      /environments\[1\]\.databases\.account: Crossplane on the hub needs a role to assume in account "tenant1"/);
  });
});
