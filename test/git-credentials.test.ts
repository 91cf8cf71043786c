/**
 * Git credentials (repos.credentials): references to AWS Secrets Manager rendered as External Secrets
 * objects on a self-managed hub (or `secretArn` Secrets for the EKS capability), the store's IAM role,
 * the validation of URLs with credentials in them, and the plan's check that Argo CD can clone every
 * private repository an Application reads.
 */
import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fleetOutputs, FleetSource, validateFleet, ADDON_CATALOG } from '../charts/index.js';
import { renderTree } from '../render/render.js';
import { normalizeGitUrl } from '../charts/argocd/git-url.js';
import { planFleet } from '../render/plan/plan.js';
import { privateGitRepos, runPlan } from '../render/plan/plan-cli.js';
import { exampleFleet, fleetCopy, objects, render, withSpec } from './support/fleet.js';
import { crdsAvailable, CRDS_DIR, schemaProblems } from './support/schemas.js';
import { urlUserinfo } from '../charts/validate/fleet-settings.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-west-2:111122223333:secret:argocd/git/git.example.com-Ab12Cd';
const files = render();
const all = objects(files);
const ours = all.filter((o) => o.obj.metadata?.labels?.['app.kubernetes.io/component'] === 'git-credentials');

function capabilitySpec() {
  const spec = fleetCopy();
  spec.argocd = { mode: 'eks-capability' };
  spec.clusters[0].addons = { ...spec.clusters[0].addons, 'argo-cd': false };
  return spec;
}

