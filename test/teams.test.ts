import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, FleetSpec, formatProblem, validateFleet } from '../charts/index.js';
import { quotaNeed } from '../charts/validate/quota-fit.js';
import { fleetCopy, Mutable, objects, render, withSpec } from './support/fleet.js';

const files = render();
const all = objects(files);
const inDir = (prefix: string) => all.filter((o) => o.file.startsWith(prefix)).map((o) => o.obj);
const one = (kind: string, name: string, prefix = '') => all.find((o) => o.obj.kind === kind && o.obj.metadata.name === name && o.file.startsWith(prefix))!.obj;

function problemsOf(change: (spec: Mutable<FleetSpec>) => void): string[] {
  const spec = fleetCopy();
  change(spec);
  try {
    render(withSpec(spec));
    return validateFleet(withSpec(spec), ADDON_CATALOG).map(formatProblem);
  } catch (e) {
    return [(e as Error).message];
  }
}
const webstore = (s: Mutable<FleetSpec>) => s.teams!.find((t) => t.name === 'webstore')! as any;

describe('team boundaries', () => {
  it('one namespace per team and environment, enforcing Pod Security "restricted"', () => {
    for (const env of ['staging', 'prod']) {
      const ns = inDir(`teams/webstore/${env}/namespace.yaml`)[0];
      assert.equal(ns.metadata.name, `webstore-${env}`);
      assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
      assert.equal(ns.metadata.labels['pod-security.kubernetes.io/warn'], 'restricted');
    }
  });

  it('a quota per environment, no LoadBalancer or NodePort Services, and container defaults', () => {
    const quota = one('ResourceQuota', 'team-quota', 'teams/webstore/prod/');
    assert.equal(quota.metadata.namespace, 'webstore-prod');
    assert.equal(quota.spec.hard['requests.cpu'], '16');
    assert.equal(quota.spec.hard['services.loadbalancers'], '0');
    assert.equal(quota.spec.hard['services.nodeports'], '0');
    const limits = one('LimitRange', 'team-limits', 'teams/webstore/staging/');
    assert.deepEqual(limits.spec.limits[0].defaultRequest, { cpu: '100m', memory: '128Mi' });
  });

  it('default-deny network policy plus DNS and exactly the declared connections', () => {
    const pols = inDir('teams/webstore/staging/network-policies.yaml');
    const byName = Object.fromEntries(pols.map((p) => [p.metadata.name, p]));
    assert.deepEqual(Object.keys(byName).sort(), ['allow-dns', 'app-backend', 'app-frontend', 'app-mailer', 'app-ui', 'default-deny']);
    assert.deepEqual(byName['default-deny'].spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const backend = byName['app-backend'].spec;
    assert.deepEqual(backend.ingress[0].from.map((f: any) => f.podSelector.matchLabels['app.kubernetes.io/name']), ['frontend', 'ui']);
    assert.deepEqual(backend.egress, [
      { ports: [{ port: 443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] },
      { ports: [{ port: 5432, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.1.0.0/16' } }] },
    ], 'HTTPS out, and PostgreSQL to its database in the environment VPC');
    const frontend = byName['app-frontend'].spec;
    assert.deepEqual(frontend.ingress, [{ ports: [{ port: 8080, protocol: 'TCP' }] }], 'from the ALB');
    assert.deepEqual(frontend.egress[0].to[0].podSelector.matchLabels, { 'app.kubernetes.io/name': 'backend' });
    const prodPols = inDir('teams/webstore/prod/network-policies.yaml').map((p) => p.metadata.name);
    assert.ok(!prodPols.includes('app-ui'), 'ui does not run in prod');
  });

  it('binds the team group: edit in staging, view in prod', () => {
    assert.deepEqual(one('RoleBinding', 'team-edit', 'teams/webstore/staging/').subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'webstore-developers' }]);
    assert.equal(one('RoleBinding', 'team-view', 'teams/webstore/prod/').roleRef.name, 'view');
  });

  it('the team AppProject is least privilege', () => {
    const p = one('AppProject', 'webstore');
    assert.deepEqual(p.spec.sourceRepos, ['https://git.example.com/platform/cdk8s-fleet.git']);
    assert.deepEqual(p.spec.destinations.map((d: any) => d.namespace).sort(), ['webstore-prod', 'webstore-staging']);
    for (const d of p.spec.destinations) assert.match(d.server, /eks\.amazonaws\.com$/, 'spokes only');
    assert.deepEqual(p.spec.clusterResourceWhitelist, []);
    const denied = p.spec.namespaceResourceBlacklist.map((r: any) => r.kind);
    for (const k of ['ResourceQuota', 'LimitRange', 'NetworkPolicy']) assert.ok(denied.includes(k), k);
    assert.ok(!p.spec.sourceRepos.includes('*'));
    assert.deepEqual(p.spec.roles[0].groups, ['webstore-developers']);
  });

  it('boundaries are delivered by the platform guardrails project, never pruned', () => {
    const appset = one('ApplicationSet', 'team-webstore');
    assert.equal(appset.spec.template.spec.project, 'guardrails');
    assert.equal(appset.spec.template.spec.syncPolicy.automated.prune, false);
    assert.equal(appset.spec.template.spec.source.path, '{{.metadata.annotations.addons_repo_basepath}}teams/webstore/{{.metadata.labels.environment}}');
    const g = one('AppProject', 'guardrails');
    assert.deepEqual(g.spec.clusterResourceWhitelist, [{ group: '', kind: 'Namespace' }, { group: 'external-secrets.io', kind: 'ClusterSecretStore' }]);
  });
});

describe('workload ApplicationSets', () => {
  const appset = one('ApplicationSet', 'workloads-webstore');

  it('one Application per app and cluster: (app, environment) pairs x spokes of that environment', () => {
    const [list, clusters] = appset.spec.generators[0].matrix.generators;
    assert.deepEqual(list.list.elements.map((e: any) => `${e.app}@${e.environment}`), [
      'backend@staging', 'frontend@staging', 'mailer@staging', 'ui@staging', 'backend@prod', 'frontend@prod', 'mailer@prod',
    ]);
    assert.deepEqual(clusters.clusters.selector.matchLabels, { environment: '{{.environment}}', workloads: 'true' });
    assert.equal(appset.spec.template.metadata.name, 'webstore-{{.app}}-{{.nameNormalized}}');
  });

  it('points each Application at a rendered folder, in the team project and namespace, labelled for RollingSync', () => {
    const spec = appset.spec.template.spec;
    assert.equal(spec.project, 'webstore');
    assert.equal(spec.destination.namespace, 'webstore-{{.environment}}');
    assert.equal(spec.source.path, '{{.metadata.annotations.workload_repo_basepath}}{{.metadata.annotations.workload_repo_path}}/webstore/{{.app}}/{{.environment}}');
    for (const e of appset.spec.generators[0].matrix.generators[0].list.elements) {
      assert.ok([...files.keys()].some((f) => f.startsWith(`apps/webstore/${e.app}/${e.environment}/`)), `${e.app}/${e.environment} is rendered`);
    }
    assert.deepEqual(Object.keys(appset.spec.template.metadata.labels).sort(), ['app.kubernetes.io/managed-by', 'cluster', 'component', 'environment', 'team']);
  });
});

describe('app manifests per environment', () => {
  it('every team workload meets Pod Security "restricted"', () => {
    const deployments = inDir('apps/').filter((o) => o.kind === 'Deployment');
    assert.ok(deployments.length >= 7);
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      assert.equal(pod.securityContext.runAsNonRoot, true, d.metadata.name);
      assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
        assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
        assert.ok(c.resources.requests && c.resources.limits, `${d.metadata.name}: requests and limits`);
        assert.ok(c.livenessProbe, `${d.metadata.name}: liveness probe`);
        assert.doesNotMatch(c.image, /:latest$/);
        assert.match(c.image, /(:[\w.-]+|@sha256:[a-f0-9]{64})$/);
      }
    }
  });

  it('every object of an app is in the team namespace of its environment', () => {
    for (const { file, obj } of all.filter((o) => o.file.startsWith('apps/'))) {
      const env = file.split('/')[3];
      assert.equal(obj.metadata.namespace, `webstore-${env}`, file);
      assert.equal(obj.metadata.labels.team, 'webstore', file);
    }
  });

  it('overlays set the version and replicas per environment: staging v2.0 x1, prod v1.0 x3', () => {
    const staging = one('Deployment', 'frontend', 'apps/webstore/frontend/staging/');
    const prod = one('Deployment', 'frontend', 'apps/webstore/frontend/prod/');
    assert.equal(staging.spec.template.spec.containers[0].image, 'public.ecr.aws/acme-webstore/frontend:v2.0');
    assert.equal(staging.spec.replicas, 1);
    assert.equal(prod.spec.template.spec.containers[0].image, 'public.ecr.aws/acme-webstore/frontend:v1.0');
    assert.equal(prod.spec.replicas, 3);
  });

  it('patches apply per environment: IAM role per account, HPA ceiling in prod', () => {
    assert.equal(one('ServiceAccount', 'backend', 'apps/webstore/backend/prod/').metadata.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::444455556666:role/spoke-prod-webstore-backend');
    assert.equal(one('HorizontalPodAutoscaler', 'backend', 'apps/webstore/backend/prod/').spec.maxReplicas, 12);
    assert.equal(one('HorizontalPodAutoscaler', 'backend', 'apps/webstore/backend/staging/').spec.maxReplicas, 6);
  });

  it('a generator merged over the base ConfigMap changes it in staging only, and the Deployment follows its name', () => {
    const stagingCm = inDir('apps/webstore/backend/staging/').find((o) => o.kind === 'ConfigMap');
    const prodCm = inDir('apps/webstore/backend/prod/').find((o) => o.kind === 'ConfigMap');
    assert.equal(stagingCm.data.LOG_LEVEL, 'debug');
    assert.equal(prodCm.data.LOG_LEVEL, 'info');
    const d = one('Deployment', 'backend', 'apps/webstore/backend/staging/');
    assert.equal(d.spec.template.spec.containers[0].envFrom[0].configMapRef.name, stagingCm.metadata.name);
  });

  it('an app without an overlay for an environment does not run there', () => {
    assert.ok([...files.keys()].some((f) => f.startsWith('apps/webstore/ui/staging/')));
    assert.ok(![...files.keys()].some((f) => f.startsWith('apps/webstore/ui/prod/')));
  });
});

describe('team validation', () => {
  it('fails when an overlay sets the namespace', () => {
    assert.ok(problemsOf((s) => { webstore(s).apps[0].environments.prod = { namespace: 'other' }; })
      .some((l) => l.includes('environments/teams.ts: teams[0].apps[0].environments.prod.namespace: the namespace is the team\'s')));
  });

  it('fails on a secret generator: no Secret is ever rendered into git', () => {
    assert.ok(problemsOf((s) => { webstore(s).apps[0].environments.prod = { secretGenerator: [{ name: 'db', literals: { password: 'x' } }] }; })
      .some((l) => l.includes('teams[0].apps[0].environments.prod.secretGenerator: Secrets are never rendered into git')));
  });

  it('fails on an overlay for an environment the team does not deploy to', () => {
    assert.ok(problemsOf((s) => { webstore(s).apps[0].environments.qa = {}; })
      .some((l) => l.includes('teams[0].apps[0].environments.qa: the team does not deploy to "qa"')));
  });

  it('fails on an unknown connection, a duplicate app, a reserved team name, an image tag latest', () => {
    const lines = problemsOf((s) => {
      webstore(s).apps[0].connectsTo = ['payments'];
      webstore(s).apps.push({ ...webstore(s).apps[1] });
      webstore(s).apps[1].environments.prod = { images: [{ name: 'x', newTag: 'latest' }] };
    });
    assert.ok(lines.some((l) => l.includes('teams[0].apps[0].connectsTo[0]: unknown app "payments" in team "webstore"')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('teams[0].apps[4].name: app "backend" is already defined at teams[0].apps[1]')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('teams[0].apps[1].environments.prod.images[0].newTag: "latest" is not a pin')), lines.join('\n'));
    assert.ok(problemsOf((s) => { webstore(s).name = 'platform'; }).some((l) => l.includes('teams[0].name: "platform" is reserved')));
  });

  it('fails when a patch targets nothing, naming the file and field', () => {
    const lines = problemsOf((s) => {
      webstore(s).apps[0].environments.prod = { patches: [{ target: { kind: 'StatefulSet', name: 'frontend' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 1 }] }] };
    });
    assert.ok(lines.some((l) => /environments\/teams\.ts: teams\[0\]\.apps\[0\]\.environments\.prod: .*target/i.test(l)), lines.join('\n'));
  });

  it('fails when an app image is not pinned', () => {
    assert.ok(problemsOf((s) => { webstore(s).apps[2].webService.image = { repository: 'public.ecr.aws/acme-webstore/ui' }; })
      .some((l) => l.includes('teams[0].apps[2].webService.image.tag: the image has no tag or digest')));
  });
});

describe('quota fit', () => {
  it('fails when the apps at maximum scale do not fit the quota, naming the team, environment and resource', () => {
    const lines = problemsOf((s) => {
      webstore(s).quota.prod = { requestsCpu: '1', requestsMemory: '32Gi', limitsCpu: '32', limitsMemory: '64Gi', pods: 5 };
    });
    assert.ok(lines.some((l) => l.includes('environments/teams.ts: teams[0].quota.prod: requestsCpu: the apps need 2150m at their maximum scale, the quota allows 1')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('teams[0].quota.prod: pods: the apps need 17 at their maximum scale, the quota allows 5')), lines.join('\n'));
  });

  it('counts the autoscaler maximum, not the replica count', () => {
    const need = quotaNeed(inDir('apps/webstore/backend/prod/'));
    assert.equal(need.pods, 12);
    assert.ok(Math.abs(need.requestsCpu - 1.2) < 1e-9, String(need.requestsCpu));
  });
});
