/**
 * Compiled schema validators, kept on disk so a schema is compiled once per machine, not once per process
 * (`npm run validate`, and each test file `node --test` runs in its own process).
 *
 * A validator is ajv's standalone code (`ajv/dist/standalone`) for one schema, generated on first need and
 * loaded, without ajv, by every later process. Before compiling, a schema's repeated subschemas are
 * factored out into `$defs` (one function each): Argo CD's ApplicationSet repeats the Application template
 * in every generator, and compiled whole it was 7 MB of code that took seconds to compile and to load.
 *
 * Layout: node_modules/.cache/cdk8s-fleet/validators-<generator key>/, the key being a hash of this file's
 * source (the generator and its ajv options), the ajv version and the Node.js major; everything inside is
 * addressed by content:
 * - `crd-<sha256 of a CRD file>.idx`: the kinds, versions and schema ids that CRD file defines, so a run
 *   parses no CRD YAML once the index of its files is there;
 * - `schema-<id>.json`: a schema, `id` being the sha256 of exactly that text;
 * - `validator-<id>.cjs`: the standalone validator of schema `id`.
 * The CRD files are verified against crds.lock.json before anything is looked up (crd-lock.ts), and a
 * changed CRD has another sha256, hence other entries: a stale validator is never found. Every entry is
 * checked on read (its hash) and rebuilt when it is missing or does not match; writes go to a temporary
 * file renamed into place, so processes building the same entry at once each leave a whole one.
 * The cache is best effort: when it cannot be written the validators live in memory only.
 * FLEET_SCHEMA_CACHE=off (or CDK8S_FLEET_CACHE=off) turns it off; FLEET_SCHEMA_CACHE=<dir> puts it in another folder.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import { parseAllDocuments } from 'yaml';
import { CrdLockEntry, CrdLockError, mismatchLine, sha256 } from './crd-lock.js';
import { cacheDir, cacheDisabled } from '../cache/cache-dir.js';

const localRequire = createRequire(import.meta.url);

/** Bumped when the layout of the cache changes. */
const FORMAT = 'cdk8s-fleet validators 2';

/** An ajv validate function (compiled in this process or loaded from the cache). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null;
}

/** What one CRD defines: its name, group and kind, and per version whether it is served and the id of its schema (null without one). */
export interface CrdKinds {
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly versions: ReadonlyArray<{ readonly name: string; readonly served: boolean; readonly schema: string | null }>;
}

let generatorKey: string | null | undefined;

/**
 * What the entries depend on: this file (the generator and its ajv options), the ajv and yaml versions, the
 * Node.js major. Null when this file cannot be read (then nothing is cached).
 */
export function validatorGeneratorKey(): string | null {
  if (generatorKey !== undefined) return generatorKey;
  try {
    const source = fs.readFileSync(fileURLToPath(import.meta.url));
    const versions = ['ajv', 'yaml'].map((p) => `${p}@${localRequire(`${p}/package.json`).version}`).join('\0');
    generatorKey = sha256(`${FORMAT}\0${versions}\0${process.versions.node.split('.')[0]}\0${sha256(source)}`).slice(0, 16);
  } catch {
    generatorKey = null;
  }
  return generatorKey;
}

/**
 * The folder of the validators: under the project's cache folder (`cacheDir`), or $FLEET_SCHEMA_CACHE;
 * undefined when caching is off (FLEET_SCHEMA_CACHE=off, or CDK8S_FLEET_CACHE=off like every cache).
 */
export function validatorCacheDir(root: string | undefined = process.env.FLEET_SCHEMA_CACHE): string | undefined {
  if (root === 'off' || cacheDisabled()) return undefined;
  const key = validatorGeneratorKey();
  if (!key) return undefined;
  return path.join(path.resolve(root || cacheDir()), `validators-${key}`);
}

const TRAILER = '\n// sha256 ';

/** Text followed by the sha256 of that text: a truncated or altered entry no longer matches. */
function sealed(body: string): string {
  return `${body}${TRAILER}${sha256(body)}\n`;
}

/** The body of a sealed entry, or undefined when it is missing or does not match its hash. */
function readSealed(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const at = text.lastIndexOf(TRAILER);
  if (at < 0 || !text.endsWith('\n')) return undefined;
  const body = text.slice(0, at);
  return text.slice(at + TRAILER.length, -1) === sha256(body) ? body : undefined;
}

