/** The benchmark's synthetic fleets are valid under every check, so the benchmark measures real work. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fleetRender } from '../charts/outputs/fleet-outputs.js';
import { checkPolicies } from '../charts/policy/check-policies.js';
import { renderTree } from '../render/render.js';
import { crdsAvailable, treeSchemaProblems } from '../render/validate/validate-schemas.js';
import { SIZES, syntheticFleet } from '../bench/synthetic-fleet.js';

describe('synthetic fleets', () => {
  for (const name of ['S', 'M']) {
    it(`${name} validates, renders, passes the policies${name === 'S' ? ' and the schemas' : ''}`, (t) => {
      const size = SIZES.find((s) => s.name === name)!;
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
});
