import { renderFastTemplate } from '../go-template/fast-template.js';
import { GoTemplate, GoTemplateError, MissingKey, renderGoTemplate } from '../go-template/template.js';
import { GoMap } from '../go-template/values.js';

/** Which engine renders a string: Go templates (`goTemplate: true`) with their missing-key option, or fasttemplate. */
export interface TemplateEngine {
  readonly goTemplate: boolean;
  readonly missingKey: MissingKey;
}

/** A string in an object that failed to render: its field path and the template engine's message. */
export class TemplateRenderError extends Error {
  /** Field path of the string (`spec.template.spec.destination.namespace`). */
  public readonly path: string;
  /** True when the template uses syntax the plan's engine does not implement. */
  public readonly unsupported: boolean;

  public constructor(path: string, cause: GoTemplateError) {
    super(cause.message);
    this.name = 'TemplateRenderError';
    this.path = path;
    this.unsupported = cause.unsupported;
  }
}

/** Renders one string with `params`. */
export function renderString(text: string, params: GoMap, engine: TemplateEngine): string {
  return engine.goTemplate ? renderGoTemplate(text, params, engine.missingKey) : renderFastTemplate(text, params);
}

/**
 * The fields of a rendered object someone reads: `true` for a whole field, a nested pick for some of a
 * map's fields. See {@link objectRenderer}.
 */
export interface FieldPick {
  readonly [field: string]: true | FieldPick;
}

type Compiled =
  | { readonly constant: true; readonly value: unknown }
  | {
      readonly constant: false;
      readonly render: (params: GoMap, engine: TemplateEngine) => unknown;
      /** Renders every string as `render` does, in the same order, for its errors only: builds nothing. */
      readonly check: (params: GoMap, engine: TemplateEngine) => void;
      /** For a map: `render` building only the picked fields, and checking the others as `check` does. */
      readonly pick?: (params: GoMap, engine: TemplateEngine, fields: FieldPick) => unknown;
      /** What was compiled, for {@link fastRenderer}. */
      readonly shape: Shape;
    };

