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
    };

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
    return { constant: false, render, check: render };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compile(v, childPath(path, i)));
    if (items.every((c) => c.constant)) return { constant: true, value };
    return {
      constant: false,
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
  if (fields && !c.constant && c.pick) {
    const pick = c.pick;
    return (params, engine) => pick(params, engine, fields);
  }
  return (params, engine) => (c.constant ? c.value : c.render(params, engine));
}
