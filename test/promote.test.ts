/**
 * `npm run promote`: in process, against a copy of environments/ and a dist/ rendered from the example
 * fleet in a temporary folder (the repository is never touched). A promotion edits one literal of
 * environments/teams.ts and renders dist/ again; every refusal names its file and field and leaves the
 * files' bytes as they were.
 */
import { after, before, describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../render/cli.js';
import { runPromote } from '../render/promote/promote-cli.js';
import { editImageRule } from '../render/promote/source-edit.js';
import { readTree } from '../render/tree.js';
import type { FleetSource, TeamSpec } from '../charts/index.js';
import { exampleFleet, fleetCopy, withSpec } from './support/fleet.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TEAMS = 'environments/teams.ts';
const ENVIRONMENTS = 'environments/environments.ts';
const FRONTEND_PROD = 'apps/webstore/frontend/prod/deployment-frontend.yaml';
const FRONTEND_STAGING = 'apps/webstore/frontend/staging/deployment-frontend.yaml';

let pristine: string;
before(() => {
  pristine = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-promote-'));
  fs.cpSync(path.join(ROOT, 'environments'), path.join(pristine, 'environments'), { recursive: true });
  const log = console.log;
  console.log = () => {};
  try {
    assert.equal(runCli(['synth', '--out', path.join(pristine, 'dist')], exampleFleet), 0);
  } finally {
    console.log = log;
  }
});
after(() => fs.rmSync(pristine, { recursive: true, force: true }));

/** A project of its own for one test: environments/ and dist/ as the example renders them. */
function project(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-promote-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(pristine, dir, { recursive: true });
  return dir;
}

function promote(t: TestContext, dir: string, argv: string[], source: FleetSource = exampleFleet) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (m: string) => out.push(m));
  t.mock.method(console, 'error', (m: string) => err.push(m));
  const code = runPromote(argv, source, { root: dir });
  t.mock.restoreAll();
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Every file of the project, bytes as base64: a refusal changes none. */
const snapshot = (dir: string) => [...readTree(dir)].map(([p, b]) => [p, b.toString('base64')]);

/** Refused with exit 1, the message matching, and nothing written. */
function refused(t: TestContext, dir: string, argv: string[], message: RegExp) {
  const before = snapshot(dir);
  const r = promote(t, dir, argv);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, message);
  assert.match(r.stderr, /nothing was written/);
  assert.equal(r.stdout, '');
  assert.deepEqual(snapshot(dir), before);
}