/** The parts of a templated value: a string with `{{`, an array, or a map (with its entries, nil values dropped). */
type Shape =
  | { readonly t: 'string'; readonly text: string }
  | { readonly t: 'array'; readonly items: readonly Compiled[] }
  | { readonly t: 'object'; readonly entries: ReadonlyArray<{ readonly key: string; readonly templatedKey: boolean; readonly item: Compiled }> };

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `a.b`, `a["kubernetes.io/name"]`, `a[0]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const k = SIMPLE_KEY.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!path) return k;
  return k.startsWith('[') ? `${path}${k}` : `${path}.${k}`;
}

function renderAt(text: string, path: string, params: GoMap, engine: TemplateEngine): string {
  try {
    return renderString(text, params, engine);
  } catch (e) {
    if (e instanceof GoTemplateError) throw new TemplateRenderError(path, e);
    throw e;
  }
}

function compile(value: unknown, path: string): Compiled {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return { constant: true, value };
    // The parsed Go template is kept here: rendering it for many param sets skips the parse cache's lookup.
    let parsed: GoTemplate | undefined;
    const render = (p: GoMap, e: TemplateEngine): string => {
      if (!e.goTemplate) return renderAt(value, path, p, e);
      try {
        parsed ??= GoTemplate.parse(value);
        return parsed.execute(p, e.missingKey);
      } catch (err) {
        if (err instanceof GoTemplateError) throw new TemplateRenderError(path, err);
        throw err;
      }
    };
    return { constant: false, render, check: render, shape: { t: 'string', text: value } };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compile(v, childPath(path, i)));
    if (items.every((c) => c.constant)) return { constant: true, value };
    return {
      constant: false,
      shape: { t: 'array', items },
      render: (p, e) => items.map((c) => (c.constant ? c.value : c.render(p, e))),
      check: (p, e) => {
        for (const c of items) if (!c.constant) c.check(p, e);
      },
    };
  }
  if (typeof value === 'object' && value !== null) {
    // Argo CD skips nil map values and templates map keys as well as values.
    const entries = Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => ({ key: k, templatedKey: k.includes('{{'), item: compile(v, childPath(path, k)) }));
    const dropped = entries.length !== Object.keys(value).length;
    if (!dropped && entries.every((e) => !e.templatedKey && e.item.constant)) return { constant: true, value };
    const keyOf = (entry: (typeof entries)[number], p: GoMap, e: TemplateEngine) =>
      entry.templatedKey ? renderAt(entry.key, `${childPath(path, entry.key)} (the key)`, p, e) : entry.key;
    return {
      constant: false,
      shape: { t: 'object', entries },
      render: (p, e) => {
        const out: Record<string, unknown> = {};
        for (const entry of entries) {
          const key = keyOf(entry, p, e);
          out[key] = entry.item.constant ? entry.item.value : entry.item.render(p, e);
        }
        return out;
      },
      check: (p, e) => {
        for (const entry of entries) {
          keyOf(entry, p, e);
          if (!entry.item.constant) entry.item.check(p, e);
        }
      },
      pick: (p, e, fields) => {
        const out: Record<string, unknown> = {};
        for (const entry of entries) {
          // Picked by the key as rendered: a templated key may render to a picked field's name.
          const key = keyOf(entry, p, e);
          const want = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
          const item = entry.item;
          if (item.constant) {
            if (want !== undefined) out[key] = item.value;
          } else if (want === undefined) item.check(p, e);
          else out[key] = want !== true && item.pick ? item.pick(p, e, want) : item.render(p, e);
        }
        return out;
      },
    };
  }
  return { constant: true, value };
}

const CACHE = new WeakMap<object, Map<string, Compiled>>();

/** What a {@link FastRender} returns when it cannot tell: the general renderer decides (the result, or the error). */
const MISS: unique symbol = Symbol('fast render missed');

/** A template compiled to one function for one field pick: the general renderer's result, or {@link MISS}. */
type FastRender = (params: GoMap, engine: TemplateEngine) => unknown;

/** The compiled function of each compiled template, per field pick (`''` for none); undefined when it has none. */
const FAST = new WeakMap<Compiled, Map<string, FastRender | undefined>>();

/**
 * Builds the source of one JavaScript function that renders a compiled template the way `render` (or,
 * with `fields`, `pick`) does, for the common case where every templated string is text and field
 * chains (`team-{{.metadata.labels.environment}}`, see `GoTemplate.simpleParts`): each distinct chain
 * (and prefix) is looked up once, maps are object literals, untemplated parts are the very values the
 * general renderer shares. A string of any other kind is rendered by its general renderer, called from
 * the function.
 *
 * The function returns {@link MISS} as soon as a chain does not name a key of a map at every step or does
 * not end on a string (a missing key, a nil, a number to print): exactly the cases where the general
 * evaluator runs for such a template. Otherwise its result is the general renderer's (every chain ends
 * on a string: the template's output is the text with those strings in place, and no error can occur).
 * An exception from a general renderer called inside is caught by the caller, which then runs the
 * general renderer on the whole template: its first error, in its order, is the one thrown.
 *
 * Undefined when the template has a templated map key or a `__proto__` key (left to the general renderer).
 */
function fastSource(root: Extract<Compiled, { constant: false }>, fields: FieldPick | undefined): { source: string; consts: unknown[]; fns: Array<(p: GoMap, e: TemplateEngine) => unknown> } | undefined {
  const consts: unknown[] = [];
  const fns: Array<(p: GoMap, e: TemplateEngine) => unknown> = [];
  const lines: string[] = [];
  /** Strings made from the lookups of `lines` (after them), and the variables they are remembered in (across calls). */
  const after: string[] = [];
  const state: string[] = [];
  let memos = 0;
  /** Variable of the value at each chain (its names as JSON), checked present; with `m` after: checked to be a map; `s`: a string. */
  const vars = new Map<string, string>();
  let counter = 0;
  const constant = (v: unknown): string => {
    consts.push(v);
    return `k[${consts.length - 1}]`;
  };
  const value = (names: readonly string[]): string => {
    const id = JSON.stringify(names);
    let v = vars.get(id);
    if (v === undefined) {
      const parent = mapOf(names.slice(0, -1));
      v = `v${counter++}`;
      const key = JSON.stringify(names[names.length - 1]);
      lines.push(`if (!has.call(${parent}, ${key})) return MISS;`, `const ${v} = ${parent}[${key}];`);
      vars.set(id, v);
    }
    return v;
  };
  const checked = (names: readonly string[], kind: 'm' | 's', test: (v: string) => string): string => {
    const id = `${JSON.stringify(names)}${kind}`;
    let v = vars.get(id);
    if (v === undefined) {
      v = names.length === 0 ? 'p' : value(names);
      lines.push(`if (!(${test(v)})) return MISS;`);
      vars.set(id, v);
    }
    return v;
  };
  const mapOf = (names: readonly string[]) => checked(names, 'm', (v) => `typeof ${v} === 'object' && ${v} !== null && !isArray(${v})`);
  const stringOf = (names: readonly string[]) => checked(names, 's', (v) => `typeof ${v} === 'string'`);

  /**
   * An expression of the string a templated string renders to (registering its lookups); for `checkOnly`
   * (a string rendered for its errors only) a statement, or nothing when its lookups check it.
   */
  const text = (c: Extract<Compiled, { constant: false }>, raw: string, checkOnly = false): string => {
    let parts: ReadonlyArray<string | readonly string[]> | undefined;
    try {
      parts = GoTemplate.parse(raw).simpleParts;
    } catch {
      parts = undefined; // a parse error: the general renderer throws it
    }
    if (!parts) {
      fns.push(c.render);
      return `f[${fns.length - 1}](p, e)`;
    }
    if (checkOnly) {
      for (const part of parts) if (typeof part !== 'string') stringOf(part);
      return '';
    }
    // Text is a constant too: templates that differ only in their text (one per team) compile to one source.
    const exprs = parts.map((part) => (typeof part === 'string' ? constant(part) : stringOf(part)));
    if (exprs.length === 0) return '""';
    // A lone chain is its string; text joins as `+` does (the general path appends to '').
    if (exprs.length === 1) return typeof parts[0] !== 'string' ? exprs[0] : `("" + ${exprs[0]})`;
    const inputs = [...new Set(parts.filter((part) => typeof part !== 'string').map((part) => stringOf(part)))];
    if (inputs.length === 0) return `("" + ${exprs.join(' + ')})`;
    // The string made last time, while its chains give the same strings again (consecutive Applications
    // mostly share an app, an environment or a repository): one string instead of a new one each time.
    const m = `m${memos++}`;
    state.push(`let ${m}r;`, ...inputs.map((_, i) => `let ${m}i${i};`));
    const same = inputs.map((v, i) => `${v} === ${m}i${i}`).join(' && ');
    const remember = inputs.map((v, i) => `${m}i${i} = ${v};`).join(' ');
    after.push(`let ${m}; if (${m}r !== undefined && ${same}) ${m} = ${m}r; else { ${m} = "" + ${exprs.join(' + ')}; ${m}r = ${m}; ${remember} }`);
    return m;
  };
  let unsupported = false;
  const check = (c: Compiled): void => {
    if (c.constant) return;
    const shape = c.shape;
    if (shape.t === 'string') {
      const statement = text(c, shape.text, true);
      if (statement) lines.push(`${statement};`);
    } else if (shape.t === 'array') shape.items.forEach(check);
    else {
      for (const entry of shape.entries) {
        if (entry.templatedKey) unsupported = true;
        check(entry.item);
      }
    }
  };
  const render = (c: Compiled, want: true | FieldPick): string => {
    if (c.constant) return constant(c.value);
    const shape = c.shape;
    if (shape.t === 'string') return text(c, shape.text);
    if (shape.t === 'array') return `[${shape.items.map((item) => render(item, true)).join(', ')}]`;
    const props: string[] = [];
    for (const entry of shape.entries) {
      if (entry.templatedKey || entry.key === '__proto__') {
        unsupported = true;
        continue;
      }
      const key = JSON.stringify(entry.key);
      if (want === true) {
        props.push(`${key}: ${render(entry.item, true)}`);
        continue;
      }
      const picked = Object.prototype.hasOwnProperty.call(want, entry.key) ? want[entry.key] : undefined;
      if (picked === undefined) check(entry.item);
      else props.push(`${key}: ${render(entry.item, picked)}`);
    }
    return `{ ${props.join(', ')} }`;
  };
  const result = render(root, fields ?? true);
  if (unsupported) return undefined;
  const source = `${state.join(' ')}\nreturn function fastRender(p, e) {\n${lines.join('\n')}\n${after.join('\n')}\nreturn ${result};\n};`;
  return { source, consts, fns };
}

type FastFactory = (consts: unknown[], fns: unknown[], has: typeof Object.prototype.hasOwnProperty, isArray: typeof Array.isArray, miss: typeof MISS) => FastRender;
const FACTORIES = new Map<string, FastFactory>();

/** {@link fastSource} made a function; undefined when there is none (or code generation is not allowed here). */
function fastRenderer(c: Extract<Compiled, { constant: false }>, fields: FieldPick | undefined): FastRender | undefined {
  let byFields = FAST.get(c);
  if (!byFields) FAST.set(c, (byFields = new Map()));
  const key = fields ? JSON.stringify(fields) : '';
  if (byFields.has(key)) return byFields.get(key);
  let fast: FastRender | undefined;
  const made = fastSource(c, fields);
  if (made) {
    try {
      // One function per source, so that the templates of one shape (differing in their text and
      // untemplated values only) share its optimised code instead of each warming up its own.
      let make = FACTORIES.get(made.source);
      if (!make) {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func
        make = new Function('k', 'f', 'has', 'isArray', 'MISS', made.source) as FastFactory;
        if (FACTORIES.size >= 1000) FACTORIES.clear();
        FACTORIES.set(made.source, make);
      }
      fast = make(made.consts, made.fns, Object.prototype.hasOwnProperty, Array.isArray, MISS);
    } catch {
      fast = undefined; // --disallow-code-generation-from-strings: the general renderer does it all
    }
  }
  byFields.set(key, fast);
  return fast;
}

/**
 * A renderer for every string of `value` (and every map key), as Argo CD's `deeplyReplace` templates an
 * Application template or a matrix child generator: numbers and booleans are kept, nil map values are
 * dropped, and parts without `{{` are shared with `value` (treat results as read-only). Compiled once
 * per object and path, so rendering it for many param sets only executes templates.
 *
 * Throws {@link TemplateRenderError} naming the field path of the first string that fails.
 *
 * With `fields`, the result holds only those fields (the rest of the object is rendered all the same, in
 * the same order, for its errors: the same first error is thrown), for a reader that needs only them.
 *
 * With Go templates, the template is also compiled into one function (see {@link fastSource}) that gives
 * the same result when every templated string is text and field chains that resolve to strings, and
 * hands over to the general renderer otherwise.
 */
export function objectRenderer(value: object, path: string, fields?: FieldPick): (params: GoMap, engine: TemplateEngine) => unknown {
  let byPath = CACHE.get(value);
  if (!byPath) {
    byPath = new Map();
    CACHE.set(value, byPath);
  }
  let compiled = byPath.get(path);
  if (!compiled) {
    compiled = compile(value, path);
    byPath.set(path, compiled);
  }
  const c = compiled;
  if (c.constant) return () => c.value;
  const pick = fields && c.pick;
  const general: (params: GoMap, engine: TemplateEngine) => unknown = pick ? (params, engine) => pick(params, engine, fields) : c.render;
  const fast = fastRenderer(c, pick ? fields : undefined);
  if (!fast) return general;
  return (params, engine) => {
    if (engine.goTemplate) {
      let r: unknown;
      try {
        r = fast(params, engine);
      } catch {
        r = MISS; // a general renderer called inside failed: the whole template is rendered again for the first error
      }
      if (r !== MISS) return r;
    }
    return general(params, engine);
  };
}

/** The source of the function {@link objectRenderer} compiles for `value` (and `fields`), for tests; undefined when there is none. */
export function fastRendererSource(value: object, path: string, fields?: FieldPick): string | undefined {
  const c = compile(value, path);
  if (c.constant) return undefined;
  return fastSource(c, fields && c.pick ? fields : undefined)?.source;
}

/** The general renderer alone (without the compiled function of {@link objectRenderer}), for tests that compare the two. */
export function generalObjectRenderer(value: object, path: string, fields?: FieldPick): (params: GoMap, engine: TemplateEngine) => unknown {
  const c = compile(value, path);
  if (c.constant) return () => c.value;
  const pick = c.pick;
  return fields && pick ? (params, engine) => pick(params, engine, fields) : c.render;
}
