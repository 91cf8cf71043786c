import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crdsAvailable, CRDS_DIR, registerXrd, schemaProblems } from './support/schemas.js';
import { fleetCopy, objects, render, withSpec } from './support/fleet.js';

describe('every rendered object is valid against the real schema of its kind', () => {
  const check = (files: Map<string, string>) => {
    const problems: string[] = [];
    // Claims are of kinds our own XRDs define: learn those first.
    for (const { obj } of objects(files)) if (obj.kind === 'CompositeResourceDefinition') registerXrd(obj);
    for (const { file, obj } of objects(files)) {
      for (const p of schemaProblems(obj)) problems.push(`${file} ${obj.kind}/${obj.metadata?.name}: ${p}`);
    }
    assert.deepEqual(problems, []);
  };

  it('example fleet (Kubernetes OpenAPI; Argo CD, Crossplane, Upbound AWS and External Secrets CRDs; our XRD)', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    check(render());
  });

  it('EKS capability mode with progressive sync', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    const spec = fleetCopy();
    spec.argocd = { mode: 'eks-capability', progressiveSync: true };
    spec.clusters[0].addons = { ...spec.clusters[0].addons, 'argo-cd': false };
    check(render(withSpec(spec)));
  });

  it('the team secret store with its own IAM role (auth.jwt) and the platform\'s ExternalSecret match the External Secrets v2.9 CRDs', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    const ours = objects(render()).filter((o) => /^teams\/[^/]+\/[^/]+\/(secret-store|externalsecret-)/.test(o.file)).map((o) => o.obj);
    assert.deepEqual(ours.map((o) => o.kind).sort(), ['ClusterSecretStore', 'ClusterSecretStore', 'ExternalSecret', 'ExternalSecret', 'ServiceAccount', 'ServiceAccount']);
    for (const o of ours) assert.deepEqual(schemaProblems(o), [], `${o.kind}/${o.metadata.name}`);
    const store = ours.find((o) => o.kind === 'ClusterSecretStore')!;
    assert.equal(store.apiVersion, 'external-secrets.io/v1');
    const badAuth = structuredClone(store);
    badAuth.spec.provider.aws.auth.jwt.serviceAccountRef = { namespace: 'Not_A_Namespace' };
    assert.notDeepEqual(schemaProblems(badAuth), [], 'the CRD requires a service account name and a DNS-label namespace');
  });

  it('the validator rejects what the schema forbids', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    const appset = objects(render()).find((o) => o.obj.kind === 'ApplicationSet')!.obj;
    assert.deepEqual(schemaProblems(appset), []);
    assert.notDeepEqual(schemaProblems({ ...appset, spec: { ...appset.spec, goTemplate: 'yes' } }), []);
    assert.notDeepEqual(schemaProblems({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { a: 1 } }), []);
    assert.deepEqual(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Thing' }), ['no schema known for example.com/v1 Thing']);
  });
});
