/**
 * The in-cluster add-ons of the catalog (monitoring, autoscaling, policy, Argo): pins newest first, each
 * naming the upstream release of its own version, covering Kubernetes 1.30 to 1.35 but for the gaps upstream
 * leaves; Kyverno on the release whose CRDs the companion policies are validated against; the Prometheus stack
 * release a cluster pins being a checked one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addonPin, addonVersionFor, LISTED_KUBERNETES_MINORS, rangeHolds } from '../charts/model/addon-versions.js';
import { resolved } from './support/fleet.js';
import { catalogEntry as entry, newer } from './support/catalog.js';

const NAMES = [
  'argo-events', 'argo-rollouts', 'argo-workflows', 'gatekeeper', 'keda', 'kube-prometheus-stack',
  'kyverno', 'metrics-server', 'opentelemetry-operator', 'reloader', 'vpa',
];
/** Kubernetes minors no checked release supports: Argo Rollouts v1.9.0's e2e tests stop at 1.34. */
const KNOWN_GAPS: Record<string, readonly string[]> = { 'argo-rollouts': ['1.35'] };
const ROOT = path.join(import.meta.dirname, '..');


describe('in-cluster add-ons of the catalog', () => {
  it('pins each newest first, the default being the newest, each checked at the release of its own version', () => {
    for (const name of NAMES) {
      const a = entry(name);
      const pins = a.pins ?? [];
      assert.ok(pins.length > 0, `${name} has pins`);
      assert.equal(a.version, pins[0].version, `${name}: version is the newest pin`);
      assert.ok(a.homepage?.startsWith('https://'), `${name}: homepage`);
      pins.slice(1).forEach((p, i) => assert.ok(newer(pins[i].version, p.version), `${name}: ${pins[i].version} before ${p.version}`));
      for (const p of pins) {
        // The first reference is the chart's Chart.yaml at a tag naming the chart or app version (or a commit).
        const m = /^[\w.-]+\/[\w.-]+@([^\s:;]+):([^\s;]+)/.exec(p.checkedAgainst);
        assert.ok(m && m[2].endsWith('Chart.yaml'), `${name}@${p.version}: ${p.checkedAgainst}`);
        const tag = m[1];
        assert.ok(/^[0-9a-f]{40}$/.test(tag) || tag.includes(p.version) || (p.appVersion !== undefined && tag.endsWith(p.appVersion)), `${name}@${p.version}: checked at ${tag}`);
        if (p.kubernetes!.max !== undefined) assert.ok(rangeHolds(p.kubernetes!, p.kubernetes!.max), `${name}@${p.version}: min <= max`);
      }
    }
  });

  it('covers Kubernetes 1.30 to 1.35 with some pin, but for the gaps upstream leaves', () => {
    for (const name of NAMES) {
      const a = entry(name);
      const gaps = LISTED_KUBERNETES_MINORS.filter((minor) => addonVersionFor(a, minor) === undefined);
      assert.deepEqual(gaps, KNOWN_GAPS[name] ?? [], `${name}: Kubernetes minors without a checked version`);
    }
  });

  it('pins Kyverno to the release whose CRDs the project validates its policies against', () => {
    const kyverno = entry('kyverno');
    assert.deepEqual(kyverno.pins?.map((p) => [p.version, p.appVersion]), [['3.9.0', 'v1.19.0']]);
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'crds.lock.json'), 'utf8')) as Array<{ name: string; release: string; url: string }>;
    const kyvernoCrds = lock.filter((c) => c.url.includes('/kyverno/kyverno/'));
    assert.ok(kyvernoCrds.length > 0, 'crds.lock.json has Kyverno CRDs');
    for (const c of kyvernoCrds) assert.equal(c.release, kyverno.pins?.[0].appVersion, `${c.name} is of Kyverno ${c.release}`);
    // The CRD store's notes name the chart version too (when the store is beside the project, as in CI).
    const sources = path.resolve(process.env.CRDS_DIR ?? path.join(ROOT, '..', 'shared', 'crds'), 'SOURCES.md');
    if (fs.existsSync(sources)) assert.match(fs.readFileSync(sources, 'utf8'), new RegExp(`Kyverno chart ${kyverno.version.replace(/\./g, '\\.')} \\(app ${kyverno.pins?.[0].appVersion}\\)`));
  });

  it("gives every example cluster a checked version of each of these add-ons, in its range (spoke-prod's 65.8.1 too)", () => {
    const fleet = resolved();
    let checked = 0;
    for (const c of fleet.clusters) {
      for (const name of NAMES) {
        const running = c.addons.get(name);
        if (!running) continue;
        const pin = addonPin(running.definition, running.version);
        assert.ok(pin, `${c.name}: ${name} ${running.version} is a checked version`);
        assert.ok(rangeHolds(pin.kubernetes, c.kubernetesVersion), `${c.name} (${c.kubernetesVersion}): ${name} ${running.version}`);
        checked++;
      }
    }
    assert.ok(checked >= 10, `only ${checked} add-ons checked`);
    const prod = fleet.clusters.find((c) => c.name === 'spoke-prod');
    assert.equal(prod?.addons.get('kube-prometheus-stack')?.version, '65.8.1');
  });
});
