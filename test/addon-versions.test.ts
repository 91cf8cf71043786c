/**
 * Version sets per Kubernetes release: a cluster gets the newest checked version of an add-on that
 * supports its Kubernetes minor, unless its environment or itself pins one; a pin outside a checked
 * version's range is refused; the ApplicationSet gives each cluster exactly the version the fleet says,
 * as Argo CD's merge generator evaluates it (the offline ApplicationSet engine).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ADDON_CATALOG, validateFleet } from '../charts/index.js';
import type { AddonDefinition } from '../charts/model/addon.js';
import { addonVersionFor, rangeHolds } from '../charts/model/addon-versions.js';
import { addonVersionGenerators, CHART_VERSION_KEY } from '../charts/argocd/addon-version-generators.js';
import { ClusterTemplate } from '../charts/model/contract.js';
import { clusterLabels } from '../charts/model/cluster-metadata.js';
import { generateParamSets } from '../engines/applicationset/index.js';
import { fleetCopy, resolved, withSpec } from './support/fleet.js';
import { runs } from './support/fc-runs.js';
import { catalogReport } from '../render/catalog/catalog-model.js';

/** An add-on whose newest release dropped old Kubernetes minors, as upstreams do. */
const demo: AddonDefinition = {
  name: 'demo',
  description: 'Demo add-on with version sets.',
  chart: 'demo',
  repoUrl: 'https://example.com/charts',
  version: '3.0.0',
  namespace: 'demo',
  pins: [
    { version: '3.0.0', kubernetes: { min: '1.33' }, checkedAgainst: 'example/demo@v3.0.0:charts/demo/Chart.yaml' },
    { version: '2.4.0', kubernetes: { min: '1.30', max: '1.34' }, checkedAgainst: 'example/demo@v2.4.0:charts/demo/Chart.yaml' },
    { version: '2.0.0', kubernetes: { min: '1.26', max: '1.31' }, checkedAgainst: 'example/demo@v2.0.0:charts/demo/Chart.yaml' },
  ],
};
const catalog = [...ADDON_CATALOG, demo];
const MINORS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35'];

/** The example fleet with demo on every cluster, the clusters on the given minors (hub, spoke-prod, spoke-staging order of the spec). */
function fleetWith(minors: readonly string[], pins: { env?: Record<string, string>; cluster?: Record<string, string> } = {}) {
  const spec = fleetCopy();
  spec.clusters.forEach((c: any, i: number) => {
    c.kubernetesVersion = minors[i % minors.length];
    const pin = pins.cluster?.[c.name];
    c.addons = { ...(c.addons ?? {}), demo: pin ? { version: pin } : true };
  });
  for (const e of spec.environments as any[]) {
    const pin = pins.env?.[e.name];
    if (pin) e.addons = { ...(e.addons ?? {}), demo: { version: pin } };
  }
  return spec;
}

/** Each cluster's chart version as Argo CD's merge generator gives it, from the rendered generators. */
function versionsArgoCdGives(spec: ReturnType<typeof fleetCopy>): Map<string, string> {
  const fleet = resolved(spec, catalog);
  const generators = addonVersionGenerators(fleet, demo, new ClusterTemplate());
  const clusters = fleet.clusters.map((c) => ({
    name: c.name,
    server: c.server,
    labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...clusterLabels(c) },
    annotations: {},
    secret: { name: `cluster-${c.name}`, namespace: 'argocd' },
  }));
  const out = new Map<string, string>();
  for (const g of generators) {
    for (const p of generateParamSets(g, { clusters, goTemplate: true, missingKey: 'error' })) {
      out.set(String((p as any).name), String((p as any).values[CHART_VERSION_KEY]));
    }
  }
  return out;
}

describe('version sets per Kubernetes release', () => {
  it('a cluster gets the newest checked version whose range holds its minor; none before the oldest range', () => {
    assert.deepEqual(MINORS.map((m) => addonVersionFor(demo, m)), ['2.0.0', '2.0.0', '2.4.0', '2.4.0', '2.4.0', '3.0.0', '3.0.0', '3.0.0']);
    assert.equal(addonVersionFor(demo, '1.25'), undefined);
    assert.equal(addonVersionFor({ ...demo, pins: undefined }, '1.25'), '3.0.0', 'without pins: the catalog version, range unknown');
    assert.ok(rangeHolds({ min: '1.30' }, '1.40') && !rangeHolds({ min: '1.30', max: '1.31' }, '1.32') && !rangeHolds({ min: '1.30' }, 'latest'));
  });

  it('Argo CD gives each cluster the version of its minor: one generator layer per minor that differs, none when all agree', () => {
    const spec = fleetWith(['1.31', '1.33', '1.30']);
    const fleet = resolved(spec, catalog);
    const want = new Map(fleet.clusters.map((c) => [c.name, c.addons.get('demo')!.version]));
    assert.deepEqual([...want.values()].sort(), ['2.4.0', '2.4.0', '3.0.0']);
    assert.deepEqual(versionsArgoCdGives(spec), want);
    const same = resolved(fleetWith(['1.34']), catalog);
    assert.equal(addonVersionGenerators(same, demo, new ClusterTemplate()).length, 1);
    assert.ok(!('merge' in (addonVersionGenerators(same, demo, new ClusterTemplate())[0] as object)), 'all on the default: a plain clusters generator');
  });

  it('pins win over the version set: the cluster pin over the environment pin over the minor', () => {
    const spec = fleetWith(['1.33', '1.33', '1.33'], { env: { prod: '2.4.0' }, cluster: { 'spoke-prod': '3.0.0' } });
    const fleet = resolved(spec, catalog);
    assert.equal(fleet.clusters.find((c) => c.name === 'spoke-prod')!.addons.get('demo')!.version, '3.0.0');
    assert.deepEqual(versionsArgoCdGives(spec), new Map(fleet.clusters.map((c) => [c.name, c.addons.get('demo')!.version])));
  });

  it('property: for any minors and pins, what Argo CD gives each cluster is the version the fleet resolves', () => {
    const versions = ['3.0.0', '2.4.0', '2.0.0', '9.9.9'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('1.30', '1.31', '1.32', '1.33', '1.34'), { minLength: 3, maxLength: 3 }),
        fc.record({ staging: fc.option(fc.constantFrom(...versions), { nil: undefined }), prod: fc.option(fc.constantFrom(...versions), { nil: undefined }) }),
        fc.record({ hub: fc.option(fc.constantFrom(...versions), { nil: undefined }), 'spoke-prod': fc.option(fc.constantFrom(...versions), { nil: undefined }) }),
        (minors, env, cluster) => {
          const spec = fleetWith(minors, { env: env as Record<string, string>, cluster: cluster as Record<string, string> });
          const fleet = resolved(spec, catalog);
          assert.deepEqual(versionsArgoCdGives(spec), new Map(fleet.clusters.map((c) => [c.name, c.addons.get('demo')!.version])));
        },
      ),
      { numRuns: runs(60) },
    );
  });
});

