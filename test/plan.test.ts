import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fleetOutputs } from '../charts/index.js';
import { planFleet, PlanEntry, removalOf } from '../render/plan/plan.js';
import { exampleFleet } from '../environments/index.js';
import { ADDON_CATALOG } from '../charts/index.js';
import { renderTree } from '../render/render.js';
import { runPlan } from '../render/plan/plan-cli.js';

const tree = renderTree(fleetOutputs(exampleFleet));
const plan = planFleet(tree.objects);

/** A deep copy of the rendered objects, to break one thing in. */
const objectsCopy = () => new Map([...tree.objects].map(([p, docs]) => [p, structuredClone(docs)])) as Map<string, any[]>;

const entry = (name: string): PlanEntry => {
  const e = plan.entries.find((x) => x.application === name);
  assert.ok(e, `no Application ${name} in the plan`);
  return e;
};

/** Runs `runPlan` in-process and returns its exit code and what it printed. */
function run(t: TestContext, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (m: string) => out.push(m));
  t.mock.method(console, 'error', (m: string) => err.push(m));
  const code = runPlan(argv, exampleFleet);
  t.mock.restoreAll();
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('plan of the example fleet', () => {
  it('has no problems', () => {
    assert.deepEqual(plan.problems, []);
  });

  it('lists the add-on Applications on the hub, with chart, version, repository and namespace', () => {
    assert.deepEqual(entry('argo-cd-hub'), {
      cluster: 'hub',
      server: 'https://kubernetes.default.svc',
      application: 'argo-cd-hub',
      namespace: 'argocd',
      applicationSet: 'addon-argo-cd',
      project: 'addons',
      source: 'argo-cd@9.1.4',
      repoURL: 'https://argoproj.github.io/argo-helm',
      destinationNamespace: 'argocd',
      file: 'hub/argocd/addons/argo-cd.yaml',
      onRemoval: 'orphan',
    });
    const hubAddons = plan.entries.filter((e) => e.cluster === 'hub' && e.applicationSet?.startsWith('addon-')).map((e) => e.application);
    assert.deepEqual(hubAddons, ['argo-cd-hub', 'aws-load-balancer-controller-hub', 'cert-manager-hub', 'crossplane-hub', 'external-secrets-hub', 'metrics-server-hub']);
  });

  it('applies version pins: the prod pin of cert-manager and the staging pin of karpenter', () => {
    assert.equal(entry('cert-manager-spoke-prod').source, 'cert-manager@v1.15.3');
    assert.equal(entry('cert-manager-spoke-staging').source, 'cert-manager@v1.16.2');
    assert.equal(entry('karpenter-spoke-staging').source, 'karpenter@1.2.0');
    assert.equal(entry('karpenter-spoke-prod').source, 'karpenter@1.1.1');
  });

  it('lists workload Applications per app and spoke of its environment (the matrix of apps and clusters)', () => {
    assert.deepEqual(entry('webstore-frontend-spoke-prod'), {
      cluster: 'spoke-prod',
      server: 'https://1B2C3D4E5F60718293A4B5C6D7E8F90A.gr7.us-west-2.eks.amazonaws.com',
      application: 'webstore-frontend-spoke-prod',
      namespace: 'argocd',
      applicationSet: 'workloads-webstore',
      project: 'webstore',
      source: 'dist/apps/webstore/frontend/prod@main',
      repoURL: 'https://git.example.com/platform/cdk8s-fleet.git',
      destinationNamespace: 'webstore-prod',
      file: 'hub/argocd/workloads/webstore.yaml',
      onRemoval: 'orphan',
    });
    const workloads = (cluster: string) => plan.entries.filter((e) => e.applicationSet === 'workloads-webstore' && e.cluster === cluster).map((e) => e.application);
    assert.deepEqual(workloads('spoke-staging'), ['webstore-backend-spoke-staging', 'webstore-frontend-spoke-staging', 'webstore-mailer-spoke-staging', 'webstore-ui-spoke-staging']);
    assert.deepEqual(workloads('spoke-prod'), ['webstore-backend-spoke-prod', 'webstore-frontend-spoke-prod', 'webstore-mailer-spoke-prod']);
    assert.deepEqual(workloads('hub'), []);
    assert.equal(entry('webstore-boundaries-spoke-staging').source, 'dist/teams/webstore/staging@main');
  });

  it('every ApplicationSet generates at least one Application', () => {
    const appSets = [...tree.objects.values()].flat().filter((o: any) => o?.kind === 'ApplicationSet').map((o: any) => o.metadata.name as string);
    assert.equal(plan.applicationSets, appSets.length);
    for (const name of appSets) assert.ok(plan.entries.some((e) => e.applicationSet === name), `${name} generates nothing`);
  });

  it('lists plain Applications under the cluster their destination points to', () => {
    const root = entry('fleet-root');
    assert.equal(root.cluster, 'hub');
    assert.equal(root.applicationSet, undefined);
    assert.equal(root.source, 'dist/hub@main');
    assert.equal(root.file, 'hub/bootstrap/root-app.yaml');
  });

  it('is sorted by cluster then name, and the same every time', () => {
    const keys = plan.entries.map((e) => `${e.cluster}\u0000${e.application}`);
    assert.deepEqual(keys, [...keys].sort());
    assert.deepEqual(planFleet(tree.objects), plan);
    assert.deepEqual(plan.clusters.map((c) => [c.name, c.environment]), [['hub', 'control-plane'], ['spoke-prod', 'prod'], ['spoke-staging', 'staging']]);
  });
});

