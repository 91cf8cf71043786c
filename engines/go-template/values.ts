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
import { Unsupported } from './error.js';
import { isNewerCased, isNewerPrintable } from './unicode.js';
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

/** Go's order of string map keys (fmt and encoding/json sort them): byte order of UTF-8, which is code point order. */
export function goCompareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** The keys of a Go map in the order fmt and encoding/json print them. */
export function goSortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(goCompareStrings);
}

/** Go's `fmt.Sprint("%v", v)` for the values a template can hold (maps print with sorted keys). */
export function formatGoValue(v: GoValue): string {
  if (v === undefined) return '<invalid reflect.Value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatGoFloat(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(' ')}]`;
  return `map[${goSortedKeys(v)
    .map((k) => `${k}:${formatGoValue(v[k])}`)
    .join(' ')}]`;
}

/** What text/template prints for the value of an action: a nil or missing value prints `<no value>`. */
export function printTemplateValue(v: GoValue): string {
  if (v === undefined || v === null) return '<no value>';
  return formatGoValue(v);
}

/**
 * Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. A character
 * on which Go versions disagree (added in Unicode 14 or later) is refused.
 */
function isGoPrint(c: number, what: string): boolean {
  if (c < 0x80) return c >= 0x20 && c < 0x7f;
  if (isNewerPrintable(c)) {
    throw new Unsupported(`${what} of U+${c.toString(16).toUpperCase().padStart(4, '0')}, a character whose printability depends on the Unicode version of the Go that built Argo CD`);
  }
  return PRINTABLE.test(String.fromCodePoint(c));
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** strconv's escape of a character that is not printable (after the quote and backslash cases). */
function goEscape(ch: string, c: number): string {
  switch (ch) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
  }
  if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c < 0x10000) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\U${c.toString(16).padStart(8, '0')}`;
}

/** A lone UTF-16 surrogate is what Go sees as U+FFFD (encoding/json decodes it so). */
function codePoint(ch: string): number {
  const c = ch.codePointAt(0)!;
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}

/**
 * Go's `strconv.Quote` (what `%q` of a string and Sprig's `quote` produce): `\a \b \f \n \r \t \v`,
 * `\xNN` for the other ASCII controls and DEL, `\uNNNN` / `\UNNNNNNNN` for other characters that are not
 * printable; printable Unicode is kept. Throws {@link Unsupported} for characters Go versions disagree on.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = codePoint(ch);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (isGoPrint(c, 'quoting')) out += String.fromCodePoint(c);
    else out += goEscape(ch, c);
  }
  return `${out}"`;
}

/**
 * Go's `%q` of an integer: `strconv.QuoteRune`, a quoted character literal (`65` is `'A'`); a value that
 * is not a valid code point (negative, a surrogate, above U+10FFFF) is U+FFFD.
 */
export function goQuoteRune(n: bigint): string {
  let c = n < 0n || n > 0x10ffffn ? 0xfffd : Number(n);
  if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
  const ch = String.fromCodePoint(c);
  if (ch === "'" || ch === '\\') return `'\\${ch}'`;
  return `'${isGoPrint(c, '%q') ? ch : goEscape(ch, c)}'`;
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
  if (typeof v === 'number') return Number.isFinite(v) ? (Object.is(v, -0) ? '-0' : JSON.stringify(v)) : 'null';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  return `{${goSortedKeys(v)
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

/** Go's `unicode.ToUpper` where JavaScript's full case mapping gives several characters (Go keeps the rest). */
const SIMPLE_UPPER: Readonly<Record<number, number>> = { 0x1fb3: 0x1fbc, 0x1fc3: 0x1fcc, 0x1ff3: 0x1ffc };

function simpleUpper(c: number): number {
  const js = String.fromCodePoint(c).toUpperCase();
  if (js.length === 1 || (js.length === 2 && js.codePointAt(0)! > 0xffff)) return js.codePointAt(0)!;
  // ᾀ-ᾇ, ᾐ-ᾗ, ᾠ-ᾧ have a one-character upper case (ᾈ...); everything else with a special upper case has none.
  if (c >= 0x1f80 && c <= 0x1faf) return (c & 0xf) < 8 ? c + 8 : c;
  return SIMPLE_UPPER[c] ?? c;
}

function simpleLower(c: number): number {
  if (c === 0x130) return 0x69; // İ: Go's simple mapping is i, JavaScript's full one i + U+0307.
  const js = String.fromCodePoint(c).toLowerCase();
  return js.codePointAt(0)!;
}

/**
 * Go's `strings.ToUpper` / `strings.ToLower`: each character by its simple case mapping (`ß` stays `ß`,
 * `İ` lowers to `i`, `Σ` always lowers to `σ`), where JavaScript applies full and context-dependent
 * mappings. With `strict`, a character whose mapping changed in Unicode 14 or later is refused.
 */
export function goCase(s: string, to: 'upper' | 'lower', strict = true): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return to === 'upper' ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const c = codePoint(ch);
    if (strict && isNewerCased(c)) {
      throw new Unsupported(`${to} of U+${c.toString(16).toUpperCase().padStart(4, '0')}, a character whose case mapping depends on the Unicode version of the Go that built Argo CD`);
    }
    out += String.fromCodePoint(to === 'upper' ? simpleUpper(c) : simpleLower(c));
  }
  return out;
}

/** Go's `strings.TrimSpace`: Unicode white space (with U+0085, without JavaScript's U+FEFF). */
export function goTrimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
}

/**
 * Argo CD's `SanitizeName` (the `nameNormalized` parameter and the `normalize` template function):
 * `strings.ToLower`, every character other than `a-z`, `0-9`, `-`, `.` replaced by `-`, at most 253
 * bytes, leading and trailing `-` and `.` trimmed.
 */
export function sanitizeName(name: string): string {
  // A character that lowers differently across Unicode versions never lowers to ASCII: it becomes - either way.
  let s = goCase(name, 'lower', false).replace(/[^-a-z0-9.]/gu, '-');
  if (s.length > 253) s = s.slice(0, 253);
  return s.replace(/^[-.]+|[-.]+$/g, '');
}
