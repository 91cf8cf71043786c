/**
 * ConfigMap and Secret generators (kustomize `configMapGenerator` / `secretGenerator`): objects made
 * from literals and file contents, created new (and later given a content-hash name suffix) or merged
 * into / replacing an object of the base with the same name. As in kustomize, a base object merged or
 * replaced by a generator keeps its name: it gets no hash suffix.
 */
import { idEquals, KubeObject, ResId } from './kube-object.js';
import { isObject } from '../util/json.js';
import { allIds, newResource, Resource } from './resource.js';
import { OverlayError } from './overlay-error.js';

/** Labels, annotations and hashing of generated objects. */
export interface GeneratorOptions {
  /**
   * Do not append the content hash to the name.
   * @default false
   */
  readonly disableNameSuffixHash?: boolean;
  /**
   * Labels of the generated objects.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations of the generated objects.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One generated ConfigMap (or, with `type`, Secret). */
export interface Generator {
  /** Name of the object, before prefix, suffix and hash. */
  readonly name: string;
  /**
   * `create` a new object; `merge` the data into the base object of that name; `replace` its data.
   * @default 'create'
   */
  readonly behavior?: 'create' | 'merge' | 'replace';
  /**
   * Keys and values (kustomize `literals: [key=value]`).
   * @default - none
   */
  readonly literals?: Readonly<Record<string, string>>;
  /**
   * Keys and file contents (kustomize `files: [key=path]`; the content is given, not read).
   * @default - none
   */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * Options of this generator; labels and annotations are merged over `generatorOptions`, and the hash
   * is disabled if either disables it.
   * @default - the overlay's `generatorOptions`
   */
  readonly options?: GeneratorOptions;
}

/** A generated Secret. */
export interface SecretGenerator extends Generator {
  /**
   * Secret `type`.
   * @default 'Opaque'
   */
  readonly type?: string;
}

/**
 * kustomize v5 takes any key that fits its `key=value` / `key=path` syntax (it does not apply the
 * Kubernetes key rules; the API server does, at apply time), so only keys it cannot read are refused.
 */
function keyProblem(key: string): string | undefined {
  if (key === '' || key.includes('=')) return `"${key}" cannot be a key: it must be non-empty and contain no "="`;
  return undefined;
}

/**
 * A Secret value as kustomize v5 writes it (kyaml `encodeBase64`): standard base64 of the UTF-8 bytes,
 * cut into lines of 70 characters once the encoding is 70 characters or longer (a value of 52 bytes or
 * more), each line, the last included, ending in `\n`. The content hash is taken over this text, so a
 * value written without the line breaks gets another name. The API server decodes either form to the
 * same bytes (Go's base64 decoder skips line breaks).
 */
export function encodeBase64(value: string): string {
  const LINE = 70;
  const encoded = Buffer.from(value, 'utf8').toString('base64');
  if (encoded.length < LINE) return encoded;
  let out = '';
  for (let i = 0; i < encoded.length; i += LINE) out += `${encoded.slice(i, i + LINE)}\n`;
  return out;
}

/** A lone UTF-16 surrogate: no UTF-8 form, so the value written to a file would not be the value given. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The data pairs of a generator (literals, then files), checked like kustomize checks them. */
function pairs(gen: Generator, what: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [source, map] of [['literals', gen.literals], ['files', gen.files]] as const) {
    for (const [key, value] of Object.entries(map ?? {})) {
      const problem = keyProblem(key);
      if (problem) throw new OverlayError(`${what} ${source}: ${problem}`);
      if (typeof value !== 'string') throw new OverlayError(`${what} ${source}.${key}: the value must be a string, got ${JSON.stringify(value)}`);
      if (LONE_SURROGATE.test(value) || LONE_SURROGATE.test(key)) {
        throw new OverlayError(`${what} ${source}.${key}: contains a lone UTF-16 surrogate, which has no UTF-8 form; kustomize would read U+FFFD instead`);
      }
      if (seen.has(key)) throw new OverlayError(`${what}: key "${key}" is given twice (in literals and files); keep one`);
      seen.add(key);
      out.push([key, value]);
    }
  }
  return out;
}

