/**
 * `npm run plan` without rendering: when the output folder's index vouches for it (same input and code as
 * the synth that wrote it, no synth running, the files read byte for byte as recorded), the plan reads
 * the Argo CD objects from the folder. Its output, exit code and problems must be those of the rendered
 * path, byte for byte; and the YAML it reads must read as the `yaml` package reads it.
 */
import { afterEach, beforeEach, describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { ADDON_CATALOG, fleetOutputs, FleetSource } from '../charts/index.js';
import { writeYaml } from '../engines/yaml/index.js';
import { runCli } from '../render/cli.js';
import { renderTree } from '../render/render.js';
import { isPlanInput } from '../render/plan/plan.js';
import { runPlan } from '../render/plan/plan-cli.js';
import { distVerdict, readPlanInputs } from '../render/plan/plan-source.js';
import { renderCacheable } from '../render/cache/cache-dir.js';
import { readYamlSubset } from '../engines/yaml/index.js';
import { expandApplicationSet, GeneratedApplication } from '../engines/applicationset/expand.js';
import { clusterInventory, isClusterSecret } from '../engines/applicationset/clusters.js';
import { parseSize, syntheticFleet } from '../bench/synthetic-fleet.js';
import { exampleFleet, fleetCopy, withSpec } from './support/fleet.js';

const yamlRead = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);

let work = '';
const saved = { dir: process.env.CDK8S_FLEET_CACHE_DIR, cache: process.env.CDK8S_FLEET_CACHE, out: process.env.CDK8S_OUTDIR };
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'plan-from-dist-'));
  process.env.CDK8S_FLEET_CACHE_DIR = join(work, 'cache');
  delete process.env.CDK8S_FLEET_CACHE;
  delete process.env.CDK8S_OUTDIR;
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
  for (const [k, v] of [['CDK8S_FLEET_CACHE_DIR', saved.dir], ['CDK8S_FLEET_CACHE', saved.cache], ['CDK8S_OUTDIR', saved.out]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** runPlan in-process: exit code, stdout, the summary line (which path) and the other stderr lines. */
function plan(t: TestContext, argv: string[], source: FleetSource, options = {}) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'error', (m: string) => err.push(...String(m).split('\n')));
  t.mock.method(console, 'log', (m: string) => err.push(...String(m).split('\n')));
  let code: number;
  try {
    code = runPlan(argv, source, options, (c) => out.push(c));
  } finally {
    t.mock.restoreAll();
  }
  const summary = err.filter((l) => l.startsWith('cdk8s-fleet: planned '));
  assert.equal(summary.length, 1, err.join('\n'));
  return { code, stdout: out.join(''), summary: summary[0], stderr: err.filter((l) => !l.startsWith('cdk8s-fleet: planned ')).join('\n') };
}

function synth(t: TestContext, source: FleetSource, dir: string): void {
  const lines: string[] = [];
  t.mock.method(console, 'log', (m: string) => lines.push(m));
  t.mock.method(console, 'error', (m: string) => lines.push(m));
  try {
    assert.equal(runCli(['synth', '--out', dir], source), 0, lines.join('\n'));
  } finally {
    t.mock.restoreAll();
  }
}

const FROM_DIST = /^cdk8s-fleet: planned \d+ Applications? from the \d+ files of .*\/ in \d+\.\d\d s \(input, code and folder as at the last synth: nothing rendered\)$/;

/** Plans `source` from a synthesized folder and by rendering, table and JSON: everything the same. */
function samePlan(t: TestContext, source: FleetSource, expectedCode = 0) {
  const dist = join(work, 'dist');
  synth(t, source, dist);
  for (const json of [[], ['--json']]) {
    const read = plan(t, ['plan', ...json, '--out', dist], source);
    const rendered = plan(t, ['plan', ...json, '--out', dist, '--no-cache'], source);
    assert.match(read.summary, FROM_DIST);
    assert.match(rendered.summary, /from a render of the fleet \(--no-cache\)/);
    assert.equal(read.code, expectedCode, read.stderr);
    assert.equal(rendered.code, read.code);
    assert.equal(read.stdout, rendered.stdout);
    assert.equal(read.stderr, rendered.stderr);
    assert.ok(read.stdout.length > 0);
  }
  return dist;
}

