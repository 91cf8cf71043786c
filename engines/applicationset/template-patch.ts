/**
 * An ApplicationSet's `spec.templatePatch`, evaluated as Argo CD v3.5.1 does
 * (applicationset/controllers/template/template.go `renderTemplatePatch`, patch.go `applyTemplatePatch`):
 * the text is rendered per parameter set with the template's engine (`goTemplate`, `goTemplateOptions`),
 * converted from YAML to JSON (`utils.ConvertYAMLToJSON`: kept as is when it starts with `{`, else
 * sigs.k8s.io/yaml over go.yaml.in/yaml/v2, YAML 1.1 scalars), applied to the rendered Application as a
 * strategic merge patch against Argo CD's Application type (k8s.io/apimachinery strategicpatch: maps merge
 * key by key, a null deletes the key, lists are replaced, except `metadata.finalizers` and
 * `metadata.ownerReferences`, which ObjectMeta tags `patchStrategy: merge`), and `spec.project` is set
 * back to the template's.
 *
 * What the plan cannot reproduce exactly is refused as unsupported, never guessed: patch directives
 * (`$patch`, `$retainKeys`, `$setElementOrder/...`, `$deleteFromPrimitiveList/...`), YAML tags, anchors,
 * several documents, scalars whose YAML 1.1 reading is not plain (hex, octal, `1_000`, `.inf`), a merge
 * of lists into `metadata.finalizers` or inside `helm.valuesObject`, nulls inside lists, and the deletion
 * of fields Argo CD's type always writes (`metadata`, `spec`, `spec.destination`, `repoURL`).
 */
import { isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Node as YamlNode } from 'yaml';
import { isObject as isObj } from '../util/json.js';
import { GoTemplateError } from '../go-template/template.js';
import { GoMap } from '../go-template/values.js';
import { renderString, TemplateEngine } from './template-object.js';

type Obj = Record<string, unknown>;

/** Why a templatePatch could not be applied: Argo CD fails too, or (`unsupported`) the plan cannot tell. */
export class TemplatePatchError extends Error {
  /** True when Argo CD may accept the patch but the plan cannot evaluate it exactly. */
  public readonly unsupported: boolean;

  public constructor(message: string, unsupported = false) {
    super(message);
    this.name = 'TemplatePatchError';
    this.unsupported = unsupported;
  }
}

const unsupported = (message: string): TemplatePatchError => new TemplatePatchError(message, true);

/**
 * Renders the patch text for one parameter set (Argo CD's `Render.Replace`: Go template or fasttemplate,
 * as the template). A template error is Argo CD's `error replacing values in templatePatch`.
 */
export function renderTemplatePatch(text: string, params: GoMap, engine: TemplateEngine): string {
  try {
    return renderString(text, params, engine);
  } catch (e) {
    if (!(e instanceof GoTemplateError)) throw e;
    throw new TemplatePatchError(`error replacing values in templatePatch: ${e.message}`, e.unsupported);
  }
}

