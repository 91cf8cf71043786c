/**
 * Team repository mode (`teams[i].repo`): the team's apps are rendered in its own repository and read
 * from there; the platform keeps the boundaries and delivers the apps.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, fleetOutputs, FleetSpec, formatProblem, hubSpec, TeamSpec, validateFleet } from '../charts/index.js';
import { normalizeGitUrl } from '../charts/argocd/git-url.js';
import { renderTree } from '../render/render.js';
import { planFleet } from '../render/plan/plan.js';
import { privateGitRepos } from '../render/plan/plan-cli.js';
import { crdsAvailable, CRDS_DIR, schemaProblems } from './support/schemas.js';
import { exampleFleet, fleetCopy, Mutable, objects, render, withSpec } from './support/fleet.js';

const REPO = 'https://git.example.com/payments/payments-apps.git';

/** The example fleet plus the team `payments` with its own repository, read with a credential of its own. */
function withRepoTeam(change: (spec: Mutable<FleetSpec>) => void = () => {}): Mutable<FleetSpec> {
  const spec = fleetCopy();
  (spec.teams as TeamSpec[]).push({
    name: 'payments',
    group: 'payments-developers',
    environments: ['staging', 'prod'],
    apps: [],
    repo: {
      url: REPO,
      revision: 'v2.3.0',
      path: 'deploy/rendered',
      apps: [
        { name: 'ledger', environments: ['staging', 'prod'], port: 9000 },
        { name: 'checkout', environments: ['staging', 'prod'], port: 8080, ingress: true, connectsTo: ['ledger'] },
        { name: 'fraud', environments: ['staging'], internetEgress: true },
      ],
    },
  } as TeamSpec);
  spec.repos.credentials = [
    ...spec.repos.credentials!,
    { name: 'payments-apps', url: REPO, kind: 'https-token', secret: 'arn:aws:secretsmanager:us-west-2:111122223333:secret:argocd/git/payments-apps-Ef34Gh' },
  ];
  change(spec);
  return spec;
}

const spec = withRepoTeam();
const files = render(withSpec(spec));
const all = objects(files);
const one = (file: string) => {
  const found = all.filter((o) => o.file === file).map((o) => o.obj);
  assert.equal(found.length, 1, `one object in ${file}`);
  return found[0];
};

