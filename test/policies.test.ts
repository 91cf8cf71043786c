import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, resolveFleet } from '../charts/index.js';
import { fleetRender } from '../charts/outputs/fleet-outputs.js';
import { checkPolicies, POLICY_RULES } from '../charts/policy/check-policies.js';
import { formatFinding } from '../charts/policy/finding.js';
import { policyContext } from '../charts/policy/policy-context.js';
import { renderTree } from '../render/render.js';
import { ApiObject } from 'cdk8s';
import { exampleFleet, fleetCopy, withSpec } from './support/fleet.js';

const rendered = fleetRender(exampleFleet);
assert.ok(rendered.ok, 'the example renders');
const { outputs, context } = rendered;
const tree = renderTree(outputs);

/** The example's objects with one object changed (deep copy), and the findings of one rule. */
function findingsAfter(file: string, change: (o: any) => void, rule: string, index = 0): string[] {
  const objects = new Map([...tree.objects].map(([f, docs]) => [f, structuredClone(docs)]));
  const docs = objects.get(file);
  assert.ok(docs, `no file ${file}`);
  change(docs[index]);
  return checkPolicies(objects, context).filter((f) => f.rule === rule).map(formatFinding);
}
const quiet = (rule: string) => checkPolicies(tree.objects, context).filter((f) => f.rule === rule);

const DEPLOY = 'apps/webstore/frontend/prod/deployment-frontend.yaml';

/**
 * The findings of some rules when team webstore gets one more app, `rogue` (staging only), whose
 * `chart` emits the given objects: what a team can put in its apps' output.
 */
function rogueFindings(objects: any[], rules: readonly string[]): string[] {
  const spec = fleetCopy();
  (spec.teams![0].apps as any[]).push({
    name: 'rogue',
    environments: { staging: {} },
    chart: (scope: any) => { objects.forEach((o, i) => new ApiObject(scope, `o${i}`, structuredClone(o))); },
  });
  const r = fleetRender(withSpec(spec));
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  const t = renderTree(r.outputs);
  return checkPolicies(t.objects, r.context).filter((f) => rules.includes(f.rule)).map(formatFinding);
}
const TEAM_RULES = ['team-namespaced', 'team-kind', 'team-iam-role', 'team-sa-token'];
const ROGUE = 'apps/webstore/rogue/staging';
/** A pod template that meets every workload rule, so that only the rule under test speaks. */
const goodPod = (extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { 'app.kubernetes.io/name': 'rogue' } },
  spec: {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'app', image: 'public.ecr.aws/acme/rogue:v1',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '10m', memory: '16Mi' } },
      livenessProbe: { exec: { command: ['true'] } },
    }],
    ...extra,
  },
});
const container = (o: any) => o.spec.template.spec.containers[0];