// go.yaml.in/yaml/v2 resolve.go: the plain scalars that are not strings.
const V2_BOOL = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
]);
const V2_NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const DECIMAL_INT = /^[-+]?(0|[1-9][0-9]*)$/;
/** yaml.v2's `yamlStyleFloat`, without the forms strconv.ParseInt takes first. */
const V2_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const V2_OTHER_NUMBER = /^([-+]?(0[0-7]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;

/** A plain scalar as yaml.v2 reads it into an `interface{}`; throws unsupported for the forms not reproduced. */
function plainScalar(s: string): unknown {
  if (V2_NULL.has(s)) return null;
  const b = V2_BOOL.get(s);
  if (b !== undefined) return b;
  if (s === '<<') throw unsupported('templatePatch uses a YAML merge key (<<): not supported by the plan');
  const c = s.charCodeAt(0);
  const numeric = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
  if (!numeric) return s;
  if (DECIMAL_INT.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw unsupported(`templatePatch has the integer ${s}, beyond what the plan reads exactly`);
    return n;
  }
  // Octal, hex, binary, `1_000` (strconv.ParseInt base 0 after yaml.v2 drops '_'), .inf/.nan: numbers
  // the plan does not read (or that JSON cannot encode).
  const plain = s.replace(/_/g, '');
  if (V2_OTHER_NUMBER.test(plain) || (plain !== s && (DECIMAL_INT.test(plain) || V2_FLOAT.test(plain)))) {
    throw unsupported(`templatePatch has the scalar ${JSON.stringify(s)}, which YAML 1.1 may read as a number: quote it`);
  }
  if (V2_FLOAT.test(s)) {
    const n = Number(s);
    if (!Number.isFinite(n)) throw unsupported(`templatePatch has the number ${s}, beyond what the plan reads exactly`);
    return n;
  }
  return s;
}

/** A YAML node as sigs.k8s.io/yaml's YAMLToJSON gives it (via yaml.v2); unsupported for tags, anchors and aliases. */
function toJson(node: YamlNode | null, where: string): unknown {
  if (node === null) return null;
  if (node.anchor) throw unsupported(`templatePatch uses the YAML anchor &${node.anchor} at ${where}: not supported by the plan`);
  if (node.tag) throw unsupported(`templatePatch uses the YAML tag ${node.tag} at ${where}: not supported by the plan`);
  if (isScalar(node)) {
    const value = String(node.value);
    return node.type === Scalar.PLAIN ? plainScalar(value) : value;
  }
  if (isSeq(node)) return node.items.map((item, i) => toJson(item as YamlNode | null, `${where}[${i}]`));
  if (isMap(node)) {
    const out: Obj = {};
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      let key: unknown = null;
      if (isScalar(keyNode) && !keyNode.tag && !keyNode.anchor) key = keyNode.type === Scalar.PLAIN ? plainScalar(String(keyNode.value)) : String(keyNode.value);
      if (typeof key !== 'string') throw unsupported(`templatePatch has a map key at ${where} that YAML 1.1 does not read as a string (${JSON.stringify(String(isScalar(keyNode) ? keyNode.value : ''))}): quote it`);
      if (Object.prototype.hasOwnProperty.call(out, key)) throw unsupported(`templatePatch has the key ${JSON.stringify(key)} twice at ${where}`);
      out[key] = toJson(pair.value as YamlNode | null, where ? `${where}.${key}` : key);
    }
    return out;
  }
  throw unsupported(`templatePatch uses a YAML alias at ${where || 'its top'}: not supported by the plan`);
}

/**
 * The rendered patch as JSON data (Argo CD's `utils.ConvertYAMLToJSON`): JSON when it starts with `{`,
 * else YAML read with YAML 1.1 scalars (`yes`, `on`, `y` are booleans). Null for an empty patch.
 */
export function parseTemplatePatch(text: string): unknown {
  if (text.trim().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new TemplatePatchError(`invalid templatePatch ${JSON.stringify(text)}: ${(e as Error).message}`);
    }
  }
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, merge: false, prettyErrors: false });
  if (!Array.isArray(docs)) return null; // only comments, or nothing
  if (docs.length > 1) throw unsupported('templatePatch holds several YAML documents: not supported by the plan');
  if (docs.length === 0) return null;
  const doc = docs[0];
  if (doc.errors.length > 0) throw new TemplatePatchError(`error while converting templatePatch to json: ${doc.errors[0].message}`);
  return toJson(doc.contents as YamlNode | null, '');
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'map' : typeof v);

/** Fields Argo CD's Application type writes even when empty (no `omitempty`): a null there is not a deletion. */
const ALWAYS_WRITTEN = new Set(['metadata', 'spec', 'spec.destination', 'spec.source.repoURL', 'spec.sourceHydrator.drySource', 'spec.sourceHydrator.syncSource']);
/** ObjectMeta's string maps: their values must be strings. */
const STRING_MAPS = new Set(['metadata.labels', 'metadata.annotations']);

/** Throws unsupported for patch directives and for nulls inside lists, anywhere in `v`. */
function checkValue(v: unknown, path: string): void {
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      if (item === null) throw unsupported(`templatePatch has a null inside the list ${path}: not supported by the plan`);
      checkValue(item, `${path}[${i}]`);
    });
  } else if (isObj(v)) {
    for (const k of Object.keys(v)) {
      if (k.startsWith('$')) throw unsupported(`templatePatch uses the strategic merge patch directive ${k} at ${path}: not supported by the plan`);
      checkValue(v[k], `${path}.${k}`);
    }
  }
}

/** Whether a null is anywhere in `v`. */
const hasNull = (v: unknown): boolean => v === null || (Array.isArray(v) ? v.some(hasNull) : isObj(v) && Object.values(v).some(hasNull));

