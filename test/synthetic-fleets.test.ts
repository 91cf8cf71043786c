/** The benchmark's synthetic fleets are valid under every check, so the benchmark measures real work. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fleetRender } from '../charts/outputs/fleet-outputs.js';
import { checkPolicies } from '../charts/policy/check-policies.js';
import { renderTree } from '../render/render.js';
import { crdsAvailable, treeSchemaProblems } from '../render/validate/validate-schemas.js';
import { ADDON_CATALOG } from '../charts/index.js';
import { validateFleet } from '../charts/validate/validate-fleet.js';
import { ALL_ADDONS_FROM_APPS, NAMED_SIZES, parseSize, SIZE_4L, SIZES, syntheticFleet } from '../bench/synthetic-fleet.js';

describe('synthetic fleets', () => {
  for (const name of ['S', 'M', '25x7']) {
    it(`${name} validates, renders, passes the policies${name === 'S' ? ' and the schemas' : ''}`, (t) => {
      const size = parseSize(name);
      const rendered = fleetRender(syntheticFleet(size));
      assert.ok(rendered.ok, `${name} has no problem`);
      const { outputs, context } = rendered;
      const tree = renderTree(outputs);
      assert.deepEqual(checkPolicies(tree.objects, context), []);
      const clusterSecrets = [...tree.files.keys()].filter((f) => f.startsWith('hub/argocd/clusters/'));
      assert.equal(clusterSecrets.length, size.clusters);
      const appFolders = new Set([...tree.files.keys()].filter((f) => f.startsWith('apps/')).map((f) => f.split('/').slice(0, 4).join('/')));
      assert.equal(appFolders.size, size.apps * 3);
      if (name === 'S') {
        if (!crdsAvailable()) return t.skip('CRDs not found: schemas not checked');
        assert.deepEqual(treeSchemaProblems(tree.objects), []);
      }
    });
  }

  it('L enables every add-on the catalog allows on spokes', () => {
    const l = syntheticFleet(SIZES.find((s) => s.name === 'L')!);
    assert.equal(l.spec.clusters.length, 500);
    assert.equal(l.spec.teams!.reduce((n, t) => n + t.apps.length, 0), 1000);
    assert.ok(Object.keys(l.spec.environments[1].addons!).length >= 22);
  });

  it('S, M and L are as the tests and the figures of bench/results.md have them', () => {
    assert.deepEqual(SIZES.map((s) => [s.name, s.apps, s.clusters, s.allAddons]), [['S', 10, 10, false], ['M', 100, 100, false], ['L', 1000, 500, true]]);
    for (const s of SIZES) assert.equal(parseSize(s.name), s);
  });

  it('4L: 4,000 apps x 3 environments, 2,000 clusters, every add-on, a valid input', () => {
    assert.equal(parseSize('4L'), SIZE_4L);
    assert.ok(NAMED_SIZES.includes(SIZE_4L) && !SIZES.includes(SIZE_4L));
    const fleet = syntheticFleet(SIZE_4L);
    assert.equal(fleet.spec.clusters.length, 2000);
    assert.equal(new Set(fleet.spec.clusters.map((c) => c.name)).size, 2000);
    assert.equal(fleet.spec.teams!.reduce((n, t) => n + t.apps.length, 0), 4000);
    assert.ok(fleet.spec.teams!.every((t) => Object.keys(t.apps[0].environments).length === 3));
    assert.deepEqual(fleet.spec.environments[1].addons, syntheticFleet(SIZES[2]).spec.environments[1].addons);
    // The input rules only: a whole render of 4L takes seconds and gigabytes (the bench does it).
    assert.deepEqual(validateFleet(fleet, ADDON_CATALOG), []);
  });

  it('APPSxCLUSTERS: any size, every add-on from 1,000 apps as L, at least the hub and a spoke per environment', () => {
    assert.deepEqual(parseSize('200x50'), { name: '200x50', apps: 200, clusters: 50, allAddons: false });
    assert.deepEqual(parseSize(`${ALL_ADDONS_FROM_APPS}x4`), { name: `${ALL_ADDONS_FROM_APPS}x4`, apps: ALL_ADDONS_FROM_APPS, clusters: 4, allAddons: true });
    assert.equal(parseSize(`${ALL_ADDONS_FROM_APPS - 1}x4`).allAddons, false);
    const f = syntheticFleet(parseSize('45x13'));
    assert.equal(f.spec.clusters.length, 13);
    assert.deepEqual(f.spec.teams!.map((t) => t.apps.length), [20, 20, 5]);
    for (const bad of ['', 'XL', '5x3', '0x10', '10x', 'x10', '10x10x1', '-1x10', '1.5x10', ' 10x10']) {
      assert.throws(() => parseSize(bad), /fleet size/, bad);
    }
  });
});