/**
 * Writes an entry whole or not at all: a temporary file renamed over the name. Best effort: an entry that
 * cannot be written is simply built again next time.
 */
function writeEntry(dir: string, name: string, text: string): void {
  const tmp = path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (!fs.existsSync(dir)) createDir(dir);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, path.join(dir, name));
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

/** Creates the folder of this generator key. */
function createDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
}

/**
 * Folders of other generator keys (the sources changed since) and temporary files (of a process that
 * stopped mid-write) untouched for this long are removed.
 */
const STALE_MS = 10 * 60 * 1000;
const prunedNextTo = new Set<string>();

/** Removes, once per process, what of the cache no process has written to lately (see STALE_MS). */
function pruneOthers(dir: string): void {
  const parent = path.dirname(dir);
  if (prunedNextTo.has(parent)) return;
  prunedNextTo.add(parent);
  const prune = (folder: string, stale: (name: string) => boolean) => {
    try {
      for (const name of fs.readdirSync(folder)) {
        const file = path.join(folder, name);
        if (stale(name) && Date.now() - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { recursive: true, force: true });
      }
    } catch {
      // best effort: a folder not there yet, or an entry another process removed first
    }
  };
  prune(parent, (name) => name.startsWith('validators-') && path.join(parent, name) !== dir);
  prune(dir, (name) => name.endsWith('.tmp'));
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties'] as const;
const SUBSCHEMA = ['additionalProperties', 'items', 'not', 'additionalItems'] as const;
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
/** Subschemas at least this long (as JSON) become one function each. */
const FACTOR_MIN = 1000;

/**
 * The same schema with every large subschema moved into `$defs` and referenced, identical ones once. ajv
 * (inlineRefs off) then compiles each into a function of its own: the code shrinks to one copy of each
 * repeated part, and V8 compiles only the functions an object reaches. Validation and errors (paths,
 * messages, params, order) are unchanged: a `$ref` validates the same data at the same instance path.
 * Schemas that already use `$ref`, `$id` or `$defs` (CRDs may not) are left as they are.
 */
export function factorSchema(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || /"\$(ref|id|defs|schema)"|"definitions"/.test(JSON.stringify(schema))) return schema;
  const defs: Record<string, unknown> = {};
  const walk = (node: any, top: boolean): any => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
    const out: any = { ...node };
    for (const k of SUBSCHEMA_MAPS) {
      if (out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) out[k] = Object.fromEntries(Object.entries(out[k]).map(([n, s]) => [n, walk(s, false)]));
    }
    for (const k of SUBSCHEMA) if (out[k] && typeof out[k] === 'object') out[k] = Array.isArray(out[k]) ? out[k].map((s: unknown) => walk(s, false)) : walk(out[k], false);
    for (const k of SUBSCHEMA_LISTS) if (Array.isArray(out[k])) out[k] = out[k].map((s: unknown) => walk(s, false));
    if (top) return out;
    const text = JSON.stringify(out);
    if (text.length < FACTOR_MIN) return out;
    const id = sha256(text).slice(0, 32);
    defs[id] = out;
    return { $ref: `#/$defs/${id}` };
  };
  const root = walk(schema, true);
  return Object.keys(defs).length === 0 ? root : { ...root, $defs: defs };
}

/** The standalone (CommonJS) code of a schema's validator. ajv is loaded only here. */
export function generateValidatorCode(schema: unknown): string {
  const { Ajv } = localRequire('ajv') as typeof import('ajv');
  const standaloneCode = (localRequire('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js')).default;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, inlineRefs: false, code: { source: true } });
  return standaloneCode(ajv, ajv.compile(factorSchema(schema) as object));
}

/** Runs standalone code as a CommonJS module; its `require` resolves ajv's runtime from this project. */
function evaluate(code: string, filename: string): CompiledValidator {
  const module = { exports: {} as any };
  vm.compileFunction(code, ['require', 'module', 'exports'], { filename })(localRequire, module, module.exports);
  const validate = module.exports?.default ?? module.exports;
  if (typeof validate !== 'function') throw new Error(`${filename}: not a validator`);
  return validate;
}

