/** Several hubs: each hub renders its own bootstrap and Argo CD objects for the part of the fleet it manages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ClusterSpec, FleetValidationError, hubSpec } from '../charts/index.js';
import { planFleet } from '../render/plan/plan.js';
import { renderChecked } from '../render/cli.js';
import { RenderedTree } from '../render/render.js';
import { crdsAvailable, treeSchemaProblems } from './support/schemas.js';
import { fleetCopy, Mutable, render, withSpec } from './support/fleet.js';

/** The example with a second hub in Europe that manages the staging spoke (and claims staging's databases). */
function twoHubs() {
  const spec = fleetCopy();
  const hub = spec.clusters.find((c) => c.name === 'hub')!;
  const eu: Mutable<ClusterSpec> = { ...structuredClone(hub), name: 'hub-eu', region: 'eu-west-1', vpcId: 'vpc-0e1f2a3b4c5d6e7f8' };
  spec.clusters.push(eu);
  spec.clusters.find((c) => c.name === 'spoke-staging')!.hub = 'hub-eu';
  spec.clusters.find((c) => c.name === 'spoke-prod')!.hub = 'hub';
  return spec;
}

function rendered(): RenderedTree {
  const tree = renderChecked(withSpec(twoHubs()));
  assert.ok(typeof tree !== 'number', 'the two-hub fleet passes the policies');
  return tree;
}

const docs = (tree: RenderedTree, path: string): any[] => {
  const text = tree.files.get(path);
  assert.ok(text, `${path} is rendered`);
  return parseAllDocuments(text).map((d) => d.toJS());
};
const under = (tree: RenderedTree, dir: string) => [...tree.files.keys()].filter((p) => p.startsWith(dir)).map((p) => p.slice(dir.length));

