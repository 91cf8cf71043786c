import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, FleetSpec, formatProblem, validateFleet } from '../charts/index.js';
import { quotaNeed } from '../charts/validate/quota-fit.js';
import { IAM_ROLE_NAME_MAX } from '../charts/iam/iam-documents.js';
import { secretStoreRoleName } from '../charts/outputs/iam-secret-stores.js';
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

  it('binds the team group to the platform\'s Role of its level: edit in staging, view in prod', () => {
    const edit = one('RoleBinding', 'team-edit', 'teams/webstore/staging/');
    assert.deepEqual(edit.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'webstore-developers' }]);
    assert.deepEqual(edit.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'fleet-team-edit' });
    assert.deepEqual(one('RoleBinding', 'team-view', 'teams/webstore/prod/').roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'fleet-team-view' });
    assert.equal(one('Role', 'fleet-team-edit', 'teams/webstore/staging/').metadata.namespace, 'webstore-staging');
    assert.equal(one('Role', 'fleet-team-view', 'teams/webstore/prod/').metadata.namespace, 'webstore-prod');
    for (const o of all.filter((x) => x.obj.kind === 'RoleBinding' || x.obj.kind === 'ClusterRoleBinding')) {
      assert.notEqual(o.obj.roleRef.kind, 'ClusterRole', `${o.file}: no built-in ClusterRole`);
    }
  });

  /** What a Role grants: `group/resource` -> verbs. */
  const grants = (role: any): Map<string, Set<string>> => {
    const m = new Map<string, Set<string>>();
    for (const r of role.rules) {
      for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) m.set(`${g}/${res}`, (m.get(`${g}/${res}`) ?? new Set()).add(v));
    }
    return m;
  };
  const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', '*'];

  it('edit writes the app kinds, deletes pods, reads logs; never exec, attach, port-forward, Secrets, RBAC, NetworkPolicies or secret-access kinds', () => {
    const edit = one('Role', 'fleet-team-edit', 'teams/webstore/staging/');
    const g = grants(edit);
    for (const r of ['apps/deployments', 'apps/statefulsets', 'batch/jobs', 'batch/cronjobs', '/services', '/configmaps', 'networking.k8s.io/ingresses', 'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets']) {
      for (const v of ['get', 'create', 'patch', 'delete']) assert.ok(g.get(r)?.has(v), `${r} ${v}`);
    }
    assert.deepEqual([...g.get('/pods')!].sort(), ['delete', 'get', 'list', 'watch']);
    assert.deepEqual([...g.get('/pods/log')!].sort(), ['get', 'list', 'watch']);
    for (const r of ['/serviceaccounts', '/resourcequotas', '/limitranges', 'apps/replicasets', '/events']) {
      assert.ok(g.get(r)?.has('get'), `${r} read`);
      assert.ok(![...g.get(r)!].some((v) => WRITE_VERBS.includes(v)), `${r} is read only`);
    }
    for (const r of [
      '/pods/exec', '/pods/attach', '/pods/portforward', '/pods/proxy', '/services/proxy', '/secrets', 'networking.k8s.io/networkpolicies',
      'rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/rolebindings', 'external-secrets.io/externalsecrets', 'external-secrets.io/secretstores',
      'keda.sh/triggerauthentications', 'kyverno.io/policyexceptions', 'apps/daemonsets',
    ]) assert.ok(!g.has(r), `no ${r}`);
    for (const r of edit.rules) {
      assert.ok(!r.apiGroups.includes('*') && !r.resources.includes('*') && !r.verbs.includes('*'), 'no wildcards');
      assert.ok(!r.verbs.includes('escalate') && !r.verbs.includes('bind') && !r.verbs.includes('impersonate'));
    }
    assert.equal(edit.aggregationRule, undefined);
  });

  it('view reads what edit reads, writes nothing, and reads no Secret', () => {
    const view = grants(one('Role', 'fleet-team-view', 'teams/webstore/prod/'));
    const edit = grants(one('Role', 'fleet-team-edit', 'teams/webstore/staging/'));
    for (const [r, verbs] of view) {
      assert.deepEqual([...verbs].sort(), ['get', 'list', 'watch'], r);
      assert.ok(edit.get(r)?.has('get') || edit.get(r.replace(/\/scale$/, ''))?.has('get'), `${r}: edit reads it too`);
    }
    for (const r of edit.keys()) if (!r.endsWith('/scale')) assert.ok(view.has(r), `view reads ${r}`);
    assert.ok(!view.has('/secrets') && !view.has('/pods/exec'));
  });

  it('every Namespace the platform renders enforces a Pod Security Standard (restricted, or baseline for system pods)', () => {
    const namespaces = all.filter((o) => o.obj.kind === 'Namespace');
    assert.deepEqual(namespaces.map((o) => o.file).sort(), [
      'hub/crossplane/claims/prod/webstore/namespace.yaml', 'hub/crossplane/claims/staging/webstore/namespace.yaml',
      'teams/webstore/prod/namespace.yaml', 'teams/webstore/staging/namespace.yaml',
    ]);
    for (const { file, obj } of namespaces) {
      assert.ok(['restricted', 'baseline'].includes(obj.metadata.labels?.['pod-security.kubernetes.io/enforce']), file);
    }
    // The hub's claim namespaces hold only Crossplane claims, never pods.
    for (const env of ['staging', 'prod']) {
      assert.equal(one('Namespace', `webstore-${env}`, 'hub/crossplane/claims/').metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
    }
  });

  it('the team AppProject is least privilege', () => {
    const p = one('AppProject', 'webstore');
    assert.deepEqual(p.spec.sourceRepos, ['https://git.example.com/platform/cdk8s-fleet.git']);
    assert.deepEqual(p.spec.destinations.map((d: any) => d.namespace).sort(), ['webstore-prod', 'webstore-staging']);
    for (const d of p.spec.destinations) assert.match(d.server, /eks\.amazonaws\.com$/, 'spokes only');
    assert.deepEqual(p.spec.clusterResourceWhitelist, []);
    assert.deepEqual(p.spec.namespaceResourceWhitelist.map((r: any) => `${r.group}/${r.kind}`), [
      '/ConfigMap', '/Service', '/ServiceAccount', 'apps/Deployment', 'apps/StatefulSet', 'autoscaling/HorizontalPodAutoscaler',
      'batch/CronJob', 'batch/Job', 'networking.k8s.io/Ingress', 'policy/PodDisruptionBudget',
    ], 'an allow-list of the kinds a team\'s apps deploy');
    // Every kind the example apps render is on it.
    const allowed = new Set(p.spec.namespaceResourceWhitelist.map((r: any) => `${r.group}/${r.kind}`));
    for (const { file, obj } of all.filter((o) => o.file.startsWith('apps/'))) {
      assert.ok(allowed.has(`${obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : ''}/${obj.kind}`), file);
    }
    const denied = p.spec.namespaceResourceBlacklist.map((r: any) => r.kind);
    for (const k of ['TriggerAuthentication', 'PolicyException', 'Role', 'RoleBinding']) assert.ok(denied.includes(k), k);
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
    const allowed = g.spec.namespaceResourceWhitelist.map((r: any) => `${r.group}/${r.kind}`);
    for (const k of ['/ServiceAccount', 'external-secrets.io/ExternalSecret']) assert.ok(allowed.includes(k), k);
  });
});

