/**
 * The fast paths of `npm run plan` against the general code they stand in for, on random input
 * (fast-check, fixed seeds):
 *
 * - the compiled template function of `objectRenderer` (engines/applicationset/template-object.ts
 *   `fastSource`) against the general renderer: same result, or the same error (message, field path,
 *   `unsupported`), for random templates (text, field chains, pipelines, parse errors, templated keys,
 *   nil values, arrays), random params (strings, numbers, nil, both kinds of map, arrays, missing keys),
 *   random field picks and every missing-key option;
 * - a matrix's param sets made as they are read (`paramSetsOf`) against the same merged eagerly;
 * - the plan's compact entry store written directly (table and JSON) against the same entries as
 *   objects, with Applications on no cluster and several hubs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fastRendererSource, FieldPick, generalObjectRenderer, objectRenderer, TemplateEngine } from '../engines/applicationset/template-object.js';
import { generateParamSets, paramSetsOf } from '../engines/applicationset/generators.js';
import { DNS_SUBDOMAIN, expandApplicationSet, validName } from '../engines/applicationset/expand.js';
import { clusterInventory } from '../engines/applicationset/clusters.js';
import { mergoMerge } from '../engines/applicationset/param-merge.js';
import { GoMap, GoValue, stringMap } from '../engines/go-template/values.js';
import { duplicateNamesOf, FleetPlan, planFleet, planFleetView } from '../render/plan/plan.js';
import { formatPlanJson, formatPlanTable } from '../render/plan/plan-cli.js';
import { renderTree } from '../render/render.js';
import { fleetOutputs } from '../charts/index.js';
import { exampleFleet } from '../environments/index.js';

const KEYS = ['a', 'b', 'name', 'metadata', 'labels', 'env', 'x-y', '0'];

/** A field chain over the keys params use (and some they do not), mostly one or two keys long. */
const chain = fc
  .oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', 'name', 'x-y').map((k) => [k]) }, { weight: 2, arbitrary: fc.array(fc.constantFrom(...KEYS, 'missing'), { minLength: 1, maxLength: 3 }) })
  .map((names) => `.${names.join('.')}`);

/** One piece of a templated string. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('', 'x', '-', '/', 'team-', ' é ', '}', '{') },
  { weight: 6, arbitrary: chain.map((c) => `{{${c}}}`) },
  { weight: 1, arbitrary: chain.map((c) => `{{- ${c} -}}`) },
  { weight: 1, arbitrary: chain.map((c) => `{{ ${c} | upper }}`) },
  { weight: 1, arbitrary: chain.map((c) => `{{ index ${c} "a" }}`) },
  { weight: 1, arbitrary: chain.map((c) => `{{ if ${c} }}y{{ else }}n{{ end }}`) },
  { weight: 1, arbitrary: fc.constantFrom('{{/* note */}}', '{{ .a', '{{ nope }}', '{{ $ }}', '{{ . }}', '{{ printf "%v" .a }}') },
);
const templated = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));

/** A template object: maps (some keys templated, some values nil), arrays, strings, numbers, booleans. */
const { template } = fc.letrec<{ template: unknown; value: unknown }>((tie) => ({
  value: fc.oneof(
    { weight: 5, arbitrary: templated },
    { weight: 2, arbitrary: fc.constantFrom('plain', '', 'x{y}') },
    { weight: 1, arbitrary: fc.constantFrom(1, 0, true, false, null) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    { weight: 3, arbitrary: tie('template') },
  ),
  template: fc
    .array(fc.tuple(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...KEYS, 'spec', 'source') }, { weight: 1, arbitrary: fc.constantFrom('{{.a}}', 'k-{{.name}}') }), tie('value')), { maxLength: 4 })
    .map((entries) => Object.fromEntries(entries)),
}));

/** Param values: strings mostly, and what makes the general evaluator run (numbers, nil, maps, arrays). */
const { params } = fc.letrec<{ params: GoMap; param: GoValue }>((tie) => ({
  param: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('v', '', 'prod', 'Ünï', 'a b') },
    { weight: 1, arbitrary: fc.constantFrom(1.5, 0, true, null, 10n) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom('p', 'q'), { maxLength: 2 }) },
    { weight: 3, arbitrary: tie('params') },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom('s', 'prod', ''), { maxKeys: 4 }).map((m) => stringMap(m) as GoMap) },
  ),
  params: fc.dictionary(fc.constantFrom(...KEYS), tie('param'), { maxKeys: 6 }) as fc.Arbitrary<GoMap>,
}));

