/**
 * The function table of the Go text/template subset: text/template's builtins, the Sprig functions
 * ApplicationSets use and Argo CD's `normalize`, each with its parameter kinds for Go's argument checks.
 */
import { Unsupported } from './error.js';
import { formatGoValue, goCase, GoValue, goJson, goQuote, goQuoteRune, goSortedKeys, goTrimSpace, goTruth, goTypeName, hasKey, isGoMap, isStringMap, sanitizeName } from './values.js';

/** How a Go function parameter takes a value. */
export type ParamKind = 'string' | 'int' | 'any';

/** A function of the table: its parameter kinds and its implementation. */
export interface FunctionSpec {
  /** Fixed parameters. */
  readonly params: readonly ParamKind[];
  /** Kind of the trailing variadic parameter, when there is one. */
  readonly variadic?: ParamKind;
  /** The call; throws {@link CallError} for what Go reports as `error calling <name>: ...`. */
  readonly call: (args: GoValue[]) => GoValue;
}

/** An error returned (or a panic raised) by a function: text/template reports it as `error calling <name>: <message>`. */
export class CallError extends Error {}

/** What Go's text/template reports on a `.(T)` assertion that fails inside a Sprig function. */
function interfaceConversion(v: GoValue, want: string): CallError {
  return new CallError(`interface conversion: interface {} is ${v === null || v === undefined ? 'nil' : goTypeName(v)}, not ${want}`);
}

/** Sprig's `empty`: nil, false, 0, and empty strings, maps and slices. */
function sprigEmpty(v: GoValue): boolean {
  return !goTruth(v);
}

function digFromDict(dict: GoValue, def: GoValue, keys: readonly string[]): GoValue {
  if (!isGoMap(dict) || isStringMap(dict)) throw interfaceConversion(dict, 'map[string]interface {}');
  const [k, ...rest] = keys;
  if (!hasKey(dict, k)) return def;
  const step = dict[k];
  return rest.length === 0 ? step : digFromDict(step, def, rest);
}

/** A subset of Go's fmt.Sprintf: the verbs %v %s %d %q %t and %%, without flags or widths. */
function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const verb = format[++i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!'vsdqt'.includes(verb)) {
      throw new Unsupported(`printf verb %${verb} (or a flag or width); the engine implements %v %s %d %q %t and %%`);
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatVerb(verb, args[next++], 0);
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatGoValue(a)}`))
      .join(', ')})`;
  }
  return out;
}

/**
 * fmt's printing of one operand with a verb: slices and maps apply the verb to each element (and map
 * key), `[a b]` and `map[k:v]` with sorted keys; a nil element prints `<nil>`; a verb that does not fit
 * the type prints `%!d(string=a)`.
 */
function formatVerb(verb: string, v: GoValue, depth: number): string {
  if (v === null || v === undefined) return verb === 'v' || depth > 0 ? '<nil>' : `%!${verb}(<nil>)`;
  if (Array.isArray(v)) return `[${v.map((e) => formatVerb(verb, e, depth + 1)).join(' ')}]`;
  if (typeof v === 'object') {
    return `map[${goSortedKeys(v)
      .map((k) => `${formatVerb(verb, k, depth + 1)}:${formatVerb(verb, v[k], depth + 1)}`)
      .join(' ')}]`;
  }
  const bad = () => `%!${verb}(${goTypeName(v)}=${formatGoValue(v)})`;
  switch (verb) {
    case 'v':
      return formatGoValue(v);
    case 's':
      return typeof v === 'string' ? v : bad();
    case 'd':
      return typeof v === 'bigint' ? String(v) : bad();
    case 'q':
      return typeof v === 'string' ? goQuote(v) : typeof v === 'bigint' ? goQuoteRune(v) : bad();
    default:
      return typeof v === 'boolean' ? String(v) : bad();
  }
}

