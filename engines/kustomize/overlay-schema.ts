/**
 * The shape of an overlay, checked before anything is applied: every object of the overlay, at every
 * level, may hold only the fields the engine implements. A misspelt field (`literal` for `literals`)
 * and a kustomize field the engine does not implement (`envs`, `tagSuffix`, `immutable`...) are both
 * refused, naming the path and the fields allowed there, instead of being silently ignored.
 *
 * A field given as `undefined` counts as absent (optional TypeScript properties); `null` does not.
 * The content of a strategic-merge patch is a partial Kubernetes object and is not checked here.
 */
import { isObject } from '../util/json.js';
import { OverlayError } from './overlay-error.js';

/** Top-level fields, in the order the docs list them. */
export const OVERLAY_FIELDS = [
  'namespace', 'namePrefix', 'nameSuffix', 'commonLabels', 'labels', 'commonAnnotations', 'images',
  'replicas', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'patches',
] as const;

/** kustomization.yaml fields the engine does not implement, and what to do instead. */
export const UNSUPPORTED_TOP: Readonly<Record<string, string>> = {
  apiVersion: 'an overlay is the kustomization body only; leave apiVersion out',
  kind: 'an overlay is the kustomization body only; leave kind out',
  metadata: 'an overlay is the kustomization body only; leave metadata out',
  resources: 'the base objects are the first argument of applyOverlay',
  bases: 'the base objects are the first argument of applyOverlay',
  components: 'merge the component\'s fields into the overlay',
  crds: 'CRD schema files (merge keys and name references of custom resources) are not read; custom resource lists are replaced by patches',
  configurations: 'custom transformer configurations (field specs) are not implemented',
  openapi: 'custom OpenAPI schemas are not implemented; the built-in Kubernetes merge keys are used',
  generators: 'generator plugins are not implemented; use configMapGenerator / secretGenerator',
  transformers: 'transformer plugins are not implemented; use patches',
  validators: 'validator plugins are not implemented',
  helmCharts: 'Helm inflation is not implemented',
  helmGlobals: 'Helm inflation is not implemented',
  helmChartInflationGenerator: 'Helm inflation is not implemented',
  replacements: 'replacements are not implemented; use patches',
  vars: 'vars are not implemented; use patches',
  patchesStrategicMerge: 'deprecated in kustomize; use patches',
  patchesJson6902: 'deprecated in kustomize; use patches (a list of operations with a target)',
  imageTags: 'deprecated in kustomize; use images',
  sortOptions: 'the output is in input order (generated objects last); kustomize orderings are not reproduced',
  buildMetadata: 'build metadata annotations are not implemented',
};

const LABEL_SET = ['pairs', 'includeSelectors', 'includeTemplates'] as const;
const IMAGE = ['name', 'newName', 'newTag', 'digest'] as const;
const REPLICAS = ['name', 'count'] as const;
const GENERATOR = ['name', 'behavior', 'literals', 'files', 'options'] as const;
const SECRET_GENERATOR = [...GENERATOR, 'type'] as const;
const OPTIONS = ['disableNameSuffixHash', 'labels', 'annotations'] as const;
const PATCH = ['target', 'patch'] as const;
const TARGET = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const;
const OPERATION = ['op', 'path', 'from', 'value'] as const;

const UNSUPPORTED_LABEL_SET = { fields: 'custom field specs for labels are not implemented' };
const UNSUPPORTED_IMAGE = { tagSuffix: 'give the whole tag in newTag' };
const UNSUPPORTED_GENERATOR = {
  envs: 'give the pairs in literals ({KEY: value})',
  env: 'give the pairs in literals ({KEY: value})',
  namespace: 'generated objects take the overlay namespace',
};
const UNSUPPORTED_OPTIONS = {
  immutable: 'set immutable: true with a patch if needed',
  fileMerge: 'file merge modes are not implemented',
};
const UNSUPPORTED_PATCH = {
  path: 'patch files are not read; give the patch content in patch',
  options: 'allowNameChange / allowKindChange are not implemented (a JSON6902 patch may rename)',
};

const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v)?.slice(0, 120) ?? String(v));

/** Checks that `value` at `at` is an object with only `allowed` fields; returns it. */
function fields(value: unknown, at: string, what: string, allowed: readonly string[], unsupported: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  if (!isObject(value)) throw new OverlayError(`${at} must be ${what}, got ${show(value)}`);
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    if (Object.prototype.hasOwnProperty.call(unsupported, key)) {
      throw new OverlayError(`${at}.${key}: kustomize's "${key}" is not supported by this engine: ${unsupported[key]}; the fields here are ${allowed.join(', ')}`);
    }
    throw new OverlayError(`${at}: unknown field "${key}"; the fields are ${allowed.join(', ')}`);
  }
  return value;
}

const given = (v: unknown): boolean => v !== undefined;

function string(value: unknown, at: string, required = false): void {
  if (!given(value)) {
    if (required) throw new OverlayError(`${at} is required (a string)`);
    return;
  }
  if (typeof value !== 'string') throw new OverlayError(`${at} must be a string, got ${show(value)}`);
}

function boolean(value: unknown, at: string): void {
  if (given(value) && typeof value !== 'boolean') throw new OverlayError(`${at} must be true or false, got ${show(value)}`);
}

function list(value: unknown, at: string, what: string): readonly unknown[] {
  if (!given(value)) return [];
  if (!Array.isArray(value)) throw new OverlayError(`${at} must be a list of ${what}, got ${show(value)}`);
  return value;
}