describe('several hubs', () => {
  const tree = rendered();

  it('gives each hub its own folder with its own bootstrap, and no hub/ folder', () => {
    assert.equal(under(tree, 'hub/').length, 0);
    for (const hub of ['hub', 'hub-eu']) {
      const root = docs(tree, `hubs/${hub}/bootstrap/root-app.yaml`).find((o) => o.kind === 'Application');
      assert.equal(root.spec.source.path, `dist/hubs/${hub}`);
      assert.equal(root.spec.destination.server, 'https://kubernetes.default.svc');
      const child = docs(tree, `hubs/${hub}/apps/addons.yaml`)[0];
      assert.equal(child.spec.source.path, `dist/hubs/${hub}/argocd/addons`);
    }
  });

  it('registers with each hub only the clusters it manages', () => {
    assert.deepEqual(under(tree, 'hubs/hub/argocd/clusters/'), ['hub.yaml', 'spoke-prod.yaml']);
    assert.deepEqual(under(tree, 'hubs/hub-eu/argocd/clusters/'), ['hub-eu.yaml', 'spoke-staging.yaml']);
  });

  it('delivers each team environment from the hub of its spokes', () => {
    const elements = (hub: string) => docs(tree, `hubs/${hub}/argocd/workloads/webstore.yaml`)[0].spec.generators[0].matrix.generators[0].list.elements;
    assert.deepEqual(elements('hub').map((e: any) => e.environment), ['prod', 'prod', 'prod']);
    assert.ok(elements('hub-eu').every((e: any) => e.environment === 'staging'));
    assert.ok(elements('hub-eu').some((e: any) => e.app === 'ui'), 'ui runs in staging only, from hub-eu');
    const destinations = (hub: string) => docs(tree, `hubs/${hub}/argocd/projects/webstore.yaml`)[0].spec.destinations.map((d: any) => d.namespace);
    assert.deepEqual(destinations('hub'), ['webstore-prod']);
    assert.deepEqual(destinations('hub-eu'), ['webstore-staging']);
  });

  it('claims each environment\'s databases on the hub that manages its spokes', () => {
    assert.deepEqual(under(tree, 'hubs/hub/crossplane/claims/').filter((p) => p.endsWith('backend.yaml')), ['prod/webstore/backend.yaml']);
    assert.deepEqual(under(tree, 'hubs/hub-eu/crossplane/claims/').filter((p) => p.endsWith('backend.yaml')), ['staging/webstore/backend.yaml']);
  });

  it('renders the shared files (values, team boundaries, app manifests) once, as a single-hub fleet does', () => {
    const single = render();
    for (const [path, text] of single) {
      // The hub's Crossplane role trusts each hub's OIDC provider: one statement per hub (test/iam.test.ts).
      // The IaC contract says which hub manages each spoke (its Argo CD role, its access entry).
      if (path.startsWith('hub/') || path === 'README.md' || path.startsWith('iam/crossplane/') || path.startsWith('iac/')) continue;
      assert.equal(tree.files.get(path), text, path);
    }
    // Each hub's git credentials store has a role of its own: one IAM document per hub (test/git-credentials.test.ts).
    // Each hub's Argo CD has its own SSO and RBAC values (the teams it manages): one argo-cd values file per hub.
    // Companions are per cluster (addons/companions/<cluster>/): hub-eu, a copy of the hub in eu-west-1, has the
    // hub's, file for file, in its own region (cert-manager's Route 53 solver).
    const hubCompanions = [...single.keys()].filter((p) => p.startsWith('addons/companions/hub/'));
    assert.ok(hubCompanions.length > 0, 'the hub has companions (cert-manager\'s ClusterIssuers)');
    const euCompanions = hubCompanions.map((p) => p.replace('addons/companions/hub/', 'addons/companions/hub-eu/'));
    for (const [i, p] of euCompanions.entries()) assert.equal(tree.files.get(p), single.get(hubCompanions[i])!.replaceAll('region: us-west-2', 'region: eu-west-1'), p);
    const perHub = ['iam/git-credentials/hub-eu.json', 'addons/values/clusters/hub-eu/argo-cd/values.yaml', 'iac/clusters/hub-eu.json', ...euCompanions];
    const shared = [...tree.files.keys()].filter((p) => !p.startsWith('hubs/') && p !== 'README.md' && !perHub.includes(p));
    assert.deepEqual(shared, [...single.keys()].filter((p) => !p.startsWith('hub/') && p !== 'README.md'));
  });

  it("writes each spoke's IaC contract for the hub that manages it: its role trusts that hub's Argo CD role", () => {
    const fleet = JSON.parse(tree.files.get('iac/fleet.json')!);
    for (const [name, c] of Object.entries<any>(fleet.clusters)) {
      const contract = JSON.parse(tree.files.get(c.contract)!);
      assert.equal(contract.hub, c.hub, name);
      if (contract.role !== 'spoke') continue;
      const hub = JSON.parse(tree.files.get(`iac/clusters/${c.hub}.json`)!);
      assert.deepEqual(contract.roles['argocd-spoke'].trustPolicy.Statement[0].Principal, { AWS: hub.roles['argo-cd'].arn }, name);
      assert.ok([hub.roles['argo-cd'].permissionsPolicy.Statement[0].Resource].flat().includes(contract.roles['argocd-spoke'].arn), name);
    }
    assert.ok(Object.values<any>(fleet.clusters).some((c) => c.hub === 'hub-eu' && c.role === 'spoke'));
  });

  it('renders objects valid against their schemas', { skip: crdsAvailable() ? false : 'CRDs not found (set CRDS_DIR)' }, () => {
    assert.deepEqual(treeSchemaProblems(tree.objects), []);
  });

  it('plans each hub\'s Argo CD against its own cluster Secrets, without problems', () => {
    const plan = planFleet(tree.objects);
    assert.deepEqual(plan.problems, []);
    const on = (cluster: string) => plan.entries.filter((e) => e.cluster === cluster).map((e) => e.application);
    assert.ok(on('hub').includes('fleet-root') && on('hub-eu').includes('fleet-root'), 'one root per hub');
    assert.ok(on('spoke-staging').includes('webstore-ui-spoke-staging'));
    assert.ok(!on('spoke-prod').some((a) => a.startsWith('webstore-ui')), 'ui runs in staging only');
    assert.deepEqual(plan.entries.filter((e) => e.application === 'crossplane-claims').map((e) => e.source).sort(), ['dist/hubs/hub-eu/crossplane/claims@main', 'dist/hubs/hub/crossplane/claims@main']);
    assert.deepEqual(plan.clusters.map((c) => `${c.name}@${c.hub}`), ['hub@hub', 'hub-eu@hub-eu', 'spoke-prod@hub', 'spoke-staging@hub-eu']);
  });

  it('keeps a hub view to its own clusters, teams and environments', () => {
    const view = hubSpec(twoHubs(), 'hub-eu');
    assert.deepEqual(view.clusters.map((c) => c.name).sort(), ['hub-eu', 'spoke-staging']);
    assert.deepEqual(view.teams?.map((t) => t.environments), [['staging']]);
    assert.ok(view.teams![0].apps.every((a) => Object.keys(a.environments).join() === 'staging'));
  });

  it('fails when an environment with databases has spokes on two hubs', () => {
    const spec = twoHubs();
    const extra: Mutable<ClusterSpec> = { ...structuredClone(spec.clusters.find((c) => c.name === 'spoke-prod')!), name: 'spoke-prod-eu', hub: 'hub-eu' };
    spec.clusters.push(extra);
    assert.throws(() => renderChecked(withSpec(spec)), (e: unknown) => {
      assert.ok(e instanceof FleetValidationError);
      assert.match(e.message, /teams\[0\]\.apps\[\d\]\.database: the spokes of environment "prod" are managed by 2 hubs \(hub, hub-eu\); its databases are claimed from Crossplane on one hub: put them on one hub/);
      return true;
    });
  });

  it('fails when the hub that claims databases does not run Crossplane', () => {
    const spec = twoHubs();
    (spec.clusters.find((c) => c.name === 'hub-eu')!.addons as Record<string, unknown>).crossplane = false;
    assert.throws(() => renderChecked(withSpec(spec)), /databases are claimed from Crossplane on the hub: enable the crossplane add-on on hub "hub-eu"/);
  });
});
