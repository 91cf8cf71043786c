/**
 * Companion resources (charts/model/companions.ts): the objects an add-on needs after install, layered
 * catalog default -> environment -> cluster, rendered per cluster to addons/companions/<cluster>/<addon>/
 * and delivered as a further source of the add-on's Application; checked at synth against compact
 * schemas generated from the pinned CRDs (engines/schema), which agree with ajv on the real CRDs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { ADDON_CATALOG, AddonDefinition, fleetOutputs, FleetSpec } from '../charts/index.js';
import { fleetRender } from '../charts/outputs/fleet-outputs.js';
import { AddonCompanions, mergeCompanion } from '../charts/model/companions.js';
import { karpenterCompanions, KARPENTER_NODE_ROLE_FACT } from '../charts/addons/companions/karpenter.js';
import { certManagerCompanions } from '../charts/addons/companions/cert-manager.js';
import { kyvernoCompanions } from '../charts/addons/companions/kyverno.js';
import { awsEbsCsiDriverCompanions } from '../charts/addons/companions/aws-ebs-csi-driver.js';
import { companionSchema, companionSchemaErrors } from '../charts/validate/companions.js';
import { checkStructural, formatSchemaPath } from '../engines/schema/index.js';
import { checkPolicies } from '../charts/policy/check-policies.js';
import { policyContext } from '../charts/policy/policy-context.js';
import { resolveFleet } from '../charts/model/resolve.js';
import { renderTree } from '../render/render.js';
import { planFleet } from '../render/plan/plan.js';
import { CRDS_DIR, readLock } from '../render/validate/crd-lock.js';
import { crdsAvailable, schemaProblems } from '../render/validate/validate-schemas.js';
import { fleetCopy, Mutable, withSpec } from './support/fleet.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const skipCrds = crdsAvailable() ? false : `CRDs not found at ${CRDS_DIR}`;

const BUILDERS: Readonly<Record<string, AddonCompanions>> = {
  karpenter: karpenterCompanions,
  'cert-manager': certManagerCompanions,
  kyverno: kyvernoCompanions,
  'aws-ebs-csi-driver': awsEbsCsiDriverCompanions,
};

/** The catalog with the four builders (and Karpenter's node role fact), whether or not the entries carry them yet. */
const CATALOG: readonly AddonDefinition[] = ADDON_CATALOG.map((a) => {
  let out: AddonDefinition = a.companions || !BUILDERS[a.name] ? a : { ...a, companions: BUILDERS[a.name] };
  if (a.name === 'karpenter' && !(a.facts ?? []).some((f) => f.key === KARPENTER_NODE_ROLE_FACT)) {
    out = { ...out, facts: [...(a.facts ?? []), { key: KARPENTER_NODE_ROLE_FACT, description: 'the IAM role of the nodes Karpenter launches' }] };
  }
  return out;
});

const nodeRole = (cluster: string) => `${cluster}-karpenter-node`;

/** The example fleet with Karpenter's node role fact on every cluster that runs it. */
function spec(): Mutable<FleetSpec> {
  const s = fleetCopy();
  const envs = new Map(s.environments.map((e) => [e.name, e]));
  for (const c of s.clusters) {
    const env = envs.get(c.environment)!;
    const enabled = c.addons?.karpenter ?? env.addons?.karpenter;
    if (!enabled) continue;
    const own = typeof c.addons?.karpenter === 'object' ? c.addons.karpenter : {};
    c.addons = { ...c.addons, karpenter: { ...own, facts: { ...(own as any).facts, [KARPENTER_NODE_ROLE_FACT]: nodeRole(c.name) } } };
  }
  return s;
}

const indexOf = (s: FleetSpec, cluster: string) => s.clusters.findIndex((c) => c.name === cluster);
const envIndex = (s: FleetSpec, env: string) => s.environments.findIndex((e) => e.name === env);

/** Sets a cluster's companion layer of an add-on. */
function setCompanions(s: Mutable<FleetSpec>, cluster: string, addon: string, companions: Record<string, unknown>): void {
  const c = s.clusters[indexOf(s, cluster)];
  const own = typeof c.addons?.[addon] === 'object' ? (c.addons[addon] as object) : {};
  c.addons = { ...c.addons, [addon]: { ...own, companions } as any };
}