/** The id of a schema: the sha256 of its JSON text (the text of its `schema-<id>.json` entry). */
export function schemaId(schema: unknown): string {
  return sha256(JSON.stringify(schema));
}

/**
 * One folder of cached validators (or none: memory only). Every method falls back to building what it
 * does not find or cannot trust; nothing it reads from disk is used unless its hash matches.
 */
export class ValidatorCache {
  private readonly compiled = new Map<string, CompiledValidator>();
  private readonly schemas = new Map<string, unknown>();

  constructor(readonly dir: string | undefined = validatorCacheDir()) {
    if (dir) pruneOthers(dir);
  }

  /** The kinds a CRD file defines, from its index entry or parsed from its text (then indexed). */
  crdKinds(fileSha256: string, text: () => string, reparse = false): CrdKinds[] {
    const name = `crd-${fileSha256}.idx`;
    if (this.dir && !reparse) {
      const body = readSealed(path.join(this.dir, name));
      if (body !== undefined) {
        try {
          const kinds = JSON.parse(body) as { sha256: string; crds: CrdKinds[] };
          if (kinds.sha256 === fileSha256 && Array.isArray(kinds.crds)) return kinds.crds;
        } catch {
          // rebuilt below
        }
      }
    }
    const crds: CrdKinds[] = [];
    for (const doc of parseAllDocuments(text())) {
      const crd: any = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const versions = (crd.spec.versions as any[]).map((v) => {
        const schema = v.schema?.openAPIV3Schema;
        return { name: v.name as string, served: v.served === true, schema: schema ? this.putSchema(schema, reparse) : null };
      });
      crds.push({ name: crd.metadata?.name, group: crd.spec.group, kind: crd.spec.names.kind, versions });
    }
    if (this.dir) writeEntry(this.dir, name, sealed(JSON.stringify({ sha256: fileSha256, crds })));
    return crds;
  }

  /** Keeps a schema (in memory and on disk: `rewrite` replaces an entry already there) and returns its id. */
  putSchema(schema: unknown, rewrite = false): string {
    const text = JSON.stringify(schema);
    const id = sha256(text);
    if (!this.schemas.has(id)) {
      this.schemas.set(id, schema);
      if (this.dir && (rewrite || !fs.existsSync(path.join(this.dir, `schema-${id}.json`)))) writeEntry(this.dir, `schema-${id}.json`, text);
    }
    return id;
  }

  /** A schema by id: from memory, or its entry when that still hashes to the id; undefined otherwise. */
  schema(id: string): unknown {
    if (this.schemas.has(id)) return this.schemas.get(id);
    if (!this.dir) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.dir, `schema-${id}.json`), 'utf8');
    } catch {
      return undefined;
    }
    if (sha256(text) !== id) return undefined;
    const schema = JSON.parse(text);
    this.schemas.set(id, schema);
    return schema;
  }

  /**
   * The validator of schema `id`: compiled once per process, loaded from its entry when that matches, else
   * generated from the schema (which `schema()` supplies when the id is not known here) and stored.
   */
  validator(id: string, schema: () => unknown = () => this.schema(id)): CompiledValidator {
    let validate = this.compiled.get(id);
    if (validate) return validate;
    const name = `validator-${id}.cjs`;
    const header = `// ${FORMAT}: schema ${id}\n`;
    if (this.dir) {
      const file = path.join(this.dir, name);
      const body = readSealed(file);
      if (body?.startsWith(header)) {
        try {
          validate = evaluate(body, file);
        } catch {
          validate = undefined; // rebuilt below
        }
      }
    }
    if (!validate) {
      const value = schema();
      if (value === undefined) throw new Error(`no schema ${id} to compile`);
      const body = `${header}${generateValidatorCode(value)}`;
      if (this.dir) writeEntry(this.dir, name, sealed(body));
      validate = evaluate(body, path.join(this.dir ?? '', name));
    }
    this.compiled.set(id, validate);
    return validate;
  }

  /** The validator of a schema given whole (an XRD rendered by us): cached by its content like the others. */
  validatorOf(schema: unknown): CompiledValidator {
    const id = schemaId(schema);
    return this.validator(id, () => schema);
  }
}

/** A CRD the lock pins, verified: its entry, its file and the sha256 of its bytes. */
export interface VerifiedCrd {
  readonly entry: CrdLockEntry;
  readonly file: string;
  readonly sha256: string;
}

