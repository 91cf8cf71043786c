/**
 * The render caches (render/cache): the index of an output folder that lets an unchanged fleet skip
 * rendering, and the app manifests reused across runs. What must hold: a cache never changes what is
 * rendered or written, and anything it cannot be sure of renders in full.
 */
import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADDON_CATALOG } from '../charts/index.js';
import { fleetRender } from '../charts/outputs/fleet-outputs.js';
import { runCli } from '../render/cli.js';
import { renderTree } from '../render/render.js';
import { readTree } from '../render/tree.js';
import { codeVersion, renderKey, stableJson } from '../render/cache/run-key.js';
import { readIndex } from '../render/cache/dist-index.js';
import { sourceKey } from '../render/cache/app-keys.js';
import { AppManifestCache } from '../render/cache/app-cache.js';
import { exampleFleet, fleetCopy, withSpec } from './support/fleet.js';
import { runs } from './support/fc-runs.js';

const NOTHING_RENDERED = /nothing rendered/;

/** A cache folder of the test's own (CDK8S_FLEET_CACHE_DIR) and an output folder path. */
function setUp(t: TestContext): { dist: string; cache: string } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-cache-'));
  const cache = path.join(parent, 'cache');
  const before = process.env.CDK8S_FLEET_CACHE_DIR;
  process.env.CDK8S_FLEET_CACHE_DIR = cache;
  t.after(() => {
    if (before === undefined) delete process.env.CDK8S_FLEET_CACHE_DIR;
    else process.env.CDK8S_FLEET_CACHE_DIR = before;
    fs.rmSync(parent, { recursive: true, force: true });
  });
  return { dist: path.join(parent, 'dist'), cache };
}

function run(t: TestContext, argv: string[], source = exampleFleet, options = {}) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (m: string) => out.push(m));
  t.mock.method(console, 'error', (m: string) => err.push(m));
  try {
    return { code: runCli(argv, source, options), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    t.mock.restoreAll();
  }
}

const bytes = (dir: string) => [...readTree(dir)].map(([p, b]) => [p, b.toString('utf8')] as const);