/** A field pick over the keys templates use. */
const { pick } = fc.letrec<{ pick: FieldPick; want: true | FieldPick }>((tie) => ({
  want: fc.oneof({ weight: 3, arbitrary: fc.constant(true as const) }, { weight: 1, arbitrary: tie('pick') }),
  pick: fc.dictionary(fc.constantFrom(...KEYS, 'spec', 'source'), tie('want'), { maxKeys: 4 }) as fc.Arbitrary<FieldPick>,
}));

/**
 * Param sets as generators make them: one base and variations of it (a few keys set anew, the rest
 * shared), so that consecutive param sets often agree on some of what a template reads and not on the rest.
 */
const str = fc.constantFrom('v', 'prod', 'w', '');
const paramRun = fc
  .tuple(
    fc.record({ a: str, b: str, name: str, labels: fc.dictionary(fc.constantFrom(...KEYS), str).map((m) => stringMap(m) as GoMap) }),
    params,
    fc.array(fc.dictionary(fc.constantFrom('a', 'b', 'name', 'labels'), fc.oneof({ weight: 4, arbitrary: str }, { weight: 1, arbitrary: params as fc.Arbitrary<GoValue> }), { minKeys: 1, maxKeys: 2 }), {
      minLength: 1,
      maxLength: 5,
    }),
  )
  .map(([fixed, extra, variations]) => {
    const base: GoMap = { ...extra, ...fixed };
    return [base, ...variations.map((v) => ({ ...base, ...v }))];
  });

const engine = fc.record({ goTemplate: fc.boolean(), missingKey: fc.constantFrom('error' as const, 'invalid' as const, 'zero' as const) }) as fc.Arbitrary<TemplateEngine>;

type Outcome = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string; path?: string; unsupported?: boolean } };

function outcome(render: () => unknown): Outcome {
  try {
    return { ok: true, value: render() };
  } catch (e) {
    const err = e as Error & { path?: string; unsupported?: boolean };
    return { ok: false, error: { name: err.name, message: err.message, path: err.path, unsupported: err.unsupported } };
  }
}

