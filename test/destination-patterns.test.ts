/**
 * Team AppProjects name their spokes by exact cluster-name patterns (charts/argocd/destination-patterns.ts):
 * Argo CD's glob as gobwas/glob v0.2.3 really matches, the exact cover of a set of clusters, the choice
 * between patterns and server lists, the size of the projects at L and 4L scale, and least privilege
 * checked cluster by cluster with Argo CD's own destination rule.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, resolveFleet } from '../charts/index.js';
import {
  argoCdMatchesClusterNames, argoGlobMatch, exactNameCover, IN_CLUSTER_NAME, knownClusterNames, teamProjectDestinations,
} from '../charts/argocd/destination-patterns.js';
import { teamOutputs } from '../charts/outputs/team-outputs.js';
import { renderFiles } from '../render/render.js';
import { FleetSize, SIZES, syntheticFleet } from '../bench/synthetic-fleet.js';
import { destinationPermitted } from './support/argocd-sim/rules.js';
import { FleetSimulator, PLAUSIBLE } from './support/argocd-sim/simulator.js';
import { fleetCopy, render, withSpec } from './support/fleet.js';
import { parseAllDocuments } from 'yaml';

/**
 * What `glob.Compile(pattern).Match(text)` of github.com/gobwas/glob v0.2.3 (no separators, as Argo CD's
 * `util/glob.Match` calls it) returned, run in Go over every text of {@link TEXTS}: the texts each pattern
 * matches. Note `prefix_suffix` (`prod-*-dr` matches `prod-dr`, `a*a` matches `a`: prefix and suffix
 * overlap) and `single` (`?` matches the empty string).
 */
const TEXTS = [
  '', 'a', 'aa', 'dev-', 'dev-0000', 'dev-00001', 'dev-abcd', 'staging-0001', 'prod-1', 'prod-10-dr', 'prod-dr', 'prod-prod', 'prod-hub',
  'x-dr', '-dr', 'https://kubernetes.default.svc', 'spoke-staging', 'spoke-staging-2',
];
const GOBWAS: Record<string, readonly string[]> = {
  'dev-*': ['dev-', 'dev-0000', 'dev-00001', 'dev-abcd'],
  '*-dr': ['prod-10-dr', 'prod-dr', 'x-dr', '-dr'],
  'prod-*-dr': ['prod-10-dr', 'prod-dr'],
  'a*a': ['a', 'aa'],
  'prod-*-prod': ['prod-prod'],
  'dev-????': ['dev-0000', 'dev-abcd'],
  'prod-?': ['prod-1'],
  '?': ['', 'a'],
  '*': TEXTS,
  'dev-0000': ['dev-0000'],
  'https://kubernetes.default.svc': ['https://kubernetes.default.svc'],
  'spoke-staging*': ['spoke-staging', 'spoke-staging-2'],
};

describe('Argo CD glob (gobwas/glob v0.2.3, no separators)', () => {
  it('matches what gobwas/glob matched in Go', () => {
    for (const [pattern, matched] of Object.entries(GOBWAS)) {
      assert.deepEqual(TEXTS.filter((t) => argoGlobMatch(pattern, t)), matched, pattern);
    }
  });
  it('negates with a leading `!` (globMatch with allowNegation), and does not guess other syntax', () => {
    assert.equal(argoGlobMatch('!dev-*', 'dev-0000'), false);
    assert.equal(argoGlobMatch('!dev-*', 'prod-1'), true);
    for (const p of ['dev-{a,b}', 'dev-[0-9]', 'dev-\\*', 'dev-**', 'a*b*c', 'Dev-*']) assert.equal(argoGlobMatch(p, 'dev-a'), undefined, p);
  });
});

describe('Argo CD destination rule (app_project_types.go v3.2.0 isDestinationMatched)', () => {
  const spoke = { name: 'dev-0001', server: 'https://A.gr7.us-west-2.eks.amazonaws.com' };
  it('matches a cluster by the name of its Secret even when the Application gives only server', () => {
    assert.equal(destinationPermitted([{ name: 'dev-????', namespace: 't-dev' }], spoke, 't-dev'), true);
    assert.equal(destinationPermitted([{ name: 'dev-????', namespace: 't-dev' }], spoke, 't-prod'), false);
    assert.equal(destinationPermitted([{ name: 'prod-????', namespace: 't-dev' }], spoke, 't-dev'), false);
    assert.equal(destinationPermitted([{ server: spoke.server, namespace: 't-dev' }], spoke, 't-dev'), true);
  });
  it('deny patterns refuse, as upstream', () => {
    assert.equal(destinationPermitted([{ server: '*', namespace: '*' }, { name: '!dev-0001', namespace: '*' }], spoke, 'x'), false);
    assert.equal(destinationPermitted([{ server: '*', namespace: '*' }, { server: '*', namespace: '!kube-system' }], spoke, 'kube-system'), false);
  });
});

