import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, formatProblem, validateFleet } from '../charts/index.js';
import { fleetCopy, objects, render, withSpec } from './support/fleet.js';

const files = render();
const all = objects(files);
const wave = (o: any) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

describe('hub bootstrap and app-of-ApplicationSets', () => {
  it('bootstrap holds the one root Application and the project it needs', () => {
    const boot = all.filter((o) => o.file.startsWith('hub/bootstrap/'));
    assert.deepEqual(boot.map((o) => `${o.file} ${o.obj.kind}/${o.obj.metadata.name}`), [
      'hub/bootstrap/root-app.yaml AppProject/platform',
      'hub/bootstrap/root-app.yaml Application/fleet-root',
    ]);
    const root = boot[1].obj;
    assert.equal(root.spec.project, 'platform');
    assert.equal(root.spec.source.path, 'dist/hub');
    assert.equal(root.spec.source.targetRevision, 'main');
    assert.deepEqual(root.spec.source.directory, { include: '{bootstrap/*.yaml,apps/*.yaml}', recurse: true });
  });

  it('has one child Application per component, ordered by sync waves: projects, clusters and repositories, add-ons, teams, workloads', () => {
    const children = all.filter((o) => o.file.startsWith('hub/apps/')).map((o) => o.obj);
    const byName = Object.fromEntries(children.map((c) => [c.metadata.name, c]));
    assert.deepEqual(Object.keys(byName).sort(), ['fleet-addons', 'fleet-clusters', 'fleet-crossplane', 'fleet-projects', 'fleet-repositories', 'fleet-teams', 'fleet-workloads']);
    assert.ok(wave(byName['fleet-projects']) < wave(byName['fleet-clusters']));
    assert.ok(wave(byName['fleet-clusters']) < wave(byName['fleet-addons']));
    assert.ok(wave(byName['fleet-repositories']) < wave(byName['fleet-addons']));
    assert.ok(wave(byName['fleet-addons']) < wave(byName['fleet-teams']), 'add-ons before team boundaries');
    assert.ok(wave(byName['fleet-teams']) < wave(byName['fleet-workloads']), 'namespaces before the apps in them');
    assert.equal(byName['fleet-addons'].spec.source.path, 'dist/hub/argocd/addons');
    for (const c of children) {
      assert.equal(c.spec.project, 'platform');
      const folder = `${c.spec.source.path.replace(/^dist\//, '')}/`;
      assert.ok([...files.keys()].some((f) => f.startsWith(folder)), `${c.metadata.name} points at an empty folder`);
    }
  });

  it('no Application or ApplicationSet uses the default project', () => {
    for (const { obj } of all) {
      if (obj.kind === 'Application') assert.notEqual(obj.spec.project, 'default');
      if (obj.kind === 'ApplicationSet') assert.notEqual(obj.spec.template.spec.project, 'default');
    }
  });

  it('the platform project is least privilege: this repo, the hub Argo CD namespace, Argo CD kinds and Secrets only', () => {
    const p = all.find((o) => o.obj.kind === 'AppProject' && o.obj.metadata.name === 'platform')!.obj;
    assert.deepEqual(p.spec.sourceRepos, ['https://git.example.com/platform/cdk8s-fleet.git']);
    assert.deepEqual(p.spec.destinations, [{ namespace: 'argocd', server: 'https://kubernetes.default.svc' }]);
    // The one cluster-scoped kind: the git credentials store, usable only from Argo CD's namespace (repos.credentials).
    assert.deepEqual(p.spec.clusterResourceWhitelist, [{ group: 'external-secrets.io', kind: 'ClusterSecretStore' }], 'an allow list of one kind denies every other cluster-scoped kind');
    assert.deepEqual(p.spec.namespaceResourceWhitelist.map((r: any) => r.kind), ['Application', 'ApplicationSet', 'AppProject', 'Secret', 'ServiceAccount', 'ExternalSecret']);
  });

  it('the addons project names its chart repositories and every fleet cluster', () => {
    const p = all.find((o) => o.obj.kind === 'AppProject' && o.obj.metadata.name === 'addons')!.obj;
    assert.ok(!p.spec.sourceRepos.includes('*'));
    assert.ok(p.spec.sourceRepos.includes('public.ecr.aws/karpenter'));
    assert.ok(p.spec.sourceRepos.includes('https://charts.jetstack.io'));
    assert.equal(p.spec.destinations.length, 3);
  });

  it('EKS capability mode: cluster ARN as server, hub Secret in the bootstrap, no awsAuthConfig', () => {
    const spec = fleetCopy();
    spec.argocd = { mode: 'eks-capability' };
    spec.clusters[0].addons = { ...spec.clusters[0].addons, 'argo-cd': false };
    const cap = objects(render(withSpec(spec)));
    const secrets = cap.filter((o) => o.obj.kind === 'Secret' && o.obj.metadata.labels['argocd.argoproj.io/secret-type'] === 'cluster');
    assert.deepEqual(secrets.map((s) => [s.file, s.obj.stringData.server]).sort(), [
      ['hub/argocd/clusters/spoke-prod.yaml', 'arn:aws:eks:us-west-2:444455556666:cluster/spoke-prod'],
      ['hub/argocd/clusters/spoke-staging.yaml', 'arn:aws:eks:us-west-2:444455556666:cluster/spoke-staging'],
      ['hub/bootstrap/root-app.yaml', 'arn:aws:eks:us-west-2:111122223333:cluster/hub'],
    ]);
    for (const s of secrets) assert.equal(s.obj.stringData.config, undefined);
    const root = cap.find((o) => o.obj.kind === 'Application' && o.obj.metadata.name === 'fleet-root')!.obj;
    assert.equal(root.spec.destination.server, 'arn:aws:eks:us-west-2:111122223333:cluster/hub');
  });
});