describe('the render key', () => {
  it('states plain data exactly: absent and undefined differ, and so does key order', () => {
    assert.notEqual(stableJson({ a: 1 }), stableJson({ a: 1, b: undefined }));
    assert.notEqual(stableJson({ a: 1, b: 2 }), stableJson({ b: 2, a: 1 }));
    assert.notEqual(stableJson([undefined]), stableJson([null]));
    assert.equal(stableJson({ a: [1, 'x', null, true, { b: 'c' }] }), stableJson({ a: [1, 'x', null, true, { b: 'c' }] }));
  });

  it('refuses what JSON would drop or flatten: functions, Maps, Sets, Dates, class instances, NaN', () => {
    class Props {
      public readonly a = 1;
    }
    for (const value of [() => 1, new Map([['a', 1]]), new Set([1]), new Date(0), new Props(), NaN, Infinity, -0, 1n, Symbol('s'), Buffer.from('x'), { toJSON: () => 'x' }]) {
      assert.equal(stableJson({ nested: [value] }), undefined, String(value));
    }
    assert.equal(renderKey({ spec: { teams: [{ apps: [{ chart: () => undefined }] }] } }), undefined, 'an app with a chart function has no key');
    const cycle: Record<string, unknown> = { a: {} };
    (cycle.a as Record<string, unknown>).back = cycle;
    assert.equal(stableJson(cycle), undefined, 'a cycle is not data (validation names it)');
  });

  it('changes with the input and with every source file of the code', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-code-'));
    try {
      fs.mkdirSync(path.join(root, 'charts', 'teams'), { recursive: true });
      fs.writeFileSync(path.join(root, 'charts', 'teams', 'a.ts'), 'export const a = 1;\n');
      const before = codeVersion(root);
      assert.equal(codeVersion(root), before, 'stable');
      assert.notEqual(renderKey({ x: 1 }, root), renderKey({ x: 2 }, root));
      fs.writeFileSync(path.join(root, 'charts', 'teams', 'a.ts'), 'export const a = 2;\n');
      assert.notEqual(codeVersion(root), before, 'an edit of the same size');
      fs.writeFileSync(path.join(root, 'charts', 'teams', 'a.ts'), 'export const a = 1;\n');
      assert.equal(codeVersion(root), before);
      fs.writeFileSync(path.join(root, 'engines.ts'), 'x');
      assert.equal(codeVersion(root), before, 'files outside the code folders do not count');
      fs.mkdirSync(path.join(root, 'engines'));
      fs.writeFileSync(path.join(root, 'engines', 'b.ts'), '');
      assert.notEqual(codeVersion(root), before, 'a new file counts');
      const code = codeVersion(root);
      fs.mkdirSync(path.join(root, 'environments'));
      fs.writeFileSync(path.join(root, 'environments', 'teams.ts'), "export const tag = 'v2.0';\n");
      assert.equal(codeVersion(root), code, 'the fleet\'s own files are input (held in the key as data), not code: an edit of them is not a new version of the code');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('the example fleet is plain data, so it can be cached', () => {
    assert.equal(typeof renderKey(exampleFleet), 'string');
    assert.equal(typeof sourceKey(exampleFleet), 'string', 'the key the index records');
  });
});

describe('an unchanged fleet is not rendered again', () => {
  it('synth and check with the same input, code and folder render nothing, and say so', (t) => {
    const { dist } = setUp(t);
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    const first = bytes(dist);
    const again = run(t, ['synth', '--out', dist]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /: 0 added, 0 changed, 0 removed, \d+ unchanged, in \d+\.\d\d s \(input, code and folder as at the last synth: nothing rendered\)$/);
    const check = run(t, ['check', '--out', dist]);
    assert.equal(check.code, 0);
    assert.match(check.stdout, /dist\/ is up to date \(\d+ files\).*nothing rendered/);
    assert.deepEqual(bytes(dist), first);
  });

  it('a change of the platform renders every file and no app: each comes from the app cache, with the bytes of a render without it', (t) => {
    const { dist } = setUp(t);
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    // First one app promoted alone (the app-only path): the app cache keeps what it rendered too.
    const spec = fleetCopy();
    const app = spec.teams![0].apps[0] as any;
    app.environments.prod.images = [{ ...(app.environments.prod.images?.[0] ?? { name: app.webService?.image.repository ?? app.worker.image.repository }), newTag: 'v7.7' }];
    const promoted = run(t, ['synth', '--out', dist], withSpec(spec));
    assert.match(promoted.stdout, /only the changed app/, promoted.stderr);
    (spec as any).argocd = { ...spec.argocd, progressiveSync: !spec.argocd?.progressiveSync };
    const apps = (spec.teams ?? []).reduce((n, team) => n + team.apps.length, 0);
    const r = run(t, ['synth', '--out', dist], withSpec(spec));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`: 0 added, [1-9]\\d* changed, 0 removed, \\d+ unchanged, in [\\d.]+ s \\(every app from the app cache \\(${apps}\\)\\)$`));
    const fresh = path.join(path.dirname(dist), 'fresh');
    assert.equal(run(t, ['synth', '--out', fresh, '--no-cache'], withSpec(spec)).code, 0);
    assert.deepEqual(bytes(dist), bytes(fresh));
    const check = run(t, ['check', '--out', fresh], withSpec(spec));
    assert.equal(check.code, 0, check.stderr);
  });

  it('a changed input renders in full', (t) => {
    const { dist } = setUp(t);
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    const spec = fleetCopy();
    (spec.teams![0].apps[0].environments.prod as any).replicas = [{ name: spec.teams![0].apps[0].name, count: 4 }];
    const r = run(t, ['synth', '--out', dist], withSpec(spec));
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, NOTHING_RENDERED);
    assert.match(r.stdout, /: 0 added, [1-9]\d* changed, 0 removed/);
  });

  it('a changed input writes what a render without caches writes, also over a hand-edited folder', (t) => {
    const { dist } = setUp(t);
    const fresh = path.join(path.dirname(dist), 'fresh');
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    const spec = fleetCopy();
    const app = spec.teams![0].apps[1] as any;
    app.environments.prod.images = [{ ...app.environments.prod.images[0], newTag: 'v7.7' }];
    // Folder as the index says: the comparison goes by hashes.
    assert.equal(run(t, ['synth', '--out', dist], withSpec(spec)).code, 0);
    assert.equal(run(t, ['synth', '--out', fresh, '--no-cache'], withSpec(spec)).code, 0);
    assert.deepEqual(bytes(dist), bytes(fresh));
    // A hand edit and a changed input at once: the folder no longer matches its index, so it is read.
    fs.appendFileSync(path.join(dist, 'hub', 'argocd', 'clusters', 'spoke-prod.yaml'), '# hand edit\n');
    fs.writeFileSync(path.join(dist, 'stray.yaml'), 'a: 1\n');
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    assert.equal(run(t, ['synth', '--out', fresh, '--no-cache']).code, 0);
    assert.deepEqual(bytes(dist), bytes(fresh));
    assert.match(run(t, ['check', '--out', dist]).stdout, NOTHING_RENDERED, 'and the index vouches for the result');
  });

  it('notices an entry added, removed or renamed in any folder once the index is no longer racy (folder times, not listings)', (t) => {
    const { dist } = setUp(t);
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    const rendered = bytes(dist);
    const clusters = path.join(dist, 'hub', 'argocd', 'clusters');
    const [first, second] = fs.readdirSync(clusters).sort();
    const damages: Array<[string, () => void]> = [
      ['a file added deep down', () => fs.writeFileSync(path.join(clusters, 'zz-extra.yaml'), 'a: 1\n')],
      ['an empty folder added', () => fs.mkdirSync(path.join(dist, 'hub', 'empty'))],
      ['a file renamed within its folder', () => fs.renameSync(path.join(clusters, first), path.join(clusters, `x${first}`))],
      ['two files swapped', () => {
        fs.renameSync(path.join(clusters, first), path.join(clusters, 'tmp'));
        fs.renameSync(path.join(clusters, second), path.join(clusters, first));
        fs.renameSync(path.join(clusters, 'tmp'), path.join(clusters, second));
      }],
    ];
    for (const [what, damage] of damages) {
      // Past the racy window: a folder with its recorded times is trusted without being listed.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120);
      assert.match(run(t, ['check', '--out', dist]).stdout, NOTHING_RENDERED, `before: ${what}`);
      damage();
      const check = run(t, ['check', '--out', dist]);
      assert.doesNotMatch(check.stdout, NOTHING_RENDERED, what);
      // An empty folder holds no file: git does not see it, nor does the comparison.
      assert.equal(check.code, what === 'an empty folder added' ? 0 : 1, `${what}: ${check.stdout}`);
      assert.equal(run(t, ['synth', '--out', dist]).code, 0);
      if (what === 'an empty folder added') fs.rmdirSync(path.join(dist, 'hub', 'empty'));
      assert.deepEqual(bytes(dist), rendered, what);
    }
  });

  for (const [what, damage, expect] of [
    ['an edited file (same size, times set back)', (_dist: string, file: string) => {
      const st = fs.statSync(file);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.replace(/name: /, 'neme: '));
      fs.utimesSync(file, st.atime, st.mtime);
    }, /1 changed/],
    ['a deleted file', (_: string, file: string) => fs.rmSync(file), /1 added/],
    ['a file added by hand', (dist: string) => fs.writeFileSync(path.join(dist, 'extra.yaml'), 'a: 1\n'), /1 removed/],
    ['an empty folder replaced a file', (_: string, file: string) => { fs.rmSync(file); fs.mkdirSync(file); }, /1 added|1 changed/],
  ] as const) {
    it(`notices ${what} and repairs it; check reports it`, (t) => {
      const { dist } = setUp(t);
      assert.equal(run(t, ['synth', '--out', dist]).code, 0);
      const rendered = bytes(dist);
      const file = path.join(dist, 'hub', 'argocd', 'clusters', 'spoke-prod.yaml');
      damage(dist, file);
      const check = run(t, ['check', '--out', dist]);
      assert.equal(check.code, 1, check.stdout);
      assert.doesNotMatch(check.stdout, NOTHING_RENDERED);
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) fs.rmdirSync(file);
      const r = run(t, ['synth', '--out', dist]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, expect);
      assert.deepEqual(bytes(dist), rendered);
    });
  }

  it('renders in full with --no-cache, CDK8S_FLEET_CACHE=off, another catalog, or an input that is not data', (t) => {
    const { dist } = setUp(t);
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    assert.doesNotMatch(run(t, ['synth', '--out', dist, '--no-cache']).stdout, NOTHING_RENDERED);
    assert.doesNotMatch(run(t, ['check', '--out', dist, '--no-cache']).stdout, NOTHING_RENDERED);
    process.env.CDK8S_FLEET_CACHE = 'off';
    try {
      assert.doesNotMatch(run(t, ['synth', '--out', dist]).stdout, NOTHING_RENDERED);
    } finally {
      delete process.env.CDK8S_FLEET_CACHE;
    }
    assert.doesNotMatch(run(t, ['synth', '--out', dist], exampleFleet, { catalog: [...ADDON_CATALOG] }).stdout, NOTHING_RENDERED);
    const spec = fleetCopy();
    const app = spec.teams![0].apps[0] as any;
    const { webService } = app;
    delete app.webService;
    app.chart = () => {
      throw new Error('never called: the test only checks the key');
    };
    assert.equal(renderKey(withSpec(spec)), undefined);
    assert.equal(sourceKey(withSpec(spec)), undefined);
    app.chart = undefined;
    app.webService = webService;
    assert.match(run(t, ['synth', '--out', dist]).stdout, NOTHING_RENDERED, 'and the default again, as it was');
  });

  it('a corrupt or foreign index is ignored', (t) => {
    const { dist, cache } = setUp(t);
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    const [indexFile] = fs.readdirSync(cache).filter((n) => n.startsWith('dist-index-'));
    const index = JSON.parse(fs.readFileSync(path.join(cache, indexFile), 'utf8'));
    fs.writeFileSync(path.join(cache, indexFile), JSON.stringify({ ...index, dir: '/elsewhere' }));
    assert.equal(readIndex(dist), undefined);
    assert.doesNotMatch(run(t, ['synth', '--out', dist]).stdout, NOTHING_RENDERED);
    fs.writeFileSync(path.join(cache, indexFile), '{"format":');
    assert.doesNotMatch(run(t, ['check', '--out', dist]).stdout, NOTHING_RENDERED);
    assert.equal(run(t, ['check', '--out', dist]).code, 0);
  });

  it('a failed synth leaves no index that could vouch for the folder', (t) => {
    const { dist } = setUp(t);
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    const spec = fleetCopy();
    (spec.teams![0].apps[0].environments.prod as any).replicas = [{ name: spec.teams![0].apps[0].name, count: 5 }];
    process.env.CDK8S_FLEET_FAIL_AFTER = '3';
    try {
      assert.notEqual(run(t, ['synth', '--out', dist], withSpec(spec)).code, 0);
    } finally {
      delete process.env.CDK8S_FLEET_FAIL_AFTER;
    }
    // The folder is part old, part new (or untouched): neither input may skip the render now.
    assert.doesNotMatch(run(t, ['check', '--out', dist], withSpec(spec)).stdout, NOTHING_RENDERED);
    const r = run(t, ['synth', '--out', dist], withSpec(spec));
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, NOTHING_RENDERED);
  });

  it('a credential planted after a clean synth is still found: only unchanged bytes skip the scan', (t) => {
    const { dist } = setUp(t);
    assert.equal(run(t, ['synth', '--out', dist]).code, 0);
    const s = fleetCopy() as any;
    s.environments.find((e: any) => e.name === 'prod').addons.velero = { values: { configuration: { backupStorageLocation: [{ config: { token: ['glpat', 'abcdefghijklmnopqrstu'].join('-') } }] } } };
    const r = run(t, ['synth', '--out', dist], withSpec(s));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[no-credentials\] a GitLab token/);
  });
});