function renderSpec(s: FleetSpec) {
  return renderTree(fleetOutputs(withSpec(s), { catalog: CATALOG }));
}

function problemsOf(s: FleetSpec) {
  const r = fleetRender(withSpec(s), { catalog: CATALOG });
  assert.ok(!r.ok, 'the fleet is refused');
  return r.problems;
}

const base = spec();
const tree = renderSpec(base);
const companionFiles = [...tree.objects].filter(([file]) => file.startsWith('addons/companions/'));
const doc = (file: string): any => tree.objects.get(file)?.[0];
const appset = (addon: string): any => [...tree.objects.values()].flat().find((o: any) => o?.kind === 'ApplicationSet' && o.metadata.name === `addon-${addon}`);

describe('companion resources', () => {
  it('renders each add-on\'s companions per cluster, one object per file, none a Secret', () => {
    const files = companionFiles.map(([f]) => f);
    for (const cluster of ['spoke-staging', 'spoke-prod']) {
      assert.ok(files.includes(`addons/companions/${cluster}/karpenter/ec2nodeclass-default.yaml`));
      assert.ok(files.includes(`addons/companions/${cluster}/karpenter/nodepool-default.yaml`));
      assert.ok(files.includes(`addons/companions/${cluster}/aws-ebs-csi-driver/storageclass-gp3.yaml`));
      assert.ok(files.includes(`addons/companions/${cluster}/kyverno/clusterpolicy-pss-restricted.yaml`));
      assert.ok(files.includes(`addons/companions/${cluster}/cert-manager/clusterissuer-selfsigned.yaml`));
    }
    for (const [file, docs] of companionFiles) {
      assert.equal(docs.length, 1, file);
      const o = docs[0] as any;
      assert.notEqual(o.kind, 'Secret');
      assert.equal(path.posix.basename(file), `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`);
      assert.equal(o.metadata.annotations['argocd.argoproj.io/sync-wave'], '1', `${file}: after the chart`);
    }
  });

  it('builds the EC2NodeClass and NodePool from the cluster and its contract', () => {
    const nc = doc('addons/companions/spoke-prod/karpenter/ec2nodeclass-default.yaml');
    assert.equal(nc.spec.role, nodeRole('spoke-prod'));
    assert.deepEqual(nc.spec.subnetSelectorTerms, [{ tags: { 'karpenter.sh/discovery': 'spoke-prod' } }]);
    assert.deepEqual(nc.spec.securityGroupSelectorTerms, nc.spec.subnetSelectorTerms);
    assert.match(nc.spec.amiSelectorTerms[0].alias, /^al2023@v\d{8}$/, 'a pinned AL2023 release, not latest');
    assert.deepEqual(nc.spec.metadataOptions, { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' });
    assert.equal(nc.spec.blockDeviceMappings[0].ebs.encrypted, true);
    const np = doc('addons/companions/spoke-prod/karpenter/nodepool-default.yaml');
    assert.deepEqual(np.spec.template.spec.nodeClassRef, { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
    assert.equal(np.spec.disruption.consolidationPolicy, 'WhenEmptyOrUnderutilized');
    assert.ok(np.spec.disruption.budgets.length > 0);
  });

  it('gives cert-manager ACME issuers with Route 53 DNS01 only where it has its IAM role', () => {
    const prod = doc('addons/companions/spoke-prod/cert-manager/clusterissuer-letsencrypt-prod.yaml');
    assert.deepEqual(prod.spec.acme.solvers, [{ dns01: { route53: { region: 'us-west-2' } } }]);
    assert.equal(prod.spec.acme.email, undefined, 'no email unless a setting gives one');
    const noRole = CATALOG.find((a) => a.name === 'cert-manager')!;
    const ctx = { addon: noRole, cluster: { name: 'x', awsClusterName: 'x', region: 'us-east-1', accountId: '1', vpcId: 'v', kubernetesVersion: '1.30', environment: 'e' }, facts: new Map() };
    assert.deepEqual(Object.keys(certManagerCompanions(ctx)), ['selfsigned']);
  });

  it('delivers the companions folder as a further source of the add-on\'s Application, and the plan evaluates it', () => {
    const a = appset('karpenter');
    const sources = a.spec.template.spec.sources;
    assert.deepEqual(sources[2], {
      repoURL: '{{.metadata.annotations.addons_repo_url}}',
      targetRevision: '{{.metadata.annotations.addons_repo_revision}}',
      path: '{{.metadata.annotations.addons_repo_basepath}}{{.metadata.annotations.addons_repo_path}}/companions/{{.name}}/karpenter',
    });
    assert.ok(a.spec.template.spec.syncPolicy.syncOptions.includes('SkipDryRunOnMissingResource=true'));
    assert.equal(appset('metrics-server').spec.template.spec.sources.length, 2, 'no companions, no source');
    const plan = planFleet(tree.objects);
    const entry = plan.entries.find((e) => e.application === 'karpenter-spoke-prod');
    assert.ok(entry, 'the plan generates the Application');
    // The policies check every path an Application reads exists in dist/ (ref-path): the folder does.
    const findings = checkPolicies(tree.objects as any, policyContext(resolveFleet(base, CATALOG)));
    assert.deepEqual(findings.filter((f) => f.file.includes('addons') || f.rule === 'ref-path'), []);
  });

  it('validate against the real CRDs pinned in crds.lock.json (and the generated schemas agree)', { skip: skipCrds }, () => {
    assert.ok(companionFiles.length >= 10);
    for (const [file, docs] of companionFiles) {
      assert.deepEqual(schemaProblems(docs[0]), [], file);
      assert.deepEqual(companionSchemaErrors(docs[0]), [], file);
    }
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'import-schemas.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  describe('layering: catalog default, then environment, then cluster', () => {
    const s = spec();
    const staging = envIndex(s, 'staging');
    const env = s.environments[staging];
    env.addons = {
      ...env.addons,
      karpenter: { ...(env.addons!.karpenter as object), companions: { 'nodepool-default': { spec: { limits: { cpu: '200' } } } } },
      kyverno: { companions: { 'image-pinned': { spec: { rules: [{ name: 'disallow-latest-tag', validate: { failureAction: 'Audit' } }] } } } },
    };
    setCompanions(s, 'spoke-staging', 'karpenter', { 'nodepool-default': { spec: { limits: { memory: '300Gi' } } } });
    setCompanions(s, 'spoke-staging', 'cert-manager', { 'letsencrypt-staging': false, 'letsencrypt-prod': { spec: { acme: { email: 'platform@example.com' } } } });
    const t = renderSpec(s);
    const get = (f: string): any => t.objects.get(f)?.[0];

    it('merges maps key by key, the cluster over its environment over the catalog', () => {
      assert.deepEqual(get('addons/companions/spoke-staging/karpenter/nodepool-default.yaml').spec.limits, { cpu: '200', memory: '300Gi' });
      assert.deepEqual(get('addons/companions/spoke-prod/karpenter/nodepool-default.yaml').spec.limits, { cpu: '1000', memory: '1000Gi' });
    });

    it('merges lists of named objects by name (one Kyverno rule to Audit in staging)', () => {
      const rules = get('addons/companions/spoke-staging/kyverno/clusterpolicy-image-pinned.yaml').spec.rules;
      assert.deepEqual(rules.map((r: any) => [r.name, r.validate.failureAction]), [['require-image-tag', 'Enforce'], ['disallow-latest-tag', 'Audit']]);
      assert.ok(rules[1].validate.pattern, 'the rest of the rule stays');
      const prod = get('addons/companions/spoke-prod/kyverno/clusterpolicy-image-pinned.yaml').spec.rules;
      assert.ok(prod.every((r: any) => r.validate.failureAction === 'Enforce'));
    });

    it('removes with false and adds fields', () => {
      assert.equal(t.objects.get('addons/companions/spoke-staging/cert-manager/clusterissuer-letsencrypt-staging.yaml'), undefined);
      assert.ok(t.objects.get('addons/companions/spoke-prod/cert-manager/clusterissuer-letsencrypt-staging.yaml'));
      assert.equal(get('addons/companions/spoke-staging/cert-manager/clusterissuer-letsencrypt-prod.yaml').spec.acme.email, 'platform@example.com');
    });

    it('mergeCompanion replaces plain lists and scalars', () => {
      assert.deepEqual(mergeCompanion({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { d: 3 } }), { a: [3], b: { c: 1, d: 3 } });
    });
  });

  describe('bad input: one problem naming file and field, dist/ untouched', () => {
    const prod = indexOf(base, 'spoke-prod');
    const rows: Array<{ name: string; change: (s: Mutable<FleetSpec>) => void; file: string; path: string; message: RegExp }> = [
      {
        name: 'a NodePool naming a node class the cluster does not have',
        change: (s) => setCompanions(s, 'spoke-prod', 'karpenter', { 'nodepool-default': { spec: { template: { spec: { nodeClassRef: { name: 'gpu' } } } } } }),
        file: 'environments/clusters.ts',
        path: `clusters[${prod}].addons.karpenter.companions.nodepool-default.spec.template.spec.nodeClassRef.name`,
        message: /"gpu", which is not among the EC2NodeClasses .* \("default"\)/,
      },
      {
        name: 'an EC2NodeClass with another role than the contract\'s node role',
        change: (s) => setCompanions(s, 'spoke-prod', 'karpenter', { 'ec2nodeclass-default': { spec: { role: 'someone-else' } } }),
        file: 'environments/clusters.ts',
        path: `clusters[${prod}].addons.karpenter.companions.ec2nodeclass-default.spec.role`,
        message: new RegExp(`not the node role the IaC contract gives cluster "spoke-prod" \\(${KARPENTER_NODE_ROLE_FACT}: "${nodeRole('spoke-prod')}"\\)`),
      },
      {
        name: 'a companion failing its CRD schema',
        change: (s) => setCompanions(s, 'spoke-prod', 'karpenter', { 'nodepool-default': { spec: { disruption: { consolidationPolicy: 'Sometimes' } } } }),
        file: 'environments/clusters.ts',
        path: `clusters[${prod}].addons.karpenter.companions.nodepool-default.spec.disruption.consolidationPolicy`,
        message: /must be one of "WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced", got "Sometimes" \[schema karpenter\.sh\/v1 NodePool\]/,
      },
      {
        name: 'a companion with a field its kind does not have (a typo)',
        change: (s) => setCompanions(s, 'spoke-prod', 'aws-ebs-csi-driver', { gp3: { volumeBindingMod: 'Immediate' } }),
        file: 'environments/clusters.ts',
        path: `clusters[${prod}].addons.aws-ebs-csi-driver.companions.gp3.volumeBindingMod`,
        message: /is not a known field/,
      },
      {
        name: 'an environment\'s companion failing its schema',
        change: (s) => {
          const e = s.environments[envIndex(s, 'prod')];
          e.addons = { ...e.addons, 'cert-manager': { ...(e.addons!['cert-manager'] as object), companions: { selfsigned: { spec: { selfSigned: { crlDistributionPoints: 'x' } } } } } };
          // Only on one cluster of the environment, so the row stays one problem.
        },
        file: 'environments/environments.ts',
        path: `environments[${envIndex(base, 'prod')}].addons.cert-manager.companions.selfsigned.spec.selfSigned.crlDistributionPoints`,
        message: /must be array, got string \[schema cert-manager\.io\/v1 ClusterIssuer\] \(on cluster "spoke-prod"\)$/,
      },
      {
        name: 'a cluster whose settings remove every companion of an add-on',
        change: (s) => setCompanions(s, 'spoke-prod', 'aws-ebs-csi-driver', { gp3: false }),
        file: 'environments/clusters.ts',
        path: `clusters[${prod}].addons.aws-ebs-csi-driver.companions`,
        message: /removes every companion of "aws-ebs-csi-driver" on cluster "spoke-prod"/,
      },
      {
        name: 'a Secret as a companion',
        change: (s) => setCompanions(s, 'spoke-prod', 'cert-manager', { token: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' }, stringData: { a: 'b' } } }),
        file: 'environments/clusters.ts',
        path: `clusters[${prod}].addons.cert-manager.companions.token.kind`,
        message: /never a Secret/,
      },
    ];
    it('a catalog default failing its schema: one problem at the catalog entry, naming every cluster', () => {
      const i = CATALOG.findIndex((a) => a.name === 'aws-ebs-csi-driver');
      const broken = CATALOG.map((a, j) => (j === i ? { ...a, companions: () => ({ gp3: { ...awsEbsCsiDriverCompanions(undefined as never).gp3, reclaimPolicy: 'Recycle' } }) } : a));
      const r = fleetRender(withSpec(spec()), { catalog: broken });
      assert.ok(!r.ok);
      assert.deepEqual(r.problems.map((p) => [p.file, p.path]), [['charts/addons/catalog.ts', `ADDON_CATALOG[${i}].companions.gp3.reclaimPolicy`]]);
      assert.match(r.problems[0].message, /must be one of "Delete", "Retain", got "Recycle" .*\(on clusters "spoke-prod", "spoke-staging"\)$/);
    });

    for (const row of rows) {
      it(row.name, () => {
        const s = spec();
        row.change(s);
        const problems = problemsOf(s);
        assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
        assert.equal(problems[0].file, row.file);
        assert.equal(problems[0].path, row.path);
        assert.match(problems[0].message, row.message);
      });
    }
  });
});

describe('engines/schema: the structural checker agrees with ajv on the real CRD schemas', { skip: skipCrds }, () => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const lock = readLock();
  // One parse per kind: ajv caches a compiled schema by the object, so a new parse would compile again.
  const schemas = new Map<string, any>();
  const crdSchema = (apiVersion: string, kind: string): any => {
    const key = `${apiVersion} ${kind}`;
    if (!schemas.has(key)) schemas.set(key, readCrdSchema(apiVersion, kind));
    return schemas.get(key);
  };
  const readCrdSchema = (apiVersion: string, kind: string): any => {
    const [group, version] = apiVersion.split('/');
    for (const e of lock) {
      if (!e.name.endsWith(`.${group}`)) continue;
      const crd = parse(fs.readFileSync(path.join(CRDS_DIR, e.path), 'utf8'));
      if (crd.spec.names.kind !== kind) continue;
      return crd.spec.versions.find((v: any) => v.name === version).schema.openAPIV3Schema;
    }
    throw new Error(`no CRD for ${apiVersion} ${kind}`);
  };
  /** The objects to check: every companion kind with a CRD, as rendered. */
  const samples = companionFiles.map(([, docs]) => docs[0] as any).filter((o) => o.apiVersion.includes('.') && !o.apiVersion.startsWith('storage.k8s.io'));
  const byKind = new Map<string, any>();
  for (const o of samples) if (!byKind.has(`${o.apiVersion} ${o.kind}`) || o.spec?.acme) byKind.set(`${o.apiVersion} ${o.kind}`, o);
  const set = (o: any, p: Array<string | number>, v: unknown) => {
    const c = structuredClone(o);
    let x = c;
    for (const k of p.slice(0, -1)) x = x[k];
    if (v === undefined) delete x[p[p.length - 1]];
    else x[p[p.length - 1]] = v;
    return c;
  };
  const mutations: Array<[string, Array<string | number>, unknown]> = [
    ['karpenter.sh/v1 NodePool', ['spec', 'disruption', 'consolidationPolicy'], 'Sometimes'],
    ['karpenter.sh/v1 NodePool', ['spec', 'disruption', 'budgets', 0, 'nodes'], '110 percent'],
    ['karpenter.sh/v1 NodePool', ['spec', 'template', 'spec', 'requirements', 0, 'operator'], 'Maybe'],
    ['karpenter.sh/v1 NodePool', ['spec', 'template', 'spec', 'nodeClassRef'], undefined],
    ['karpenter.sh/v1 NodePool', ['spec', 'limits', 'cpu'], true],
    ['karpenter.k8s.aws/v1 EC2NodeClass', ['spec', 'metadataOptions', 'httpPutResponseHopLimit'], 100],
    ['karpenter.k8s.aws/v1 EC2NodeClass', ['spec', 'metadataOptions', 'httpTokens'], 'sometimes'],
    ['karpenter.k8s.aws/v1 EC2NodeClass', ['spec', 'blockDeviceMappings', 0, 'ebs', 'encrypted'], 'yes'],
    ['karpenter.k8s.aws/v1 EC2NodeClass', ['spec', 'metadataOptions', 'httpEndpoint'], 'on'],
    ['karpenter.k8s.aws/v1 EC2NodeClass', ['spec', 'amiSelectorTerms', 0, 'alias'], 2023],
    ['cert-manager.io/v1 ClusterIssuer', ['spec', 'acme', 'privateKeySecretRef'], undefined],
    ['cert-manager.io/v1 ClusterIssuer', ['spec', 'acme', 'solvers'], 'route53'],
    ['kyverno.io/v1 ClusterPolicy', ['spec', 'rules', 0, 'validate', 'failureAction'], 'Block'],
    ['kyverno.io/v1 ClusterPolicy', ['spec', 'background'], 'yes'],
  ];

  it('accepts every rendered companion, as ajv does', () => {
    assert.ok(byKind.size >= 4, [...byKind.keys()].join(', '));
    for (const o of samples) {
      const schema = crdSchema(o.apiVersion, o.kind);
      assert.equal(ajv.validate(schema, o), true, JSON.stringify(ajv.errors));
      assert.deepEqual(checkStructural(schema, o, { unknownFields: 'ignore' }), []);
    }
  });

  for (const [key, p, value] of mutations) {
    it(`refuses ${key} with ${formatSchemaPath(p)} = ${JSON.stringify(value)}, at the path ajv names`, () => {
      const o = byKind.get(key);
      assert.ok(o, `a rendered ${key}`);
      const bad = set(o, p, value);
      const schema = crdSchema(bad.apiVersion, bad.kind);
      assert.equal(ajv.validate(schema, bad), false, 'ajv refuses it');
      const ajvPaths = new Set((ajv.errors as any[]).map((e) => (e.keyword === 'required' ? `${e.instancePath}/${e.params.missingProperty}` : e.instancePath)));
      const ours = checkStructural(schema, bad, { unknownFields: 'ignore' });
      assert.ok(ours.length > 0, 'the checker refuses it');
      for (const e of ours) assert.ok(ajvPaths.has(e.path.map((x) => `/${x}`).join('')), `${formatSchemaPath(e.path)} among ajv's ${[...ajvPaths].join(', ')}`);
      // The compact generated schema refuses it the same way.
      const generated = companionSchema(bad.apiVersion, bad.kind)!;
      assert.deepEqual(checkStructural(generated.schema, bad, { unknownFields: 'ignore' }), ours);
    });
  }
});

describe('engines/schema: checkStructural', () => {
  const schema = {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', maxLength: 3, pattern: '^[a-zé]+$' },
      port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      maybe: { type: 'string', nullable: true },
      count: { type: 'integer', minimum: 1, maximum: 5 },
      list: { type: 'array', maxItems: 1, items: { type: 'object', properties: { a: { type: 'boolean' } } } },
    },
  };
  const errors = (v: unknown, unknownFields?: 'error' | 'ignore') => checkStructural(schema, v, { unknownFields }).map((e) => `${formatSchemaPath(e.path)}: ${e.message}`);

  it('accepts what the schema allows: int-or-string, preserved fields, maps, null where nullable, lengths in code points', () => {
    assert.deepEqual(errors({ name: 'éé', port: 80, free: { any: { thing: 1 } }, labels: { a: 'b' }, maybe: null, count: 5, list: [{ a: true }] }), []);
    assert.deepEqual(errors({ name: 'abc', port: 'http' }), []);
  });

  it('names each field that fails, with why', () => {
    assert.deepEqual(errors({ port: true, labels: { a: 1 }, count: 0, list: [{ a: 'x' }, {}], extra: 1 }).sort(), [
      'count: must be >= 1, got 0',
      'extra: is not a known field; known: count, free, labels, list, maybe, name, port',
      'labels.a: must be string, got integer',
      'list: must have at most 1 items, got 2',
      'list[0].a: must be boolean, got string',
      'name: is required',
      'port: must be an integer or a string, got boolean',
    ]);
    assert.deepEqual(errors({ name: 'abcd' }), ['name: must be at most 3 characters, got 4']);
    assert.deepEqual(errors({ name: 'A' }), ['name: "A" does not match ^[a-zé]+$']);
  });

  it('ignores unknown fields when asked (as JSON Schema does)', () => {
    assert.deepEqual(errors({ name: 'a', extra: 1, list: [{ b: 1 }] }, 'ignore'), []);
    assert.deepEqual(errors({ name: 'a', extra: 1, list: [{ b: 1 }] }).sort(), ['extra: is not a known field; known: count, free, labels, list, maybe, name, port', 'list[0].b: is not a known field; known: a']);
  });
});
