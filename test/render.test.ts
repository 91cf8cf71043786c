import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, FleetSpec, OutputFile } from '../charts/index.js';
import { FLEET_README_MARKER } from '../charts/readme/fleet-readme.js';
import { renderFiles, OutputError } from '../render/render.js';
import { GENERATED_HEADER } from '../render/serialize.js';
import { fleetCopy, objects, render, withSpec } from './support/fleet.js';

/** Deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  let s = seed;
  const rnd = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function shuffleKeys<T extends object>(o: T | undefined, seed: number): T | undefined {
  return o && (Object.fromEntries(shuffle(Object.entries(o), seed)) as T);
}

function shuffledSpec(seed: number): FleetSpec {
  const s = fleetCopy();
  return {
    ...s,
    accounts: shuffle(s.accounts, seed),
    environments: shuffle(s.environments, seed + 1).map((e, i) => ({ ...e, addons: shuffleKeys(e.addons, seed + i) })),
    clusters: shuffle(s.clusters, seed + 2).map((c, i) => ({ ...c, addons: shuffleKeys(c.addons, seed + 10 + i) })),
  };
}

describe('render output', () => {
  const files = render();

  it('is byte-identical across runs', () => {
    assert.deepEqual([...render()], [...files]);
  });

  it('does not depend on the order of any input list or map', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const again = render(withSpec(shuffledSpec(seed)), shuffle(ADDON_CATALOG, seed));
      assert.deepEqual([...again.keys()], [...files.keys()], `seed ${seed}`);
      for (const [p, content] of files) assert.equal(again.get(p), content, `seed ${seed}: ${p}`);
    }
  });

  it('lays out one file per object or per logical unit, sorted by path', () => {
    const keys = [...files.keys()];
    assert.deepEqual(keys, [...keys].sort());
    // Logical units of several objects: the bootstrap, a namespace's limits, its network policies, its secret store and the store's service account.
    const units = /^(hub\/bootstrap\/root-app|hub\/crossplane\/packages\/packages|teams\/[^/]+\/[^/]+\/(limits|network-policies|secret-store))\.yaml$/;
    for (const { file, obj } of objects(files)) {
      if (!units.test(file)) assert.equal(objects(new Map([[file, files.get(file)!]])).length, 1, `${file} holds ${obj.kind}`);
    }
    // JSON (the IAM documents under iam/) has no comments: no header.
    for (const f of keys) if (!f.endsWith('.json')) assert.ok(files.get(f)!.startsWith(f.endsWith('.md') ? FLEET_README_MARKER : GENERATED_HEADER), f);
    assert.ok(keys.includes('README.md'), 'a generated README at the root of dist/');
  });

  it('renders no Secret with credentials: only credential-free cluster and repository Secrets', () => {
    for (const { file, obj } of objects(files)) {
      if (obj.kind !== 'Secret') continue;
      assert.ok(['cluster', 'repository'].includes(obj.metadata.labels['argocd.argoproj.io/secret-type']), file);
      assert.equal(obj.data, undefined, file);
      const text = JSON.stringify(obj.stringData);
      for (const key of ['bearerToken', 'password', 'sshPrivateKey', 'keyData', 'username']) assert.ok(!text.includes(key), `${file} holds ${key}`);
    }
  });

  it('fails when two outputs want one path, or a path leaves dist/', () => {
    const f: OutputFile = { path: 'a/b.yaml', data: {} };
    assert.throws(() => renderFiles([f, f]), new OutputError('two outputs want the same path "a/b.yaml"'));
    assert.throws(() => renderFiles([{ path: '../x.yaml', data: {} }]), /is not a plain relative path inside dist/);
  });

  it("an extra spoke adds its cluster Secret, its IaC contract and its add-ons' companions, and nothing else", () => {
    const spec = fleetCopy();
    const baseFiles = render(withSpec(spec));
    const base = baseFiles.size;
    // Companions are rendered per cluster (addons/companions/<cluster>/<addon>/), from the cluster's facts:
    // each extra spoke, a copy of spoke-staging, gets spoke-staging's, file for file.
    const model = 'addons/companions/spoke-staging/';
    const companions = [...baseFiles.keys()].filter((f) => f.startsWith(model)).map((f) => f.slice(model.length));
    assert.ok(companions.length > 0, 'spoke-staging has companions');
    for (let i = 0; i < 20; i++) {
      // Each its own API server: two clusters on one server URL are refused.
      const endpoint = `https://${i.toString(16).toUpperCase().padStart(32, 'E')}.gr7.us-west-2.eks.amazonaws.com`;
      spec.clusters.push({ ...structuredClone(spec.clusters[1]), name: `spoke-extra-${i}`, endpoint } as any);
    }
    const moreFiles = render(withSpec(spec));
    assert.equal(moreFiles.size, base + 20 * (2 + companions.length), "one cluster Secret, one contract and the cluster's companions per extra spoke: nothing else is copied per cluster");
    const added = [...moreFiles.keys()].filter((f) => !baseFiles.has(f));
    assert.ok(added.every((f) => /^(hub\/argocd\/clusters|iac\/clusters)\/spoke-extra-\d+\.(yaml|json)$/.test(f) || /^addons\/companions\/spoke-extra-\d+\//.test(f)), added.join(', '));
    for (let i = 0; i < 20; i++) {
      const name = `spoke-extra-${i}`;
      assert.deepEqual(added.filter((f) => f.startsWith(`addons/companions/${name}/`)).map((f) => f.slice(`addons/companions/${name}/`.length)).sort(), [...companions].sort(), name);
      // The same objects, but for the cluster's own name where they select its resources (Karpenter's discovery tag).
      for (const c of companions) {
        assert.equal(moreFiles.get(`addons/companions/${name}/${c}`), baseFiles.get(model + c)!.replaceAll('karpenter.sh/discovery: spoke-staging', `karpenter.sh/discovery: ${name}`), `${name}/${c}`);
      }
    }
  });
});