describe('app manifests reused across runs', () => {
  let reused: ReadonlySet<string> = new Set();
  const rendered = (source: typeof exampleFleet, cache?: AppManifestCache) => {
    const r = fleetRender(source, cache ? { appManifests: cache } : {});
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const tree = renderTree(r.outputs, cache);
    reused = tree.reused;
    return tree.files;
  };

  it('render the same bytes as a render without them, and one changed app is the only one rendered again', (t) => {
    setUp(t);
    const apps = (exampleFleet.spec.teams ?? []).reduce((n, team) => n + team.apps.length, 0);
    const cold = AppManifestCache.open();
    const first = rendered(exampleFleet, cold);
    assert.deepEqual([cold.hits, cold.misses], [0, apps]);
    cold.save();
    assert.equal(reused.size, 0);
    const warm = AppManifestCache.open();
    assert.deepEqual([...rendered(exampleFleet, warm)], [...first]);
    assert.deepEqual([warm.hits, warm.misses], [apps, 0]);
    const appFiles = [...first.keys()].filter((f) => f.startsWith('apps/'));
    assert.ok(appFiles.length > 0);
    assert.deepEqual([...reused].sort(), appFiles.sort(), 'every app file\'s bytes come from the cache (not serialized, not scanned again), and nothing else');
    assert.deepEqual([...first], [...rendered(exampleFleet)], 'and the same as with no cache at all');

    const spec = fleetCopy();
    const app = spec.teams![0].apps[1] as any;
    app.environments.prod.images = [{ ...app.environments.prod.images[0], newTag: 'v9.9' }];
    const changed = withSpec(spec);
    const next = AppManifestCache.open();
    assert.deepEqual([...rendered(changed, next)], [...rendered(changed)]);
    assert.deepEqual([next.hits, next.misses], [apps - 1, 1]);
    next.save();
    const after = AppManifestCache.open();
    assert.deepEqual([...rendered(changed, after)], [...rendered(changed)], 'the changed app as stored: its canonical objects and bytes');
    assert.deepEqual([after.hits, after.misses], [apps, 0]);
  });

  it('a change outside the apps (a team\'s access, the hub\'s sync strategy) renders none of them; their team\'s new name renders its apps', (t) => {
    setUp(t);
    const apps = (exampleFleet.spec.teams ?? []).reduce((n, team) => n + team.apps.length, 0);
    const cache = AppManifestCache.open();
    rendered(exampleFleet, cache);
    cache.save();
    const spec = fleetCopy();
    (spec.teams![0] as any).access = { ...(spec.teams![0].access ?? {}), staging: 'view' };
    (spec as any).argocd = { ...spec.argocd, progressiveSync: !spec.argocd?.progressiveSync };
    const other = AppManifestCache.open();
    assert.deepEqual([...rendered(withSpec(spec), other)], [...rendered(withSpec(spec))], 'the bytes of a render without the cache');
    assert.deepEqual([other.hits, other.misses], [apps, 0]);
    other.save();

    // The team's name is part of what its apps render from (their namespaces and `team` label).
    const renamed = fleetCopy();
    (renamed.teams![0] as any).name = 'renamed';
    const third = AppManifestCache.open();
    assert.deepEqual([...rendered(withSpec(renamed), third)], [...rendered(withSpec(renamed))]);
    assert.deepEqual([third.hits, third.misses], [apps - renamed.teams![0].apps.length, renamed.teams![0].apps.length], 'a renamed team\'s apps render in their new namespaces');
  });

  it('a corrupt pack counts as empty', (t) => {
    const { cache: dir } = setUp(t);
    const cache = AppManifestCache.open();
    const first = rendered(exampleFleet, cache);
    cache.save();
    for (const name of fs.readdirSync(dir).filter((n) => n.startsWith('apps-'))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8').split('\n');
      fs.writeFileSync(path.join(dir, name), [text[0], ...text.slice(1).map((l) => l.slice(0, 70))].join('\n'));
    }
    const again = AppManifestCache.open();
    assert.deepEqual([...rendered(exampleFleet, again)], [...first]);
    assert.equal(again.hits, 0);
  });
});