describe('database secrets: each team and environment reads only its own', () => {
  const json = (path: string) => JSON.parse(files.get(path)!);

  it('the team AppProject denies External Secrets objects of the team\'s own', () => {
    const denied = one('AppProject', 'webstore').spec.namespaceResourceBlacklist.map((r: any) => `${r.group}/${r.kind}`);
    for (const k of ['external-secrets.io/ExternalSecret', 'external-secrets.io/SecretStore', 'external-secrets.io/PushSecret', 'generators.external-secrets.io/*']) {
      assert.ok(denied.includes(k), k);
    }
    assert.deepEqual(one('AppProject', 'webstore').spec.clusterResourceWhitelist, [], 'no ClusterSecretStore either');
  });

  it('the database ExternalSecret is the platform\'s: in the team boundaries, not in the app folder', () => {
    // (The hub's own ExternalSecrets, the git credentials under hub/argocd/repositories/, are Argo CD's: test/git-credentials.test.ts.)
    assert.deepEqual(all.filter((o) => o.obj.kind === 'ExternalSecret' && !o.file.startsWith('hub/')).map((o) => o.file).sort(), [
      'teams/webstore/prod/externalsecret-backend-database.yaml', 'teams/webstore/staging/externalsecret-backend-database.yaml',
    ]);
    assert.ok(!all.some((o) => o.file.startsWith('apps/') && o.obj.apiVersion?.startsWith('external-secrets.io/')));
  });

  for (const env of ['staging', 'prod']) {
    it(`the ${env} store authenticates as its own service account, annotated with its own role`, () => {
      const store = one('ClusterSecretStore', `aws-secrets-manager-webstore-${env}`, `teams/webstore/${env}/secret-store.yaml`);
      assert.deepEqual(store.spec.conditions, [{ namespaces: [`webstore-${env}`] }]);
      assert.deepEqual(store.spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: 'fleet-secret-store', namespace: `webstore-${env}` } } });
      const sa = one('ServiceAccount', 'fleet-secret-store', `teams/webstore/${env}/secret-store.yaml`);
      assert.equal(sa.metadata.namespace, `webstore-${env}`);
      assert.equal(sa.automountServiceAccountToken, false);
      const doc = json(`iam/secret-stores/webstore-${env}.json`);
      assert.equal(sa.metadata.annotations['eks.amazonaws.com/role-arn'], doc.roleArn);
      assert.equal(doc.roleArn, `arn:aws:iam::444455556666:role/fleet-secrets-webstore-${env}`);
      assert.equal(doc.roleName, `fleet-secrets-webstore-${env}`);
    });

    it(`the ${env} role trusts only that service account on the ${env} spoke, and reads only the team's ${env} instances`, () => {
      const doc = json(`iam/secret-stores/webstore-${env}.json`);
      const [trust] = doc.trustPolicy.Statement;
      assert.equal(doc.trustPolicy.Statement.length, 1);
      assert.equal(trust.Action, 'sts:AssumeRoleWithWebIdentity');
      assert.equal(trust.Principal.Federated, `arn:aws:iam::444455556666:oidc-provider/\${oidc_provider_spoke_${env}}`);
      assert.deepEqual(trust.Condition.StringEquals, {
        [`\${oidc_provider_spoke_${env}}:sub`]: `system:serviceaccount:webstore-${env}:fleet-secret-store`,
        [`\${oidc_provider_spoke_${env}}:aud`]: 'sts.amazonaws.com',
      });
      assert.deepEqual(Object.keys(doc.inputs), [`oidc_provider_spoke_${env}`]);
      const [find, read] = doc.permissionsPolicy.Statement;
      assert.deepEqual(find.Action, ['secretsmanager:BatchGetSecretValue', 'secretsmanager:ListSecrets']);
      assert.equal(read.Action, 'secretsmanager:GetSecretValue');
      assert.equal(read.Resource, 'arn:aws:secretsmanager:us-west-2:444455556666:secret:rds!db-*');
      assert.deepEqual(read.Condition.StringEquals['secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn'], [`arn:aws:rds:us-west-2:444455556666:db:webstore-backend-${env}`]);
      // The ExternalSecret asks for exactly what the role may read.
      const es = one('ExternalSecret', 'backend-database', `teams/webstore/${env}/`);
      assert.deepEqual(es.spec.dataFrom[0].find.tags, { 'aws:rds:primaryDBInstanceArn': `arn:aws:rds:us-west-2:444455556666:db:webstore-backend-${env}` });
    });
  }

  it('with two teams and two staging spokes: one role per team and environment, trusted on both spokes, reading only its own instances', () => {
    const spec = fleetCopy();
    const spoke = structuredClone(spec.clusters.find((c) => c.name === 'spoke-staging')!) as any;
    spec.clusters.push({ ...spoke, name: 'spoke-staging-2', vpcId: 'vpc-0d4e5f6071829304a', endpoint: 'https://2C3D4E5F60718293A4B5C6D7E8F90A1B.gr7.us-west-2.eks.amazonaws.com' });
    const backend = structuredClone(webstore(spec).apps.find((a: any) => a.name === 'backend'));
    (spec.teams as any[]).push({ name: 'payments', group: 'payments-developers', environments: ['staging'], apps: [{ ...backend, name: 'ledger', database: { engine: 'postgres', size: 'small' }, environments: { staging: {} } }] } as any);
    const out = render(withSpec(spec));
    const doc = (team: string, env: string) => JSON.parse(out.get(`iam/secret-stores/${team}-${env}.json`)!);
    assert.deepEqual([...out.keys()].filter((f) => f.startsWith('iam/secret-stores/')).sort(),
      ['iam/secret-stores/payments-staging.json', 'iam/secret-stores/webstore-prod.json', 'iam/secret-stores/webstore-staging.json']);
    const payments = doc('payments', 'staging');
    assert.deepEqual(payments.trustPolicy.Statement.map((st: any) => st.Principal.Federated.split('/').pop()).sort(),
      ['${oidc_provider_spoke_staging_2}', '${oidc_provider_spoke_staging}']);
    for (const st of payments.trustPolicy.Statement) assert.match(Object.values(st.Condition.StringEquals)[0] as string, /^system:serviceaccount:payments-staging:fleet-secret-store$/);
    const arns = (d: any) => d.permissionsPolicy.Statement[1].Condition.StringEquals['secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn'];
    assert.deepEqual(arns(payments), ['arn:aws:rds:us-west-2:444455556666:db:payments-ledger-staging']);
    assert.deepEqual(arns(doc('webstore', 'staging')), ['arn:aws:rds:us-west-2:444455556666:db:webstore-backend-staging']);
    assert.notEqual(payments.roleArn, doc('webstore', 'staging').roleArn);
  });

  it('only teams with databases get a store role, one file per team and environment', () => {
    assert.deepEqual([...files.keys()].filter((f) => f.startsWith('iam/secret-stores/')).sort(), ['iam/secret-stores/webstore-prod.json', 'iam/secret-stores/webstore-staging.json']);
  });

  it('role names are deterministic and at most 64 characters, hash-truncated when longer', () => {
    assert.equal(secretStoreRoleName('fleet', 'webstore', 'prod'), 'fleet-secrets-webstore-prod');
    const long = secretStoreRoleName('a-very-long-fleet-name', 'a-team-with-a-rather-long-name', 'production-eu-west');
    assert.ok(long.length <= IAM_ROLE_NAME_MAX, long);
    assert.match(long, /^a-very-long-fleet-name-secrets-a-team-with-a-rather-lon-[0-9a-f]{8}$/);
    assert.equal(long, secretStoreRoleName('a-very-long-fleet-name', 'a-team-with-a-rather-long-name', 'production-eu-west'));
    assert.notEqual(long, secretStoreRoleName('a-very-long-fleet-name', 'a-team-with-a-rather-long-name', 'production-eu-west2'));
  });
});

