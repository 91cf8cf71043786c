/**
 * A Go text/template subset with Argo CD's semantics, for offline ApplicationSet expansion: this file is
 * its public entry (parse with a cache, execute, render). The engine lives beside it: the syntax tree
 * (`ast.ts`), lexer, parser, function table and evaluator (`exec.ts`).
 */
import { Node } from './ast.js';
import { Exec } from './exec.js';
import { MissingKey } from './options.js';
import { parseTemplate } from './parser.js';
import { GoMap, GoValue, hasKey, isGoMap } from './values.js';

export { GoTemplateError } from './error.js';
export { parseGoTemplateOptions } from './options.js';
export type { MissingKey } from './options.js';

const CACHE = new Map<string, GoTemplate>();
const CACHE_LIMIT = 20_000;

/**
 * A parsed Go text/template, the subset Argo CD ApplicationSets use: text, `{{.a.b}}` fields, `$`, the
 * trim markers `{{-` and `-}}`, comments, pipelines with `|`, parenthesized pipelines, `{{if}}` /
 * `{{else if}}` / `{{else}}` / `{{end}}`, and the functions of the FUNCTIONS table in
 * `functions.ts`. Anything else is a {@link GoTemplateError} with `unsupported` set, never a
 * silently different result.
 *
 * Error messages are Go's, so they read like what the ApplicationSet controller reports:
 * `template: :1:11: executing "" at <.metadata.annotations.foo>: map has no entry for key "foo"`.
 */
export class GoTemplate {
  /** Parses `text` (cached: the same text is parsed once per process). */
  public static parse(text: string): GoTemplate {
    let t = CACHE.get(text);
    if (!t) {
      t = new GoTemplate(text);
      if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
      CACHE.set(text, t);
    }
    return t;
  }

  /** The template's source text. */
  public readonly text: string;
  private readonly nodes: readonly Node[];
  /**
   * The template as text and field chains (`dist/{{.a.b}}/x`), when that is all it is: the common case,
   * executed without the general evaluator. Anything unusual on the way falls back to it.
   */
  private readonly simple?: ReadonlyArray<string | readonly string[]>;

  private constructor(text: string) {
    this.text = text;
    this.nodes = text.includes('{{') ? parseTemplate(text) : [{ t: 'text', text }];
    const simple: Array<string | readonly string[]> = [];
    for (const n of this.nodes) {
      if (n.t === 'text') simple.push(n.text);
      else if (n.t === 'action' && n.pipe.cmds.length === 1 && n.pipe.cmds[0].args.length === 1 && n.pipe.cmds[0].args[0].t === 'field') simple.push(n.pipe.cmds[0].args[0].names);
      else return;
    }
    this.simple = simple;
  }

  /**
   * The template as text and field chains (`['dist/', ['a', 'b'], '/x']` for `dist/{{.a.b}}/x`) when that
   * is all it is, else undefined. Executed with data in which every chain names a key of a map at every
   * step and ends on a string, its output is the text with each chain's string in place (what
   * {@link execute} gives then, whatever the missing-key option); anything else runs the general evaluator.
   */
  public get simpleParts(): ReadonlyArray<string | readonly string[]> | undefined {
    return this.simple;
  }

  /** Runs the template with `data` as `.` and `$`; throws {@link GoTemplateError}. */
  public execute(data: GoValue, missingKey: MissingKey = 'invalid'): string {
    if (this.simple) {
      const fast = executeSimple(this.simple, data);
      if (fast !== undefined) return fast;
    }
    return new Exec(this.text, data, missingKey).run(this.nodes);
  }
}

/**
 * Text and field chains where every key is present and every value printed is a string: otherwise
 * undefined, and the general evaluator runs (and produces Go's exact output or error).
 */
function executeSimple(parts: ReadonlyArray<string | readonly string[]>, data: GoValue): string | undefined {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    let cur: GoValue = data;
    for (const name of part) {
      if (!isGoMap(cur) || !hasKey(cur, name)) return undefined;
      cur = cur[name];
    }
    if (typeof cur !== 'string') return undefined;
    out += cur;
  }
  return out;
}

/** Renders one string as Argo CD does with `goTemplate: true`: parse, then execute with the params as `.`. */
export function renderGoTemplate(text: string, params: GoMap, missingKey: MissingKey): string {
  return GoTemplate.parse(text).execute(params, missingKey);
}