describe('the compiled template function of objectRenderer', () => {
  it('renders what the general renderer renders, or fails with its error, for random templates, params, picks and options', () => {
    let compiled = 0;
    let fastResults = 0;
    fc.assert(
      fc.property(template, fc.oneof(fc.array(params, { minLength: 1, maxLength: 4 }), paramRun), fc.option(pick, { nil: undefined }), engine, (tmpl, paramSets, fields, e) => {
        const t = tmpl as object;
        if (fastRendererSource(t, 'spec.template', fields) !== undefined) compiled++;
        const fast = objectRenderer(t, 'spec.template', fields);
        const general = generalObjectRenderer(t, 'spec.template', fields);
        for (const p of paramSets) {
          const want = outcome(() => general(p, e));
          assert.deepStrictEqual(outcome(() => fast(p, e)), want);
          if (want.ok) fastResults++;
        }
      }),
      { seed: 20261202, numRuns: 3000 },
    );
    // The generators reach the compiled function, and often with params it can render.
    assert.ok(compiled > 1000, `${compiled} templates compiled`);
    assert.ok(fastResults > 1000, `${fastResults} results`);
  });

  it('makes a string anew when any of the strings it is made of changes', () => {
    const tmpl = { x: 'a{{.a}}-{{.b}}-{{.m.c}}', y: '{{.a}}' };
    const render = objectRenderer(tmpl, 'spec.template');
    const e: TemplateEngine = { goTemplate: true, missingKey: 'error' };
    const m = { c: 'c' };
    const runs: Array<[GoMap, string]> = [
      [{ a: '1', b: '2', m }, 'a1-2-c'],
      [{ a: '1', b: '2', m }, 'a1-2-c'],
      [{ a: '1', b: '3', m }, 'a1-3-c'],
      [{ a: '2', b: '3', m }, 'a2-3-c'],
      [{ a: '2', b: '3', m: { c: 'd' } }, 'a2-3-d'],
      [{ a: '2', b: '3', m: { c: 1 } }, 'a2-3-1'],
      [{ a: '2', b: '3', m: { c: 'd' } }, 'a2-3-d'],
    ];
    for (const [p, x] of runs) assert.deepStrictEqual(render(p, e), { x, y: p.a });
  });

  it('renders the common ApplicationSet shapes with the compiled function, and falls back where a key is missing', () => {
    const tmpl = {
      metadata: { name: 'team-{{.app}}-{{.nameNormalized}}', labels: { cluster: '{{.name}}', env: '{{.metadata.labels.environment}}' } },
      spec: {
        project: 'team',
        destination: { server: '{{.server}}', namespace: 'team-{{.environment}}' },
        source: { repoURL: '{{.metadata.annotations.repo}}', path: 'apps/{{.app}}/{{.environment}}', targetRevision: 'HEAD' },
        ignore: [{ kind: 'x' }, '{{.app}}'],
        nothing: null,
      },
    };
    const fields: FieldPick = { metadata: { name: true }, spec: { destination: true, project: true, source: true } };
    const source = fastRendererSource(tmpl, 'spec.template', fields);
    assert.ok(source !== undefined && !source.includes('f['), `every string of these is compiled:\n${source}`);
    const p: GoMap = {
      app: 'web',
      environment: 'prod',
      name: 'spoke-1',
      nameNormalized: 'spoke-1',
      server: 'https://spoke-1',
      metadata: { labels: stringMap({ environment: 'prod' }), annotations: stringMap({ repo: 'https://git' }) },
    };
    const e: TemplateEngine = { goTemplate: true, missingKey: 'error' };
    const rendered = objectRenderer(tmpl, 'spec.template', fields)(p, e) as any;
    assert.deepStrictEqual(rendered, {
      metadata: { name: 'team-web-spoke-1' },
      spec: { destination: { server: 'https://spoke-1', namespace: 'team-prod' }, project: 'team', source: { repoURL: 'https://git', path: 'apps/web/prod', targetRevision: 'HEAD' } },
    });
    assert.equal(rendered.spec.project, tmpl.spec.project);
    // A label read from a cluster without it: the general renderer's error, field and hint-ready message.
    const noLabel = { ...p, metadata: { labels: stringMap({}), annotations: stringMap({ repo: 'r' }) } };
    const failed = outcome(() => objectRenderer(tmpl, 'spec.template', fields)(noLabel, e));
    assert.deepStrictEqual(failed, outcome(() => generalObjectRenderer(tmpl, 'spec.template', fields)(noLabel, e)));
    assert.ok(!failed.ok && failed.error.path === 'spec.template.metadata.labels.env' && /map has no entry for key "environment"/.test(failed.error.message), JSON.stringify(failed));
  });

  it('leaves a template with a templated key or a __proto__ key to the general renderer', () => {
    assert.equal(fastRendererSource({ metadata: { '{{.a}}': 'x', name: '{{.a}}' } }, 'spec.template'), undefined);
    assert.equal(fastRendererSource(JSON.parse('{"spec": {"__proto__": "{{.a}}"}}'), 'spec.template'), undefined);
  });
});

describe('param sets made as they are read', () => {
  it('a matrix gives the param sets of merging eagerly, in order, and the same errors', () => {
    const secrets = Array.from({ length: 6 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `c${i}`,
        namespace: 'argocd',
        labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: i % 2 ? 'prod' : 'dev', ...(i === 5 ? { app: 'over' } : {}) },
        annotations: { repo: `r${i}` },
      },
      stringData: { name: `c${i}`, server: `https://c${i}` },
    }));
    const { clusters } = clusterInventory(secrets);
    const options = { clusters, goTemplate: true, missingKey: 'error' as const };
    const elements = [{ app: 'a', env: 'dev' }, { app: 'b', env: 'prod', metadata: { labels: { extra: 'x' } } }, { app: 'c', env: 'none' }];
    const matrix = { matrix: { generators: [{ list: { elements } }, { clusters: { selector: { matchLabels: { env: '{{.env}}' } } } }] } };
    const lazy = [...paramSetsOf(matrix, options)];
    // Reference: each pair merged as Argo CD does (b, then a over it, into a new map).
    const firsts = generateParamSets({ list: { elements } }, options);
    const expected: GoMap[] = [];
    for (const a of firsts) {
      const second = generateParamSets({ clusters: { selector: { matchLabels: { env: a.env as string } } } }, options);
      for (const b of second) {
        const tmp: GoMap = {};
        mergoMerge(tmp, b, true);
        mergoMerge(tmp, a, true);
        expected.push(tmp);
      }
    }
    assert.equal(lazy.length, 6);
    assert.deepStrictEqual(lazy, expected);
    assert.deepStrictEqual(generateParamSets(matrix, options), expected);
    // Read twice, the same; no param set is shared between two reads (each may be changed by its reader).
    const again = [...paramSetsOf(matrix, options)];
    assert.deepStrictEqual(again, expected);
    assert.ok(again.every((p, i) => p !== lazy[i]));
    // An error of the second child is thrown by the call, before anything is read.
    const bad = { matrix: { generators: [{ list: { elements } }, { clusters: { selector: { matchLabels: { env: '{{.nope}}' } } } }] } };
    assert.throws(() => paramSetsOf(bad, options), /map has no entry for key "nope"/);
    // A merge changes its base sets in place: the clusters' shared param sets stay as they were.
    const merge = { merge: { mergeKeys: ['name'], generators: [{ clusters: {} }, { list: { elements: [{ name: 'c1', extra: 'e' }] } }] } };
    const merged = generateParamSets(merge, options);
    assert.equal(merged.find((p) => p.name === 'c1')?.extra, 'e');
    assert.ok(generateParamSets({ clusters: {} }, options).every((p) => p.extra === undefined));
  });
});

