/**
 * Synth after a change to some apps' own fields renders only those apps (render/app-only.ts). What must
 * hold: it writes exactly what a complete render writes, it refuses whatever a complete render refuses
 * (by leaving the decision to it), and anything it cannot be sure of renders in full.
 */
import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../render/cli.js';
import { readTree } from '../render/tree.js';
import { readIndex } from '../render/cache/dist-index.js';
import { appKeys, changedApps } from '../render/cache/app-keys.js';
import { appPlatformView } from '../charts/model/app-platform-view.js';
import { fleetCopy, Mutable, render, withSpec } from './support/fleet.js';
import type { FleetSpec } from '../charts/index.js';
import { POLICY_RULES } from '../charts/policy/check-policies.js';
import { parseSize, syntheticFleet } from '../bench/synthetic-fleet.js';
import { runs } from './support/fc-runs.js';

const APPS_ONLY = /only the changed (app \S+|\d+ apps) rendered\)$/m;

/** A cache folder of the test's own (CDK8S_FLEET_CACHE_DIR) and two output folders. */
function setUp(t: TestContext): { dist: string; fresh: string } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-fast-'));
  const before = process.env.CDK8S_FLEET_CACHE_DIR;
  process.env.CDK8S_FLEET_CACHE_DIR = path.join(parent, 'cache');
  t.after(() => {
    if (before === undefined) delete process.env.CDK8S_FLEET_CACHE_DIR;
    else process.env.CDK8S_FLEET_CACHE_DIR = before;
    fs.rmSync(parent, { recursive: true, force: true });
  });
  return { dist: path.join(parent, 'dist'), fresh: path.join(parent, 'fresh') };
}

function run(t: TestContext, argv: string[], spec: FleetSpec) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (m: string) => out.push(m));
  t.mock.method(console, 'error', (m: string) => err.push(m));
  try {
    return { code: runCli(argv, withSpec(spec)), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    t.mock.restoreAll();
  }
}

const bytes = (dir: string) => [...readTree(dir)].map(([p, b]) => [p, b.toString('utf8')] as const);
const app = (spec: Mutable<FleetSpec>, name: string) => spec.teams![0].apps.find((a) => a.name === name) as any;
const promote = (spec: Mutable<FleetSpec>, name: string, tag: string) => {
  const a = app(spec, name);
  a.environments.prod.images = a.environments.prod.images.map((i: any) => ({ ...i, newTag: tag }));
};

describe('the platform view of an app', () => {
  it('leaves out what only the app reads, and keeps what the rest of the fleet reads', () => {
    const spec = fleetCopy();
    const before = appKeys(withSpec(spec))!;
    promote(spec, 'frontend', 'v9.9');
    app(spec, 'backend').webService.config = { LOG_LEVEL: 'warn' };
    const own = appKeys(withSpec(spec))!;
    assert.equal(own.platform, before.platform, 'image tag and config are the app\'s own');
    assert.deepEqual(changedApps(before, own), ['webstore/frontend', 'webstore/backend']);
    for (const change of [
      (s: Mutable<FleetSpec>) => (app(s, 'frontend').connectsTo = []),
      (s: Mutable<FleetSpec>) => (app(s, 'frontend').webService.port = 9090),
      (s: Mutable<FleetSpec>) => (app(s, 'frontend').webService.ingress = { ...app(s, 'frontend').webService.ingress, host: 'shop2.example.com' }),
      (s: Mutable<FleetSpec>) => (app(s, 'backend').internetEgress = false),
      (s: Mutable<FleetSpec>) => (app(s, 'backend').database = { engine: 'postgres', size: 'small' }),
      (s: Mutable<FleetSpec>) => delete app(s, 'mailer').environments.prod,
      (s: Mutable<FleetSpec>) => ((s.teams![0] as any).apps = s.teams![0].apps.slice(1)),
    ]) {
      const s = fleetCopy();
      change(s);
      const keys = appKeys(withSpec(s))!;
      assert.notEqual(keys.platform, before.platform, String(change));
      assert.equal(changedApps(before, keys), undefined);
    }
  });

  it('is complete for the example: changing any other field of an app changes only its own files and README line', () => {
    // Every leaf of every app of the example outside its platform view, changed one at a time: what
    // renders differs from the original only in apps/<team>/<app>/ and README.md, and the platform key
    // stays. A field the rest of the fleet reads, missing from the view, fails here.
    const original = render(withSpec(fleetCopy()));
    const platform = appKeys(withSpec(fleetCopy()))!.platform;
    const VIEW = /^(name|connectsTo|internetEgress|database|webService\.(port|ingress))(\.|$)/;
    const leaves: Array<{ team: number; app: number; path: string[] }> = [];
    const walk = (v: unknown, at: { team: number; app: number }, path: string[]) => {
      if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, at, [...path, k]);
      else if (!VIEW.test(path.join('.'))) leaves.push({ ...at, path });
    };
    fleetCopy().teams!.forEach((t, team) => t.apps.forEach((a, app) => walk(a, { team, app }, [])));
    assert.ok(leaves.length >= 40, `${leaves.length} fields`);
    let rendered = 0;
    for (const { team, app, path } of leaves) {
      const spec = fleetCopy();
      const a = spec.teams![team].apps[app] as any;
      const parent = path.slice(0, -1).reduce((o, k) => o[k], a);
      const leaf = path.at(-1)!;
      const v = parent[leaf];
      parent[leaf] = typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : `${v}x`;
      assert.equal(appKeys(withSpec(spec))!.platform, platform, path.join('.'));
      let files: Map<string, string>;
      try {
        files = render(withSpec(spec));
      } catch {
        continue; // the change makes the input invalid: a complete render reports it, the app-only path steps aside
      }
      rendered++;
      const own = `apps/${spec.teams![team].name}/${a.name}/`;
      const paths = new Set([...original.keys(), ...files.keys()]);
      const others = [...paths].filter((p) => original.get(p) !== files.get(p) && !p.startsWith(own) && p !== 'README.md');
      assert.deepEqual(others, [], `${a.name}.${path.join('.')}`);
    }
    assert.ok(rendered >= 25, `${rendered} of ${leaves.length} changes rendered`);
  });

  it('has no key for an app that is not data (a chart function)', () => {
    const spec = fleetCopy();
    const mailer = app(spec, 'mailer');
    delete mailer.worker;
    mailer.chart = () => undefined;
    assert.equal(appKeys(withSpec(spec)), undefined);
    assert.equal((appPlatformView(mailer).base as any).chart, mailer.chart, 'the function itself, which no key states');
  });
});