describe('what removing an Application does', () => {
  const app = (finalizers?: string[]) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', ...(finalizers ? { finalizers } : {}) } });
  const appSet = (preserve?: boolean) => ({ kind: 'ApplicationSet', spec: preserve === undefined ? {} : { syncPolicy: { preserveResourcesOnDeletion: preserve } } });

  it("uninstalls with Argo CD's resources finalizer, in any of its propagation forms", () => {
    for (const f of ['resources-finalizer.argocd.argoproj.io', 'resources-finalizer.argocd.argoproj.io/foreground', 'resources-finalizer.argocd.argoproj.io/background']) {
      assert.equal(removalOf(app([f])), 'uninstall', f);
      assert.equal(removalOf(app([f]), appSet(true)), 'uninstall', `${f} in a template, even with preserveResourcesOnDeletion`);
    }
  });

  it('orphans without it: a plain Application, another finalizer, or a template under preserveResourcesOnDeletion', () => {
    assert.equal(removalOf(app()), 'orphan');
    assert.equal(removalOf(app(['post-delete-finalizer.argoproj.io'])), 'orphan');
    assert.equal(removalOf(app(), appSet(true)), 'orphan');
    assert.equal(removalOf(app(['post-delete-finalizer.argoproj.io']), appSet(false)), 'orphan', 'the default finalizer is added only to a template without finalizers');
  });

  it('uninstalls a generated Application whose template has no finalizer when the ApplicationSet does not preserve resources (Argo CD adds the finalizer)', () => {
    assert.equal(removalOf(app(), appSet()), 'uninstall');
    assert.equal(removalOf(app(), appSet(false)), 'uninstall');
  });

  it('reads the rendered add-on ApplicationSets: orphan by default, uninstall where the catalog says so', () => {
    const uninstall = new Set(ADDON_CATALOG.filter((a) => a.onDisable === 'uninstall').map((a) => `addon-${a.name}`));
    for (const e of plan.entries) assert.equal(e.onRemoval, e.applicationSet && uninstall.has(e.applicationSet) ? 'uninstall' : 'orphan', e.application);
    assert.ok(plan.entries.some((e) => e.application === 'metrics-server-hub' && e.onRemoval === 'uninstall'));
    const catalog = ADDON_CATALOG.map((a) => (a.name === 'cert-manager' ? { ...a, onDisable: 'uninstall' as const } : { ...a, onDisable: 'orphan' as const }));
    const p = planFleet(renderTree(fleetOutputs(exampleFleet, { catalog })).objects);
    const addons = p.entries.filter((e) => e.applicationSet?.startsWith('addon-'));
    const certManager = addons.filter((e) => e.applicationSet === 'addon-cert-manager');
    assert.ok(certManager.length >= 2);
    assert.deepEqual(addons.filter((e) => e.onRemoval === 'uninstall'), certManager);
  });
});

