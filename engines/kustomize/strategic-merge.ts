/**
 * Strategic-merge patch, ported from the merge kustomize v5 uses (kyaml `merge2` with
 * `ListIncreaseDirection: Prepend`) and checked against `kubectl kustomize`:
 *
 * - maps merge key by key; `null` deletes a key; `$patch: replace` replaces a map, `$patch: delete`
 *   deletes it (at the top level: deletes the object);
 * - lists with merge keys in the schema (containers by `name`, ports by `containerPort`+`protocol`, ...)
 *   merge element by element: patch elements come first in patch order, then the base elements the
 *   patch does not mention; an element with `$patch: delete` is removed; a `$patch: replace` element
 *   makes the list the patch's;
 * - with several merge keys (ports) kustomize first puts new patch elements, then the base elements in
 *   base order, and drops a patch element that leaves out `protocol` when the base element sets it;
 *   this port does the same;
 * - scalar lists with `patchStrategy: merge` (`finalizers`) become patch values then the others;
 * - every other list, and every list of a kind the schema does not know, is replaced.
 *
 * One deliberate difference: other `$` directives (`$retainKeys`, `$setElementOrder/...`,
 * `$deleteFromPrimitiveList/...`) are refused; kustomize copies them into the object as plain fields.
 */
import { clone, isObject } from '../util/json.js';
import { MergeSchema } from './merge-schema.js';
import { OverlayError } from './overlay-error.js';

/** Returned in place of a value that the patch deletes. */
const CLEAR = Symbol('clear');
type Walked = unknown | typeof CLEAR;

const DIRECTIVE = '$patch';

function isEmptyMap(v: unknown): boolean {
  return isObject(v) && Object.keys(v).length === 0;
}

/** The text of a YAML scalar, as kyaml compares merge-key values. */
function scalarText(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** A merge-key value of an element, `''` when missing, null or not a scalar (kyaml `ElementValuesList`). */
function keyValue(elem: unknown, key: string): string {
  if (!isObject(elem)) return '';
  const v = elem[key];
  if (v === undefined || v === null || typeof v === 'object') return '';
  return scalarText(v);
}

/** kyaml `FieldMatcher`: the field exists and, unless `value` is `''`, has that value. */
function fieldMatches(elem: Record<string, unknown>, key: string, value: string): boolean {
  if (!(key in elem)) return false;
  return value === '' || scalarText(elem[key]) === value;
}

/** kyaml `ElementList`: the first map element whose keys all have exactly these values. */
function elementList(list: unknown, keys: readonly string[], values: readonly string[]): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.find(
    (elem): elem is Record<string, unknown> => isObject(elem) && keys.every((k, j) => k in elem && scalarText(elem[k]) === values[j]),
  );
}

/**
 * kyaml `ElementSetter` on a list of maps: drops null and empty elements, then replaces each element
 * matching the keys/values with `element` (or deletes it when `element` is undefined), appending
 * `element` when nothing matched. Keys past the end of `values` are not compared.
 */
function elementSetter(list: unknown[], keys: readonly string[], values: readonly string[], element?: unknown): unknown[] {
  const out: unknown[] = [];
  let matched = false;
  for (const elem of list) {
    if (elem === null || elem === undefined || isEmptyMap(elem)) continue;
    if (!isObject(elem)) {
      out.push(elem);
      continue;
    }
    const found = keys.every((k, j) => j >= values.length || fieldMatches(elem, k, values[j]));
    if (!found) {
      out.push(elem);
      continue;
    }
    matched = true;
    if (element !== undefined) out.push(element);
  }
  if (element !== undefined && !matched) out.push(element);
  list.length = 0;
  list.push(...out);
  return list;
}

type Kind = 'none' | 'map' | 'list' | 'scalar';
const kindOf = (v: unknown): Kind =>
  v === undefined || v === null ? 'none' : Array.isArray(v) ? 'list' : isObject(v) ? 'map' : 'scalar';

const typeName = (v: unknown): string => (Array.isArray(v) ? 'a list' : isObject(v) ? 'a map' : `the ${typeof v} ${JSON.stringify(v)}`);