describe('git credentials on a self-managed hub', () => {
  it('renders the store, its service account and one ExternalSecret per credential, in the repositories component', () => {
    assert.deepEqual(ours.map((o) => `${o.file} ${o.obj.kind}/${o.obj.metadata.name}`).sort(), [
      'hub/argocd/repositories/clustersecretstore-fleet-git-credentials.yaml ClusterSecretStore/fleet-git-credentials',
      'hub/argocd/repositories/externalsecret-repo-creds-git-example-com.yaml ExternalSecret/repo-creds-git-example-com',
      'hub/argocd/repositories/serviceaccount-fleet-git-credentials.yaml ServiceAccount/fleet-git-credentials',
    ]);
    const child = all.find((o) => o.obj.kind === 'Application' && o.obj.metadata.name === 'fleet-repositories')!.obj;
    assert.equal(child.spec.source.path, 'dist/hub/argocd/repositories');
  });

  it('the ExternalSecret makes an Argo CD repo-creds Secret: label, type git, url, username and password from the AWS secret', () => {
    const es = ours.find((o) => o.obj.kind === 'ExternalSecret')!.obj;
    assert.equal(es.metadata.namespace, 'argocd');
    assert.deepEqual(es.spec.secretStoreRef, { kind: 'ClusterSecretStore', name: 'fleet-git-credentials' });
    assert.equal(es.spec.target.template.metadata.labels['argocd.argoproj.io/secret-type'], 'repo-creds');
    assert.deepEqual(es.spec.target.template.data, { password: '{{ .password }}', type: 'git', url: 'https://git.example.com/platform/', username: '{{ .username }}' });
    assert.deepEqual(es.spec.data, [
      { secretKey: 'username', remoteRef: { key: SECRET_ARN, property: 'username' } },
      { secretKey: 'password', remoteRef: { key: SECRET_ARN, property: 'token' } },
    ]);
    assert.equal(es.spec.refreshInterval, '5m');
  });

  it('the store serves only Argo CD\'s namespace and authenticates as its own service account (IRSA)', () => {
    const store = ours.find((o) => o.obj.kind === 'ClusterSecretStore')!.obj;
    assert.deepEqual(store.spec.conditions, [{ namespaces: ['argocd'] }]);
    assert.deepEqual(store.spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: 'fleet-git-credentials', namespace: 'argocd' } } });
    const sa = ours.find((o) => o.obj.kind === 'ServiceAccount')!.obj;
    assert.equal(sa.metadata.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::111122223333:role/fleet-git-credentials-hub');
    assert.equal(sa.automountServiceAccountToken, false);
  });

  it('ssh-key and github-app credentials fill their Argo CD fields from the keys given', () => {
    const spec = fleetCopy();
    spec.repos.credentials = [
      { name: 'ssh', url: 'git@github.com:acme/', match: 'prefix', kind: 'ssh-key', secret: 'argocd/git/ssh' },
      { name: 'app', url: 'https://github.com/acme/apps.git', kind: 'github-app', secret: 'argocd/git/app', keys: { githubAppPrivateKey: 'pem' } },
      ...spec.repos.credentials!,
    ];
    const got = objects(render(withSpec(spec))).filter((o) => o.obj.kind === 'ExternalSecret' && o.file.startsWith('hub/')).map((o) => o.obj);
    const byName = Object.fromEntries(got.map((o) => [o.metadata.name, o]));
    assert.deepEqual(Object.keys(byName).sort(), ['repo-creds-git-example-com', 'repo-creds-ssh', 'repository-app']);
    assert.deepEqual(byName['repo-creds-ssh'].spec.data, [{ secretKey: 'sshPrivateKey', remoteRef: { key: 'argocd/git/ssh', property: 'sshPrivateKey' } }]);
    assert.equal(byName['repository-app'].spec.target.template.metadata.labels['argocd.argoproj.io/secret-type'], 'repository');
    assert.deepEqual(byName['repository-app'].spec.data.map((d: any) => `${d.secretKey}<-${d.remoteRef.property}`), [
      'githubAppID<-githubAppID', 'githubAppInstallationID<-githubAppInstallationID', 'githubAppPrivateKey<-pem',
    ]);
    const iam = JSON.parse(render(withSpec(spec)).get('iam/git-credentials/hub.json')!);
    assert.deepEqual(iam.permissionsPolicy.Statement[0].Resource, [
      'arn:aws:secretsmanager:us-west-2:111122223333:secret:argocd/git/app-??????',
      SECRET_ARN,
      'arn:aws:secretsmanager:us-west-2:111122223333:secret:argocd/git/ssh-??????',
    ]);
  });

  it('a fleet without credentials renders none of it and keeps the platform project as it was', () => {
    const spec = fleetCopy();
    delete spec.repos.credentials;
    const plain = render(withSpec(spec));
    assert.ok(![...plain.keys()].some((f) => f.includes('git-credentials')));
    const p = objects(plain).find((o) => o.obj.kind === 'AppProject' && o.obj.metadata.name === 'platform')!.obj;
    assert.deepEqual(p.spec.clusterResourceWhitelist, []);
    assert.deepEqual(p.spec.namespaceResourceWhitelist.map((r: any) => r.kind), ['Application', 'ApplicationSet', 'AppProject', 'Secret']);
  });

  it('the store, its service account and the ExternalSecret match the External Secrets v2.9 CRDs and Kubernetes', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    for (const { obj } of ours) assert.deepEqual(schemaProblems(obj), [], `${obj.kind}/${obj.metadata.name}`);
    const es = structuredClone(ours.find((o) => o.obj.kind === 'ExternalSecret')!.obj);
    es.spec.data[0].remoteRef = { property: 'username' };
    assert.notDeepEqual(schemaProblems(es), [], 'the CRD requires remoteRef.key');
  });
});