describe('plan problems', () => {
  it('fails when a template reads an annotation a selected cluster lacks', () => {
    const objects = objectsCopy();
    delete objects.get('hub/argocd/clusters/spoke-prod.yaml')![0].metadata.annotations.cert_manager_namespace;
    const p = planFleet(objects);
    assert.deepEqual(p.problems, [
      {
        file: 'hub/argocd/addons/cert-manager.yaml',
        object: 'ApplicationSet/addon-cert-manager',
        message:
          'spec.template.spec.destination.namespace: cluster "spoke-prod": template: :1:11: executing "" at <.metadata.annotations.cert_manager_namespace>: map has no entry for key "cert_manager_namespace" (the cluster Secret of "spoke-prod" has no annotation "cert_manager_namespace": write it on every cluster this generator selects, or select only clusters that have it)',
      },
    ]);
    assert.equal(p.entries.some((e) => e.application === 'cert-manager-spoke-prod'), false);
    assert.equal(p.entries.some((e) => e.application === 'cert-manager-spoke-staging'), true);
  });

  it('fails when a selector matches no cluster', () => {
    const objects = objectsCopy();
    const teams = objects.get('hub/argocd/teams/webstore.yaml')![0];
    const selector = teams.spec.generators[0].clusters.selector;
    selector.matchExpressions[0].values = ['qa'];
    assert.deepEqual(planFleet(objects).problems, [
      {
        file: 'hub/argocd/teams/webstore.yaml',
        object: 'ApplicationSet/team-webstore',
        message: `spec.generators[0].clusters: selector ${JSON.stringify(selector)} matches no cluster: label a cluster Secret to match it, or remove the generator`,
      },
    ]);
  });

  it('fails when two Applications have one name in one namespace', () => {
    const objects = objectsCopy();
    const extra = structuredClone(objects.get('hub/apps/addons.yaml')![0]);
    extra.metadata.name = 'argo-cd-hub';
    objects.set('hub/apps/extra.yaml', [extra]);
    assert.deepEqual(planFleet(objects).problems, [
      {
        file: 'hub/argocd/addons/argo-cd.yaml',
        object: 'ApplicationSet/addon-argo-cd',
        message:
          'two Applications named argo-cd-hub in namespace argocd: Application/argo-cd-hub (hub/apps/extra.yaml) and ApplicationSet/addon-argo-cd (hub/argocd/addons/argo-cd.yaml); Argo CD keeps one object per name, so they overwrite each other: rename one',
      },
    ]);
  });

  it('fails when a generated Application names a project that does not exist', () => {
    const objects = objectsCopy();
    objects.get('hub/argocd/addons/keda.yaml')![0].spec.template.spec.project = 'nope';
    const messages = planFleet(objects).problems.map((p) => p.message);
    assert.deepEqual(messages, [
      'Application keda-spoke-prod: spec.project: application references project nope which does not exist: render that AppProject or fix the project',
      'Application keda-spoke-staging: spec.project: application references project nope which does not exist: render that AppProject or fix the project',
    ]);
  });

  it('plans 500 clusters and 50 ApplicationSets in well under a second', () => {
    const objects = new Map<string, unknown[]>();
    const secret = tree.objects.get('hub/argocd/clusters/spoke-prod.yaml')![0] as any;
    for (let i = 0; i < 500; i++) {
      const s = structuredClone(secret);
      s.metadata.name = `cluster-c${i}`;
      s.stringData.name = `c${i}`;
      s.stringData.server = `https://c${i}.example.com`;
      s.metadata.labels.environment = i % 2 ? 'prod' : 'staging';
      objects.set(`hub/argocd/clusters/c${i}.yaml`, [s]);
    }
    const appSets = [...tree.objects.values()].flat().filter((o: any) => o?.kind === 'ApplicationSet' && o.metadata.name !== 'addon-argo-cd' && o.metadata.name !== 'addon-crossplane') as any[];
    for (let k = 0; k < 50; k++) {
      const a = structuredClone(appSets[k % appSets.length]);
      a.metadata.name = `${a.metadata.name}-${k}`;
      a.spec.template.metadata.name = `${k}-${a.spec.template.metadata.name}`;
      objects.set(`hub/argocd/synthetic/${k}.yaml`, [a]);
    }
    for (const [p, docs] of tree.objects) if (p.startsWith('hub/argocd/projects/')) objects.set(p, docs);
    planFleet(objects); // warm up the JIT, as a second plan in one process would be
    const start = performance.now();
    const p = planFleet(objects);
    const ms = performance.now() - start;
    assert.deepEqual(p.problems.filter((x) => !x.message.includes('matches no cluster')), []);
    assert.ok(p.entries.length > 20_000, `${p.entries.length} Applications`);
    assert.ok(ms < 1000, `planned ${p.entries.length} Applications in ${ms.toFixed(0)} ms`);
  });
});