describe('plan from the output folder', () => {
  it('the example fleet: the same table and JSON as the render, without rendering', (t) => {
    samePlan(t, exampleFleet);
  });

  it('a small synthetic fleet: the same', (t) => {
    samePlan(t, syntheticFleet(parseSize('S')));
  });

  it('a fleet with problems: the same problems on stderr and exit code 1', (t) => {
    const spec = fleetCopy();
    delete spec.repos.credentials;
    samePlan(t, withSpec(spec), 1);
  });

  it('a fleet with several hubs: the same', (t) => {
    const spec = fleetCopy();
    const hub = spec.clusters.find((c) => c.name === 'hub')!;
    spec.clusters.push({ ...structuredClone(hub), name: 'hub-eu', region: 'eu-west-1', vpcId: 'vpc-0e1f2a3b4c5d6e7f8' });
    spec.clusters.find((c) => c.name === 'spoke-staging')!.hub = 'hub-eu';
    spec.clusters.find((c) => c.name === 'spoke-prod')!.hub = 'hub';
    samePlan(t, withSpec(spec));
  });

  it('renders when the folder cannot stand in for a render, and says why; the output stays the same', (t) => {
    const dist = samePlan(t, exampleFleet);
    const reference = plan(t, ['plan', '--out', dist], exampleFleet).stdout;
    const renders = (why: RegExp, argv: string[] = [], source = exampleFleet, options = {}) => {
      const r = plan(t, ['plan', '--out', dist, ...argv], source, options);
      assert.match(r.summary, new RegExp(`from a render of the fleet \\(${why.source}\\) in \\d+\\.\\d\\d s$`));
      return r;
    };
    assert.equal(renders(/--no-cache/, ['--no-cache']).stdout, reference);
    process.env.CDK8S_FLEET_CACHE = 'off';
    assert.equal(renders(/CDK8S_FLEET_CACHE=off/).stdout, reference);
    delete process.env.CDK8S_FLEET_CACHE;
    // A test's own catalog is code the render key does not cover.
    const catalog = ADDON_CATALOG.map((a) => ({ ...a }));
    assert.equal(renderCacheable({ catalog }), false);
    assert.equal(renderCacheable({ catalog: ADDON_CATALOG }), true);
    assert.equal(renders(/options other than the defaults/, [], exampleFleet, { catalog }).stdout, reference);
    // Another input: the folder is not what it renders.
    const other = syntheticFleet(parseSize('S'));
    assert.notEqual(renders(/.*was synthesized from another input or code/, [], other).stdout, reference);
    // No index for a folder no synth wrote.
    const r = plan(t, ['plan', '--out', join(work, 'elsewhere')], exampleFleet);
    assert.match(r.summary, /from a render of the fleet \(no index of .*elsewhere\/: synth it to plan without rendering\)/);
    assert.equal(r.stdout, reference);
    // A file the plan does not read (the README) changed: still from the folder.
    appendFileSync(join(dist, 'README.md'), '\nedited by hand\n');
    assert.match(plan(t, ['plan', '--out', dist], exampleFleet).summary, FROM_DIST);
    // A file it reads changed: its bytes are not the render's any more, so the plan renders.
    const cluster = join(dist, 'hub/argocd/clusters/hub.yaml');
    writeFileSync(cluster, readFileSync(cluster, 'utf8').replace(/environment: control-plane/g, 'environment: edited'));
    assert.equal(renders(/.*changed since the last synth/).stdout, reference);
    // A synth writing the folder (its lock beside it).
    synth(t, exampleFleet, dist);
    writeFileSync(join(work, '.dist.lock'), '');
    assert.equal(renders(/a synth is writing .*/).stdout, reference);
    rmSync(join(work, '.dist.lock'));
    assert.match(plan(t, ['plan', '--out', dist], exampleFleet).summary, FROM_DIST);
  });

  it('--out defaults to $CDK8S_OUTDIR, then dist/; --out needs a folder', (t) => {
    const dist = join(work, 'out-env');
    synth(t, exampleFleet, dist);
    process.env.CDK8S_OUTDIR = dist;
    assert.match(plan(t, ['plan'], exampleFleet).summary, FROM_DIST);
    const err: string[] = [];
    t.mock.method(console, 'error', (m: string) => err.push(m));
    const code = runPlan(['plan', '--out'], exampleFleet, {}, () => {});
    t.mock.restoreAll();
    assert.equal(code, 2);
    assert.match(err.join('\n'), /--out needs a folder/);
  });

  it('reads exactly the objects the render gives the plan', (t) => {
    const dist = join(work, 'dist');
    synth(t, exampleFleet, dist);
    const verdict = distVerdict(dist, exampleFleet, {}, false);
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
    const read = readPlanInputs(dist, verdict.index)!;
    const tree = renderTree(fleetOutputs(exampleFleet));
    assert.deepEqual([...read.keys()], [...tree.objects.keys()]);
    for (const [file, docs] of tree.objects) assert.deepEqual(read.get(file), docs.filter(isPlanInput), file);
    assert.ok([...read.values()].flat().length > 20);
  });
});