describe('refused: a version outside the Kubernetes range it was checked for', () => {
  /** The problems about demo: the real catalog's add-ons have ranges of their own on these minors. */
  const problems = (spec: ReturnType<typeof fleetCopy>) => validateFleet(withSpec(spec), catalog).map((p) => `${p.file}: ${p.path}: ${p.message}`).filter((p) => p.includes('.addons.demo'));

  it('an environment pin whose range misses one of its clusters names the environment field and the cluster', () => {
    const found = problems(fleetWith(['1.31', '1.33', '1.31'], { env: { prod: '3.0.0' } }));
    const prodAt = (fleetCopy().environments as any[]).findIndex((e) => e.name === 'prod');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], new RegExp(`environments\\.ts: environments\\[${prodAt}\\]\\.addons\\.demo\\.version: demo 3\\.0\\.0 supports Kubernetes >=1\\.33 \\(example/demo@v3\\.0\\.0:charts/demo/Chart\\.yaml\\), but cluster "spoke-prod" of environment "prod" runs 1\\.31: pin a version whose range holds 1\\.31 \\(or pin that cluster on its own\\)`));
  });

  it('a cluster pin outside its range, and a cluster on a minor no checked version supports', () => {
    const pinned = problems(fleetWith(['1.33', '1.33', '1.33'], { cluster: { hub: '2.0.0' } }));
    assert.equal(pinned.length, 1, pinned.join('\n'));
    assert.match(pinned[0], /clusters\.ts: clusters\[\d\]\.addons\.demo\.version: demo 2\.0\.0 supports Kubernetes 1\.26-1\.31 .* but cluster "hub" runs 1\.33/);
    const old = problems(fleetWith(['1.25', '1.33', '1.33']));
    assert.equal(old.length, 1, old.join('\n'));
    assert.match(old[0], /clusters\[\d\]\.addons\.demo: no version of demo the catalog checked supports Kubernetes 1\.25, which cluster "hub" runs: the catalog's checked versions are 3\.0\.0 \(Kubernetes >=1\.33\), 2\.4\.0 \(Kubernetes 1\.30-1\.34\), 2\.0\.0 \(Kubernetes 1\.26-1\.31\)/);
  });

  it('a pin the catalog never checked passes, and the catalog report marks it unchecked', () => {
    const spec = fleetWith(['1.33', '1.33', '1.33'], { cluster: { hub: '2.5.1' } });
    assert.deepEqual(problems(spec), []);
    const hub = catalogReport(catalog, resolved(spec, catalog)).addons.find((a) => a.name === 'demo')!.enabledOn.find((e) => e.cluster === 'hub')!;
    assert.deepEqual(hub, { cluster: 'hub', environment: 'control-plane', kubernetesVersion: '1.33', version: '2.5.1', from: 'cluster pin', checked: false });
  });
});

describe('the catalog', () => {
  it('has at least forty add-ons, each pinned to a version it checked against an upstream release, newest first', () => {
    assert.ok(ADDON_CATALOG.length >= 40, `${ADDON_CATALOG.length} add-ons`);
    for (const a of ADDON_CATALOG) {
      assert.ok(a.pins && a.pins.length > 0, `${a.name} has no checked version`);
      assert.equal(a.pins[0].version, a.version, `${a.name}: the default is the newest pin`);
    }
    assert.deepEqual(validateFleet(withSpec(fleetCopy()), ADDON_CATALOG).filter((p) => p.path.startsWith('ADDON_CATALOG')), []);
  });

  it('covers every Kubernetes minor the example fleet runs for every add-on it enables', () => {
    const report = catalogReport(ADDON_CATALOG, resolved());
    for (const a of report.addons) for (const e of a.enabledOn) if (e.from === 'version set') assert.ok(e.checked, `${a.name} on ${e.cluster}`);
  });
});