describe('npm run plan', () => {
  it('prints one header per cluster, one row per Application and a count line', (t) => {
    const r = run(t, ['plan']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `hub (environment control-plane, https://kubernetes.default.svc): ${plan.clusters[0].applications} Applications`);
    assert.match(lines[1], /^ {2}argo-cd-hub +addons +argo-cd@9\.1\.4 +argocd +removal: orphan$/);
    const generated = plan.entries.filter((e) => e.applicationSet).length;
    assert.equal(
      lines.at(-2),
      `${plan.entries.length} Applications on 3 clusters from ${plan.applicationSets} ApplicationSets (${generated} generated, ${plan.entries.length - generated} plain)`,
    );
    const uninstalls = plan.entries.filter((e) => e.onRemoval === 'uninstall').length;
    assert.ok(uninstalls > 0);
    assert.match(lines.at(-1)!, new RegExp(`^If removed \\(add-on disabled, Application no longer rendered\\): ${uninstalls} uninstall .*, ${plan.entries.length - uninstalls} orphan `));
  });

  it('says per Application what removing it does: uninstall for an add-on whose catalog says so', (t) => {
    const catalog = ADDON_CATALOG.map((a) => (a.name === 'velero' ? { ...a, onDisable: 'uninstall' as const } : { ...a, onDisable: 'orphan' as const }));
    const out: string[] = [];
    t.mock.method(console, 'log', (m: string) => out.push(m));
    const code = runPlan(['plan'], exampleFleet, { catalog });
    t.mock.restoreAll();
    assert.equal(code, 0);
    const velero = out.join('\n').split('\n').filter((l) => /^ {2}velero-/.test(l));
    assert.ok(velero.length > 0);
    for (const l of velero) assert.match(l, / removal: uninstall$/);
    assert.match(out.join('\n'), new RegExp(`: ${velero.length} uninstall \\(`));
  });

  it('--json prints {clusters, applications, problems} with every field present', (t) => {
    const r = run(t, ['--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['clusters', 'applications', 'problems']);
    assert.deepEqual(json.clusters[0], { name: 'hub', server: 'https://kubernetes.default.svc', environment: 'control-plane', file: 'hub/argocd/clusters/hub.yaml', applications: plan.clusters[0].applications, hub: null });
    assert.deepEqual(
      json.applications.find((a: any) => a.application === 'fleet-root'),
      {
        cluster: 'hub',
        server: 'https://kubernetes.default.svc',
        application: 'fleet-root',
        namespace: 'argocd',
        applicationSet: null,
        project: 'platform',
        source: 'dist/hub@main',
        repoURL: 'https://git.example.com/platform/cdk8s-fleet.git',
        destinationNamespace: 'argocd',
        file: 'hub/bootstrap/root-app.yaml',
        onRemoval: 'orphan',
      },
    );
    assert.equal(json.applications.length, plan.entries.length);
    assert.deepEqual(json.problems, []);
  });

  it('fails with exit code 2 on an unknown option', (t) => {
    const r = run(t, ['plan', '--yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^cdk8s-fleet: unknown option "--yaml"\nusage: main.ts plan \[--json\]/);
  });
});