describe('team repository mode: rendered objects', () => {
  it('validates', () => {
    assert.deepEqual(validateFleet(withSpec(spec), ADDON_CATALOG).map(formatProblem), []);
  });

  it('the team\'s AppProject allows exactly its own repository, not the platform\'s', () => {
    const project = one('hub/argocd/projects/payments.yaml');
    assert.deepEqual(project.spec.sourceRepos, [REPO]);
    assert.deepEqual(one('hub/argocd/projects/webstore.yaml').spec.sourceRepos, ['https://git.example.com/platform/cdk8s-fleet.git'], 'other teams are unchanged');
    // Boundaries stay in the platform's repository, delivered through the guardrails project.
    const guardrails = one('hub/argocd/projects/guardrails.yaml');
    assert.deepEqual(guardrails.spec.sourceRepos, ['https://git.example.com/platform/cdk8s-fleet.git']);
    assert.ok(guardrails.spec.destinations.some((d: any) => d.namespace === 'payments-prod'));
  });

  it('the workloads ApplicationSet reads the team repository at its revision, under <path>/<app>/<env>', () => {
    const appset = one('hub/argocd/workloads/payments.yaml');
    const source = appset.spec.template.spec.source;
    assert.deepEqual(source, { repoURL: REPO, targetRevision: 'v2.3.0', path: 'deploy/rendered/{{.app}}/{{.environment}}' });
    assert.equal(appset.spec.template.spec.project, 'payments');
    assert.deepEqual(appset.spec.generators[0].matrix.generators[0].list.elements, [
      { app: 'checkout', environment: 'staging' }, { app: 'fraud', environment: 'staging' }, { app: 'ledger', environment: 'staging' },
      { app: 'checkout', environment: 'prod' }, { app: 'ledger', environment: 'prod' },
    ]);
    // What Argo CD's AppProject.IsSourcePermitted compares: the normalised URLs, as a glob of the project's.
    const project = one('hub/argocd/projects/payments.yaml');
    assert.ok(project.spec.sourceRepos.some((r: string) => normalizeGitUrl(r) === normalizeGitUrl(source.repoURL)));
  });

  it('renders no manifest of the team\'s apps, and keeps its boundaries with network policies from repo.apps', () => {
    assert.deepEqual([...files.keys()].filter((f) => f.startsWith('apps/payments')), []);
    assert.ok(files.has('teams/payments/staging/namespace.yaml'));
    assert.ok(files.has('teams/payments/prod/limits.yaml'));
    const boundaries = one('hub/argocd/teams/payments.yaml');
    assert.equal(boundaries.spec.template.spec.project, 'guardrails');
    assert.match(boundaries.spec.template.spec.source.repoURL, /addons_repo_url/);
    const policies = all.filter((o) => o.file === 'teams/payments/staging/network-policies.yaml').map((o) => o.obj);
    const byName = Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec]));
    assert.deepEqual(Object.keys(byName).sort(), ['allow-dns', 'app-checkout', 'app-fraud', 'app-ledger', 'default-deny']);
    assert.deepEqual(byName['app-checkout'].ingress, [{ ports: [{ port: 8080, protocol: 'TCP' }] }], 'from the ALB');
    assert.deepEqual(byName['app-ledger'].ingress[0].from[0].podSelector.matchLabels, { 'app.kubernetes.io/name': 'checkout' });
    assert.deepEqual(byName['app-ledger'].ingress[0].ports, [{ port: 9000, protocol: 'TCP' }]);
    const prod = all.filter((o) => o.file === 'teams/payments/prod/network-policies.yaml').map((o) => o.obj.metadata.name);
    assert.ok(!prod.includes('app-fraud'), 'fraud runs only in staging');
  });

  it('a private team repository gets its credential as the platform\'s do: an ExternalSecret making a repository Secret', () => {
    const es = one('hub/argocd/repositories/externalsecret-repository-payments-apps.yaml');
    assert.equal(es.kind, 'ExternalSecret');
    assert.equal(es.spec.target.template.metadata.labels['argocd.argoproj.io/secret-type'], 'repository');
    assert.equal(es.spec.target.template.data.url, REPO);
  });

  it('every rendered object is valid against its schema (pinned CRDs)', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    const problems = all.filter((o) => /payments/.test(o.file)).flatMap(({ file, obj }) => schemaProblems(obj).map((p) => `${file}: ${p}`));
    assert.deepEqual(problems, []);
  });
});

describe('team repository mode: plan', () => {
  const tree = renderTree(fleetOutputs(withSpec(spec)));
  const plan = planFleet(tree.objects, { privateGitRepos: privateGitRepos(withSpec(spec)) });

  it('lists the team\'s Applications, per app and workload spoke, with the team repository as source', () => {
    const entries = plan.entries.filter((e) => e.project === 'payments');
    assert.deepEqual(entries.map((e) => e.application).sort(), [
      'payments-checkout-spoke-prod', 'payments-checkout-spoke-staging', 'payments-fraud-spoke-staging', 'payments-ledger-spoke-prod', 'payments-ledger-spoke-staging',
    ]);
    for (const e of entries) {
      assert.equal(e.repoURL, REPO);
      assert.equal(e.applicationSet, 'workloads-payments');
    }
    const checkout = entries.find((e) => e.application === 'payments-checkout-spoke-prod')!;
    assert.equal(checkout.source, 'deploy/rendered/checkout/prod@v2.3.0');
    assert.equal(checkout.destinationNamespace, 'payments-prod');
    assert.deepEqual(plan.problems, []);
  });

  it('counts the team repository as private unless repo.public, and reports it when no credential covers it', () => {
    assert.ok(privateGitRepos(withSpec(spec)).includes(REPO));
    assert.ok(!privateGitRepos(withSpec(withRepoTeam((s) => { (s.teams![1].repo as any).public = true; }))).includes(REPO));
    const objects = new Map([...tree.objects].filter(([p]) => p !== 'hub/argocd/repositories/externalsecret-repository-payments-apps.yaml'));
    const problems = planFleet(objects, { privateGitRepos: privateGitRepos(withSpec(spec)) }).problems;
    assert.deepEqual(problems.map((p) => `${p.file} ${p.object}`), ['hub/argocd/workloads/payments.yaml ApplicationSet/workloads-payments']);
    assert.match(problems[0].message, new RegExp(`^spec\\.template\\.spec\\.source\\.repoURL: ${REPO.replace(/[.]/g, '\\.')} is a private Git repository`));
  });
});

