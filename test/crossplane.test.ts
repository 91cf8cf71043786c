import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_SIZES, FleetSpec } from '../charts/index.js';
import { POSTGRES_RESOURCES } from '../charts/crossplane/postgres-composition.js';
import { POSTGRES_PARAMETERS_SCHEMA } from '../charts/crossplane/postgres-definition.js';
import { crdsAvailable, crdSchema, CRDS_DIR, schemaProblems } from './support/schemas.js';
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

/** Whether a dotted field path (`spec.forProvider.dbName`, `a[0].b`, `metadata.annotations[x]`) exists in a JSON schema. */
function schemaHasPath(schema: any, fieldPath: string): boolean {
  if (fieldPath.startsWith('metadata.')) return true; // ObjectMeta: the API server's, not the CRD's

  const parts = fieldPath.replace(/\[(\d+)\]/g, '.[]').replace(/\[([^\]]+)\]/g, '.{$1}').split('.');
  let s = schema;
  for (const part of parts) {
    if (!s) return false;
    if (part === '[]') s = s.items;
    else if (part.startsWith('{')) s = s.additionalProperties ?? (s['x-kubernetes-preserve-unknown-fields'] ? {} : undefined);
    else if (s.properties?.[part]) s = s.properties[part];
    else if (s['x-kubernetes-preserve-unknown-fields'] || (part === 'metadata' && s.type === 'object')) return true;
    else return false;
  }
  return s !== undefined;
}