describe('the YAML the plan reads', () => {
  it('the render writes objects only to .yaml files, and text files are never .yaml', () => {
    for (const source of [exampleFleet, syntheticFleet(parseSize('S'))]) {
      const tree = renderTree(fleetOutputs(source));
      for (const [file, docs] of tree.objects) assert.equal(docs.length > 0, file.endsWith('.yaml'), file);
    }
  });

  it('the fast reader reads every rendered YAML file as the yaml package does, or declines', () => {
    let read = 0;
    let declined = 0;
    for (const source of [exampleFleet, syntheticFleet(parseSize('S'))]) {
      const tree = renderTree(fleetOutputs(source));
      for (const [file, text] of tree.files) {
        if (!file.endsWith('.yaml')) continue;
        const fast = readYamlSubset(text);
        if (fast === undefined) {
          declined++;
          continue;
        }
        read++;
        assert.ok(isDeepStrictEqual(fast, yamlRead(text)), file);
        assert.ok(isDeepStrictEqual(fast, tree.objects.get(file)), file);
      }
    }
    assert.ok(read > 100 && declined < read / 5, `${read} read, ${declined} declined`);
  });

  it('the fast reader on awkward values: the yaml package\'s reading, or undefined', () => {
    const strings = [
      '', ' ', 'a b', 'a: b', 'a:b', 'a #b', '#a', '- a', '-a', '? a', '?a', 'yes', 'no', 'on', 'null', 'Null', '~', 'true', 'True', '1', '01', '0x1f', '0o7', '1e3',
      '1.0', '.5', '-0', '1_000', '1:20', '2024-01-01', '=', '<<', '---', '--- a', '...', '%x', "it's", 'say "hi"', 'both \' and "', 'tab\there', 'line\nbreak',
      'trailing ', ' leading', 'ünïcødé', '\u0001', '\u2028', 'back\\slash', '{a}', '[a]', '{}', '[]', '*a', '&a', '!a', '|', '>', '@a', '`a', 'a,b', 'x'.repeat(1100),
      '"', "'", 'a: ', 'a:', ':a', 'k8s.io/name', 'https://x.example.com/a?b=c#d', '${{ x }}', '{{.name}}',
    ];
    const values: unknown[] = [...strings, 0, 1, -1, 1.5, -2.25, 1e21, 123456789012, 0.1, true, false, null, [], {}, [[]], [{}], [[1, 2], [3]], { a: [] }, { a: {} }];
    const docs: unknown[] = [
      ...values.map((v) => ({ v })),
      Object.fromEntries(strings.filter((s) => s !== '__proto__').map((s, i) => [s, values[i % values.length]])),
      { list: values, nested: { deeper: [{ a: 1, b: [{ c: 'd' }, 'e', ['f', { g: null }]] }] } },
      values,
    ];
    for (const doc of docs) {
      const text = `# header\n${writeYaml(doc)}---\n${writeYaml({ second: doc })}`;
      const fast = readYamlSubset(text);
      if (fast !== undefined) assert.ok(isDeepStrictEqual(fast, yamlRead(text)), text);
    }
    for (const bad of ['a: 1\n  b: 2\n', 'a:\nb: 1\n', 'a: [1]\n', 'a: &x 1\n', '- a\nb: 1\n', 'a: 1', 'a: 1\na: 2\n', 'a: 1 # c\n', '\ta: 1\n', 'a: |\n  x\n']) {
      assert.equal(readYamlSubset(bad), undefined, bad);
    }
  });
});

