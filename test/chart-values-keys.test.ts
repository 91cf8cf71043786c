/**
 * Every Helm values key the fleet sets is one the chart reads, at every version the catalog pins:
 * checked against the shape of the chart's values.yaml at that release (test/fixtures/chart-values/,
 * written by scripts/chart-values-shape.mjs from the upstream file each fixture names), or a key its
 * templates read that values.yaml leaves out (`read`, each checked in the template by whoever added it).
 * A key a chart does not read is silently ignored by Helm: the add-on runs, configured to do nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { ADDON_CATALOG } from '../charts/addons/catalog.js';
import type { AddonDefinition } from '../charts/model/addon.js';
import { ClusterTemplate } from '../charts/model/contract.js';
import { exampleFleet, render, resolved } from './support/fleet.js';
import { addonValuesFiles, joinPath } from '../charts/layout/dist-layout.js';
import { fixture, undeclaredKeys } from './support/chart-values.js';

/** What the catalog entry sets: its default values and its per-cluster values, under both kinds of AWS identity. */
function entryValues(addon: AddonDefinition): Array<[string, Readonly<Record<string, unknown>>]> {
  const out: Array<[string, Readonly<Record<string, unknown>>]> = [];
  if (addon.values) out.push(['values', addon.values]);
  for (const identities of [['irsa'], ['pod-identity'], ['irsa', 'pod-identity']] as const) {
    const v = addon.clusterValues?.(new ClusterTemplate({ identities }), addon);
    if (v) out.push([`clusterValues (${identities.join('+')})`, v]);
  }
  return out;
}

const versionsOf = (a: AddonDefinition) => [...new Set([a.version, ...(a.pins ?? []).map((p) => p.version)])];

test('every version the catalog pins has the shape of its chart values, read from the upstream release the pin names', () => {
  const missing: string[] = [];
  for (const a of ADDON_CATALOG) {
    for (const v of versionsOf(a)) {
      const fx = fixture(a.name, v);
      if (!fx) {
        missing.push(`${a.name}@${v}`);
        continue;
      }
      assert.equal(fx.addon, a.name);
      assert.equal(fx.version, v);
      assert.equal(fx.chart, a.chart, `${a.name}@${v}: the fixture is of chart ${fx.chart}`);
      const pin = a.pins?.find((p) => p.version === v);
      // The values were read at the release the pin was checked against.
      if (pin) assert.equal(fx.source.split('@')[1].split(':')[0], pin.checkedAgainst.split('@')[1].split(':')[0], `${a.name}@${v}: values read at another tag than the pin's`);
    }
  }
  assert.deepEqual(missing, [], 'versions without the shape of their chart values: run scripts/chart-values-shape.mjs');
});

test('every key a catalog entry sets is read by its chart, at every pinned version', () => {
  const problems: string[] = [];
  for (const a of ADDON_CATALOG) {
    for (const v of versionsOf(a)) {
      const fx = fixture(a.name, v);
      if (!fx) continue;
      for (const [what, values] of entryValues(a)) {
        for (const key of undeclaredKeys(values, fx)) problems.push(`${a.name}@${v} ${what}: ${key}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test("every key of the example fleet's values files is read by the chart version of each cluster they reach", () => {
  const files = render(exampleFleet);
  const fleet = resolved();
  const problems: string[] = [];
  let checked = 0;
  for (const a of fleet.catalog) {
    const layout = addonValuesFiles(a.name);
    for (const c of fleet.clusters) {
      const running = c.addons.get(a.name);
      if (!running) continue;
      const fx = fixture(a.name, running.version);
      if (!fx) continue; // a version the catalog does not pin (listed as unchecked by npm run catalog)
      for (const rel of [layout.defaultFile, layout.environmentFile(c.environment.name), layout.clusterFile(c.name)]) {
        const text = files.get(joinPath(fleet.repos.addons.path, rel));
        if (text === undefined) continue;
        checked++;
        for (const key of undeclaredKeys(parse(text) ?? {}, fx)) problems.push(`${rel} on ${c.name} (${a.name} ${running.version}): ${key}`);
      }
    }
  }
  assert.ok(checked > 10, `only ${checked} values files checked`);
  assert.deepEqual(problems, []);
});

test('a key the chart does not declare is found, under a declared map too; free-form maps take any key', () => {
  const fx = { shape: { serviceAccount: { create: 'boolean', annotations: {} }, tolerations: [], extra: null }, read: ['podLabels'] };
  assert.deepEqual(undeclaredKeys({ serviceAccount: { create: true, annotations: { a: 'b' }, customAnnotations: { a: 'b' } } }, fx), ['serviceAccount.customAnnotations']);
  assert.deepEqual(undeclaredKeys({ tolerations: [{ key: 'x' }], extra: { any: { thing: 1 } }, podLabels: { a: 'b' } }, fx), []);
  assert.deepEqual(undeclaredKeys({ serviceAccount: { create: { nested: true } } }, fx), ['serviceAccount.create (a map here, boolean in the chart)']);
});