describe('npm run promote -- <team>/<app> <from-env> <to-env>', () => {
  it('promotes: only the newTag literal of prod changes in teams.ts, and dist/ renders prod\'s Deployment with staging\'s image', (t) => {
    const dir = project(t);
    const text = fs.readFileSync(path.join(dir, TEAMS), 'utf8');
    const dist = readTree(path.join(dir, 'dist'));
    const r = promote(t, dir, ['webstore/frontend', 'staging', 'prod']);
    assert.equal(r.code, 0, r.stderr);

    // The source: one literal, nothing else (common prefix and suffix around the one character that changed).
    const edited = fs.readFileSync(path.join(dir, TEAMS), 'utf8');
    let p = 0;
    while (text[p] === edited[p]) p++;
    let s = 0;
    while (s < text.length - p && text[text.length - 1 - s] === edited[edited.length - 1 - s]) s++;
    assert.equal(text.slice(p, text.length - s), '1');
    assert.equal(edited.slice(p, edited.length - s), '2');
    const line = text.slice(text.lastIndexOf('\n', p) + 1, text.indexOf('\n', p));
    assert.equal(line.trim(), "images: [{ name: `${registry}/frontend`, newTag: 'v1.0' }],");
    assert.ok(text.indexOf('prod: {') < p && p < text.indexOf("name: 'backend'"), 'the edit is in frontend\'s prod overlay');

    // The render: prod's Deployment runs staging's image; the other changed file is the README's image matrix.
    const now = readTree(path.join(dir, 'dist'));
    const changed = [...now.keys()].filter((f) => !dist.get(f)?.equals(now.get(f)!)).sort();
    assert.deepEqual(changed, ['README.md', FRONTEND_PROD]);
    assert.match(now.get(FRONTEND_PROD)!.toString(), /image: public\.ecr\.aws\/acme-webstore\/frontend:v2\.0\n/);
    assert.equal(now.get(FRONTEND_PROD)!.toString(), dist.get(FRONTEND_PROD)!.toString().replace('frontend:v1.0', 'frontend:v2.0'));

    // The summary for the PR.
    assert.match(r.stdout, /## Promote webstore\/frontend: staging → prod/);
    assert.match(r.stdout, /- public\.ecr\.aws\/acme-webstore\/frontend: v1\.0 → v2\.0/);
    assert.match(r.stdout, /- environments\/teams\.ts:\d+: teams\[0\]\.apps\[0\]\.environments\.prod\.images\[0\]\.newTag: 'v1\.0' → 'v2\.0'/);
    assert.match(r.stdout, /dist\/: 2 files changed:\n {2}- .*dist\/README\.md\n {2}- .*dist\/apps\/webstore\/frontend\/prod\/deployment-frontend\.yaml/);
  });

  it('refuses an unknown team, app or environment, naming the file and field', (t) => {
    const dir = project(t);
    refused(t, dir, ['nope/frontend', 'staging', 'prod'], /^cdk8s-fleet: environments\/teams\.ts: teams: no team "nope" \(webstore\)/);
    refused(t, dir, ['webstore/nope', 'staging', 'prod'], /^cdk8s-fleet: environments\/teams\.ts: teams\[0\]\.apps: team webstore has no app "nope"/);
    refused(t, dir, ['webstore/frontend', 'staging', 'qa'], /^cdk8s-fleet: environments\/environments\.ts: environments: no environment "qa"/);
  });

  it('refuses a team that renders its apps in its own repository', (t) => {
    const dir = project(t);
    const own = { name: 'payments', group: 'payments-developers', environments: ['staging', 'prod'], apps: [], repo: { url: 'https://git.example.com/payments/apps.git', revision: 'main', path: 'dist/apps', apps: [] } };
    const source = withSpec({ ...exampleFleet.spec, teams: [...exampleFleet.spec.teams!, own as unknown as TeamSpec] });
    const before = snapshot(dir);
    const r = promote(t, dir, ['payments/checkout', 'staging', 'prod'], source);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /environments\/teams\.ts: teams\[1\]\.repo: team payments renders its apps in its own repository: promote there/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses a promotion against the promotion order', (t) => {
    const dir = project(t);
    refused(t, dir, ['webstore/frontend', 'prod', 'staging'], /environments\/environments\.ts: environments\[1\]\.promotionOrder: staging \(promotionOrder 1\) is not after prod \(promotionOrder 2\)/);
  });

  it('refuses an app that does not run in both environments', (t) => {
    const dir = project(t);
    refused(t, dir, ['webstore/ui', 'staging', 'prod'], /environments\/teams\.ts: teams\[0\]\.apps\[2\]\.environments\.prod: webstore\/ui does not run in prod \(it runs in staging\)/);
  });

  it('refuses when there is nothing to promote', (t) => {
    const dir = project(t);
    refused(t, dir, ['webstore/mailer', 'staging', 'prod'], /teams\[0\]\.apps\[3\]\.environments\.prod: nothing to promote: prod already runs what staging runs \(public\.ecr\.aws\/acme-webstore\/mailer@sha256:/);
  });

  it('refuses when dist/ does not run in <from-env> what the source says (the change was never rendered)', (t) => {
    const dir = project(t);
    const file = path.join(dir, 'dist', FRONTEND_STAGING);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('frontend:v2.0', 'frontend:v1.0'));
    refused(
      t, dir, ['webstore/frontend', 'staging', 'prod'],
      /dist\/apps\/webstore\/frontend\/staging\/: teams\[0\]\.apps\[0\]\.environments\.staging: environments\/teams\.ts says staging runs public\.ecr\.aws\/acme-webstore\/frontend:v2\.0, but the rendered manifests there run public\.ecr\.aws\/acme-webstore\/frontend:v1\.0: that change to staging was never rendered/,
    );
  });

  it('refuses a newTag that is not a literal (a variable), naming file, line and field', (t) => {
    const dir = project(t);
    const file = path.join(dir, TEAMS);
    const text = fs.readFileSync(file, 'utf8');
    const prodLine = "images: [{ name: `${registry}/frontend`, newTag: 'v1.0' }],";
    assert.ok(text.includes(prodLine));
    const withVariable = text.replace("const registry = ", "const frontendProdTag = 'v1.0';\nconst registry = ").replace(prodLine, 'images: [{ name: `${registry}/frontend`, newTag: frontendProdTag }],');
    fs.writeFileSync(file, withVariable);
    const line = withVariable.slice(0, withVariable.indexOf('newTag: frontendProdTag')).split('\n').length;
    refused(t, dir, ['webstore/frontend', 'staging', 'prod'], new RegExp(`environments/teams\\.ts:${line}: teams\\[0\\]\\.apps\\[0\\]\\.environments\\.prod\\.images\\[0\\]\\.newTag: not a string literal \\(frontendProdTag\\)`));
  });

  it('refuses an images list with a spread, and a text that disagrees with the loaded fleet', () => {
    const edit = { team: 'web', app: 'a', environment: 'prod', at: 'teams[0].apps[0].environments.prod.images[0]', index: 0, count: 1, current: { newTag: 'v1' }, next: { newTag: 'v2' } };
    const spread = "const more = [];\nexport const teams = [{ name: 'web', apps: [{ name: 'a', environments: { prod: { images: [...more] } } }] }];\n";
    assert.throws(() => editImageRule(spread, 'x.ts', edit), /^Error: x\.ts:2: teams\[0\]\.apps\[0\]\.environments\.prod\.images: the list has a spread \(\.\.\.more\)/);
    const other = "export const teams = [{ name: 'web', apps: [{ name: 'a', environments: { prod: { images: [{ name: 'r/a', newTag: 'v0' }] } } }] }];\n";
    assert.throws(() => editImageRule(other, 'x.ts', edit), /x\.ts:1: teams\[0\]\.apps\[0\]\.environments\.prod\.images\[0\]\.newTag: the text says 'v0' where the loaded fleet has 'v1'/);
  });

  it('adds an images rule to an overlay without one, keeping the rest of the text', () => {
    const text = "export const teams = [{\n  name: 'web',\n  apps: [{ name: 'a', environments: { staging: { images: [{ name: `${r}/a`, newTag: 'v2' }] }, prod: {} } }],\n}];\n";
    const edit = {
      team: 'web', app: 'a', environment: 'prod', at: 'teams[0].apps[0].environments.prod.images[0]', count: 0, current: {}, next: { newTag: 'v2' },
      name: { value: 'reg/a', copyFrom: { environment: 'staging', index: 0 } },
    };
    const r = editImageRule(text, 'x.ts', edit);
    assert.equal(r.text, text.replace('prod: {}', 'prod: { images: [{ name: `${r}/a`, newTag: \'v2\' }] }'));
  });

  it('promotes an add-on\'s version: addon:cert-manager staging prod turns prod\'s pin into what staging runs from its version set', (t) => {
    const dir = project(t);
    const text = fs.readFileSync(path.join(dir, ENVIRONMENTS), 'utf8');
    const r = promote(t, dir, ['addon:cert-manager', 'staging', 'prod']);
    assert.equal(r.code, 0, r.stderr);
    const edited = fs.readFileSync(path.join(dir, ENVIRONMENTS), 'utf8');
    assert.equal(edited, text.replace("'cert-manager': { version: 'v1.20.3' },", "'cert-manager': { version: 'v1.21.1' },"));
    assert.notEqual(edited, text);
    assert.match(r.stdout, /## Promote add-on cert-manager: staging → prod/);
    assert.match(r.stdout, /- cert-manager: v1\.20\.3 → v1\.21\.1 \(spoke-prod\)/);
    assert.match(r.stdout, /- environments\/environments\.ts:\d+: environments\[2\]\.addons\.cert-manager\.version: 'v1\.20\.3' → 'v1\.21\.1'/);
    // Per Application, from the plan of dist/ before and after: prod's one, nothing else.
    assert.match(r.stdout, /Argo CD \(the plan before and after\): 2 Applications affected:\n {2}- cert-manager-spoke-prod on spoke-prod: cert-manager@v1\.20\.3 → cert-manager@v1\.21\.1\n {2}- fleet-addons on hub: syncs the new manifests of dist\/hub\/argocd\/addons@main$/m);
    // The loaded fleet is still the one before the edit: the text no longer says what it says, so no edit.
    refused(t, dir, ['addon:cert-manager', 'staging', 'prod'], /environments\/environments\.ts:\d+: environments\[2\]\.addons\.cert-manager\.version: the text says 'v1\.21\.1' where the loaded fleet has v1\.20\.3/);
    // The fleet as edited: prod runs it now.
    const spec = fleetCopy();
    const prod = spec.environments.find((e) => e.name === 'prod')!;
    prod.addons = { ...prod.addons, 'cert-manager': { version: 'v1.21.1' } };
    const before = snapshot(dir);
    const again = promote(t, dir, ['addon:cert-manager', 'staging', 'prod'], withSpec(spec));
    assert.equal(again.code, 1);
    assert.match(again.stderr, /environments\/environments\.ts: environments\[2\]\.addons\.cert-manager: nothing to promote: prod already runs cert-manager v1\.21\.1/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses an add-on version the later environment\'s Kubernetes minor does not support: the render\'s validation error, the file gets its bytes back', (t) => {
    const dir = project(t);
    const before = snapshot(dir);
    // staging (1.34) runs descheduler 0.34.0 from its version set; prod (1.33) runs 0.33.0, and 0.34.0 supports only 1.34.
    const r = promote(t, dir, ['addon:descheduler', 'staging', 'prod']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /environments\/environments\.ts: environments\[2\]\.addons\.descheduler\.version: descheduler 0\.34\.0 supports Kubernetes 1\.34-1\.34 \([^)]*\), but cluster "spoke-prod" of environment "prod" runs 1\.33: pin a version whose range holds 1\.33/);
    assert.match(r.stderr, /the render failed: environments\/environments\.ts has its bytes back, nothing was promoted/);
    assert.equal(r.stdout, '');
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses an add-on <from-env> runs at several versions (clusters on different Kubernetes minors) until it pins one', (t) => {
    const dir = project(t);
    // A second staging spoke on 1.33 (descheduler 0.33.0) beside spoke-staging (1.34, 0.34.0).
    const spec = fleetCopy();
    const staging = spec.clusters.find((c) => c.name === 'spoke-staging')!;
    spec.clusters.push({ ...staging, name: 'spoke-staging-b', kubernetesVersion: '1.33', endpoint: 'https://b.example.com' });
    const before = snapshot(dir);
    const r = promote(t, dir, ['addon:descheduler', 'staging', 'prod'], withSpec(spec));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /environments\/environments\.ts: environments\[1\]\.addons\.descheduler\.version: staging runs more than one version of descheduler, each cluster the one of its Kubernetes minor: 0\.34\.0 on spoke-staging \(Kubernetes 1\.34\), 0\.33\.0 on spoke-staging-b \(Kubernetes 1\.33\); pin one in staging first \(environments\[1\]\.addons\.descheduler\.version\)/,
    );
    assert.match(r.stderr, /nothing was written/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses an add-on dist/ does not run in <from-env> (the plan of dist/ per cluster), nothing to promote, and an environment that does not run it', (t) => {
    const dir = project(t);
    const file = path.join(dir, 'dist', 'hub/argocd/addons/cert-manager.yaml');
    const yaml = fs.readFileSync(file, 'utf8');
    assert.match(yaml, /addonChartVersion: v1\.21\.1\n/);
    fs.writeFileSync(file, yaml.replaceAll('addonChartVersion: v1.21.1\n', 'addonChartVersion: v1.21.0\n'));
    refused(
      t, dir, ['addon:cert-manager', 'staging', 'prod'],
      /dist\/: environments\[1\]\.addons\.cert-manager: environments\/environments\.ts says staging runs cert-manager v1\.21\.1 \(v1\.21\.1 on spoke-staging \(Kubernetes 1\.34\)\), but the plan of dist\/ \(ApplicationSet addon-cert-manager\) gives spoke-staging cert-manager@v1\.21\.0: that change to staging was never rendered/,
    );
    refused(t, dir, ['addon:kyverno', 'staging', 'prod'], /environments\/environments\.ts: environments\[2\]\.addons\.kyverno: nothing to promote: prod already runs kyverno /);
    refused(t, dir, ['addon:velero', 'staging', 'prod'], /environments\/environments\.ts: environments\[1\]\.addons\.velero: staging does not run velero/);
    refused(t, dir, ['addon:nope', 'staging', 'prod'], /environments\/environments\.ts: environments\[1\]\.addons: no add-on "nope" in the catalog/);
  });
});
