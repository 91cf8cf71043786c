/**
 * How Go (and so Argo CD's ApplicationSet controller) sees a generator parameter value, modelled on plain
 * JavaScript values:
 *
 * | JavaScript | Go |
 * | --- | --- |
 * | `string` | `string` |
 * | `number` | `float64` (what `encoding/json` gives for every JSON number) |
 * | `bigint` | `int` (integer literals in a template, `{{ trunc 5 .x }}`) |
 * | `boolean` | `bool` |
 * | `null` | a nil `interface {}` (a JSON `null`) |
 * | `undefined` | an invalid `reflect.Value`, text/template's "no value" |
 * | array | `[]interface {}` |
 * | object made with {@link stringMap} | `map[string]string` (cluster labels, annotations, `values`) |
 * | any other object | `map[string]interface {}` |
 *
 * The difference between the two kinds of map is observable: `index` of a missing key gives `""` in a
 * `map[string]string` and no value in a `map[string]interface {}`, and Sprig's `dig` only walks the latter.
 */
import { isObject } from '../util/json.js';
export type GoValue = string | number | bigint | boolean | null | undefined | GoValue[] | GoMap;

/** A Go map with string keys. */
export interface GoMap {
  [key: string]: GoValue;
}

const STRING_MAPS = new WeakSet<object>();

/** A new `map[string]string` holding `entries`: cluster labels, annotations and generator `values`. */
export function stringMap(entries: Readonly<Record<string, string>> = {}): Record<string, string> {
  const m: Record<string, string> = { ...entries };
  STRING_MAPS.add(m);
  return m;
}

/** Whether `v` is a `map[string]string` made with {@link stringMap}. */
export function isStringMap(v: unknown): boolean {
  return typeof v === 'object' && v !== null && STRING_MAPS.has(v);
}

/** Whether `v` is a Go map (either kind). */
export function isGoMap(v: unknown): v is GoMap {
  return isObject(v);
}

/** Whether a Go map has `key` (own property only, so `constructor` or `toString` are ordinary missing keys). */
export function hasKey(m: GoMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

/** Converts parsed JSON or YAML (which has no `map[string]string`) into a Go value: every map is `map[string]interface {}`. */
export function fromJson(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === 'object') {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromJson(x);
    return out;
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  return String(v);
}

/** Go's name for the dynamic type of `v`, as it appears in text/template error messages. */
export function goTypeName(v: GoValue): string {
  if (v === undefined) return 'invalid';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return isStringMap(v) ? 'map[string]string' : 'map[string]interface {}';
}

/**
 * Go's `%v` of a float64: the shortest digits that round-trip, in `%e` form (`1e+06`) when the exponent
 * is below -4 or at least 6 (fmt's rule for the shortest precision), else plain (`100000`, `0.5`).
 */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** Go's `fmt.Sprint("%v", v)` for the values a template can hold (maps print with sorted keys). */
export function formatGoValue(v: GoValue): string {
  if (v === undefined) return '<invalid reflect.Value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatGoFloat(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(' ')}]`;
  return `map[${Object.keys(v)
    .sort()
    .map((k) => `${k}:${formatGoValue(v[k])}`)
    .join(' ')}]`;
}

/** What text/template prints for the value of an action: a nil or missing value prints `<no value>`. */
export function printTemplateValue(v: GoValue): string {
  if (v === undefined || v === null) return '<no value>';
  return formatGoValue(v);
}

/** Go's `strconv.Quote` (what `%q` and Sprig's `quote` produce) for the characters a manifest holds. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Go's `json.Marshal` of a string: HTML-safe (`<`, `>`, `&` escaped), as Sprig's `toJson` and Argo CD's merge keys print. */
function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const e = JSON_ESCAPES[ch];
    if (e !== undefined) out += e;
    else if (ch < ' ') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's `json.Marshal`: map keys sorted, HTML characters escaped, a nil or missing value is `null`. */
export function goJson(v: GoValue): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${goJsonString(k)}:${goJson(v[k])}`)
    .join(',')}}`;
}

/** text/template's truth: false, 0, a nil or missing value, and empty strings, maps and slices are false. */
export function goTruth(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

/**
 * Argo CD's `SanitizeName` (the `nameNormalized` parameter and the `normalize` template function):
 * lower-case, every character other than `a-z`, `0-9`, `-`, `.` replaced by `-`, at most 253 characters,
 * leading and trailing `-` and `.` trimmed.
 */
export function sanitizeName(name: string): string {
  let s = name.toLowerCase().replace(/[^-a-z0-9.]/g, '-');
  if (s.length > 253) s = s.slice(0, 253);
  return s.replace(/^[-.]+|[-.]+$/g, '');
}