describe('policies', () => {
  it('the example fleet has no findings at all', () => {
    assert.deepEqual(checkPolicies(tree.objects, context).map(formatFinding), []);
    assert.equal(POLICY_RULES.length, 19);
  });

  it('policy context: dist/ in the repository, prod is the production environment', () => {
    const ctx = policyContext(resolveFleet(exampleFleet.spec, ADDON_CATALOG));
    assert.equal(ctx.basePath, 'dist/');
    assert.deepEqual(ctx.productionEnvironments, ['prod']);
  });

  describe('secret-credentials', () => {
    it('stays quiet on credential-free Argo CD cluster and repository Secrets', () => assert.deepEqual(quiet('secret-credentials'), []));
    it('fires on a cluster Secret with a bearer token', () => {
      const f = findingsAfter('hub/argocd/clusters/spoke-prod.yaml', (o) => { o.stringData.config = JSON.stringify({ bearerToken: 'x' }); }, 'secret-credentials');
      assert.deepEqual(f, ['hub/argocd/clusters/spoke-prod.yaml: Secret/cluster-spoke-prod: [secret-credentials] carries the credential field config.bearerToken; Argo CD must reach clusters through awsAuthConfig (IAM) instead']);
    });
    it('fires on a repository Secret with a password, and on any other Secret', () => {
      assert.match(findingsAfter('hub/argocd/repositories/karpenter.yaml', (o) => { o.stringData.password = 'x'; }, 'secret-credentials')[0], /credential field password/);
      assert.match(findingsAfter('hub/argocd/clusters/hub.yaml', (o) => { delete o.metadata.labels['argocd.argoproj.io/secret-type']; }, 'secret-credentials')[0], /Secrets never go into git/);
      assert.match(findingsAfter('hub/argocd/clusters/hub.yaml', (o) => { o.stringData.config = JSON.stringify({ tlsClientConfig: { keyData: 'x' } }); }, 'secret-credentials')[0], /config\.tlsClientConfig\.keyData/);
    });
  });

  describe('pss-restricted', () => {
    it('stays quiet on the team workloads', () => assert.deepEqual(quiet('pss-restricted'), []));
    it('fires on privilege escalation, a root user, kept capabilities, host network, no seccomp', () => {
      const f = findingsAfter(DEPLOY, (o) => {
        const c = container(o);
        c.securityContext.allowPrivilegeEscalation = true;
        c.securityContext.runAsUser = 0;
        c.securityContext.capabilities = { add: ['SYS_ADMIN'] };
        delete c.securityContext.seccompProfile;
        delete o.spec.template.spec.securityContext.seccompProfile;
        o.spec.template.spec.hostNetwork = true;
      }, 'pss-restricted');
      for (const re of [/allows privilege escalation/, /runs as user 0/, /does not drop ALL/, /adds capabilities SYS_ADMIN/, /no seccomp profile/, /host network/]) {
        assert.ok(f.some((l) => re.test(l)), `${re}: ${f.join('\n')}`);
      }
    });
  });

  describe('image-pinned', () => {
    it('stays quiet on pinned images', () => assert.deepEqual(quiet('image-pinned'), []));
    it('fires on latest and on a missing tag', () => {
      assert.equal(findingsAfter(DEPLOY, (o) => { container(o).image = 'public.ecr.aws/acme/x:latest'; }, 'image-pinned').length, 1);
      assert.equal(findingsAfter(DEPLOY, (o) => { container(o).image = 'public.ecr.aws/acme/x'; }, 'image-pinned').length, 1);
    });
  });

  describe('resources-set and probes-present', () => {
    it('stay quiet on the team workloads', () => assert.deepEqual([...quiet('resources-set'), ...quiet('probes-present')], []));
    it('fire on a missing memory limit and missing probes', () => {
      assert.deepEqual(findingsAfter(DEPLOY, (o) => { delete container(o).resources.limits.memory; }, 'resources-set'),
        [`${DEPLOY}: Deployment/frontend: [resources-set] container app has no memory limit`]);
      const f = findingsAfter(DEPLOY, (o) => { delete container(o).livenessProbe; delete container(o).readinessProbe; }, 'probes-present');
      assert.equal(f.length, 2);
    });
  });

  describe('project-least-privilege', () => {
    it('stays quiet on the team project', () => assert.deepEqual(quiet('project-least-privilege'), []));
    it('fires on wildcards, cluster-scoped resources and guardrails left open', () => {
      const f = findingsAfter('hub/argocd/projects/webstore.yaml', (o) => {
        o.spec.sourceRepos = ['*'];
        o.spec.destinations.push({ server: '*', namespace: '*' });
        o.spec.clusterResourceWhitelist = [{ group: '*', kind: '*' }];
        o.spec.namespaceResourceBlacklist = [];
      }, 'project-least-privilege');
      for (const re of [/without wildcards/, /has a wildcard/, /cluster-scoped/, /does not deny ResourceQuota/, /does not deny NetworkPolicy/]) {
        assert.ok(f.some((l) => re.test(l)), `${re}: ${f.join('\n')}`);
      }
    });
    it('accepts a cluster-name pattern that matches only the workload spokes of its environment', () => {
      // Among the rendered cluster Secrets (hub, spoke-prod, spoke-staging) and in-cluster, `spoke-p*` is spoke-prod only.
      for (const name of ['spoke-p*', 'spoke-pro?', 'spoke-prod']) {
        assert.deepEqual(findingsAfter('hub/argocd/projects/webstore.yaml', (o) => { o.spec.destinations.push({ name, namespace: 'webstore-prod' }); }, 'project-least-privilege'), [], name);
      }
    });
    it('refuses a cluster-name pattern that is too wide, negated, of another glob syntax or of no environment of the team', () => {
      const after = (d: Record<string, string>) => findingsAfter('hub/argocd/projects/webstore.yaml', (o) => { o.spec.destinations.push(d); }, 'project-least-privilege');
      const P = 'hub/argocd/projects/webstore.yaml: AppProject/webstore: [project-least-privilege] destination name pattern';
      // spoke-staging is a spoke of another environment; the hub takes no workloads; in-cluster is Argo CD's own.
      assert.deepEqual(after({ name: 'spoke-*', namespace: 'webstore-prod' }), [`${P} "spoke-*" (namespace webstore-prod) also matches spoke-staging, not workload spokes of environment prod`]);
      assert.deepEqual(after({ name: '*b', namespace: 'webstore-prod' }), [`${P} "*b" (namespace webstore-prod) also matches hub, not workload spokes of environment prod`]);
      assert.deepEqual(after({ name: 'in-*', namespace: 'webstore-prod' }), [`${P} "in-*" (namespace webstore-prod) also matches in-cluster, not workload spokes of environment prod`]);
      assert.deepEqual(after({ name: '*', namespace: 'webstore-prod' }), [`${P} "*" (namespace webstore-prod) matches any cluster; name the team's clusters`]);
      assert.deepEqual(after({ name: '??????????', namespace: 'webstore-prod' }), [`${P} "??????????" (namespace webstore-prod) matches any cluster; name the team's clusters`]);
      assert.match(after({ name: '!spoke-staging', namespace: 'webstore-prod' })[0], /is not of the form <literal><\* or \?\.\.\.><literal>/);
      assert.match(after({ name: 'spoke-{prod,staging}', namespace: 'webstore-prod' })[0], /is not of the form/);
      assert.match(after({ name: 'spoke-[p]rod', namespace: 'webstore-prod' })[0], /is not of the form/);
      assert.match(after({ name: 'spoke-p*', namespace: 'webstore-dev' })[0], /webstore-dev is not the namespace of an environment of team webstore/);
      assert.match(after({ name: 'spoke-p*', namespace: 'checkout-prod' })[0], /not the namespace of an environment of team webstore/);
      assert.deepEqual(after({ name: 'nothing-*', namespace: 'webstore-prod' }), [`${P} "nothing-*" (namespace webstore-prod) matches no cluster`]);
      // A pattern in the server or the namespace is still a wildcard.
      assert.match(after({ server: 'https://*.eks.amazonaws.com', namespace: 'webstore-prod' })[0], /has a wildcard/);
      assert.match(after({ name: 'spoke-prod', namespace: 'webstore-*' })[0], /has a wildcard/);
    });
    it('checks a pattern against the cluster Secrets as Argo CD would see them: a spoke that stops taking workloads is outside', () => {
      const objects = new Map<string, any[]>([...tree.objects].map(([f, docs]) => [f, structuredClone(docs) as any[]]));
      objects.get('hub/argocd/projects/webstore.yaml')![0].spec.destinations.push({ name: 'spoke-p*', namespace: 'webstore-prod' });
      objects.get('hub/argocd/clusters/spoke-prod.yaml')![0].metadata.labels.workloads = 'false';
      assert.match(checkPolicies(objects, context).filter((f) => f.rule === 'project-least-privilege').map(formatFinding)[0], /"spoke-p\*" \(namespace webstore-prod\) also matches spoke-prod, not workload spokes of environment prod/);
    });
    it('fires on a team project that lets the team manage ExternalSecrets or SecretStores', () => {
      const f = findingsAfter('hub/argocd/projects/webstore.yaml', (o) => {
        o.spec.namespaceResourceBlacklist = o.spec.namespaceResourceBlacklist.filter((r: any) => r.group !== 'external-secrets.io');
      }, 'project-least-privilege');
      assert.deepEqual(f.map((l) => l.replace(/^.*\] /, '')), [
        "does not deny ExternalSecret: a team's own ExternalSecret could read AWS secrets that are not its own",
        "does not deny SecretStore: a team's own SecretStore could read AWS secrets that are not its own",
      ]);
    });
  });

  describe('secret-store-platform', () => {
    const BACKEND = 'apps/webstore/backend/staging/deployment-backend.yaml';
    it('stays quiet on the example: the only ExternalSecrets are the platform\'s, in the team boundaries', () => {
      assert.deepEqual(quiet('secret-store-platform'), []);
      const paths = [...tree.objects].filter(([, docs]) => docs.some((o: any) => o.kind === 'ExternalSecret')).map(([f]) => f).sort();
      assert.deepEqual(paths, [
        'hub/argocd/repositories/externalsecret-repo-creds-git-example-com.yaml', // the hub's git credentials (repos.credentials)
        'teams/webstore/prod/externalsecret-backend-database.yaml',
        'teams/webstore/staging/externalsecret-backend-database.yaml',
      ]);
    });
    for (const [kind, apiVersion] of [
      ['ExternalSecret', 'external-secrets.io/v1'], ['SecretStore', 'external-secrets.io/v1'], ['ClusterSecretStore', 'external-secrets.io/v1'],
      ['PushSecret', 'external-secrets.io/v1alpha1'], ['ECRAuthorizationToken', 'generators.external-secrets.io/v1alpha1'],
    ]) {
      it(`fires on a ${kind} in an app's output`, () => {
        const f = findingsAfter(BACKEND, (o) => { Object.assign(o, { apiVersion, kind, metadata: { name: 'steal' }, spec: {} }); }, 'secret-store-platform');
        assert.deepEqual(f, [`${BACKEND}: ${kind}/steal: [secret-store-platform] ${kind} is the platform's: teams read AWS secrets only through the database ExternalSecrets in teams/webstore/staging/`]);
      });
    }
    it('fires on an app service account named like the store\'s (it would carry the store\'s role)', () => {
      const f = findingsAfter('apps/webstore/backend/staging/serviceaccount-backend.yaml', (o) => { o.metadata.name = 'fleet-secret-store'; }, 'secret-store-platform');
      assert.match(f[0], /ServiceAccount\/fleet-secret-store: \[secret-store-platform\] the service account "fleet-secret-store" is the team secret store's/);
    });
  });

  describe('secret-reload', () => {
    const BACKEND = 'apps/webstore/backend/prod/deployment-backend.yaml';
    it('stays quiet on the example: the backend Deployment names its database Secret for Reloader', () => assert.deepEqual(quiet('secret-reload'), []));
    it('fires on a Deployment that reads a rotating database Secret without the Reloader annotation', () => {
      const f = findingsAfter(BACKEND, (o) => { delete o.metadata.annotations['secret.reloader.stakater.com/reload']; }, 'secret-reload');
      assert.deepEqual(f, [`${BACKEND}: Deployment/backend: [secret-reload] reads Secret backend-database, whose password RDS rotates, without secret.reloader.stakater.com/reload naming it: its pods would keep the old password`]);
    });
    it('fires when another Deployment reads the database Secret through env, and accepts Reloader\'s auto annotation', () => {
      const env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'backend-database', key: 'DB_PASSWORD' } } }];
      assert.equal(findingsAfter('apps/webstore/mailer/prod/deployment-mailer.yaml', (o) => { container(o).env = env; }, 'secret-reload').length, 1);
      assert.deepEqual(findingsAfter('apps/webstore/mailer/prod/deployment-mailer.yaml', (o) => {
        container(o).env = env;
        o.metadata.annotations = { 'reloader.stakater.com/auto': 'true' };
      }, 'secret-reload'), []);
    });
  });

  describe('references', () => {
    it('stay quiet on the example fleet', () => {
      assert.deepEqual(['ref-project', 'ref-path', 'ref-config', 'ref-service'].flatMap(quiet), []);
    });
    it('ref-project fires on an Application in a project that is not rendered', () => {
      assert.match(findingsAfter('hub/apps/addons.yaml', (o) => { o.spec.project = 'ghost'; }, 'ref-project')[0], /project "ghost" is not rendered/);
    });
    it('ref-path fires on an Application path and on an ApplicationSet path that are not in dist/', () => {
      assert.match(findingsAfter('hub/apps/addons.yaml', (o) => { o.spec.source.path = 'dist/hub/argocd/nothing'; }, 'ref-path')[0], /source path dist\/hub\/argocd\/nothing does not exist/);
      const f = findingsAfter('hub/argocd/workloads/webstore.yaml', (o) => {
        o.spec.generators[0].matrix.generators[0].list.elements.push({ app: 'ghost', environment: 'prod' });
      }, 'ref-path');
      assert.deepEqual(f, ['hub/argocd/workloads/webstore.yaml: ApplicationSet/workloads-webstore: [ref-path] source path dist/apps/webstore/ghost/prod does not exist in dist/']);
      assert.match(findingsAfter('hub/argocd/addons/karpenter.yaml', (o) => {
        o.spec.template.spec.sources[1].helm.valueFiles[0] = o.spec.template.spec.sources[1].helm.valueFiles[0].replace('karpenter', 'karpenterr');
      }, 'ref-path')[0], /values file dist\/addons\/values\/default\/karpenterr\/values\.yaml does not exist/);
    });
    it('ref-config fires on a ConfigMap or Secret nobody renders', () => {
      const f = findingsAfter(DEPLOY, (o) => { container(o).envFrom = [{ configMapRef: { name: 'nope' } }, { secretRef: { name: 'creds' } }]; }, 'ref-config');
      assert.deepEqual(f, [
        `${DEPLOY}: Deployment/frontend: [ref-config] reads ConfigMap nope, which is not rendered beside it`,
        `${DEPLOY}: Deployment/frontend: [ref-config] reads Secret creds, which no ExternalSecret in teams/webstore/prod/ produces`,
      ]);
    });
    it('ref-service fires on a Service that selects nothing', () => {
      assert.match(findingsAfter('apps/webstore/frontend/prod/service-frontend.yaml', (o) => { o.spec.selector = { 'app.kubernetes.io/name': 'frontendd' }; }, 'ref-service')[0], /selects no rendered workload/);
    });
  });

  describe('rds-safety', () => {
    it('stays quiet on the example databases', () => assert.deepEqual(quiet('rds-safety'), []));
    it('fires on a prod claim without protection and on a public, unencrypted composition', () => {
      const f = findingsAfter('hub/crossplane/claims/prod/webstore/backend.yaml', (o) => {
        Object.assign(o.spec.parameters, { deletionProtection: false, multiAz: false, backupRetentionDays: 1, skipFinalSnapshot: true, allowedCidr: '0.0.0.0/0' });
      }, 'rds-safety');
      assert.equal(f.length, 5, f.join('\n'));
      const c = findingsAfter('hub/crossplane/config/postgresql-rds-composition.yaml', (o) => {
        const instance = o.spec.pipeline[0].input.resources.find((r: any) => r.name === 'instance');
        instance.base.spec.forProvider.storageEncrypted = false;
        instance.base.spec.forProvider.publiclyAccessible = true;
      }, 'rds-safety');
      assert.deepEqual(c.map((l) => l.replace(/^.*\] /, '')), ['composed instance instance is not encrypted', 'composed instance instance is not private']);
    });
    it('a staging claim may be unprotected', () => {
      assert.deepEqual(findingsAfter('hub/crossplane/claims/staging/webstore/backend.yaml', (o) => { o.spec.parameters.deletionProtection = false; }, 'rds-safety'), []);
    });
  });

  describe('team output allow-list (team-namespaced, team-kind, team-iam-role, team-sa-token)', () => {
    it('stays quiet on the example apps, the backend\'s own IAM role included', () => {
      assert.deepEqual(TEAM_RULES.flatMap(quiet), []);
    });

    it('fires on a ClusterRoleBinding to cluster-admin: cluster-scoped, and RBAC', () => {
      const f = rogueFindings([{
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'rogue-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'rogue', namespace: 'webstore-staging' }],
      }], TEAM_RULES);
      assert.deepEqual(f, [
        `${ROGUE}/clusterrolebinding-rogue-admin.yaml: ClusterRoleBinding/rogue-admin: [team-kind] rbac.authorization.k8s.io/ClusterRoleBinding: RBAC is the platform's: the team's access is the Role bound in teams/webstore/staging/; an app may not grant any`,
        `${ROGUE}/clusterrolebinding-rogue-admin.yaml: ClusterRoleBinding/rogue-admin: [team-namespaced] ClusterRoleBinding is cluster-scoped: a team's apps deploy only namespaced objects, in webstore-staging`,
      ]);
    });

    it('fires on a RoleBinding meant for the argocd namespace', () => {
      const f = rogueFindings([{
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rogue-argocd', namespace: 'argocd' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ kind: 'Group', name: 'webstore-developers' }],
      }], TEAM_RULES);
      assert.deepEqual(f, [`${ROGUE}/rolebinding-rogue-argocd.yaml: RoleBinding/rogue-argocd: [team-kind] rbac.authorization.k8s.io/RoleBinding: RBAC is the platform's: the team's access is the Role bound in teams/webstore/staging/; an app may not grant any`]);
    });

    it('fires on an object outside the team namespace', () => {
      const f = findingsAfter('apps/webstore/frontend/prod/service-frontend.yaml', (o) => { o.metadata.namespace = 'argocd'; }, 'team-namespaced');
      assert.deepEqual(f, ['apps/webstore/frontend/prod/service-frontend.yaml: Service/frontend: [team-namespaced] is in namespace "argocd", not the team\'s webstore-prod']);
    });

    it('fires on an Argo CD Application in project platform', () => {
      const f = rogueFindings([{
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'rogue' },
        spec: { project: 'platform', destination: { server: 'https://kubernetes.default.svc', namespace: 'kube-system' }, source: { repoURL: 'https://example.com/x.git', path: 'x' } },
      }], TEAM_RULES);
      assert.deepEqual(f, [`${ROGUE}/application-rogue.yaml: Application/rogue: [team-kind] argoproj.io/Application: Argo CD objects are the platform's: the app is delivered by the team's workloads ApplicationSet, in project "webstore"`]);
    });

    it('fires on a database claim, whatever namespace it names', () => {
      const f = rogueFindings([{
        apiVersion: 'database.platform.example.org/v1alpha1', kind: 'PostgreSQLInstance', metadata: { name: 'ledger', namespace: 'payments-staging' },
        spec: { parameters: { size: 'small' } },
      }], TEAM_RULES);
      assert.deepEqual(f, [`${ROGUE}/postgresqlinstance-ledger.yaml: PostgreSQLInstance/ledger: [team-kind] database.platform.example.org/PostgreSQLInstance: Crossplane claims and resources are the platform's: set \`database\` on the app and the platform claims it on the hub`]);
    });

    for (const [apiVersion, kind] of [['keda.sh/v1alpha1', 'TriggerAuthentication'], ['kyverno.io/v2', 'PolicyException'], ['networking.k8s.io/v1', 'NetworkPolicy'], ['apps/v1', 'DaemonSet'], ['v1', 'Pod']]) {
      it(`fires on a ${kind}, which is not on the allow-list`, () => {
        const f = rogueFindings([{ apiVersion, kind, metadata: { name: 'x' }, spec: {} }], ['team-kind']);
        assert.equal(f.length, 1, f.join('\n'));
        assert.ok(f[0].startsWith(`${ROGUE}/${kind.toLowerCase()}-x.yaml: ${kind}/x: [team-kind] ${apiVersion.includes('/') ? apiVersion.split('/')[0] : ''}/${kind}: `), f[0]);
      });
    }

    it('fires on automountServiceAccountToken: true on a ServiceAccount and on a pod template', () => {
      const f = rogueFindings([
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'rogue' }, automountServiceAccountToken: true },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rogue' }, spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'rogue' } }, template: goodPod({ automountServiceAccountToken: true }) } },
      ], TEAM_RULES);
      assert.deepEqual(f, [
        `${ROGUE}/deployment-rogue.yaml: Deployment/rogue: [team-sa-token] its pods set automountServiceAccountToken: true; pods get no API token unless the platform grants one`,
        `${ROGUE}/serviceaccount-rogue.yaml: ServiceAccount/rogue: [team-sa-token] sets automountServiceAccountToken: true; pods get no API token unless the platform grants one`,
      ]);
    });

    it('fires on pods that run as the team secret store\'s service account', () => {
      const f = rogueFindings([
        { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'rogue' }, spec: { template: goodPod({ serviceAccountName: 'fleet-secret-store', restartPolicy: 'Never' }) } },
      ], TEAM_RULES);
      assert.deepEqual(f, [`${ROGUE}/job-rogue.yaml: Job/rogue: [team-sa-token] its pods run as "fleet-secret-store", the team secret store's service account (it carries the store's IAM role)`]);
    });

    describe('team-iam-role', () => {
      const SA = 'apps/webstore/backend/staging/serviceaccount-backend.yaml';
      const withRole = (arn: string, name?: string) => findingsAfter(SA, (o) => {
        o.metadata.annotations['eks.amazonaws.com/role-arn'] = arn;
        if (name) o.metadata.name = name;
      }, 'team-iam-role');

      it('accepts the app\'s own role on its own service account (the example)', () => {
        assert.deepEqual(withRole('arn:aws:iam::444455556666:role/spoke-staging-webstore-backend'), []);
      });
      it('fires on the platform\'s secret-store role', () => {
        assert.deepEqual(withRole('arn:aws:iam::444455556666:role/fleet-secrets-webstore-staging'), [
          `${SA}: ServiceAccount/backend: [team-iam-role] eks.amazonaws.com/role-arn "arn:aws:iam::444455556666:role/fleet-secrets-webstore-staging": is one of the platform's own roles; an app has a role of its own`,
        ]);
      });
      it('fires on a role in another account', () => {
        assert.deepEqual(withRole('arn:aws:iam::999988887777:role/spoke-staging-webstore-backend'), [
          `${SA}: ServiceAccount/backend: [team-iam-role] eks.amazonaws.com/role-arn "arn:aws:iam::999988887777:role/spoke-staging-webstore-backend": is in account 999988887777; the team's spokes in staging are in 444455556666`,
        ]);
      });
      it('fires on a role on a service account that is not the app\'s own, and on a value that is no role ARN', () => {
        assert.match(withRole('arn:aws:iam::444455556666:role/spoke-staging-webstore-backend', 'helper')[0], /\[team-iam-role\] .*only the app's own service account "backend" may carry an IAM role$/);
        assert.match(withRole('arn:aws:iam::444455556666:user/admin')[0], /\[team-iam-role\] .*is not an IAM role ARN$/);
      });
    });
  });

  describe('project-least-privilege: the team project is an allow-list', () => {
    it('fires on a team project without namespaceResourceWhitelist, or with a kind beyond the team\'s', () => {
      assert.deepEqual(findingsAfter('hub/argocd/projects/webstore.yaml', (o) => { delete o.spec.namespaceResourceWhitelist; }, 'project-least-privilege').map((l) => l.replace(/^.*\] /, '')),
        ['has no namespaceResourceWhitelist: every namespaced kind would be allowed; list the kinds a team\'s apps may deploy']);
      const f = findingsAfter('hub/argocd/projects/webstore.yaml', (o) => {
        o.spec.namespaceResourceWhitelist.push({ group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' }, { group: '*', kind: '*' });
      }, 'project-least-privilege');
      assert.deepEqual(f.map((l) => l.replace(/^.*\] /, '')), [
        "allows */*, which is not a kind a team's app may deploy",
        "allows rbac.authorization.k8s.io/RoleBinding, which is not a kind a team's app may deploy",
      ]);
    });
  });

  describe('namespace-pss', () => {
    it('stays quiet: every rendered Namespace enforces a Pod Security Standard', () => assert.deepEqual(quiet('namespace-pss'), []));
    it('fires on a Namespace without the enforce label, and on one that enforces "privileged"', () => {
      const file = 'hub/crossplane/claims/prod/webstore/namespace.yaml';
      assert.deepEqual(findingsAfter(file, (o) => { delete o.metadata.labels['pod-security.kubernetes.io/enforce']; }, 'namespace-pss'),
        [`${file}: Namespace/webstore-prod: [namespace-pss] has no pod-security.kubernetes.io/enforce label; every namespace enforces "restricted" (or "baseline" where system pods run)`]);
      assert.equal(findingsAfter('teams/webstore/staging/namespace.yaml', (o) => { o.metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged'; }, 'namespace-pss').length, 1);
    });
  });
});