describe('names', () => {
  it('every object has a unique kind/namespace/name on the cluster it goes to', () => {
    const seen = new Map<string, string>();
    const clusters = fleetCopy().clusters;
    const spokesOf = (env: string) => clusters.filter((c) => c.role === 'spoke' && c.environment === env).map((c) => c.name);
    for (const { file, obj } of all) {
      // hub/... goes to the hub; teams/<team>/<env>/... and apps/<team>/<app>/<env>/... to every spoke of <env>;
      // addons/companions/<cluster>/<addon>/... to that one cluster, hub or spoke.
      const parts = file.split('/');
      const to = parts[0] === 'hub' ? ['hub']
        : parts[0] === 'addons' && parts[1] === 'companions' ? [parts[2]]
          : spokesOf(parts[0] === 'teams' ? parts[2] : parts[3]);
      assert.ok(to.length > 0 && to.every((c) => clusters.some((x) => x.name === c)), `${file} goes to a cluster of the fleet`);
      for (const cluster of to) {
        const key = `${cluster}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
        assert.ok(!seen.has(key), `${key} in ${file} and ${seen.get(key)}`);
        seen.set(key, file);
      }
    }
  });

  it('every generated Application name includes its cluster, so a second spoke never clashes', () => {
    for (const { obj } of all.filter((o) => o.obj.kind === 'ApplicationSet')) {
      assert.match(obj.spec.template.metadata.name, /\{\{\.nameNormalized\}\}/);
    }
  });

  it('a second spoke in an environment adds a Secret and nothing else clashes', () => {
    const spec = fleetCopy();
    // Its own API server: two clusters on one server URL are refused (Argo CD keys clusters by server).
    const prod2 = { ...structuredClone(spec.clusters[2]), name: 'spoke-prod-2', endpoint: 'https://2C3D4E5F60718293A4B5C6D7E8F90A1B.gr7.us-west-2.eks.amazonaws.com' };
    spec.clusters.push(prod2 as any);
    const more = objects(render(withSpec(spec)));
    assert.equal(more.filter((o) => o.obj.kind === 'Secret').length, all.filter((o) => o.obj.kind === 'Secret').length + 1);
  });
});

describe('large fleets: controller sharding', () => {
  it('pins a cluster to a shard and configures the controller replicas and algorithm on the hub', () => {
    const spec = fleetCopy();
    spec.argocd = { ...spec.argocd, sharding: { replicas: 3, algorithm: 'round-robin' } };
    spec.clusters[2].shard = 2;
    spec.clusters[0].addons = { ...spec.clusters[0].addons, 'argo-cd': { iamRoleArn: 'arn:aws:iam::111122223333:role/hub-argo-cd', values: { controller: { resources: { requests: { cpu: '1' } } } } } };
    const files = render(withSpec(spec));
    const prod = objects(new Map([['x', files.get('hub/argocd/clusters/spoke-prod.yaml')!]]))[0].obj;
    assert.equal(prod.stringData.shard, '2');
    const values = objects(new Map([['x', files.get('addons/values/clusters/hub/argo-cd/values.yaml')!]]))[0].obj;
    // The example's single sign-on adds configs.cm and configs.rbac there too (test/argocd-rbac.test.ts).
    assert.deepEqual({ ...values, configs: { params: values.configs.params } }, {
      configs: { params: { 'controller.sharding.algorithm': 'round-robin' } },
      controller: { replicas: 3, resources: { requests: { cpu: '1' } } },
    });
  });

  it('fails on a shard out of range, a shard without sharding, sharding under the EKS capability', () => {
    const lines = (change: (s: any) => void) => { const s = fleetCopy(); change(s); return validateFleet(withSpec(s), ADDON_CATALOG).map(formatProblem).join('\n'); };
    assert.match(lines((s) => { s.argocd = { sharding: { replicas: 2 } }; s.clusters[1].shard = 2; }), /clusters\[1\]\.shard: must be a shard from 0 to 1, got 2/);
    assert.match(lines((s) => { s.clusters[1].shard = 0; }), /clusters\[1\]\.shard: Argo CD is not sharded/);
    assert.match(lines((s) => { s.argocd = { mode: 'eks-capability', sharding: { replicas: 2 } }; }), /argocd\.sharding: the EKS Argo CD capability manages its own controllers/);
  });
});