/** Reads and removes the `$patch` directive of a patch map. */
function takeDirective(origin: unknown, path: string): 'merge' | 'replace' | 'delete' {
  if (!isObject(origin) || !(DIRECTIVE in origin)) return 'merge';
  const v = origin[DIRECTIVE];
  delete origin[DIRECTIVE];
  if (v === 'merge' || v === 'replace' || v === 'delete') return v;
  throw new OverlayError(`strategic-merge patch at ${path || '/'}: unknown $patch directive ${JSON.stringify(v)}; use replace, delete or merge`);
}

function checkDirectives(origin: Record<string, unknown>, path: string): void {
  for (const k of Object.keys(origin)) {
    if (k.startsWith('$') && k !== DIRECTIVE) {
      throw new OverlayError(
        `strategic-merge patch at ${path || '/'}: directive "${k}" is not supported (kustomize copies it into the object as a plain field, which the API server rejects); use $patch: replace/delete or a JSON6902 patch`,
      );
    }
  }
}

function walk(dest: unknown, origin: unknown, schema: MergeSchema | undefined, path: string): Walked {
  const kind = kindOf(dest) !== 'none' ? kindOf(dest) : kindOf(origin);
  for (const src of [dest, origin]) {
    if (kindOf(src) !== 'none' && kindOf(src) !== kind) {
      throw new OverlayError(
        `strategic-merge patch at ${path}: the object has ${typeName(dest)} there but the patch gives ${typeName(origin)}; give a value of the same shape`,
      );
    }
  }
  switch (kind) {
    case 'list':
      return schema?.keys || schema?.scalarSet ? walkAssociativeList(dest, origin, schema, path) : walkPlainList(dest, origin);
    case 'scalar':
      return origin !== undefined ? (origin === null ? CLEAR : origin) : dest;
    default:
      return walkMap(dest, origin, schema, path);
  }
}

function walkMap(dest: unknown, origin: unknown, schema: MergeSchema | undefined, path: string): Walked {
  let d: unknown;
  if (dest === undefined || dest === null) {
    const directive = takeDirective(origin, path);
    if (directive === 'delete') return CLEAR;
    if (origin === undefined) return dest; // keeps an explicit null of the object
    if (origin === null) return CLEAR;
    d = origin;
  } else {
    if (origin === null) return CLEAR;
    const directive = takeDirective(origin, path);
    if (directive === 'delete') return CLEAR;
    d = directive === 'replace' ? origin : dest;
  }
  const o = isObject(origin) ? origin : undefined;
  if (o) checkDirectives(o, path);
  const target = d as Record<string, unknown>;
  const keys = new Set([...Object.keys(target), ...(o ? Object.keys(o) : [])]);
  for (const key of keys) {
    const v = walk(target[key], o?.[key], schema?.fields?.[key], `${path}/${key}`);
    if (v === CLEAR || v === undefined) delete target[key];
    else target[key] = v;
  }
  return target;
}

function walkPlainList(dest: unknown, origin: unknown): Walked {
  if (origin === null) return CLEAR;
  return origin !== undefined ? origin : dest;
}

/** Removes a `$patch: replace` element from a patch list; true when there was one. */
function takeListReplace(origin: unknown[]): boolean {
  const i = origin.findIndex((e) => isObject(e) && e[DIRECTIVE] === 'replace');
  if (i < 0) return false;
  origin.splice(i, 1);
  return true;
}