describe('caches never serve stale output', () => {
  /** Edits of one app, of the platform around the apps, or a step back to an earlier fleet. */
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('tag' as const), app: fc.nat(8), tag: fc.constantFrom('v1.0', 'v2.0', 'v3.1') }),
    fc.record({ kind: fc.constant('replicas' as const), app: fc.nat(8), count: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('access' as const), level: fc.constantFrom('view' as const, 'edit' as const) }),
    fc.record({ kind: fc.constant('back' as const) }),
  );

  it('a synth with caches writes what a synth without them writes, after any sequence of edits', { timeout: 300_000 }, (t) => {
    const { dist } = setUp(t);
    const fresh = path.join(path.dirname(dist), 'fresh');
    fc.assert(
      fc.property(fc.array(edit, { minLength: 2, maxLength: 4 }), (edits) => {
        let spec = fleetCopy();
        const history = [structuredClone(spec)];
        for (const e of edits) {
          if (e.kind === 'back') spec = structuredClone(history[0]);
          else {
            const apps = spec.teams!.flatMap((team) => team.apps) as any[];
            if (e.kind === 'tag') {
              const app = apps[e.app % apps.length];
              app.environments.prod.images = (app.environments.prod.images ?? []).map((i: any) => ({ ...i, newTag: e.tag }));
            } else if (e.kind === 'replicas') {
              const app = apps[e.app % apps.length];
              app.environments.staging.replicas = [{ name: app.name, count: e.count }];
            } else {
              (spec.teams![0] as any).access = { ...spec.teams![0].access, staging: e.level };
            }
            history.push(structuredClone(spec));
          }
          const cached = run(t, ['synth', '--out', dist], withSpec(spec));
          assert.equal(cached.code, 0, cached.stderr);
          const plain = run(t, ['synth', '--out', fresh, '--no-cache'], withSpec(spec));
          assert.equal(plain.code, 0, plain.stderr);
          assert.deepEqual(bytes(dist), bytes(fresh));
        }
      }),
      { numRuns: runs(3), seed: 17 },
    );
  });
});