describe('the store role (iam/git-credentials/<hub>.json)', () => {
  const doc = JSON.parse(files.get('iam/git-credentials/hub.json')!);

  it('trusts only the store\'s service account on the hub\'s OIDC provider', () => {
    assert.equal(doc.roleArn, 'arn:aws:iam::111122223333:role/fleet-git-credentials-hub');
    const [st] = doc.trustPolicy.Statement;
    assert.equal(doc.trustPolicy.Statement.length, 1);
    assert.equal(st.Principal.Federated, 'arn:aws:iam::111122223333:oidc-provider/${oidc_provider_hub}');
    assert.deepEqual(st.Condition.StringEquals, { '${oidc_provider_hub}:sub': 'system:serviceaccount:argocd:fleet-git-credentials', '${oidc_provider_hub}:aud': 'sts.amazonaws.com' });
    assert.deepEqual(Object.keys(doc.inputs), ['oidc_provider_hub']);
  });

  it('may read exactly the declared secrets, nothing else', () => {
    assert.deepEqual(doc.permissionsPolicy.Statement, [{ Sid: 'ReadGitCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [SECRET_ARN] }]);
  });
});

describe('no credential value reaches dist/', () => {
  it('no Secret carries a credential field, every credential field of an ExternalSecret is a template of a remote reference', () => {
    for (const { file, obj } of all) {
      if (obj.kind === 'Secret') {
        for (const k of ['username', 'password', 'sshPrivateKey', 'githubAppPrivateKey', 'token']) assert.equal(obj.stringData?.[k], undefined, `${file} ${k}`);
        assert.equal(obj.data, undefined, file);
      }
      if (obj.kind === 'ExternalSecret' && file.startsWith('hub/')) {
        const data = obj.spec.target.template.data;
        for (const [k, v] of Object.entries(data)) if (k !== 'type' && k !== 'url') assert.match(String(v), /^\{\{ \.\w+ \}\}$/, `${file} ${k}`);
        for (const d of obj.spec.data) assert.deepEqual(Object.keys(d.remoteRef).sort(), ['key', 'property']);
      }
    }
  });

  it('a token written into the model never reaches a rendered file: it is refused, and the message hides it', () => {
    const token = 'ghp_DoNotLeakThisToken0123456789';
    const spec = fleetCopy();
    spec.repos.workloads.url = `https://ci:${token}@git.example.com/platform/cdk8s-fleet.git`;
    const problems = validateFleet(withSpec(spec), ADDON_CATALOG);
    assert.deepEqual(problems.map((p) => `${p.file}: ${p.path}`), ['environments/fleet.ts: repos.workloads.url']);
    assert.ok(!JSON.stringify(problems).includes(token));
    assert.throws(() => fleetOutputs(withSpec(spec)), (e: Error) => !e.message.includes(token));
    for (const [file, text] of files) assert.ok(!/ghp_|glpat-|-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text), file);
  });

  it('recognises credentials in URLs, and leaves user-only SSH URLs alone', () => {
    assert.equal(urlUserinfo('https://user:tok@git.example.com/a.git'), 'user:tok');
    assert.equal(urlUserinfo('https://tok@git.example.com/a.git'), 'tok');
    assert.equal(urlUserinfo('ssh://git:pw@git.example.com/a.git'), 'git:pw');
    assert.equal(urlUserinfo('ssh://git@git.example.com/a.git'), undefined);
    assert.equal(urlUserinfo('git@github.com:acme/a.git'), undefined);
    assert.equal(urlUserinfo('https://git.example.com/a@b.git'), undefined);
  });
});

describe('EKS Argo CD capability', () => {
  it('renders credential-free repo-creds Secrets naming the AWS secret by ARN (secretArn), and no External Secrets objects', (t) => {
    const cap = render(withSpec(capabilitySpec()));
    const objs = objects(cap).filter((o) => o.file.startsWith('hub/argocd/repositories/'));
    const secret = objs.find((o) => o.obj.metadata.name === 'repo-creds-git-example-com')!;
    assert.equal(secret.file, 'hub/argocd/repositories/secret-repo-creds-git-example-com.yaml');
    assert.deepEqual(secret.obj.metadata.labels['argocd.argoproj.io/secret-type'], 'repo-creds');
    assert.deepEqual(secret.obj.stringData, { type: 'git', url: 'https://git.example.com/platform/', secretArn: SECRET_ARN });
    assert.ok(!objects(cap).some((o) => o.obj.kind === 'ExternalSecret' && o.file.startsWith('hub/')));
    const iam = JSON.parse(cap.get('iam/git-credentials/hub.json')!);
    assert.equal(iam.trustPolicy, undefined, 'the capability role is the IaC\'s: only the permissions to attach');
    assert.deepEqual(iam.permissionsPolicy.Statement[0].Resource, [SECRET_ARN]);
    if (crdsAvailable()) assert.deepEqual(schemaProblems(secret.obj), []);
    else t.diagnostic('CRDs not found: schema not checked');
  });
});

describe('npm run plan: Argo CD can clone every private repository', () => {
  const tree = renderTree(fleetOutputs(exampleFleet));
  const repos = privateGitRepos(exampleFleet);
  const copy = () => new Map([...tree.objects].map(([p, docs]) => [p, structuredClone(docs)])) as Map<string, any[]>;
  const MESSAGE = 'is a private Git repository and no repository or repo-creds Secret with credentials covers it (Argo CD matches a repository Secret by the same URL and a repo-creds template by URL prefix, both lower-cased and without ".git"), so Argo CD cannot clone it: declare its credentials in repos.credentials, or set repos.public when it is public';

  it('the fleet\'s own repositories are the private ones, unless repos.public', () => {
    assert.deepEqual(repos, ['https://git.example.com/platform/cdk8s-fleet.git']);
    assert.deepEqual(privateGitRepos({ ...exampleFleet, spec: { ...exampleFleet.spec, repos: { ...exampleFleet.spec.repos, public: true } } }), []);
  });

  it('finds no problem in the example: its repo-creds ExternalSecret covers the repository by prefix', () => {
    assert.deepEqual(planFleet(tree.objects, { privateGitRepos: repos }).problems, []);
  });

  it('reports each ApplicationSet and Application that reads an uncovered private repository, once per repository', () => {
    const objects = copy();
    objects.delete('hub/argocd/repositories/externalsecret-repo-creds-git-example-com.yaml');
    const problems = planFleet(objects, { privateGitRepos: repos }).problems;
    const url = 'https://git.example.com/platform/cdk8s-fleet.git';
    assert.ok(problems.length > 5, `${problems.length} problems`);
    assert.ok(problems.every((p) => p.message.endsWith(`${url} ${MESSAGE}`)), problems[0]?.message);
    assert.deepEqual(problems.find((p) => p.object === 'Application/fleet-root'), { file: 'hub/bootstrap/root-app.yaml', object: 'Application/fleet-root', message: `spec.source.repoURL: ${url} ${MESSAGE}` });
    assert.deepEqual(problems.find((p) => p.object === 'ApplicationSet/addon-cert-manager'), {
      file: 'hub/argocd/addons/cert-manager.yaml', object: 'ApplicationSet/addon-cert-manager', message: `spec.template.spec.sources[0].repoURL: ${url} ${MESSAGE}`,
    });
    assert.equal(new Set(problems.map((p) => `${p.file} ${p.object}`)).size, problems.length, 'one problem per object and repository');
    // Without the option (a library caller that does not say what is private) nothing is checked.
    assert.deepEqual(planFleet(objects).problems, []);
  });

  it('follows Argo CD\'s matching: a repository Secret by the same URL, a repo-creds template by prefix, credential-free Secrets do not count', () => {
    const objects = copy();
    objects.delete('hub/argocd/repositories/externalsecret-repo-creds-git-example-com.yaml');
    const secret = (type: string, stringData: Record<string, string>) => ({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': type } }, stringData,
    });
    const plan = (extra: unknown) => planFleet(new Map([...objects, ['hub/argocd/repositories/x.yaml', [extra]]]), { privateGitRepos: repos }).problems.length;
    assert.equal(plan(secret('repository', { url: 'https://GIT.example.com/platform/cdk8s-fleet', secretArn: SECRET_ARN })), 0, 'same URL after normalisation');
    assert.equal(plan(secret('repo-creds', { url: 'https://git.example.com/', secretArn: SECRET_ARN })), 0, 'a shorter prefix');
    assert.ok(plan(secret('repo-creds', { url: 'https://git.example.com/platform/other', secretArn: SECRET_ARN })) > 0, 'not a prefix');
    assert.ok(plan(secret('repository', { url: 'https://git.example.com/platform/cdk8s-fleet.git' })) > 0, 'a repository Secret without credentials');
    assert.ok(plan(secret('repo-creds', { url: 'https://git.example.com/platform/cdk8s-fleet.git/more', secretArn: SECRET_ARN })) > 0, 'longer than the URL');
  });

  it('normalises URLs as Argo CD does', () => {
    assert.equal(normalizeGitUrl(' https://Git.Example.com/Org/Repo.git '), 'https://git.example.com/org/repo');
    assert.equal(normalizeGitUrl('git@github.com:Acme/Repo.git'), 'git@github.com/acme/repo');
    assert.equal(normalizeGitUrl('ssh://git@github.com/acme/repo.git'), 'git@github.com/acme/repo');
  });

  it('counts AWS CodeConnections and CodeCommit URLs as covered (the EKS capability\'s IAM role)', () => {
    const cc = 'https://codeconnections.us-west-2.amazonaws.com/git-http/111122223333/us-west-2/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab/acme/fleet.git';
    const spec = capabilitySpec();
    delete spec.repos.credentials;
    spec.repos.addons.url = cc;
    spec.repos.workloads.url = cc;
    const source: FleetSource = withSpec(spec);
    const t = renderTree(fleetOutputs(source));
    assert.deepEqual(planFleet(t.objects, { privateGitRepos: privateGitRepos(source) }).problems, []);
  });

  it('exits 1 and names the problem when the example loses its credentials', (t: TestContext) => {
    const spec = fleetCopy();
    delete spec.repos.credentials;
    const err: string[] = [];
    t.mock.method(console, 'error', (m: string) => err.push(m));
    const code = runPlan(['plan'], withSpec(spec), {}, () => {});
    t.mock.restoreAll();
    assert.equal(code, 1);
    assert.match(err.join('\n'), /hub\/bootstrap\/root-app\.yaml: Application\/fleet-root: spec\.source\.repoURL: https:\/\/git\.example\.com\/platform\/cdk8s-fleet\.git is a private Git repository/);
  });
});

describe('git credentials with several hubs', () => {
  it('each hub has its own store role, reading the region of the secrets named by ARN', () => {
    const spec = fleetCopy();
    const hub = spec.clusters.find((c) => c.name === 'hub')!;
    spec.clusters.push({ ...structuredClone(hub), name: 'hub-eu', region: 'eu-west-1', vpcId: 'vpc-0e1f2a3b4c5d6e7f8' });
    spec.clusters.find((c) => c.name === 'spoke-staging')!.hub = 'hub-eu';
    spec.clusters.find((c) => c.name === 'spoke-prod')!.hub = 'hub';
    const two = render(withSpec(spec));
    for (const h of ['hub', 'hub-eu']) {
      const doc = JSON.parse(two.get(`iam/git-credentials/${h}.json`)!);
      assert.equal(doc.roleArn, `arn:aws:iam::111122223333:role/fleet-git-credentials-${h}`);
      assert.equal(doc.region, 'us-west-2');
      assert.equal(doc.trustPolicy.Statement[0].Condition.StringEquals[`\${oidc_provider_${h.replace('-', '_')}}:sub`], 'system:serviceaccount:argocd:fleet-git-credentials');
      const sa = objects(new Map([[`x`, two.get(`hubs/${h}/argocd/repositories/serviceaccount-fleet-git-credentials.yaml`)!]]))[0].obj;
      assert.equal(sa.metadata.annotations['eks.amazonaws.com/role-arn'], doc.roleArn);
    }
  });

  it('refuses secrets named by ARN in two regions: one store reads one region', () => {
    const spec = fleetCopy();
    spec.repos.credentials = [
      ...spec.repos.credentials!,
      { name: 'eu', url: 'https://git.example.eu/', match: 'prefix', kind: 'https-token', secret: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:argocd/git/eu-Zz99Yy' },
    ];
    assert.deepEqual(validateFleet(withSpec(spec), ADDON_CATALOG).map((p) => `${p.path}: ${p.message}`), [
      'repos.credentials[1].secret: is in region eu-west-1, but repos.credentials[0].secret is in us-west-2: Argo CD\'s store reads one region; keep the git credential secrets in one region (replicate the secret)',
    ]);
  });
});