function walkAssociativeList(dest: unknown, origin: unknown, schema: MergeSchema, path: string): Walked {
  if (origin === null) return CLEAR;
  let d: unknown[];
  if (dest === undefined || dest === null) {
    // kyaml takes a new list as it is, directives and all (a `$patch: replace` element even stays).
    d = origin as unknown[];
  } else if (Array.isArray(origin) && takeListReplace(origin)) {
    d = origin;
  } else {
    d = dest as unknown[];
  }
  const sources: unknown[] = [d, origin];
  if (schema.scalarSet) return mergeScalarSet(d, origin);
  const keys = schema.keys!;
  // Key tuples of the patch elements, then of the base elements (kyaml `elementValues`, Prepend).
  const seen = new Set<string>();
  let valuesList: string[][] = [];
  for (const src of [origin, d]) {
    if (!Array.isArray(src)) continue;
    for (const elem of src) {
      const t = keys.map((k) => keyValue(elem, k));
      const id = JSON.stringify(t);
      if (seen.has(id)) continue;
      seen.add(id);
      valuesList.push(t);
    }
  }
  if (keys.length > 1) valuesList = mergeValues(valuesList);
  const validKeySet = new Set<string>();
  for (const t of valuesList) t.forEach((v, i) => v !== '' && validKeySet.add(keys[i]));
  const validKeys = validKeySet.size === 0 ? [...keys] : keys.filter((k) => validKeySet.has(k));
  const validValuesOf = (t: string[]) => (validKeySet.size === 0 ? t : t.filter((v, i) => v !== '' || validKeySet.has(keys[i])));

  const items: unknown[] = [];
  for (const t of valuesList) {
    const validValues = validValuesOf(t);
    // kyaml `elementValueList`: look the element up by the keys this tuple has values for.
    const own = validKeys.map((k, i) => [k, validValues[i]] as const).filter(([, v]) => v !== '');
    const lkKeys = own.length ? own.map(([k]) => k) : validKeys;
    const lkValues = own.length ? own.map(([, v]) => v) : validValues;
    const [de, oe] = sources.map((s) => elementList(s, lkKeys, lkValues));
    const val = walk(de, oe, schema.items, `${path}[${validKeys.map((k, i) => `${k}=${validValues[i]}`).join(',')}]`);
    if (val === CLEAR || val === undefined || val === null || isEmptyMap(val)) {
      elementSetter(d, validKeys, validValues);
      continue;
    }
    elementSetter(items, validKeys, validValues, val);
  }
  if (valuesList.length > 0) appendListNode(items, d, validKeys);
  return valuesList.length > 0 ? items : d;
}

/**
 * kyaml `mergeValues`: key tuples that agree where both have a value (at least one in common) are
 * unified, so `[80, '']` and `[80, 'TCP']` become `[80, 'TCP']`.
 */
function mergeValues(valuesList: string[][]): string[][] {
  const list = valuesList.map((t) => [...t]);
  for (let i = 0; i < list.length; i++) {
    const v1 = list[i];
    for (let j = 0; j < list.length; j++) {
      const v2 = list[j];
      let common = false;
      let ok = true;
      const res: string[] = [];
      for (let k = 0; k < v1.length; k++) {
        if (v1[k] === v2[k]) {
          common = true;
          res.push(v1[k]);
        } else if (v1[k] !== '' && v2[k] !== '') {
          ok = false;
          break;
        } else res.push(v1[k] !== '' ? v1[k] : v2[k]);
      }
      if (ok && common) {
        list[i] = res;
        list[j] = res;
      }
    }
  }
  return list;
}

/** kyaml `appendListNode` (Prepend): puts the base elements after the patch's, by key. */
function appendListNode(dst: unknown[], src: unknown[], keys: readonly string[]): void {
  for (const elem of [...src]) {
    const v: string[] = [];
    for (const k of keys) {
      if (!isObject(elem) || elem[k] === undefined) {
        dst.push(elem);
        continue;
      }
      v.push(scalarText(elem[k]));
    }
    if (keys.length > 1) elementSetter(dst, keys, v);
    elementSetter(dst, keys, v, elem);
  }
}

function mergeScalarSet(d: unknown[], origin: unknown): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const src of [origin, d]) {
    if (!Array.isArray(src)) continue;
    for (const v of src) {
      const t = scalarText(v);
      if (!seen.has(t)) {
        seen.add(t);
        out.push(v);
      }
    }
  }
  return out;
}

/**
 * Applies a strategic-merge patch to a copy of `obj` with the merge rules of `schema` (undefined: no
 * rules, every list is replaced). Returns `undefined` when the patch deletes the object.
 */
export function strategicMerge<T extends Record<string, unknown>>(obj: T, patch: Record<string, unknown>, schema: MergeSchema | undefined): T | undefined {
  const out = walk(clone(obj), clone(patch), schema, '');
  return out === CLEAR || out === undefined || out === null ? undefined : (out as T);
}