/** Segments of a Crossplane field path: `a.b[0].c`, `metadata.annotations[crossplane.io/external-name]`. */
function segments(fieldPath: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of fieldPath.matchAll(/([^.[\]]+)|\[([^\]]+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

/** The composed resource function-patch-and-transform would make: base plus FromCompositeFieldPath patches with map and Format transforms. */
function composeFrom(resource: any, xr: any): any {
  const obj = structuredClone(resource.base);
  for (const p of resource.patches) {
    if (p.type !== 'FromCompositeFieldPath') continue;
    let value = segments(p.fromFieldPath).reduce((v: any, k) => v?.[k], xr);
    if (value === undefined) continue;
    for (const tr of p.transforms ?? []) {
      if (tr.type === 'map') value = tr.map[value];
      else if (tr.type === 'string' && tr.string.type === 'Format') value = tr.string.fmt.replace('%s', String(value));
    }
    const path = segments(p.toFieldPath);
    let target = obj;
    for (const k of path.slice(0, -1)) target = target[k] ??= {};
    target[path[path.length - 1]] = value;
  }
  return obj;
}

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

  it('delivers packages, configuration and claims in waves; claims are never pruned', () => {
    const apps = ['packages', 'config', 'claims'].map((n) => find('Application', `crossplane-${n}`)!);
    const waves = apps.map((a) => Number(a.metadata.annotations['argocd.argoproj.io/sync-wave']));
    assert.deepEqual(waves, [0, 1, 2]);
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

  it('the XRD is apiextensions.crossplane.io/v1 with claim names', () => {
    assert.equal(xrd.apiVersion, 'apiextensions.crossplane.io/v1');
    assert.deepEqual(xrd.spec.claimNames, { kind: 'PostgreSQLInstance', plural: 'postgresqlinstances' });
    assert.deepEqual(xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.parameters.properties.size.enum, ['small', 'medium', 'large']);
  });

  it('the Composition runs function-patch-and-transform in pipeline mode for the XRD', () => {
    assert.equal(composition.spec.mode, 'Pipeline');
    assert.deepEqual(composition.spec.compositeTypeRef, { apiVersion: 'database.platform.example.org/v1alpha1', kind: 'XPostgreSQLInstance' });
    assert.equal(composition.spec.pipeline[0].functionRef.name, 'function-patch-and-transform');
    const names = composition.spec.pipeline[0].input.resources.map((r: any) => `${r.name}:${r.base.kind}`);
    assert.deepEqual(names, ['subnet-group:SubnetGroup', 'security-group:SecurityGroup', 'postgres-from-spokes:SecurityGroupIngressRule', 'instance:Instance']);
  });

  it('the instance is encrypted, private, gp3, with its password managed by RDS', () => {
    const fp = POSTGRES_RESOURCES.find((r) => r.name === 'instance')!.base.spec.forProvider as any;
    assert.deepEqual([fp.storageEncrypted, fp.publiclyAccessible, fp.storageType, fp.manageMasterUserPassword], [true, false, 'gp3', true]);
    assert.equal(fp.password, undefined);
    const rule = POSTGRES_RESOURCES.find((r) => r.name === 'postgres-from-spokes')!.base.spec.forProvider as any;
    assert.deepEqual([rule.fromPort, rule.toPort, rule.ipProtocol], [5432, 5432, 'tcp']);
  });

  it('every composed resource, patched from the prod claim as function-patch-and-transform does, is valid against its provider CRD', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    const claim = find('PostgreSQLInstance', 'backend', 'hub/crossplane/claims/prod/')!;
    for (const r of POSTGRES_RESOURCES) {
      const composed = composeFrom(r, { spec: claim.spec });
      assert.deepEqual(schemaProblems({ ...composed, metadata: { name: r.name, ...composed.metadata } }), [], r.name);
    }
    const instance = composeFrom(POSTGRES_RESOURCES.find((r) => r.name === 'instance')!, { spec: claim.spec });
    assert.equal(instance.spec.forProvider.instanceClass, 'db.t4g.medium');
    assert.equal(instance.spec.forProvider.finalSnapshotIdentifier, 'webstore-backend-prod-final');
    assert.equal(instance.metadata.annotations['crossplane.io/external-name'], 'webstore-backend-prod');
  });

  it('every patch reads a parameter the XRD defines and writes a field the provider CRD has', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    const xr = { properties: { spec: { properties: { parameters: POSTGRES_PARAMETERS_SCHEMA } }, status: xrd.spec.versions[0].schema.openAPIV3Schema.properties.status } };
    for (const r of POSTGRES_RESOURCES) {
      const crd = crdSchema(r.base.apiVersion, r.base.kind);
      assert.ok(crd, `${r.base.apiVersion} ${r.base.kind} has a CRD`);
      for (const p of r.patches as any[]) {
        const [xrPath, mrPath] = p.type === 'FromCompositeFieldPath' ? [p.fromFieldPath, p.toFieldPath] : [p.toFieldPath, p.fromFieldPath];
        assert.ok(schemaHasPath(xr, xrPath), `${r.name}: the XRD has no ${xrPath}`);
        assert.ok(schemaHasPath(crd, mrPath), `${r.name}: ${r.base.kind} has no ${mrPath}`);
      }
    }
  });

  it('size classes map to instance class and gp3 storage', () => {
    const instance = POSTGRES_RESOURCES.find((r) => r.name === 'instance')!;
    const cls = (instance.patches as any[]).find((p) => p.toFieldPath === 'spec.forProvider.instanceClass');
    assert.deepEqual(cls.transforms[0].map, Object.fromEntries(Object.entries(DATABASE_SIZES).map(([k, v]) => [k, v.instanceClass])));
  });
});

describe('claims per environment', () => {
  const staging = find('PostgreSQLInstance', 'backend', 'hub/crossplane/claims/staging/')!;
  const prod = find('PostgreSQLInstance', 'backend', 'hub/crossplane/claims/prod/')!;

  it('staging is small and single-AZ; prod multi-AZ with deletion protection, longer backups and a final snapshot', () => {
    const s = staging.spec.parameters;
    const p = prod.spec.parameters;
    assert.deepEqual([s.size, s.multiAz, s.deletionProtection, s.backupRetentionDays, s.skipFinalSnapshot], ['small', false, false, 1, true]);
    assert.deepEqual([p.size, p.multiAz, p.deletionProtection, p.backupRetentionDays, p.skipFinalSnapshot], ['medium', true, true, 14, false]);
  });

  it('lives on the hub in the team namespace of its environment, in the tenant account', () => {
    assert.equal(prod.metadata.namespace, 'webstore-prod');
    assert.equal(prod.spec.parameters.identifier, 'webstore-backend-prod');
    assert.equal(prod.spec.parameters.providerConfigName, 'aws-tenant1');
    assert.equal(prod.spec.parameters.allowedCidr, '10.2.0.0/16');
    assert.ok(files.has('hub/crossplane/claims/prod/webstore/namespace.yaml'));
  });
});

describe('delivery to the app on the spoke', () => {
  const es = find('ExternalSecret', 'backend-database', 'apps/webstore/backend/prod/')!;

  it('an ExternalSecret finds the RDS-managed secret by its instance tag and writes DB_* keys', () => {
    assert.equal(es.metadata.namespace, 'webstore-prod');
    assert.deepEqual(es.spec.secretStoreRef, { kind: 'ClusterSecretStore', name: 'aws-secrets-manager-webstore-prod' });
    assert.deepEqual(es.spec.dataFrom[0].find.tags, { 'aws:rds:primaryDBInstanceArn': 'arn:aws:rds:us-west-2:444455556666:db:webstore-backend-prod' });
    assert.deepEqual(Object.keys(es.spec.target.template.data).sort(), ['DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_USER']);
    assert.equal(es.spec.target.template.data.DB_HOST, 'webstore-backend-prod.c8xq2z1kqj5r.us-west-2.rds.amazonaws.com');
  });

  it('the team store serves only the team namespace, with the controller role', () => {
    const store = find('ClusterSecretStore', 'aws-secrets-manager-webstore-prod')!;
    assert.deepEqual(store.spec.conditions, [{ namespaces: ['webstore-prod'] }]);
    assert.equal(store.spec.provider.aws.auth, undefined);
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