/** A map of string values (`{key: value}`); kustomize's `[key=value]` list form is refused with a hint. */
function stringMap(value: unknown, at: string): void {
  if (!given(value)) return;
  if (Array.isArray(value)) {
    throw new OverlayError(`${at} must be a map {key: value}, got a list ${show(value)}; kustomize's "key=value" list form is not taken here`);
  }
  if (!isObject(value)) throw new OverlayError(`${at} must be a map {key: value}, got ${show(value)}`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new OverlayError(`${at}.${k}: the value must be a string, got ${show(v)}`);
  }
}

function options(value: unknown, at: string): void {
  if (!given(value)) return;
  const o = fields(value, at, 'generator options {disableNameSuffixHash, labels, annotations}', OPTIONS, UNSUPPORTED_OPTIONS);
  boolean(o.disableNameSuffixHash, `${at}.disableNameSuffixHash`);
  stringMap(o.labels, `${at}.labels`);
  stringMap(o.annotations, `${at}.annotations`);
}

function generator(value: unknown, at: string, secret: boolean): void {
  const allowed = secret ? SECRET_GENERATOR : GENERATOR;
  const g = fields(value, at, `a generator {${allowed.join(', ')}}`, allowed, UNSUPPORTED_GENERATOR);
  string(g.name, `${at}.name`, true);
  if (g.name === '') throw new OverlayError(`${at}.name must not be empty`);
  if (given(g.behavior) && !['create', 'merge', 'replace'].includes(g.behavior as string)) {
    throw new OverlayError(`${at}.behavior must be create, merge or replace, got ${show(g.behavior)}`);
  }
  stringMap(g.literals, `${at}.literals`);
  stringMap(g.files, `${at}.files`);
  options(g.options, `${at}.options`);
  if (secret) string(g.type, `${at}.type`);
}

function patch(value: unknown, at: string): void {
  const p = fields(value, at, 'a patch {target, patch}', PATCH, UNSUPPORTED_PATCH);
  if (given(p.target)) {
    const t = fields(p.target, `${at}.target`, `a target {${TARGET.join(', ')}}`, TARGET);
    for (const f of TARGET) string(t[f], `${at}.target.${f}`);
  }
  if (Array.isArray(p.patch)) {
    p.patch.forEach((op, j) => {
      const o = fields(op, `${at}.patch[${j}]`, 'a JSON6902 operation {op, path, from, value}', OPERATION);
      string(o.op, `${at}.patch[${j}].op`, true);
      string(o.path, `${at}.patch[${j}].path`, true);
      string(o.from, `${at}.patch[${j}].from`);
    });
  } else if (!isObject(p.patch)) {
    throw new OverlayError(`${at}.patch must be a strategic-merge patch (an object) or a list of JSON6902 operations, got ${show(p.patch)}`);
  }
}

/** Checks the whole overlay; throws an OverlayError naming the first wrong field. */
export function checkOverlayShape(overlay: unknown): void {
  const at = 'overlay';
  const o = fields(overlay, at, 'an object (the fields of a kustomization.yaml)', OVERLAY_FIELDS, UNSUPPORTED_TOP);
  for (const key of ['namespace', 'namePrefix', 'nameSuffix'] as const) string(o[key], `${at}.${key}`);
  stringMap(o.commonLabels, `${at}.commonLabels`);
  stringMap(o.commonAnnotations, `${at}.commonAnnotations`);
  list(o.labels, `${at}.labels`, 'label sets {pairs, includeSelectors, includeTemplates}').forEach((set, i) => {
    const where = `${at}.labels[${i}]`;
    const s = fields(set, where, 'a label set {pairs, includeSelectors, includeTemplates}', LABEL_SET, UNSUPPORTED_LABEL_SET);
    if (!given(s.pairs)) throw new OverlayError(`${where}.pairs is required (a map {key: value})`);
    stringMap(s.pairs, `${where}.pairs`);
    boolean(s.includeSelectors, `${where}.includeSelectors`);
    boolean(s.includeTemplates, `${where}.includeTemplates`);
  });
  list(o.images, `${at}.images`, 'image rules {name, newName, newTag, digest}').forEach((rule, i) => {
    const where = `${at}.images[${i}]`;
    const r = fields(rule, where, 'an image rule {name, newName, newTag, digest}', IMAGE, UNSUPPORTED_IMAGE);
    string(r.name, `${where}.name`, true);
    for (const f of ['newName', 'newTag', 'digest'] as const) string(r[f], `${where}.${f}`);
  });
  list(o.replicas, `${at}.replicas`, 'replica counts {name, count}').forEach((r, i) => {
    const where = `${at}.replicas[${i}]`;
    const x = fields(r, where, 'a replica count {name, count}', REPLICAS);
    string(x.name, `${where}.name`, true);
    if (!Number.isInteger(x.count) || (x.count as number) < 0) throw new OverlayError(`${where}.count must be a whole number >= 0, got ${show(x.count)}`);
  });
  list(o.configMapGenerator, `${at}.configMapGenerator`, 'generators').forEach((g, i) => generator(g, `${at}.configMapGenerator[${i}]`, false));
  list(o.secretGenerator, `${at}.secretGenerator`, 'generators').forEach((g, i) => generator(g, `${at}.secretGenerator[${i}]`, true));
  options(o.generatorOptions, `${at}.generatorOptions`);
  list(o.patches, `${at}.patches`, 'patches {target, patch}').forEach((p, i) => patch(p, `${at}.patches[${i}]`));
}