describe('expansion for the plan: streamed, with only the fields it reads', () => {
  const FIELDS = { metadata: { name: true as const, namespace: true as const, finalizers: true as const }, spec: { destination: true as const, project: true as const, source: true as const, sources: true as const } };
  const pick = (a: any) => ({
    metadata: { name: a.metadata.name, namespace: a.metadata.namespace, finalizers: a.metadata.finalizers },
    spec: { destination: a.spec.destination, project: a.spec.project, source: a.spec.source, sources: a.spec.sources },
  });

  function compare(appSets: any[], secrets: unknown[]) {
    const inventory = clusterInventory(secrets.map((object) => ({ object, file: 'x.yaml' })));
    let generated = 0;
    for (const set of appSets) {
      const full = expandApplicationSet(set, inventory);
      const streamed: GeneratedApplication[] = [];
      const partial = expandApplicationSet(set, inventory, {}, (g) => streamed.push(g), FIELDS);
      assert.deepEqual(partial.applications, []);
      assert.deepEqual(partial.problems, full.problems);
      assert.deepEqual(partial.selections, full.selections);
      assert.equal(streamed.length, full.applications.length);
      streamed.forEach((g, i) => {
        assert.deepEqual(pick(g.application), pick(full.applications[i].application));
        assert.deepEqual(g.params, full.applications[i].params);
        assert.equal(g.cluster, full.applications[i].cluster);
      });
      generated += streamed.length;
    }
    return generated;
  }

  it('the same Applications (as the plan reads them) and problems as a full expansion, on rendered fleets', () => {
    for (const source of [exampleFleet, syntheticFleet(parseSize('S'))]) {
      const docs = [...renderTree(fleetOutputs(source)).objects.values()].flat() as any[];
      const n = compare(docs.filter((d) => d?.kind === 'ApplicationSet'), docs.filter(isClusterSecret));
      assert.ok(n > 20, `${n} Applications`);
    }
  });

  it('the same first error when a field the plan does not read fails, and RollingSync still reads the labels', () => {
    const secret = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...labels } },
      stringData: { name, server: `https://${name}.example.com` },
    });
    const secrets = [secret('a', { env: 'dev' }), secret('b', { env: 'prod', tier: 'x' })];
    const template = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
      metadata: { name: '{{.name}}-app', labels, annotations: { '{{.name}}-note': 'n-{{.metadata.labels.env}}' } },
      spec: { project: 'default', destination: { server: '{{.server}}', namespace: 'ns' }, source: { repoURL: 'https://git.example.com/r.git', path: 'p/{{.name}}' }, ...extra },
    });
    const set = (tmpl: unknown, spec: Record<string, unknown> = {}) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 's', namespace: 'argocd' },
      spec: { goTemplate: true, goTemplateOptions: ['missingkey=error'], generators: [{ clusters: {} }], template: tmpl, ...spec },
    });
    const sets = [
      set(template({ tier: '{{.metadata.labels.tier}}' })),
      set(template({ ok: 'x' }, { info: [{ name: '{{.metadata.labels.tier}}', value: 'v' }] })),
      set(template({ env: '{{.metadata.labels.env}}' }), { strategy: { type: 'RollingSync', rollingSync: { steps: [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }] } } }),
      set({ metadata: { name: 'fixed' }, spec: { project: 'default', destination: { server: 'https://a.example.com' } } }),
    ];
    compare(sets, secrets);
    const failing = expandApplicationSet(sets[0], secrets, {}, () => {}, FIELDS).problems;
    assert.ok(failing.some((p) => p.path.includes('labels') && p.message.includes('tier')), JSON.stringify(failing));
    const rolling = expandApplicationSet(sets[2], secrets, {}, () => {}, FIELDS).problems;
    assert.ok(rolling.some((p) => p.message.includes('matches no RollingSync step')), JSON.stringify(rolling));
  });
});