/** Merges the overlay-wide options into a generator's own (kustomize `MergeGlobalOptionsIntoLocal`). */
export function effectiveOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions {
  return {
    disableNameSuffixHash: global?.disableNameSuffixHash === true || local?.disableNameSuffixHash === true,
    labels: { ...global?.labels, ...local?.labels },
    annotations: { ...global?.annotations, ...local?.annotations },
  };
}

/** The object a generator makes. */
export function generateObject(kind: 'ConfigMap' | 'Secret', gen: Generator & { type?: string }, options: GeneratorOptions): KubeObject {
  const what = `${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} "${gen.name}"`;
  const metadata: KubeObject['metadata'] = { name: gen.name };
  if (options.labels && Object.keys(options.labels).length) metadata.labels = { ...options.labels };
  if (options.annotations && Object.keys(options.annotations).length) metadata.annotations = { ...options.annotations };
  const data = Object.fromEntries(pairs(gen, what).map(([k, v]) => [k, kind === 'Secret' ? encodeBase64(v) : v]));
  if (kind === 'Secret') return { apiVersion: 'v1', kind, metadata, type: gen.type ?? 'Opaque', data };
  return { apiVersion: 'v1', kind, metadata, ...(Object.keys(data).length ? { data } : {}) };
}

const mergeMaps = (a: unknown, b: unknown): Record<string, unknown> => ({ ...(isObject(a) ? a : {}), ...(isObject(b) ? b : {}) });

/**
 * Runs one generator against the objects so far: appends the new object, or merges it into / replaces
 * the matching base object. Throws when `create` finds the name taken or `merge`/`replace` finds nothing.
 */
export function runGenerator(
  resources: Resource[],
  kind: 'ConfigMap' | 'Secret',
  gen: Generator & { type?: string },
  global: GeneratorOptions | undefined,
): void {
  const what = `${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} "${gen?.name}"`;
  if (!gen || typeof gen.name !== 'string' || gen.name === '') throw new OverlayError(`${what}: name is required`);
  const behavior = gen.behavior ?? 'create';
  if (!['create', 'merge', 'replace'].includes(behavior)) {
    throw new OverlayError(`${what}: behavior ${JSON.stringify(behavior)} is not create, merge or replace`);
  }
  const options = effectiveOptions(gen.options, global);
  const obj = generateObject(kind, gen, options);
  const id: ResId = { group: '', version: 'v1', kind, name: gen.name, namespace: '' };
  const matches = resources.filter((r) => allIds(r).some((x) => idEquals(x, id)));
  if (matches.length > 1) throw new OverlayError(`${what}: ${matches.length} objects could take it (${kind} ${gen.name}); make the names unique`);
  if (behavior === 'create') {
    if (matches.length) throw new OverlayError(`${what}: a ${kind} named ${gen.name} already exists; use behavior merge or replace, or another name`);
    resources.push(newResource(obj, !options.disableNameSuffixHash));
    return;
  }
  if (!matches.length) {
    throw new OverlayError(`${what}: behavior ${behavior} needs a ${kind} named ${gen.name} without a namespace in the base, and there is none; use behavior create`);
  }
  const old = matches[0];
  const labels = mergeMaps(old.obj.metadata.labels, obj.metadata.labels);
  const annotations = mergeMaps(old.obj.metadata.annotations, obj.metadata.annotations);
  const metadata: KubeObject['metadata'] = { name: old.obj.metadata.name };
  if (old.obj.metadata.namespace) metadata.namespace = old.obj.metadata.namespace;
  if (Object.keys(labels).length) metadata.labels = labels as Record<string, string>;
  if (Object.keys(annotations).length) metadata.annotations = annotations as Record<string, string>;
  const merged: KubeObject = { ...obj, metadata };
  if (behavior === 'merge') {
    const data = mergeMaps(old.obj.data, obj.data);
    if (Object.keys(data).length || kind === 'Secret') merged.data = data;
    const binaryData = mergeMaps(old.obj.binaryData, obj.binaryData);
    if (Object.keys(binaryData).length) merged.binaryData = binaryData;
  }
  old.obj = merged;
}