describe('database secrets: a rotated password reaches the pods', () => {
  it('the ExternalSecret refreshes every minute', () => {
    for (const env of ['staging', 'prod']) assert.equal(one('ExternalSecret', 'backend-database', `teams/webstore/${env}/`).spec.refreshInterval, '1m');
  });

  it('exactly the Deployments that read a database Secret carry Reloader\'s annotation naming it', () => {
    const deployments = all.filter((o) => o.obj.kind === 'Deployment' && o.file.startsWith('apps/'));
    assert.ok(deployments.length >= 7);
    for (const { file, obj } of deployments) {
      const reads = obj.spec.template.spec.containers.flatMap((c: any) => (c.envFrom ?? []).map((e: any) => e.secretRef?.name)).filter((n: any) => n?.endsWith('-database'));
      assert.deepEqual(obj.metadata.annotations?.['secret.reloader.stakater.com/reload']?.split(','), reads.length ? reads : undefined, file);
    }
    assert.equal(one('Deployment', 'backend', 'apps/webstore/backend/prod/').metadata.annotations['secret.reloader.stakater.com/reload'], 'backend-database');
  });

  it('Reloader runs on every spoke that runs an app with a database, with the annotations strategy (no drift for Argo CD)', () => {
    for (const cluster of ['spoke-staging', 'spoke-prod']) {
      assert.equal(one('Secret', `cluster-${cluster}`).metadata.labels.enable_reloader, 'true', cluster);
    }
    const appset = one('ApplicationSet', 'addon-reloader');
    assert.ok(JSON.stringify(appset).includes('https://stakater.github.io/stakater-charts'));
    assert.ok(files.get('addons/values/default/reloader/values.yaml')!.includes('reloadStrategy: annotations'));
  });

  it('refuses an app with a database on a spoke without Reloader, and an app named like the store\'s service account', () => {
    const text = problemsOf((s) => { (s.clusters.find((c) => c.name === 'spoke-prod')!.addons as any).reloader = false; }).join('\n');
    assert.match(text, /^1 problem in the fleet input:/);
    assert.ok(text.includes('environments/teams.ts: teams[0].apps[1].database: RDS rotates the database password and only Reloader restarts the pods that read it: enable the reloader add-on on cluster "spoke-prod" (environment "prod")'), text);
    assert.ok(problemsOf((s) => { webstore(s).apps[3].name = 'fleet-secret-store'; })
      .some((l) => l.includes('teams[0].apps[3].name: "fleet-secret-store" is reserved')));
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
