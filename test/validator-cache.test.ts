/**
 * render/validate/validator-cache.ts: the compiled validators kept on disk. A cached validator is the one
 * the schema compiles to; an entry that is missing, truncated, altered or of another schema is rebuilt; a
 * changed CRD (another sha256 in the lock) never meets the old validator; processes building at once leave
 * whole entries; a warm cache reads no CRD YAML.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { stringify } from 'yaml';
import { CrdLockEntry, CrdLockError, sha256, verifiedCrdFiles } from '../render/validate/crd-lock.js';
import { factorSchema, LockedKinds, schemaId, validatorCacheDir, ValidatorCache, VerifiedCrd } from '../render/validate/validator-cache.js';
import { crdsAvailable, crdSchema, schemaProblems } from '../render/validate/validate-schemas.js';
import { objects, render } from './support/fleet.js';
import { scriptArgs } from './support/main-process.js';

const BUILD_CHILD = path.join(import.meta.dirname, 'support', 'validator-build-child.ts');

const ROOT = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-validators-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(tmp, `cache-${++dirs}`);

/** A subschema large enough to be factored out, used several times (as ApplicationSet repeats its template). */
const big = {
  type: 'object',
  required: ['name'],
  properties: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, { type: 'string', enum: ['a', 'b', `value-${i}`], description: `field number ${i} of the widget` }])),
};
big.properties.name = { type: 'string', pattern: '^[a-z]+$', description: 'the name' } as any;
const widgetSchema = (sizeEnum: string[]) => ({
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'string', enum: sizeEnum },
        primary: big,
        replicas: { type: 'array', items: big },
        nested: { type: 'object', properties: { inner: big, more: { type: 'array', items: { type: 'object', properties: { again: big } } } } },
        count: { type: 'integer', minimum: 0, nullable: true },
      },
      additionalProperties: false,
    },
  },
});

/** A CRD file of kind Widget (example.com) whose spec.size allows `sizes`. */
function widgetCrd(sizes: string[]): string {
  return stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: widgetSchema(sizes) } },
        { name: 'v0', served: false, storage: false },
      ],
    },
  });
}

/** A folder of CRDs with its lock, for LockedKinds. */
function crdFolder(sizes: string[]): { dir: string; lock: CrdLockEntry[]; files: VerifiedCrd[] } {
  const dir = path.join(tmp, `crds-${++dirs}`);
  fs.mkdirSync(path.join(dir, 'example'), { recursive: true });
  const text = widgetCrd(sizes);
  fs.writeFileSync(path.join(dir, 'example', 'widgets.yaml'), text);
  const lock: CrdLockEntry[] = [{ name: 'widgets.example.com', url: 'https://example.com/widgets.yaml', release: 'v1', path: 'example/widgets.yaml', sha256: sha256(Buffer.from(text)) }];
  const files = verifiedCrdFiles(dir, lock).map(({ entry, file }) => ({ entry, file, sha256: entry.sha256 }));
  return { dir, lock, files };
}

const widget = (size: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w' },
  spec: { size, primary: { name: 'abc', field3: 'value-3' }, replicas: [{ name: 'x' }, { name: 'Y', field1: 'nope' }], ...extra },
});
const errorsOf = (validate: { (d: unknown): boolean; errors?: any[] | null }, data: unknown) =>
  validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);