/** Whether byte offset `i` of UTF-8 `buf` is at a character boundary. */
function atBoundary(buf: Buffer, i: number): boolean {
  return i <= 0 || i >= buf.length || (buf[i] & 0xc0) !== 0x80;
}

/** Sprig's `trunc`: Go slices the string's bytes; a cut inside a multi-byte character (invalid UTF-8 in Go) is refused. */
function trunc(c: bigint, text: string): string {
  const buf = Buffer.from(text, 'utf8');
  const len = BigInt(buf.length);
  let start = 0;
  let end = buf.length;
  if (c < 0n && len + c > 0n) start = Number(len + c);
  else if (c >= 0n && len > c) end = Number(c);
  else return text;
  if (!atBoundary(buf, start) || !atBoundary(buf, end)) {
    throw new Unsupported(`trunc ${c} of ${JSON.stringify(text)} cuts a multi-byte character (Go counts bytes and would produce invalid UTF-8)`);
  }
  return buf.subarray(start, end).toString('utf8');
}

/** Go's `strings.Replace(s, old, new, -1)`: an empty `old` inserts `new` at every character boundary. */
function replaceAll(from: string, to: string, s: string): string {
  if (from === '') return to + [...s].map((ch) => ch + to).join('');
  return s.split(from).join(to);
}

/** Sprig's `toJson`; Go before 1.22 escapes \b and \f as \u0008 and \u000c, later versions as \b and \f. */
function toJson(v: GoValue): string {
  const json = goJson(v);
  if (/\\[bf]/.test(json.replace(/\\\\/g, ''))) {
    throw new Unsupported('toJson of a string holding a backspace or form feed (escaped differently by different Go versions)');
  }
  return json;
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += a === null || a === undefined ? '<nil>' : formatGoValue(a);
  });
  return out;
}

function goEquals(a: GoValue, b: GoValue): boolean {
  const nilA = a === null || a === undefined;
  const nilB = b === null || b === undefined;
  if (nilA || nilB) return nilA === nilB;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) throw new CallError('incompatible types for comparison');
  if (typeof a === 'object') throw new CallError(`non-comparable type ${formatVerb('s', a, 0)}: ${goTypeName(a)}`);
  return a === b;
}

function goIndex(item: GoValue, indexes: readonly GoValue[]): GoValue {
  if (item === null || item === undefined) throw new CallError('index of untyped nil');
  let cur: GoValue = item;
  for (const index of indexes) {
    if (cur === null || cur === undefined) throw new CallError('index of nil pointer');
    if (Array.isArray(cur) || typeof cur === 'string') {
      if (index === null || index === undefined) throw new CallError('cannot index slice/array with nil');
      if (typeof index !== 'bigint') throw new CallError(`cannot index slice/array with type ${goTypeName(index)}`);
      const len = typeof cur === 'string' ? Buffer.byteLength(cur) : cur.length;
      if (index < 0n || index >= BigInt(len)) throw new CallError(`index out of range: ${index}`);
      cur = typeof cur === 'string' ? BigInt(Buffer.from(cur)[Number(index)]) : cur[Number(index)];
      continue;
    }
    if (isGoMap(cur)) {
      if (typeof index !== 'string') throw new CallError(`value has type ${goTypeName(index)}; should be string`);
      cur = hasKey(cur, index) ? cur[index] : isStringMap(cur) ? '' : null;
      continue;
    }
    throw new CallError(`can't index item of type ${goTypeName(cur)}`);
  }
  return cur;
}

const str = (f: (s: string) => string): FunctionSpec => ({ params: ['string'], call: ([s]) => f(s as string) });
const str2 = (f: (a: string, b: string) => GoValue): FunctionSpec => ({ params: ['string', 'string'], call: ([a, b]) => f(a as string, b as string) });