describe("the plan's compact store, written directly", () => {
  const tree = renderTree(fleetOutputs(exampleFleet));

  /** The same plan with its entries as objects: what the general writers read. */
  const asObjects = (view: ReturnType<typeof planFleetView>): FleetPlan => ({
    ...view,
    entries: Array.from({ length: view.entries.length }, (_, i) => view.entries.at(i)!),
  });

  it('writes the table and the JSON of the objects, with Applications on no cluster and several hubs', () => {
    const objects = new Map([...tree.objects].map(([p, docs]) => [p, structuredClone(docs)])) as Map<string, any[]>;
    const root = structuredClone(objects.get('hub/apps/addons.yaml')![0]);
    root.metadata.name = 'nowhere';
    root.spec.destination = { server: 'https://gone.example.com', namespace: 'x' };
    objects.set('hub/apps/nowhere.yaml', [root]);
    const noServer = structuredClone(root);
    noServer.metadata.name = 'no-server';
    noServer.spec.destination = { name: 'gone' };
    objects.set('hub/apps/no-server.yaml', [noServer]);
    for (const objs of [objects, new Map([...objects].flatMap(([p, docs]) => (p.startsWith('hub/') ? [[`hubs/eu/${p.slice(4)}`, docs], [`hubs/us/${p.slice(4)}`, docs]] : [[p, docs]])))]) {
      const view = planFleetView(objs);
      assert.ok(view.entries.length > 10);
      const plain = asObjects(view);
      assert.ok(plain.entries.some((e) => e.cluster === ''));
      assert.deepStrictEqual(plain.entries, planFleet(objs).entries);
      assert.equal(formatPlanTable(view), formatPlanTable(plain));
      assert.equal(formatPlanJson(view), formatPlanJson(plain));
    }
    const empty = planFleetView(new Map());
    assert.equal(formatPlanTable(empty), formatPlanTable(asObjects(empty)));
    assert.equal(formatPlanJson(empty), formatPlanJson(asObjects(empty)));
  });

  it('reads any range of entries in order', () => {
    const view = planFleetView(tree.objects);
    const entries = asObjects(view).entries;
    const compact = view.entries as unknown as { forEachEntry: (s: number, e: number, v: (c: string, s: string, a: string, sh: object) => void) => void };
    fc.assert(
      fc.property(fc.integer({ min: -3, max: entries.length + 3 }), fc.integer({ min: -3, max: entries.length + 3 }), (start, end) => {
        const seen: string[] = [];
        compact.forEachEntry(start, end, (cluster, server, application) => seen.push(`${cluster} ${server} ${application}`));
        assert.deepStrictEqual(seen, entries.slice(Math.max(0, start), Math.max(0, end)).map((e) => `${e.cluster} ${e.server} ${e.application}`));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('names declared twice', () => {
  it('are found by prefixes and hashing the suspects as by hashing every name, with their declarations in order', () => {
    // Runs of names per origin, as the plan adds them: an ApplicationSet's unique names, or plain Applications.
    const name = fc.stringMatching(/^[ab]{0,3}(-[ab]{1,2})?$/);
    const run = fc.record({
      namespace: fc.constantFrom('argocd', 'other', 'a'),
      origin: fc.constantFrom('set-1', 'set-2', 'set-3', 'app-1', 'app-2'),
      names: fc.array(name, { minLength: 1, maxLength: 6 }),
    });
    let found = 0;
    fc.assert(
      fc.property(fc.array(run, { maxLength: 8 }), (runs) => {
        // An ApplicationSet (set-*) has one namespace and adds each of its names once, whatever runs its
        // names come in; plain Applications (app-*) vouch for nothing.
        const seen = new Map<string, Set<string>>();
        const namespaces = new Map<string, string>();
        const adds = runs.flatMap((r): Array<{ namespace: string; name: string; origin: string; unique: boolean }> => {
          const unique = r.origin.startsWith('set');
          if (!unique) return r.names.map((n) => ({ namespace: r.namespace, name: n, origin: r.origin, unique }));
          if (!namespaces.has(r.origin)) namespaces.set(r.origin, r.namespace);
          if (!seen.has(r.origin)) seen.set(r.origin, new Set());
          const own = seen.get(r.origin)!;
          const names = r.names.filter((n) => !own.has(n) && own.add(n));
          return names.map((n) => ({ namespace: namespaces.get(r.origin)!, name: n, origin: r.origin, unique }));
        });
        const { indexed, hashed } = duplicateNamesOf(adds);
        assert.deepStrictEqual(indexed, hashed);
        found += hashed.length;
      }),
      { seed: 42, numRuns: 2000 },
    );
    assert.ok(found > 500, `${found} names declared twice`);
    // Prefixes that are not one a prefix of the other: nothing to hash, nothing found; a shared one is found.
    const adds = ['team1-a-x', 'team1-a-y', 'team2-a-x'].map((n, i) => ({ namespace: 'argocd', name: n, origin: i < 2 ? 's1' : 's2', unique: true }));
    assert.deepStrictEqual(duplicateNamesOf(adds).indexed, []);
    const shared = [...adds, { namespace: 'argocd', name: 'team1-a-y', origin: 'app', unique: false }];
    assert.deepStrictEqual(duplicateNamesOf(shared).indexed, [['argocd', 'team1-a-y', ['s1', 'app']]]);
  });
});

describe('Application names in an expansion', () => {
  it('are valid exactly when the DNS-1123 subdomain expression and the length limit say so', () => {
    const chars = fc.constantFrom('a', 'z', '0', '9', '-', '.', 'A', '_', 'é', ' ');
    const names = fc.oneof(
      fc.array(chars, { maxLength: 12 }).map((c) => c.join('')),
      fc.stringMatching(/^[a-z0-9][-a-z0-9.]{0,20}$/),
      fc.integer({ min: 250, max: 256 }).map((n) => 'a'.repeat(n)),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(names, (n) => assert.equal(validName(n) !== undefined, DNS_SUBDOMAIN.test(n) && n.length <= 253, JSON.stringify(n))),
      { seed: 3, numRuns: 20000 },
    );
  });

  it('are counted by the table as by a Map: the first of a name is generated, the second reported, the rest dropped', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.stringMatching(/^[a-c]{1,3}$/), { maxLength: 60 }), fc.array(fc.stringMatching(/^[a-d]{1,5}$/), { minLength: 200, maxLength: 600 })), (list) => {
        const appSet = {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ApplicationSet',
          metadata: { name: 'set', namespace: 'argocd' },
          spec: {
            goTemplate: true,
            generators: [{ list: { elements: list.map((n) => ({ n })) } }],
            template: { metadata: { name: '{{.n}}' }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'x' } } },
          },
        };
        const result = expandApplicationSet(appSet, []);
        const counts = new Map<string, number>();
        const generated: string[] = [];
        const reported: string[] = [];
        for (const n of list) {
          const c = counts.get(n) ?? 0;
          counts.set(n, c + 1);
          if (c === 0) generated.push(n);
          else if (c === 1) reported.push(n);
        }
        assert.deepStrictEqual(result.applications.map((a) => a.application.metadata.name), generated);
        assert.deepStrictEqual(
          result.problems.map((p) => p.message),
          list.length === 0 ? ['the ApplicationSet generates no Application: its generators produce no parameter sets'] : reported.map((n) => `ApplicationSet set contains applications with duplicate name: ${n}: make the name template include what tells the parameter sets apart (the cluster, the app)`),
        );
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});
