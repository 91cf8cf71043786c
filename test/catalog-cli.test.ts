/**
 * `npm run catalog`: the add-on report a platform engineer reads (and `--json`, what tools read), and the
 * note synth prints for a deprecated add-on the fleet runs.
 */
import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADDON_CATALOG } from '../charts/index.js';
import { runCatalog } from '../render/catalog/catalog-cli.js';
import { runCli } from '../render/cli.js';
import { exampleFleet, fleetCopy, withSpec } from './support/fleet.js';

/** Runs the catalog command in process: exit code, stdout (written with process.stdout.write), stderr. */
function catalog(t: TestContext, argv: string[], source = exampleFleet) {
  let out = '';
  const err: string[] = [];
  t.mock.method(process.stdout, 'write', (chunk: string) => {
    out += chunk;
    return true;
  });
  t.mock.method(console, 'error', (m: string) => err.push(m));
  const code = runCatalog(argv, source);
  t.mock.restoreAll();
  return { code, stdout: out, stderr: err.join('\n') };
}

describe('npm run catalog', () => {
  it('--json lists every add-on with its pins, its version per Kubernetes minor and the clusters that run it', (t) => {
    const r = catalog(t, ['--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.addons.map((a: any) => a.name), ADDON_CATALOG.map((a) => a.name).sort());
    assert.ok(report.kubernetesMinors.includes('1.33') && report.kubernetesMinors.includes('1.34'));
    const descheduler = report.addons.find((a: any) => a.name === 'descheduler');
    assert.equal(descheduler.versionSets['1.33'], '0.33.0');
    assert.equal(descheduler.versionSets['1.34'], '0.34.0');
    assert.deepEqual(
      descheduler.enabledOn.map((e: any) => [e.cluster, e.version, e.from, e.checked]),
      [['spoke-prod', '0.33.0', 'version set', true], ['spoke-staging', '0.34.0', 'version set', true]],
    );
    const certManager = report.addons.find((a: any) => a.name === 'cert-manager');
    assert.deepEqual(certManager.enabledOn.find((e: any) => e.cluster === 'spoke-prod'), {
      cluster: 'spoke-prod', environment: 'prod', kubernetesVersion: '1.33', version: 'v1.20.3', from: 'environment pin', checked: true,
    });
    const karpenter = report.addons.find((a: any) => a.name === 'karpenter');
    assert.deepEqual(karpenter.facts.map((f: any) => f.key).sort(), ['karpenter_node_iam_role_name', 'karpenter_sqs_queue_name']);
    assert.ok(karpenter.iam.ownPolicy && karpenter.iam.inputs.includes('karpenter_node_role_arn'));
    for (const a of report.addons) for (const p of a.pins) assert.match(p.checkedAgainst, /^[\w.-]+\/[\w.-]+@\S+:\S+/, `${a.name}@${p.version}`);
  });

  it('prints the add-ons, the version sets, the checked versions and what each cluster runs; refuses an unknown argument', (t) => {
    const r = catalog(t, []);
    assert.equal(r.code, 0, r.stderr);
    for (const heading of ['VERSION SETS', 'CHECKED VERSIONS', 'THE FLEET', 'DEPRECATED']) assert.ok(r.stdout.includes(heading), heading);
    assert.match(r.stdout, /^spoke-prod\s+cert-manager\s+v1\.20\.3\s+environment pin\s+1\.33\s+yes$/m);
    assert.match(r.stdout, /^ingress-nginx \(deprecated\)\s/m);
    const bad = catalog(t, ['--yaml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown argument --yaml\nusage: main\.ts catalog/);
  });

  it('refuses a fleet that does not validate, naming the file and field', (t) => {
    const spec = fleetCopy();
    (spec.environments[2] as any).addons.descheduler = { version: '0.34.0' };
    const r = catalog(t, [], withSpec(spec));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /environments\.ts: environments\[2\]\.addons\.descheduler\.version: descheduler 0\.34\.0 supports Kubernetes 1\.34-1\.34/);
  });
});

describe('deprecated add-ons', () => {
  it('synth renders them and says once per add-on where it runs, why it is deprecated and what to use instead', (t) => {
    const spec = fleetCopy();
    (spec.environments[1] as any).addons['ingress-nginx'] = true;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-deprecated-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const err: string[] = [];
    t.mock.method(console, 'log', () => {});
    t.mock.method(console, 'error', (m: string) => err.push(m));
    const code = runCli(['synth', '--out', path.join(dir, 'dist'), '--no-cache'], withSpec(spec));
    t.mock.restoreAll();
    assert.equal(code, 0, err.join('\n'));
    const notes = err.filter((l) => l.startsWith('cdk8s-fleet: note: '));
    assert.equal(notes.length, 1, err.join('\n'));
    assert.ok(notes[0].startsWith('cdk8s-fleet: note: add-on ingress-nginx (on spoke-staging) is deprecated: '), notes[0]);
    assert.match(notes[0], /retired upstream in March 2026.*aws-load-balancer-controller/);
  });
});
