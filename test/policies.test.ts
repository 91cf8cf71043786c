import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, resolveFleet } from '../charts/index.js';
import { fleetRender } from '../charts/outputs/fleet-outputs.js';
import { checkPolicies, POLICY_RULES } from '../charts/policy/check-policies.js';
import { formatFinding } from '../charts/policy/finding.js';
import { policyContext } from '../charts/policy/policy-context.js';
import { renderTree } from '../render/render.js';
import { exampleFleet } from './support/fleet.js';

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
const container = (o: any) => o.spec.template.spec.containers[0];

describe('policies', () => {
  it('the example fleet has no findings at all', () => {
    assert.deepEqual(checkPolicies(tree.objects, context).map(formatFinding), []);
    assert.equal(POLICY_RULES.length, 13);
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
});