describe('exact cluster-name cover', () => {
  it('one pattern per environment for conventional names', () => {
    const names = Array.from({ length: 30 }, (_, i) => `${['dev', 'staging', 'prod'][i % 3]}-${String(i).padStart(4, '0')}`);
    const universe = [...names, 'hub', IN_CLUSTER_NAME];
    assert.deepEqual(exactNameCover(names.filter((n) => n.startsWith('prod-')), universe), ['prod-00??']);
    assert.deepEqual(exactNameCover(names.filter((n) => n.startsWith('dev-')), universe), ['dev-00??']);
  });
  it('never catches a cluster of another environment that shares a prefix (prod-1 vs prod-10-dr, hub prod-hub)', () => {
    const prod = Array.from({ length: 9 }, (_, i) => `prod-${i + 1}`);
    const universe = [...prod, 'prod-10-dr', 'prod-hub', IN_CLUSTER_NAME];
    const cover = exactNameCover(prod, universe)!;
    assert.deepEqual(cover, ['prod-?']);
    // `prod-*` would have matched both; `prod-?` matches neither.
    assert.equal(argoGlobMatch('prod-*', 'prod-10-dr'), true);
    for (const other of ['prod-10-dr', 'prod-hub']) assert.equal(cover.some((p) => argoGlobMatch(p, other)), false, other);
    // With prod-10 a spoke of prod too, prod-10-dr (dr environment) still stays out.
    const withTen = [...prod, 'prod-10'];
    const c2 = exactNameCover(withTen, [...withTen, 'prod-10-dr', 'prod-hub', IN_CLUSTER_NAME])!;
    assert.deepEqual(universeMatched(c2, [...withTen, 'prod-10-dr', 'prod-hub', IN_CLUSTER_NAME]), [...withTen].sort());
  });
  it('a hub whose name fits the spokes\' shape is kept out by going one level deeper', () => {
    const prod = Array.from({ length: 20 }, (_, i) => `prod-${String(i).padStart(4, '0')}`);
    const universe = [...prod, 'prod-huba', IN_CLUSTER_NAME];
    const cover = exactNameCover(prod, universe)!;
    assert.equal(cover.some((p) => argoGlobMatch(p, 'prod-huba')), false);
    assert.deepEqual(universeMatched(cover, universe), [...prod].sort());
    assert.ok(cover.length <= 3, cover.join(' '));
  });
  it('exact on random fleets: the cover matches the target and nothing else, never with a bare wildcard', () => {
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 48271) % 2147483647; return seed % n; };
    for (let round = 0; round < 300; round++) {
      const universe = [...new Set(Array.from({ length: 2 + rnd(30) }, () => `${['a', 'ab', 'prod', 'prod-1', 'p'][rnd(5)]}${['', '-', '0', '-dr', '1'][rnd(5)]}${rnd(3) ? rnd(12) : ''}`)), IN_CLUSTER_NAME];
      const target = universe.filter(() => rnd(2) === 0 && true).filter((n) => n !== IN_CLUSTER_NAME);
      const cover = exactNameCover(target, universe)!;
      assert.ok(cover, `${target} in ${universe}`);
      assert.deepEqual(universeMatched(cover, universe), [...new Set(target)].sort(), `${cover} for ${target} in ${universe}`);
      for (const p of cover) assert.match(p, /[^*?]/);
    }
  });
  it('refuses names that are not DNS names and targets outside the universe', () => {
    assert.equal(exactNameCover(['a*'], ['a*', 'b']), undefined);
    assert.equal(exactNameCover(['c'], ['a', 'b']), undefined);
  });
});

function universeMatched(cover: readonly string[], universe: readonly string[]): string[] {
  return universe.filter((n) => cover.some((p) => argoGlobMatch(p, n))).sort();
}

const size = (name: string) => SIZES.find((s) => s.name === name)!;
const [S, M, L] = [size('S'), size('M'), size('L')];
/** 4L: 4,000 apps, 2,000 clusters (bench/synthetic-fleet.ts); only its cluster names matter here. */
const FOUR_L: FleetSize = { name: '4L', apps: 4000, clusters: 2000, allAddons: true };

/** The team AppProjects of a synthetic fleet as rendered (bytes of each file). */
function teamProjectBytes(size: FleetSize): number[] {
  const fleet = resolveFleet(syntheticFleet(size).spec, ADDON_CATALOG);
  const files = renderFiles(teamOutputs(fleet).projects.filter((p) => p.path !== 'guardrails.yaml'));
  return [...files.values()].map((t) => Buffer.byteLength(t));
}