describe('team repository mode: validation and hubs', () => {
  const problems = (change: (s: Mutable<FleetSpec>) => void) => validateFleet(withSpec(withRepoTeam(change)), ADDON_CATALOG).map(formatProblem);

  it('accepts the three URL forms of the fleet\'s repositories, and a public repository without a credential', () => {
    for (const url of ['https://git.example.com/payments/payments-apps', 'git@git.example.com:payments/payments-apps.git', 'ssh://git@git.example.com/payments/payments-apps.git']) {
      assert.deepEqual(problems((s) => { (s.teams![1].repo as any).url = url; (s.teams![1].repo as any).public = true; }), [], url);
    }
    // A repository credential matches a URL that normalises the same (case, .git).
    assert.deepEqual(problems((s) => { (s.teams![1].repo as any).url = 'https://GIT.example.com/payments/payments-apps'; }), []);
    // A prefix credential covers the organisation.
    assert.deepEqual(problems((s) => {
      (s.teams![1].repo as any).url = 'https://git.example.com/platform/payments-apps.git';
      s.repos.credentials = s.repos.credentials!.slice(0, 1);
    }), []);
  });

  it('refuses unknown, duplicate and unconnected apps, an ingress without a port, and a called app without one', () => {
    const found = problems((s) => {
      const apps = (s.teams![1].repo as any).apps;
      apps.push({ name: 'ledger', environments: ['prod'] }, { name: 'web', environments: ['prod'], ingress: true, connectsTo: ['nope', 'fraud'] });
    });
    const at = 'environments/teams.ts: teams[1].repo.apps';
    assert.deepEqual(found, [
      `${at}[2].port: other apps connect to "fraud": give the port it serves on`,
      `${at}[3].name: app "ledger" is already defined at teams[1].repo.apps[0]`,
      `${at}[3].port: other apps connect to "ledger": give the port it serves on`,
      `${at}[4].ingress: an app with an Ingress serves on a port: give port`,
      `${at}[4].connectsTo[0]: unknown app "nope" in team "payments"'s repository`,
      `${at}[4].connectsTo[1]: app "fraud" does not run in "prod", where "web" runs; add it there or remove the connection`,
    ]);
  });

  it('a hub view keeps only the repository apps of the environments its spokes run', () => {
    const view = hubSpec(withRepoTeam((s) => { (s.teams![1] as any).environments = ['staging']; (s.teams![1].repo as any).apps = [{ name: 'a', environments: ['staging'] }]; }), 'hub');
    assert.deepEqual(view.teams!.find((t) => t.name === 'payments')!.repo!.apps.map((a) => a.name), ['a']);
    assert.equal(exampleFleet.spec.teams!.every((t) => t.repo === undefined), true, 'the example fleet has no team repository');
  });
});

describe('team repository mode: databases stay with the platform', () => {
  const withDb = withRepoTeam((s) => { (s.teams![1].repo as any).apps[1].database = { engine: 'postgres', size: { staging: 'small', prod: 'medium' } }; });
  const dbFiles = render(withSpec(withDb));

  it('claims the database and renders the ExternalSecret and store in the team\'s boundaries, the egress to it in its network policies', () => {
    assert.deepEqual(validateFleet(withSpec(withDb), ADDON_CATALOG).map(formatProblem), []);
    for (const env of ['staging', 'prod']) {
      assert.ok(dbFiles.has(`teams/payments/${env}/externalsecret-checkout-database.yaml`), env);
      assert.ok(dbFiles.has(`teams/payments/${env}/secret-store.yaml`), env);
    }
    assert.ok([...dbFiles.keys()].some((f) => f.startsWith('hub/crossplane/claims/prod/payments/')), 'a claim on the hub');
    const checkout = objects(dbFiles).find((o) => o.file === 'teams/payments/prod/network-policies.yaml' && o.obj.metadata.name === 'app-checkout')!.obj;
    assert.ok(checkout.spec.egress.some((e: any) => e.ports?.[0]?.port === 5432), 'PostgreSQL out');
    assert.deepEqual([...dbFiles.keys()].filter((f) => f.startsWith('apps/payments')), []);
  });

  it('checks the request as a platform app\'s, at teams[i].repo.apps[j].database', () => {
    const found = validateFleet(withSpec(withRepoTeam((s) => { (s.teams![1].repo as any).apps[1].database = { engine: 'mysql', size: 'small' }; })), ADDON_CATALOG).map(formatProblem);
    assert.deepEqual(found, ['environments/teams.ts: teams[1].repo.apps[1].database.engine: "mysql" is not supported; use "postgres"']);
  });
});