describe('synth after an app-only change', () => {
  it('knows every policy: an app\'s files are checked with the team boundaries beside them, nothing else', () => {
    // A tripwire: the app-only path checks the changed apps' files together with teams/<team>/<env>/ (the
    // ExternalSecrets ref-config and secret-reload read). A new rule that reads other files for an app's
    // objects (another app's folder, the hub) must be given them in render/app-only.ts before it joins here.
    assert.deepEqual([...POLICY_RULES].sort(), [
      'image-pinned', 'namespace-pss', 'object-size', 'probes-present', 'project-least-privilege', 'rds-safety', 'ref-config', 'ref-path',
      'ref-project', 'ref-service', 'resources-set', 'secret-credentials', 'secret-reload', 'secret-store-platform', 'pss-restricted',
      'team-iam-role', 'team-kind', 'team-namespaced', 'team-sa-token',
    ].sort());
  });


  it('renders the changed app alone and writes the bytes of a complete render', (t) => {
    const { dist, fresh } = setUp(t);
    const spec = fleetCopy();
    assert.equal(run(t, ['synth', '--out', dist], spec).code, 0);
    assert.ok(readIndex(dist)?.apps, 'the index records the app keys');
    promote(spec, 'frontend', 'v2.0');
    const r = run(t, ['synth', '--out', dist], spec);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 added, 2 changed, 0 removed, \d+ unchanged, in [\d.]+ s \(only the changed app webstore\/frontend rendered\)$/);
    assert.equal(run(t, ['synth', '--out', fresh, '--no-cache'], spec).code, 0);
    assert.deepEqual(bytes(dist), bytes(fresh));
    const readme = fs.readFileSync(path.join(dist, 'README.md'), 'utf8');
    assert.match(readme, /^\| webstore\/frontend \| .*`v2\.0` · ×3 \|$/m, 'the README\'s image matrix shows the promoted tag');
  });

  it('holds for other shapes of fleet: two hubs, and many teams with every add-on (synthetic S)', (t) => {
    const { dist, fresh } = setUp(t);
    const twoHubs = fleetCopy();
    const hub = twoHubs.clusters.find((c) => c.name === 'hub')!;
    twoHubs.clusters.push({ ...structuredClone(hub), name: 'hub-eu', region: 'eu-west-1', vpcId: 'vpc-0e1f2a3b4c5d6e7f8' } as any);
    (twoHubs.clusters.find((c) => c.name === 'spoke-staging') as any).hub = 'hub-eu';
    (twoHubs.clusters.find((c) => c.name === 'spoke-prod') as any).hub = 'hub';
    const before = { twoHubs: structuredClone(twoHubs), S: syntheticFleet(parseSize('S')).spec as Mutable<FleetSpec> };
    const after = { twoHubs: structuredClone(twoHubs), S: syntheticFleet(parseSize('S'), { promote: true }).spec as Mutable<FleetSpec> };
    promote(after.twoHubs, 'frontend', 'v5.0');
    for (const shape of ['twoHubs', 'S'] as const) {
      fs.rmSync(dist, { recursive: true, force: true });
      assert.equal(run(t, ['synth', '--out', dist], before[shape]).code, 0, shape);
      const r = run(t, ['synth', '--out', dist], after[shape]);
      assert.match(r.stdout, APPS_ONLY, `${shape}: ${r.stdout}${r.stderr}`);
      assert.equal(run(t, ['synth', '--out', fresh, '--no-cache'], after[shape]).code, 0);
      assert.deepEqual(bytes(dist), bytes(fresh), shape);
    }
  });

  it('check lists what a complete render would change, from the changed app alone', (t) => {
    const { dist } = setUp(t);
    const spec = fleetCopy();
    assert.equal(run(t, ['synth', '--out', dist], spec).code, 0);
    promote(spec, 'frontend', 'v2.0');
    const fastCheck = run(t, ['check', '--out', dist], spec);
    const plain = run(t, ['check', '--out', dist, '--no-cache'], spec);
    assert.equal(fastCheck.code, 1);
    assert.equal(fastCheck.stderr, plain.stderr);
    assert.match(fastCheck.stderr, /2 files differ\.\n  changed  \S+\/README\.md\n  changed  \S+\/apps\/webstore\/frontend\/prod\/deployment-frontend\.yaml\n/);
    assert.equal(run(t, ['synth', '--out', dist], spec).code, 0);
    const clean = run(t, ['check', '--out', dist], spec);
    assert.equal(clean.code, 0);
    assert.match(clean.stdout, /nothing rendered/);
  });

  it('adds and removes an app\'s files (an overlay that adds an object, then drops it)', (t) => {
    const { dist, fresh } = setUp(t);
    const spec = fleetCopy();
    assert.equal(run(t, ['synth', '--out', dist], spec).code, 0);
    const mailer = app(spec, 'mailer');
    mailer.environments.prod = { ...mailer.environments.prod, configMapGenerator: [{ name: 'mailer-extra', literals: { FROM: 'shop@example.com' } }] };
    const added = run(t, ['synth', '--out', dist], spec);
    assert.match(added.stdout, APPS_ONLY, added.stdout + added.stderr);
    assert.match(added.stdout, /1 added/);
    assert.equal(run(t, ['synth', '--out', fresh, '--no-cache'], spec).code, 0);
    assert.deepEqual(bytes(dist), bytes(fresh));
    delete mailer.environments.prod.configMapGenerator;
    const removed = run(t, ['synth', '--out', dist], spec);
    assert.match(removed.stdout, APPS_ONLY);
    assert.match(removed.stdout, /1 removed/);
    assert.equal(run(t, ['synth', '--out', fresh, '--no-cache'], spec).code, 0);
    assert.deepEqual(bytes(dist), bytes(fresh));
  });

  it('renders in full when a file of the folder was changed by hand, and restores it', (t) => {
    const { dist, fresh } = setUp(t);
    const spec = fleetCopy();
    assert.equal(run(t, ['synth', '--out', dist], spec).code, 0);
    const files = [...readTree(dist).keys()];
    const victim = files.find((f) => f.startsWith('hub/'))!;
    for (const edited of [victim, 'README.md']) {
      fs.appendFileSync(path.join(dist, edited), '# edited\n');
      promote(spec, 'frontend', edited === victim ? 'v3.0' : 'v3.1');
      const r = run(t, ['synth', '--out', dist], spec);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, APPS_ONLY, `${edited} was edited: a complete render`);
      assert.equal(run(t, ['synth', '--out', fresh, '--no-cache'], spec).code, 0);
      assert.deepEqual(bytes(dist), bytes(fresh));
    }
  });

  it('leaves a problem to the complete render: same message, nothing written', (t) => {
    const { dist, fresh } = setUp(t);
    const spec = fleetCopy();
    assert.equal(run(t, ['synth', '--out', dist], spec).code, 0);
    assert.equal(run(t, ['synth', '--out', fresh, '--no-cache'], spec).code, 0);
    const before = bytes(dist);
    const breaks: Array<(s: Mutable<FleetSpec>) => void> = [
      (s) => (app(s, 'frontend').environments.prod.replicas = [{ name: 'frontend', count: 500 }]), // the team's quota
      (s) => (app(s, 'backend').webService.image = { repository: 'Not A Repository', tag: 'v1' }),
      (s) => (app(s, 'ui').webService.config = { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
      (s) => (app(s, 'frontend').webService.env = { DB_PASSWORD: 'hunter2hunter2' }),
      (s) => {
        // Two apps render one object: a rule over the team's apps together.
        const shared = { name: 'shop-settings', literals: { CURRENCY: 'EUR' }, options: { disableNameSuffixHash: true } };
        for (const name of ['ui', 'mailer']) app(s, name).environments.prod = { ...app(s, name).environments.prod, configMapGenerator: [shared] };
      },
    ];
    for (const change of breaks) {
      const s = fleetCopy();
      change(s);
      const cached = run(t, ['synth', '--out', dist], s);
      const plain = run(t, ['synth', '--out', fresh, '--no-cache'], s);
      assert.equal(plain.code, 1, String(change));
      assert.equal(cached.code, 1, String(change));
      assert.equal(cached.stderr, plain.stderr);
      assert.deepEqual(bytes(dist), before, 'nothing written');
    }
  });

  /** Edits of an app's own fields (valid or not), of its platform view, a hand edit of dist/, a step back. */
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('tag' as const), app: fc.nat(8), tag: fc.constantFrom('v1.0', 'v2.0', 'v3.1', 'not a tag') }),
    fc.record({ kind: fc.constant('replicas' as const), app: fc.nat(8), count: fc.constantFrom(1, 2, 3, 400) }),
    fc.record({ kind: fc.constant('env' as const), app: fc.nat(8), value: fc.constantFrom('a', 'b', 'AKIAIOSFODNN7EXAMPLE') }),
    fc.record({ kind: fc.constant('config' as const), app: fc.nat(8), value: fc.constantFrom('x', 'y') }),
    fc.record({ kind: fc.constant('connects' as const), on: fc.boolean() }),
    fc.record({ kind: fc.constant('hand' as const), file: fc.nat(1000) }),
    fc.record({ kind: fc.constant('back' as const) }),
  );

  const EDIT_RUNS = runs(4);
  it('writes what a complete render writes, after any sequence of edits', { timeout: 300_000 }, (t) => {
    const { dist, fresh } = setUp(t);
    let fast = 0;
    let fastChecks = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 2, maxLength: 5 }), (edits) => {
        let spec = fleetCopy();
        const first = structuredClone(spec);
        for (const e of edits) {
          const apps = spec.teams!.flatMap((team) => team.apps) as any[];
          if (e.kind === 'back') spec = structuredClone(first);
          else if (e.kind === 'hand') {
            const files = [...readTree(dist).keys()];
            if (files.length > 0) fs.appendFileSync(path.join(dist, files[e.file % files.length]), '\n');
          } else if (e.kind === 'connects') {
            const ui = apps.find((a) => a.name === 'ui');
            ui.connectsTo = e.on ? ['backend'] : undefined;
          } else {
            const a = apps[e.app % apps.length];
            const env = Object.keys(a.environments).at(-1)!;
            if (e.kind === 'tag') a.environments[env].images = [{ name: a.webService?.image.repository ?? a.worker?.image.repository, newTag: e.tag }];
            else if (e.kind === 'replicas') a.environments[env].replicas = [{ name: a.name, count: e.count }];
            else if (e.kind === 'env') (a.webService ?? a.worker).env = { ...(a.webService ?? a.worker).env, EXTRA: e.value };
            else (a.webService ?? a.worker).config = { ...(a.webService ?? a.worker).config, MODE: e.value };
          }
          const before = fs.existsSync(dist) ? bytes(dist) : [];
          // check before synth: the same verdict, listing the same files, with and without the caches.
          const checked = run(t, ['check', '--out', dist], spec);
          const checkedPlain = run(t, ['check', '--out', dist, '--no-cache'], spec);
          assert.equal(checked.code, checkedPlain.code, checked.stderr + checkedPlain.stderr);
          assert.equal(checked.stderr, checkedPlain.stderr);
          if (APPS_ONLY.test(checked.stdout) || APPS_ONLY.test(checked.stderr)) fastChecks++;
          const cached = run(t, ['synth', '--out', dist], spec);
          const plain = run(t, ['synth', '--out', fresh, '--no-cache'], spec);
          assert.equal(cached.code, plain.code, cached.stderr + plain.stderr);
          if (cached.code !== 0) {
            assert.equal(cached.stderr, plain.stderr);
            assert.deepEqual(fs.existsSync(dist) ? bytes(dist) : [], before, 'a refused synth writes nothing');
            continue;
          }
          if (APPS_ONLY.test(cached.stdout)) fast++;
          assert.deepEqual(bytes(dist), bytes(fresh));
        }
      }),
      { numRuns: EDIT_RUNS, seed: 2026 },
    );
    // About 0.5 s of CPU per sequence (four commands per edit, two of them complete renders): 4 sequences
    // run the app-only synth and check 9 times each (8 sequences: 14 times, for 3 s more).
    t.diagnostic(`${EDIT_RUNS} sequences: the app-only synth ran ${fast} times, the app-only check ${fastChecks} times`);
    assert.ok(fast >= EDIT_RUNS / 2, `the app-only synth ran ${fast} times`);
    assert.ok(fastChecks >= EDIT_RUNS / 4, `the app-only check ran ${fastChecks} times`);
  });
});