/** Where a kind's schema is: its id and the index of the locked file that defines it. */
export interface SchemaRef {
  readonly id: string;
  readonly file: number;
}

/**
 * The kinds of the locked CRDs, indexed lazily per file: a kind's group names the files to look in first
 * (a CRD's name is `<plural>.<group>`, which the API server enforces and the lock keys entries by), so only
 * the files of the groups a fleet uses are ever parsed; the other files are indexed only when a kind is not
 * found there (a kind no locked CRD defines, which then reads every index).
 */
export class LockedKinds {
  private readonly indexed = new Map<number, CrdKinds[]>();

  constructor(
    private readonly files: readonly VerifiedCrd[],
    readonly cache: ValidatorCache,
  ) {}

  /** The text of a locked file, read again and checked against the sha256 it was verified with. */
  private text(i: number): string {
    const { entry, file, sha256: expected } = this.files[i];
    const bytes = fs.readFileSync(file);
    const actual = sha256(bytes);
    if (actual !== expected) throw new CrdLockError(mismatchLine(entry, actual));
    return bytes.toString('utf8');
  }

  private kindsOf(i: number, reparse = false): CrdKinds[] {
    let kinds = reparse ? undefined : this.indexed.get(i);
    if (!kinds) {
      kinds = this.cache.crdKinds(this.files[i].sha256, () => this.text(i), reparse);
      this.indexed.set(i, kinds);
    }
    return kinds;
  }

  /** What every locked file defines, in lock order (each file indexed once, parsed only when not cached). */
  all(): Array<{ entry: CrdLockEntry; crds: CrdKinds[] }> {
    return this.files.map(({ entry }, i) => ({ entry, crds: this.kindsOf(i) }));
  }

  /** Indexes of the files whose CRD name ends in `.<group>` (true) or of the others (false), in lock order. */
  private filesOf(group: string, ofGroup: boolean): number[] {
    const out: number[] = [];
    this.files.forEach(({ entry }, i) => {
      if ((entry.name.slice(entry.name.indexOf('.') + 1) === group) === ofGroup) out.push(i);
    });
    return out;
  }

  /**
   * The schema of `group/version/kind`: the last locked CRD defining it with a schema, as registering them
   * in lock order did. `everywhere` false looks only in the files named for the group.
   */
  schemaOf(group: string, version: string, kind: string, everywhere = true): SchemaRef | undefined {
    const search = (files: number[]) => {
      let found: SchemaRef | undefined;
      for (const i of files) {
        for (const crd of this.kindsOf(i)) {
          if (crd.group !== group || crd.kind !== kind) continue;
          for (const v of crd.versions) if (v.name === version && v.schema) found = { id: v.schema, file: i };
        }
      }
      return found;
    };
    return search(this.filesOf(group, true)) ?? (everywhere ? search(this.filesOf(group, false)) : undefined);
  }

  /**
   * The version of the first locked CRD of `group` and `kind` (as a search of the parsed CRDs in lock order
   * found it): its schema, null when that CRD has no such version or the version no schema; undefined when
   * no locked CRD defines the kind.
   */
  versionOf(group: string, version: string, kind: string): SchemaRef | null | undefined {
    for (const files of [this.filesOf(group, true), this.filesOf(group, false)]) {
      for (const i of files) {
        const crd = this.kindsOf(i).find((c) => c.group === group && c.kind === kind);
        if (!crd) continue;
        const id = crd.versions.find((v) => v.name === version)?.schema;
        return id ? { id, file: i } : null;
      }
    }
    return undefined;
  }

  /** A schema by reference: from the cache, else parsed again from its (verified) file. */
  schema(ref: SchemaRef): unknown {
    const cached = this.cache.schema(ref.id);
    if (cached !== undefined) return cached;
    this.kindsOf(ref.file, true);
    const schema = this.cache.schema(ref.id);
    if (schema === undefined) throw new Error(`${this.files[ref.file].entry.path}: no schema ${ref.id}`);
    return schema;
  }

  /** The validator of a referenced schema (see ValidatorCache.validator). */
  validator(ref: SchemaRef): CompiledValidator {
    return this.cache.validator(ref.id, () => this.schema(ref));
  }
}