describe('validator cache', () => {
  it('factors repeated subschemas out without changing what is valid or the errors reported', () => {
    const schema = widgetSchema(['S', 'M']);
    const factored = factorSchema(schema) as any;
    assert.ok(Object.keys(factored.$defs).length >= 1, 'the repeated subschema is one definition');
    assert.match(JSON.stringify(factored.properties.spec.properties.primary), /"\$ref":"#\/\$defs\//);
    const plain = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const split = new Ajv({ strict: false, allErrors: true, validateFormats: false, inlineRefs: false }).compile(factored);
    const cases: unknown[] = [
      widget('S'),
      widget('XL'),
      widget('M', { count: null }),
      widget('M', { count: -1, extra: true }),
      widget('S', { nested: { inner: { field0: 'c' }, more: [{ again: { name: 7 } }, { again: 'x' }] } }),
      { apiVersion: 'example.com/v1', kind: 'Widget', spec: 'nope' },
      { spec: { primary: [] } },
    ];
    for (const c of cases) assert.deepEqual(errorsOf(split, c), errorsOf(plain, c), JSON.stringify(c));
    assert.ok(cases.filter((c) => errorsOf(plain, c).length > 0).length >= 5, 'the cases include invalid objects');
    // A schema that already refers by $ref is compiled as it is.
    const withRef = { type: 'object', properties: { a: { $ref: '#/properties/b' }, b: big } };
    assert.equal(factorSchema(withRef), withRef);
  });

  it('validates the rendered fleet\'s Argo CD and External Secrets kinds exactly as ajv does with the CRD\'s own schema', (t) => {
    if (!crdsAvailable()) return t.skip('no CRDs');
    const all = objects(render()).map((o) => o.obj).filter((o) => ['AppProject', 'ExternalSecret', 'Provider'].includes(o.kind));
    assert.ok(all.length >= 3);
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const mutate = (o: any) => {
      const c = structuredClone(o);
      const paths: string[][] = [];
      const walk = (v: any, p: string[]) => { if (p.length) paths.push(p); if (v && typeof v === 'object') for (const k of Object.keys(v)) walk(v[k], [...p, k]); };
      walk(c.spec, ['spec']);
      const p = paths[rnd(paths.length)];
      let parent = c;
      for (const k of p.slice(0, -1)) parent = parent[k];
      const k = p[p.length - 1];
      parent[k] = [12, 'text', null, { unknown: true }, [parent[k]], -1.5][rnd(6)];
      return c;
    };
    const plain = new Map<string, ReturnType<Ajv['compile']>>();
    let invalid = 0;
    for (const o of all) {
      const key = `${o.apiVersion}/${o.kind}`;
      if (!plain.has(key)) plain.set(key, new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(crdSchema(o.apiVersion, o.kind)));
      const validate = plain.get(key)!;
      for (let i = 0; i < 40; i++) {
        const m = i === 0 ? o : mutate(i % 2 ? mutate(o) : o);
        const expected = validate(m) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
        if (expected.length) invalid++;
        assert.deepEqual(schemaProblems(m), expected, JSON.stringify(m.spec));
      }
    }
    assert.ok(invalid > 50, 'most mutations are invalid');
  });

  it('stores a validator once and loads it in a later process without compiling', () => {
    const dir = freshDir();
    const schema = widgetSchema(['S']);
    const first = new ValidatorCache(dir).validatorOf(schema);
    assert.ok(fs.existsSync(path.join(dir, `validator-${schemaId(schema)}.cjs`)));
    const later = new ValidatorCache(dir).validator(schemaId(schema), () => assert.fail('compiled again'));
    for (const c of [widget('S'), widget('M'), widget('S', { count: 'x' })]) assert.deepEqual(errorsOf(later, c), errorsOf(first, c));
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left');
  });

  it('rebuilds an entry that is truncated, altered, emptied or of another schema, and never serves it', () => {
    const dir = freshDir();
    const small = widgetSchema(['S']);
    const large = widgetSchema(['S', 'M', 'L']);
    const file = path.join(dir, `validator-${schemaId(small)}.cjs`);
    new ValidatorCache(dir).validatorOf(small);
    new ValidatorCache(dir).validatorOf(large);
    const good = fs.readFileSync(file, 'utf8');
    const damage: Record<string, string> = {
      truncated: good.slice(0, Math.floor(good.length / 2)),
      empty: '',
      altered: good.replace('"S"', '"M"'),
      // A whole, well-sealed entry, but of the other schema (it would accept size M).
      'of another schema': fs.readFileSync(path.join(dir, `validator-${schemaId(large)}.cjs`), 'utf8'),
    };
    for (const [what, text] of Object.entries(damage)) {
      fs.writeFileSync(file, text);
      let compiled = 0;
      const validate = new ValidatorCache(dir).validator(schemaId(small), () => (compiled++, small));
      assert.equal(compiled, 1, `${what}: compiled again`);
      assert.notDeepEqual(errorsOf(validate, widget('M')), [], `${what}: size M is refused`);
      assert.deepEqual(errorsOf(validate, widget('S')).filter((e) => e.includes('size')), [], `${what}: size S is accepted`);
      assert.equal(fs.readFileSync(file, 'utf8'), good, `${what}: the entry is whole again`);
    }
  });

  it('a changed CRD (another sha256 in the lock) gets its own index and validator; a stale copy is refused', () => {
    const dir = freshDir();
    const before = crdFolder(['S', 'M']);
    const kindsBefore = new LockedKinds(before.files, new ValidatorCache(dir));
    const v1 = kindsBefore.schemaOf('example.com', 'v1', 'Widget')!;
    assert.deepEqual(errorsOf(kindsBefore.validator(v1), widget('M')).filter((e) => e.includes('size')), []);
    assert.equal(kindsBefore.schemaOf('example.com', 'v0', 'Widget'), undefined, 'a version without schema has no validator');
    assert.equal(kindsBefore.versionOf('example.com', 'v0', 'Widget'), null);
    assert.equal(kindsBefore.versionOf('example.com', 'v1', 'Gadget'), undefined);

    // The CRD upstream drops size M: new bytes, new pin.
    const after = crdFolder(['S']);
    assert.notEqual(after.lock[0].sha256, before.lock[0].sha256);
    const kindsAfter = new LockedKinds(after.files, new ValidatorCache(dir));
    const ref = kindsAfter.schemaOf('example.com', 'v1', 'Widget')!;
    assert.notEqual(ref.id, v1.id);
    assert.ok(errorsOf(kindsAfter.validator(ref), widget('M')).some((e) => e.includes('/spec/size must be equal to one of the allowed values')));
    assert.deepEqual(kindsAfter.schema(ref), widgetSchema(['S']));

    // The new copy under the old pin: refused before any cache is read.
    fs.copyFileSync(path.join(after.dir, 'example', 'widgets.yaml'), path.join(before.dir, 'example', 'widgets.yaml'));
    assert.throws(() => verifiedCrdFiles(before.dir, before.lock), CrdLockError);
    // Nor does a LockedKinds made before the change parse the changed file.
    assert.throws(() => new LockedKinds(before.files, new ValidatorCache(freshDir())).schemaOf('example.com', 'v1', 'Widget'), CrdLockError);
  });

  it('a warm cache reads no CRD file, and a lost schema entry is parsed again from the verified file', () => {
    const dir = freshDir();
    const crds = crdFolder(['S']);
    const cold = new LockedKinds(crds.files, new ValidatorCache(dir));
    const ref = cold.schemaOf('example.com', 'v1', 'Widget')!;
    cold.validator(ref);
    // The CRD file is gone: a warm cache still answers, from its index and validator entries.
    const moved = crds.files.map((f) => ({ ...f, file: path.join(tmp, 'nowhere.yaml') }));
    const warm = new LockedKinds(moved, new ValidatorCache(dir));
    const again = warm.schemaOf('example.com', 'v1', 'Widget')!;
    assert.deepEqual(again, ref);
    assert.notDeepEqual(errorsOf(warm.validator(again), widget('M')), []);
    // A schema entry that no longer matches its id is not used: the schema is parsed again from the file.
    fs.writeFileSync(path.join(dir, `schema-${ref.id}.json`), '{"type":"object"}');
    fs.rmSync(path.join(dir, `validator-${ref.id}.cjs`));
    const repaired = new LockedKinds(crds.files, new ValidatorCache(dir));
    assert.notDeepEqual(errorsOf(repaired.validator(ref), widget('M')), []);
    assert.equal(schemaId(JSON.parse(fs.readFileSync(path.join(dir, `schema-${ref.id}.json`), 'utf8'))), ref.id);
    // A corrupt index is rebuilt from the file too.
    const index = path.join(dir, `crd-${crds.files[0].sha256}.idx`);
    fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace('Widget', 'Gadget'));
    assert.deepEqual(new LockedKinds(crds.files, new ValidatorCache(dir)).schemaOf('example.com', 'v1', 'Widget'), ref);
  });

  it('works without a cache folder (FLEET_SCHEMA_CACHE=off) and keys the folder by the generator', () => {
    assert.equal(validatorCacheDir('off'), undefined);
    assert.match(validatorCacheDir(tmp)!, new RegExp(`^${tmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/validators-[0-9a-f]{16}$`));
    const validate = new ValidatorCache(undefined).validatorOf(widgetSchema(['S']));
    assert.notDeepEqual(errorsOf(validate, widget('M')), []);
  });

  it('removes the folders of other generator keys and temporary files left for over 10 minutes, nothing recent', () => {
    const root = freshDir();
    const dir = validatorCacheDir(root)!;
    const old = Date.now() / 1000 - 3600;
    const make = (file: string, age?: number) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'x');
      if (age) fs.utimesSync(file, age, age);
    };
    make(path.join(root, 'validators-0000000000000000', 'validator-a.cjs'));
    fs.utimesSync(path.join(root, 'validators-0000000000000000'), old, old);
    make(path.join(root, 'validators-1111111111111111', 'validator-a.cjs'));
    make(path.join(root, 'main-1234', 'index.js'));
    fs.utimesSync(path.join(root, 'main-1234'), old, old);
    make(path.join(dir, '.validator-b.cjs.1.ab.tmp'), old);
    make(path.join(dir, '.validator-c.cjs.2.cd.tmp'));
    new ValidatorCache(dir);
    assert.deepEqual(fs.readdirSync(root).sort(), ['main-1234', path.basename(dir), 'validators-1111111111111111'].sort());
    assert.deepEqual(fs.readdirSync(dir), ['.validator-c.cjs.2.cd.tmp']);
  });

  it('processes building the same validators at once leave whole entries that later processes load', async () => {
    const dir = freshDir();
    const crds = crdFolder(['S', 'M']);
    // Started the way the npm scripts start (scripts/run.mjs: a cached bundle), not through tsx: 0.3 s a process, not 1.2 s.
    const params = path.join(tmp, 'build.json');
    fs.writeFileSync(params, JSON.stringify({
      dir, crds: crds.files, schema: widgetSchema(['S', 'M', 'L', 'XL']), group: 'example.com', version: 'v1', kind: 'Widget',
      samples: [['a', 'M'], ['a', 'XL'], ['b', 'XL'], ['b', 'XXL']],
    }));
    const runOne = () => new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, scriptArgs(BUILD_CHILD, [params]), { cwd: ROOT });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}: ${err}`))));
    });
    const results = await Promise.all(Array.from({ length: 3 }, runOne));
    assert.deepEqual(results, Array(3).fill('[true,false,true,false]'));
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left');
    // Every entry is whole: a later process uses them all without compiling or parsing.
    const moved = crds.files.map((f) => ({ ...f, file: path.join(tmp, 'nowhere.yaml') }));
    const later = new LockedKinds(moved, new ValidatorCache(dir));
    const ref = later.schemaOf('example.com', 'v1', 'Widget')!;
    later.cache.validator(ref.id, () => assert.fail('compiled again'));
    later.cache.validator(schemaId(widgetSchema(['S', 'M', 'L', 'XL'])), () => assert.fail('compiled again'));
  });
});