describe('team AppProjects at scale', () => {
  it('L: each team project is a few KB (was ~60 KB listing ~499 spokes), 50 projects well under 1 MiB in all', () => {
    const bytes = teamProjectBytes(L);
    assert.equal(bytes.length, 50);
    assert.ok(Math.max(...bytes) < 4096, `largest ${Math.max(...bytes)} bytes`);
    assert.ok(bytes.reduce((a, b) => a + b, 0) < 200_000, `total ${bytes.reduce((a, b) => a + b, 0)} bytes`);
  });
  it('M to L: total bytes grow with the teams (x10), not with teams x clusters (x50)', () => {
    const total = (b: number[]) => b.reduce((a, x) => a + x, 0);
    const [m, l] = [teamProjectBytes(M), teamProjectBytes(L)];
    const perTeam = (b: number[]) => total(b) / b.length;
    assert.ok(perTeam(l) < perTeam(m) * 1.1, `per team: M ${perTeam(m)}, L ${perTeam(l)}`);
    assert.ok(total(l) < total(m) * 11, `M ${total(m)}, L ${total(l)}`);
  });
  it('L: three destinations per team, and exactly the team\'s namespaces on its environments\' spokes, cluster by cluster', () => {
    const fleet = resolveFleet(syntheticFleet(L).spec, ADDON_CATALOG);
    assert.equal(argoCdMatchesClusterNames(fleet), true);
    const known = [...fleet.clusters.map((c) => ({ name: c.name, server: c.server })), { name: IN_CLUSTER_NAME, server: 'https://in-cluster.invalid' }];
    for (const team of [fleet.teams[0], fleet.teams[fleet.teams.length - 1]]) {
      const destinations = teamProjectDestinations(fleet, team);
      assert.deepEqual(destinations.map((d) => `${d.name}/${d.namespace}`), ['dev-0???', 'staging-0???', 'prod-0???'].map((p, i) => `${p}/${team.namespace(['dev', 'staging', 'prod'][i])}`));
      for (const c of known) {
        for (const env of fleet.environments) {
          const ns = team.namespace(env.name);
          const expected = team.clusters(env.name).some((x) => x.name === c.name);
          assert.equal(destinationPermitted(destinations, c, ns), expected, `${team.name} ${c.name} ${ns}`);
        }
      }
    }
  });
  it('4L names (dev-0000..dev-1998) still get one pattern per environment', () => {
    const fleet = resolveFleet(syntheticFleet(FOUR_L).spec, ADDON_CATALOG);
    assert.deepEqual(teamProjectDestinations(fleet, fleet.teams[0]).map((d) => d.name), ['dev-????', 'staging-????', 'prod-????']);
  });
});

describe('when patterns are used', () => {
  it('not on Argo CD 2.x (chart before 8.0.0): it compares names only when the Application gives one', () => {
    const spec = syntheticFleet(S).spec;
    const hub = spec.clusters.find((c) => c.role === 'hub')!;
    (hub.addons as any)['argo-cd'] = { version: '7.9.1' };
    const fleet = resolveFleet(spec, ADDON_CATALOG);
    assert.equal(argoCdMatchesClusterNames(fleet), false);
    const destinations = teamProjectDestinations(fleet, fleet.teams[0]);
    assert.ok(destinations.every((d) => d.server !== undefined && d.name === undefined));
    assert.equal(destinations.length, 9);
  });
  it('not for one spoke per environment: the example fleet keeps its server list', () => {
    const fleet = resolveFleet(fleetCopy(), ADDON_CATALOG);
    for (const team of fleet.teams) assert.ok(teamProjectDestinations(fleet, team).every((d) => d.server !== undefined));
    assert.deepEqual(knownClusterNames(fleet.clusters), ['hub', 'in-cluster', 'spoke-prod', 'spoke-staging']);
  });
});

describe('the convergence simulator checks project destinations', () => {
  const docs = (files: Map<string, string>, file: string) => parseAllDocuments(files.get(file)!).map((d) => d.toJS());
  it('a second staging spoke is named by a pattern, and its workloads converge', () => {
    const spec = fleetCopy();
    const staging = spec.clusters.find((c) => c.name === 'spoke-staging')!;
    spec.clusters.push({ ...structuredClone(staging), name: 'spoke-staging-2', endpoint: 'https://2C3D4E5F60718293A4B5C6D7E8F90A1B.gr7.us-west-2.eks.amazonaws.com' } as never);
    const files = render(withSpec(spec));
    const project = docs(files, 'hub/argocd/projects/webstore.yaml')[0];
    assert.deepEqual(project.spec.destinations.filter((d: any) => d.namespace === 'webstore-staging'), [{ name: 'spoke-staging*', namespace: 'webstore-staging' }]);
    const sim = new FleetSimulator(files, PLAUSIBLE);
    sim.boot();
    const r = sim.run();
    assert.deepEqual(r.stalls, []);
    assert.notEqual(r.convergedAt, undefined);
    assert.ok(r.apps.some((a) => a.app.includes('spoke-staging-2') && a.app.startsWith('webstore-') && a.sync === 'Synced'));
  });
  it('a project that does not permit a spoke leaves its Applications invalid (a stall)', () => {
    const files = render();
    const file = 'hub/argocd/projects/webstore.yaml';
    const text = files.get(file)!.replace(/namespace: webstore-prod\n/, 'namespace: webstore-other\n');
    assert.notEqual(text, files.get(file));
    const sim = new FleetSimulator(new Map([...files, [file, text]]), PLAUSIBLE);
    sim.boot();
    const r = sim.run();
    assert.ok(r.stalls.some((s) => /InvalidSpecError: destination spoke-prod .* namespace 'webstore-prod' is not permitted in project 'webstore'/.test(s.cause)), JSON.stringify(r.stalls));
  });
});