/**
 * The functions this engine implements: text/template's `and`, `or`, `not`, `len`, `index`, `eq`, `ne`,
 * `print`, `printf`, Sprig's `default`, `empty`, `lower`, `upper`, `trim`, `trimPrefix`, `trimSuffix`,
 * `hasPrefix`, `hasSuffix`, `contains`, `replace`, `list`, `trunc`, `quote`, `squote`, `toJson`, `dig`, and Argo
 * CD's `normalize`. Argument order is Sprig's: the piped value comes last (`.x | replace "a" "b"`).
 */
export const FUNCTIONS = new Map<string, FunctionSpec>([
  // and / or are evaluated lazily by the executor; these specs only carry the arity.
  ['and', { params: ['any'], variadic: 'any', call: () => undefined }],
  ['or', { params: ['any'], variadic: 'any', call: () => undefined }],
  ['not', { params: ['any'], call: ([v]) => !goTruth(v) }],
  [
    'len',
    {
      params: ['any'],
      call: ([v]) => {
        if (v === null || v === undefined) throw new CallError('len of nil pointer');
        if (typeof v === 'string') return BigInt(Buffer.byteLength(v));
        if (Array.isArray(v)) return BigInt(v.length);
        if (isGoMap(v)) return BigInt(Object.keys(v).length);
        throw new CallError(`len of type ${goTypeName(v)}`);
      },
    },
  ],
  ['index', { params: ['any'], variadic: 'any', call: ([item, ...rest]) => goIndex(item, rest) }],
  [
    'eq',
    {
      params: ['any'],
      variadic: 'any',
      call: ([a, ...rest]) => {
        if (rest.length === 0) throw new CallError('missing argument for comparison');
        return rest.some((b) => goEquals(a, b));
      },
    },
  ],
  ['ne', { params: ['any', 'any'], call: ([a, b]) => !goEquals(a, b) }],
  ['print', { params: [], variadic: 'any', call: (args) => sprint(args) }],
  ['printf', { params: ['string'], variadic: 'any', call: ([f, ...args]) => sprintf(f as string, args) }],
  ['default', { params: ['any'], variadic: 'any', call: ([d, ...given]) => (given.length === 0 || sprigEmpty(given[0]) ? d : given[0]) }],
  ['empty', { params: ['any'], call: ([v]) => sprigEmpty(v) }],
  ['lower', str((s) => goCase(s, 'lower'))],
  ['upper', str((s) => goCase(s, 'upper'))],
  ['trim', str(goTrimSpace)],
  ['normalize', str(sanitizeName)],
  ['trimPrefix', str2((prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s))],
  ['trimSuffix', str2((suffix, s) => (suffix && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s))],
  ['hasPrefix', str2((prefix, s) => s.startsWith(prefix))],
  ['hasSuffix', str2((suffix, s) => s.endsWith(suffix))],
  ['contains', str2((sub, s) => s.includes(sub))],
  ['replace', { params: ['string', 'string', 'string'], call: ([from, to, s]) => replaceAll(from as string, to as string, s as string) }],
  ['list', { params: [], variadic: 'any', call: (args) => args }],
  ['trunc', { params: ['int', 'string'], call: ([c, s]) => trunc(c as bigint, s as string) }],
  ['quote', { params: [], variadic: 'any', call: (args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(formatGoValue(a))).join(' ') }],
  ['squote', { params: [], variadic: 'any', call: (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${formatGoValue(a)}'`).join(' ') }],
  ['toJson', { params: ['any'], call: ([v]) => toJson(v) }],
  [
    'dig',
    {
      params: [],
      variadic: 'any',
      call: (ps) => {
        if (ps.length < 3) throw new CallError('dig needs at least three arguments');
        const dict = ps[ps.length - 1];
        const def = ps[ps.length - 2];
        const keys = ps.slice(0, -2).map((k) => {
          if (typeof k !== 'string') throw interfaceConversion(k, 'string');
          return k;
        });
        return digFromDict(dict, def, keys);
      },
    },
  ],
]);
