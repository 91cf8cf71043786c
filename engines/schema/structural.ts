/**
 * A small checker of values against OpenAPI v3 structural schemas, as Kubernetes CustomResourceDefinitions
 * carry them (`openAPIV3Schema`), without ajv and without compiling: one walk of the value beside its
 * schema, errors as values with the path of the field.
 *
 * Checked: `type` (object, array, string, integer, number, boolean), `nullable`, `properties`,
 * `required`, `additionalProperties` (a schema or a boolean), `items`, `enum`, `pattern` (as a JavaScript
 * regular expression with the `u` flag), `minLength`/`maxLength` (in code points, as Kubernetes counts),
 * `minimum`/`maximum` and their exclusive forms, `multipleOf`, `minItems`/`maxItems`,
 * `minProperties`/`maxProperties`, `anyOf`/`allOf`/`oneOf`/`not`, `x-kubernetes-int-or-string`,
 * `x-kubernetes-preserve-unknown-fields`.
 *
 * Skipped: `format` (Kubernetes itself checks only a few formats), CEL rules (`x-kubernetes-validations`),
 * list semantics (`x-kubernetes-list-type`: uniqueness of sets and map keys), `uniqueItems`, defaults
 * (`default` is not applied), and `$ref` (structural schemas have none).
 *
 * Unknown fields (not in `properties`, no `additionalProperties`, no `x-kubernetes-preserve-unknown-fields`)
 * are an error by default: the API server prunes them silently, or refuses them under strict field
 * validation, so in a source of truth they are typos. `unknownFields: 'ignore'` checks like JSON Schema
 * does (as ajv does on the same schema).
 */

/** A JSON value's schema, as found in a CRD (a subset of JSON Schema draft 4 with Kubernetes extensions). */
export type StructuralSchema = Readonly<Record<string, unknown>>;

/** One way a value fails its schema. */
export interface SchemaError {
  /** Where: property names and list indexes from the top of the value. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export interface CheckOptions {
  /**
   * What a field the schema does not know is.
   * @default 'error'
   */
  readonly unknownFields?: 'error' | 'ignore';
}

/** `spec.rules[0].name`: a path as text (`''` for the top). */
export function formatSchemaPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$-]*$/.test(p) ? (out ? `.${p}` : p) : `[${JSON.stringify(p)}]`;
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const patterns = new Map<string, RegExp | null>();
function regexOf(source: string): RegExp | null {
  let re = patterns.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, 'u');
    } catch {
      try {
        re = new RegExp(source);
      } catch {
        re = null;
      }
    }
    patterns.set(source, re);
  }
  return re;
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v) : JSON.stringify(v));

/** Every error of `value` against `schema`, in document order. */
export function checkStructural(schema: StructuralSchema, value: unknown, options: CheckOptions = {}): SchemaError[] {
  const out: SchemaError[] = [];
  walk(schema, value, [], out, options.unknownFields ?? 'error');
  return out;
}

function walk(s: StructuralSchema, v: unknown, path: Array<string | number>, out: SchemaError[], unknown: 'error' | 'ignore'): void {
  const err = (message: string, at: Array<string | number> = path) => out.push({ path: [...at], message });
  if (v === null) {
    if (s.nullable === true || s.type === undefined) return;
    err(`must be ${String(s.type)}, got null`);
    return;
  }
  const actual = typeOf(v);
  if (s['x-kubernetes-int-or-string'] === true) {
    if (actual !== 'integer' && actual !== 'string') {
      err(`must be an integer or a string, got ${actual}`);
      return;
    }
  } else if (typeof s.type === 'string') {
    const ok = s.type === actual || (s.type === 'number' && actual === 'integer');
    if (!ok) {
      err(`must be ${s.type}, got ${actual}`);
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => e === v || (isObject(e) && JSON.stringify(e) === JSON.stringify(v)))) {
    err(`must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${show(v)}`);
  }
  if (typeof v === 'string') {
    const length = [...v].length;
    if (typeof s.maxLength === 'number' && length > s.maxLength) err(`must be at most ${s.maxLength} characters, got ${length}`);
    if (typeof s.minLength === 'number' && length < s.minLength) err(`must be at least ${s.minLength} characters, got ${length}`);
    if (typeof s.pattern === 'string') {
      const re = regexOf(s.pattern);
      if (re && !re.test(v)) err(`${show(v)} does not match ${s.pattern}`);
    }
  }
  if (typeof v === 'number') {
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum)) err(`must be ${s.exclusiveMaximum === true ? '<' : '<='} ${s.maximum}, got ${v}`);
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum)) err(`must be ${s.exclusiveMinimum === true ? '>' : '>='} ${s.minimum}, got ${v}`);
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) err(`must be a multiple of ${s.multipleOf}, got ${v}`);
  }
  if (Array.isArray(v)) {
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) err(`must have at most ${s.maxItems} items, got ${v.length}`);
    if (typeof s.minItems === 'number' && v.length < s.minItems) err(`must have at least ${s.minItems} items, got ${v.length}`);
    if (isObject(s.items)) v.forEach((item, i) => walk(s.items as StructuralSchema, item, [...path, i], out, unknown));
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) err(`must have at most ${s.maxProperties} fields, got ${keys.length}`);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) err(`must have at least ${s.minProperties} fields, got ${keys.length}`);
    for (const r of Array.isArray(s.required) ? s.required : []) if (typeof r === 'string' && v[r] === undefined) err(`is required`, [...path, r]);
    const props = isObject(s.properties) ? s.properties : undefined;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    for (const k of keys) {
      if (v[k] === undefined) continue;
      const p = props?.[k];
      if (isObject(p)) walk(p, v[k], [...path, k], out, unknown);
      else if (isObject(s.additionalProperties)) walk(s.additionalProperties, v[k], [...path, k], out, unknown);
      else if (s.additionalProperties === false) err(`is not a known field`, [...path, k]);
      else if (s.additionalProperties !== true && !preserve && unknown === 'error' && (props !== undefined || s.type === 'object')) {
        err(`is not a known field${props ? `; known: ${Object.keys(props).sort().join(', ')}` : ''}`, [...path, k]);
      }
    }
  }
  // Combinators: structural schemas use them for value validations only (types stay in the outer schema).
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) if (isObject(sub)) walk(sub, v, path, out, 'ignore');
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0) {
    const passes = s.anyOf.filter((sub) => isObject(sub) && checkStructural(sub, v, { unknownFields: 'ignore' }).length === 0).length;
    if (passes === 0) err(`must match at least one of ${s.anyOf.length} alternatives (anyOf)`);
  }
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0) {
    const passes = s.oneOf.filter((sub) => isObject(sub) && checkStructural(sub, v, { unknownFields: 'ignore' }).length === 0).length;
    if (passes !== 1) err(`must match exactly one of ${s.oneOf.length} alternatives (oneOf), matches ${passes}`);
  }
  if (isObject(s.not) && checkStructural(s.not, v, { unknownFields: 'ignore' }).length === 0) err('must not match the schema under "not"');
}