/** discardNullValuesFromPatch: the null map values of a value taken whole, recursively (a copy). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v)) if (v[k] !== null) out[k] = withoutNulls(v[k]);
  return out;
}

/** `mergeMap` of strategicpatch against the Application type; `raw` below `helm.valuesObject` (a RawExtension). */
function mergeMap(original: Obj, patch: Obj, path: string, raw: boolean): Obj {
  const out: Obj = { ...original };
  for (const k of Object.keys(patch)) {
    const at = path ? `${path}.${k}` : k;
    if (k.startsWith('$')) throw unsupported(`templatePatch uses the strategic merge patch directive ${k}${path ? ` at ${path}` : ''}: not supported by the plan`);
    const pv = patch[k];
    if (STRING_MAPS.has(path) && pv !== null && typeof pv !== 'string') {
      throw new TemplatePatchError(`invalid templatePatch: ${at} is a ${kindOf(pv)}, Argo CD's Application type takes only strings there`);
    }
    if (pv === null) {
      if (!raw && ALWAYS_WRITTEN.has(at) && k in out) throw unsupported(`templatePatch deletes ${at}, which Argo CD's Application type writes back empty: not supported by the plan`);
      delete out[k];
      continue;
    }
    checkValue(pv, at);
    if (out[k] === undefined) {
      out[k] = withoutNulls(pv);
      continue;
    }
    const ov = out[k];
    const ok = kindOf(ov);
    const pk = kindOf(pv);
    if (ok !== pk) {
      if (!raw) throw new TemplatePatchError(`invalid templatePatch: ${at} is a ${pk} where Argo CD's Application type has a ${ok} (quote a value YAML would read as a number or a boolean)`);
      out[k] = withoutNulls(pv);
    } else if (pk === 'map') {
      if (raw) throw unsupported(`templatePatch merges the map ${at} into helm.valuesObject's: Argo CD looks its keys up in a RawExtension; not supported by the plan`);
      out[k] = mergeMap(ov as Obj, pv as Obj, at, k === 'valuesObject');
    } else if (pk === 'list') {
      if (raw) throw unsupported(`templatePatch replaces the list ${at} inside helm.valuesObject: Argo CD looks its key up in a RawExtension; not supported by the plan`);
      if (at === 'metadata.finalizers' || at === 'metadata.ownerReferences') {
        if (JSON.stringify(ov) !== JSON.stringify(pv)) throw unsupported(`templatePatch changes ${at}, which Argo CD merges (patchStrategy merge) in an order the plan does not reproduce`);
      } else if (hasNull(pv)) {
        // Argo CD keeps them in a list it replaces, and its typed round trip turns each into a zero value.
        throw unsupported(`templatePatch has a null inside the list ${at}: not supported by the plan`);
      } else out[k] = pv;
    } else out[k] = pv;
  }
  return out;
}

/**
 * Applies a rendered, parsed patch (see {@link parseTemplatePatch}) to a rendered Application (read-only:
 * the result shares what the patch leaves untouched) and sets `spec.project` back to the Application's.
 * Throws {@link TemplatePatchError}.
 */
export function applyTemplatePatch(application: Obj, patch: unknown): Obj {
  if (patch === null) return application;
  if (!isObj(patch)) throw new TemplatePatchError(`invalid templatePatch ${JSON.stringify(patch)}: a ${kindOf(patch)}, where Argo CD's Application (a map) is patched`);
  for (const top of ['metadata', 'spec'] as const) {
    if (patch[top] !== undefined && patch[top] !== null && !isObj(patch[top])) {
      throw new TemplatePatchError(`invalid templatePatch: ${top} is a ${kindOf(patch[top])}, not a map`);
    }
  }
  const merged = mergeMap(application, patch, '', false);
  // "Prevent changes to the `project` field. This helps prevent malicious template patches" (patch.go).
  const spec = isObj(merged.spec) ? merged.spec : {};
  const project = isObj(application.spec) ? application.spec.project : undefined;
  if (spec.project !== project) {
    const reset: Obj = { ...spec };
    if (project === undefined) delete reset.project;
    else reset.project = project;
    merged.spec = reset;
  }
  return merged;
}

/** Renders, parses and applies `spec.templatePatch` for one parameter set. Throws {@link TemplatePatchError}. */
export function patchApplication(application: Obj, templatePatch: string, params: GoMap, engine: TemplateEngine): Obj {
  return applyTemplatePatch(application, parseTemplatePatch(renderTemplatePatch(templatePatch, params, engine)));
}
