import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { ADDON_CATALOG } from '../charts/index.js';
import { runCli } from '../render/cli.js';
import { readTree } from '../render/tree.js';
import { exampleFleet, fleetCopy, withSpec } from './support/fleet.js';
import { mainArgs } from './support/main-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs the CLI in-process and returns its exit code and what it printed. */
function run(t: TestContext, argv: string[], source = exampleFleet, catalog = ADDON_CATALOG) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (m: string) => out.push(m));
  t.mock.method(console, 'error', (m: string) => err.push(m));
  const code = runCli(argv, source, { catalog });
  t.mock.restoreAll();
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function renderedCopy(t: TestContext): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-cli-'));
  t.after(() => fs.rmSync(parent, { recursive: true, force: true }));
  const dir = path.join(parent, 'dist');
  assert.equal(run(t, ['synth', '--out', dir]).code, 0);
  return dir;
}

const snapshot = (dir: string) =>
  [...readTree(dir)].map(([p, b]) => [p, b.toString('base64'), fs.statSync(path.join(dir, p)).mtimeMs] as const);

describe('npm run synth / npm run check', () => {
  it('dist/ is up to date: the committed dist/ is exactly what the code renders', () => {
    const r = spawnSync(process.execPath, mainArgs(['check']), { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /dist\/ is up to date \(\d+ files\)/);
  });

  it('synth prints a one-line summary, and a second synth writes nothing', (t) => {
    const dir = renderedCopy(t);
    const before = snapshot(dir);
    const r = run(t, ['synth', '--out', dir]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^cdk8s-fleet: \d+ files in .*dist\/: 0 added, 0 changed, 0 removed, \d+ unchanged, in \d+\.\d\d s( \(input, code and folder as at the last synth: nothing rendered\)| \(every app from the app cache \(\d+\)\))?$/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('check fails on a hand-edited, a missing and a stale file, and lists each', (t) => {
    const dir = renderedCopy(t);
    fs.appendFileSync(path.join(dir, 'hub/argocd/clusters/spoke-prod.yaml'), '# hand edit\n');
    fs.rmSync(path.join(dir, 'hub/argocd/addons/karpenter.yaml'));
    fs.writeFileSync(path.join(dir, 'hub/argocd/addons/old.yaml'), 'x: 1\n');
    const r = run(t, ['check', '--out', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /3 files differ/);
    assert.match(r.stderr, /changed {2}.*hub\/argocd\/clusters\/spoke-prod\.yaml/);
    assert.match(r.stderr, /missing {2}.*hub\/argocd\/addons\/karpenter\.yaml/);
    assert.match(r.stderr, /stale {4}.*hub\/argocd\/addons\/old\.yaml/);
  });

  it('bad input: every problem with file and field, exit 1, dist/ byte-identical', (t) => {
    const dir = renderedCopy(t);
    const before = snapshot(dir);
    const spec = fleetCopy();
    spec.clusters[1].name = 'Spoke_Staging';
    spec.clusters[2].addons = { ...spec.clusters[2].addons, velero: true, 'karpenterr': true };
    const r = run(t, ['synth', '--out', dir], withSpec(spec));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /environments\/clusters\.ts: clusters\[1\]\.name: "Spoke_Staging" is not a DNS-1123 label/);
    assert.match(r.stderr, /environments\/clusters\.ts: clusters\[2\]\.addons\.karpenterr: unknown add-on "karpenterr"/);
    assert.match(r.stderr, /Nothing was written\./);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(snapshot(dir), before);
  });

  it('a render that throws part-way leaves dist/ exactly as it was', (t) => {
    const dir = renderedCopy(t);
    const before = snapshot(dir);
    // Validation reads velero's template once (one cluster runs it) and passes; the render's read throws.
    let reads = 0;
    const catalog = ADDON_CATALOG.map((a) => (a.name !== 'velero' ? a : {
      ...a,
      clusterValues: (tpl: any, def: any) => {
        if (++reads > 1) throw new Error('boom in velero');
        return a.clusterValues!(tpl, def);
      },
    }));
    const r = run(t, ['synth', '--out', dir], exampleFleet, catalog);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /boom in velero/);
    assert.equal(reads, 2, 'validation passed and the render failed');
    assert.deepEqual(snapshot(dir), before);
  });

  it('an unknown command is a usage error', (t) => {
    const r = run(t, ['deploy']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "deploy"/);
  });
});

describe('the policy gate', () => {
  it('a team chart that renders a privileged pod stops synth with a finding, and nothing is written', (t) => {
    const dir = renderedCopy(t);
    const before = snapshot(dir);
    const spec = fleetCopy();
    (spec.teams![0].apps as any[]).push({
      name: 'debug',
      environments: { staging: {} },
      chart: (scope: any) => {
        new ApiObject(scope, 'pod', {
          apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' },
          spec: { containers: [{ name: 'sh', image: 'busybox:1.36', securityContext: { privileged: true } }] },
        });
      },
    });
    const r = run(t, ['synth', '--out', dir], withSpec(spec));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /apps\/webstore\/debug\/staging\/pod-debug\.yaml: Pod\/debug: \[pss-restricted\] container sh is privileged/);
    assert.match(r.stderr, /\[resources-set\] container sh has no cpu request/);
    assert.match(r.stderr, /Nothing was written\./);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('the secrets scan in npm run check', () => {
  const secretlint = path.join(ROOT, 'node_modules', '.bin', 'secretlint');

  it('passes on dist/', () => {
    const r = spawnSync(secretlint, ['--maskSecrets', 'dist/**/*'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.check, /secretlint/);
  });

  it('fails on a token that slipped into a rendered file', (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-secrets-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'values.yaml'), `slack:\n  token: xoxb-${'1'.repeat(12)}-${'2'.repeat(13)}-AbCdEfGhIjKlMnOpQrStUvWx\n`);
    const r = spawnSync(secretlint, ['--maskSecrets', `${dir}/**/*`], { cwd: ROOT, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /SLACK_TOKEN/);
  });
});
