import {
  formatGoValue,
  GoMap,
  GoValue,
  goJson,
  goQuote,
  goTruth,
  goTypeName,
  hasKey,
  isGoMap,
  isStringMap,
  printTemplateValue,
  sanitizeName,
} from './go-values.js';

/**
 * What a missing map key does, after Go's `missingkey=` template option: `error` stops the template
 * (what every ApplicationSet of this fleet asks for), `invalid` (Go's default, also spelled `default`)
 * prints `<no value>`, `zero` gives the map's zero value.
 *
 * @see https://pkg.go.dev/text/template#Template.Option
 */
export type MissingKey = 'error' | 'invalid' | 'zero';

/**
 * A template that Argo CD would fail on (a parse error, a missing key under `missingkey=error`, a
 * function called with the wrong arguments), or one that uses Go template syntax this engine does not
 * implement (`unsupported`): never a silently different result.
 */
export class GoTemplateError extends Error {
  /** True when the template may be valid Go but uses syntax or a function this engine does not implement. */
  public readonly unsupported: boolean;

  public constructor(message: string, unsupported = false) {
    super(message);
    this.name = 'GoTemplateError';
    this.unsupported = unsupported;
  }
}

/**
 * Reads an ApplicationSet's `goTemplateOptions` the way `template.Option` does: `missingkey=error`,
 * `missingkey=zero`, `missingkey=invalid` or `missingkey=default`; anything else is an error (Go panics).
 */
export function parseGoTemplateOptions(options: readonly unknown[] | undefined): MissingKey {
  let missingKey: MissingKey = 'invalid';
  for (const option of options ?? []) {
    const m = typeof option === 'string' ? /^missingkey=(error|zero|invalid|default)$/.exec(option) : null;
    if (!m) {
      throw new GoTemplateError(
        `unrecognized goTemplateOptions entry ${JSON.stringify(option)}: text/template only knows missingkey=error, missingkey=zero, missingkey=invalid and missingkey=default`,
      );
    }
    missingKey = m[1] === 'default' ? 'invalid' : (m[1] as MissingKey);
  }
  return missingKey;
}

// ---------------------------------------------------------------------------------------------------
// Syntax tree

type Arg =
  | { readonly t: 'field'; readonly pos: number; readonly names: readonly string[] }
  | { readonly t: 'root'; readonly pos: number; readonly names: readonly string[] }
  | { readonly t: 'dot'; readonly pos: number }
  | { readonly t: 'ident'; readonly pos: number; readonly name: string }
  | { readonly t: 'const'; readonly pos: number; readonly value: GoValue; readonly text: string }
  | { readonly t: 'nil'; readonly pos: number }
  | { readonly t: 'pipe'; readonly pos: number; readonly pipe: Pipe };

interface Cmd {
  readonly pos: number;
  readonly args: readonly Arg[];
}

interface Pipe {
  readonly pos: number;
  readonly cmds: readonly Cmd[];
}

type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'action'; readonly pipe: Pipe }
  | { readonly t: 'if'; readonly pipe: Pipe; readonly then: readonly Node[]; readonly else: readonly Node[] };

/** The Go source form of an argument, for error contexts (`<.metadata.labels.env>`). */
function argString(a: Arg): string {
  switch (a.t) {
    case 'field':
      return `.${a.names.join('.')}`;
    case 'root':
      return a.names.length === 0 ? '$' : `$.${a.names.join('.')}`;
    case 'dot':
      return '.';
    case 'ident':
      return a.name;
    case 'const':
      return a.text;
    case 'nil':
      return 'nil';
    case 'pipe':
      return `(${pipeString(a.pipe)})`;
  }
}

function cmdString(c: Cmd): string {
  return c.args.map(argString).join(' ');
}

function pipeString(p: Pipe): string {
  return p.cmds.map(cmdString).join(' | ');
}

// ---------------------------------------------------------------------------------------------------
// Lexer

type Tok =
  | { readonly t: 'space' | 'pipe' | 'lparen' | 'rparen' | 'dot'; readonly pos: number }
  | { readonly t: 'field' | 'ident' | 'var'; readonly pos: number; readonly name: string }
  | { readonly t: 'const'; readonly pos: number; readonly value: GoValue; readonly text: string };

type Item = { readonly t: 'text'; readonly text: string } | { readonly t: 'action'; readonly pos: number; readonly toks: readonly Tok[] };

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
const SPACE_CHARS = /[ \t\r\n]+$/;
const LEADING_SPACE = /^[ \t\r\n]+/;

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/;

class Lexer {
  public constructor(private readonly src: string) {}

  public lineOf(pos: number): number {
    let line = 1;
    for (let i = 0; i < pos && i < this.src.length; i++) if (this.src[i] === '\n') line++;
    return line;
  }

  public fail(pos: number, message: string, unsupported = false): never {
    throw new GoTemplateError(`template: :${this.lineOf(pos)}: ${message}`, unsupported);
  }

  public items(): Item[] {
    const src = this.src;
    const items: Item[] = [];
    let pos = 0;
    let trimNext = false;
    while (pos <= src.length) {
      const open = src.indexOf('{{', pos);
      let text = open < 0 ? src.slice(pos) : src.slice(pos, open);
      if (trimNext) text = text.replace(LEADING_SPACE, '');
      trimNext = false;
      if (open < 0) {
        if (text) items.push({ t: 'text', text });
        break;
      }
      let p = open + 2;
      if (src[p] === '-' && isSpace(src[p + 1])) {
        text = text.replace(SPACE_CHARS, '');
        p += 2;
      }
      if (text) items.push({ t: 'text', text });
      if (src.startsWith('/*', p)) {
        const close = src.indexOf('*/', p + 2);
        if (close < 0) this.fail(open, 'unclosed comment');
        const end = this.rightDelim(close + 2);
        if (!end) this.fail(open, 'comment ends before closing delimiter');
        pos = end.next;
        trimNext = end.trim;
        continue;
      }
      const { toks, next, trim } = this.action(p, open);
      items.push({ t: 'action', pos: open, toks });
      pos = next;
      trimNext = trim;
    }
    return items;
  }

  private rightDelim(p: number): { next: number; trim: boolean } | undefined {
    if (this.src.startsWith('}}', p)) return { next: p + 2, trim: false };
    if (isSpace(this.src[p]) && this.src[p + 1] === '-' && this.src.startsWith('}}', p + 2)) return { next: p + 4, trim: true };
    return undefined;
  }

  private action(start: number, open: number): { toks: Tok[]; next: number; trim: boolean } {
    const src = this.src;
    const toks: Tok[] = [];
    let p = start;
    for (;;) {
      const end = this.rightDelim(p);
      if (end) return { toks, next: end.next, trim: end.trim };
      if (p >= src.length) this.fail(open, 'unclosed action');
      const c = src[p];
      if (isSpace(c)) {
        while (isSpace(src[p]) && !this.rightDelim(p)) p++;
        toks.push({ t: 'space', pos: p });
        continue;
      }
      if (c === '|') {
        toks.push({ t: 'pipe', pos: p++ });
        continue;
      }
      if (c === '(') {
        toks.push({ t: 'lparen', pos: p++ });
        continue;
      }
      if (c === ')') {
        toks.push({ t: 'rparen', pos: p++ });
        continue;
      }
      if (c === '"') {
        const { value, next } = this.quoted(p);
        toks.push({ t: 'const', pos: p, value, text: src.slice(p, next) });
        p = next;
        continue;
      }
      if (c === '`') {
        const close = src.indexOf('`', p + 1);
        if (close < 0) this.fail(p, 'unterminated raw quoted string');
        toks.push({ t: 'const', pos: p, value: src.slice(p + 1, close), text: src.slice(p, close + 1) });
        p = close + 1;
        continue;
      }
      if (c === "'") this.fail(p, 'character constants are not supported by the plan\'s template engine', true);
      if (c === '.' && !/[0-9]/.test(src[p + 1] ?? '')) {
        let q = p + 1;
        while (isAlnum(src[q])) q++;
        if (q === p + 1) toks.push({ t: 'dot', pos: p });
        else toks.push({ t: 'field', pos: p, name: src.slice(p + 1, q) });
        p = this.terminated(q);
        continue;
      }
      if (c === '$') {
        let q = p + 1;
        while (isAlnum(src[q])) q++;
        toks.push({ t: 'var', pos: p, name: src.slice(p, q) });
        p = this.terminated(q);
        continue;
      }
      if (c === '+' || c === '-' || c === '.' || /[0-9]/.test(c)) {
        const m = NUMBER.exec(src.slice(p));
        if (!m) this.fail(p, `bad number syntax: ${JSON.stringify(src.slice(p, p + 10))}`);
        toks.push({ t: 'const', pos: p, value: parseNumber(m[0], () => this.fail(p, `bad number syntax: "${m[0]}"`)), text: m[0] });
        p = this.terminated(p + m[0].length);
        continue;
      }
      if (isAlnum(c)) {
        let q = p;
        while (isAlnum(src[q])) q++;
        const word = src.slice(p, q);
        if (word === 'true' || word === 'false') toks.push({ t: 'const', pos: p, value: word === 'true', text: word });
        else toks.push({ t: 'ident', pos: p, name: word });
        p = this.terminated(q);
        continue;
      }
      if (c === ':' || c === '=' || c === ',') this.fail(p, 'variables are not supported by the plan\'s template engine (only $ and its fields)', true);
      this.fail(p, `bad character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`);
    }
  }

  /** Go requires a word to end at a space, `.`, `,`, `|`, `:`, a parenthesis or the closing delimiter. */
  private terminated(q: number): number {
    const c = this.src[q];
    if (q >= this.src.length || isSpace(c) || c === '.' || c === ',' || c === '|' || c === ':' || c === ')' || c === '(' || this.rightDelim(q)) return q;
    return this.fail(q, `bad character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`);
  }

  private quoted(p: number): { value: string; next: number } {
    const src = this.src;
    let q = p + 1;
    let out = '';
    for (;;) {
      const c = src[q];
      if (c === undefined || c === '\n') this.fail(p, 'unterminated quoted string');
      if (c === '"') return { value: out, next: q + 1 };
      if (c !== '\\') {
        out += c;
        q++;
        continue;
      }
      const e = src[q + 1];
      const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        q += 2;
        continue;
      }
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex > 0 && /^[0-9a-fA-F]+$/.test(src.slice(q + 2, q + 2 + hex)) && src.slice(q + 2, q + 2 + hex).length === hex) {
        out += String.fromCodePoint(parseInt(src.slice(q + 2, q + 2 + hex), 16));
        q += 2 + hex;
        continue;
      }
      if (/^[0-7]{3}$/.test(src.slice(q + 1, q + 4))) {
        out += String.fromCharCode(parseInt(src.slice(q + 1, q + 4), 8));
        q += 4;
        continue;
      }
      this.fail(p, `invalid syntax in quoted string ${src.slice(p, q + 2)}`);
    }
  }
}

/** A Go number literal: an integer literal is an `int` (bigint), anything with a point or exponent a float64. */
function parseNumber(text: string, fail: () => never): GoValue {
  const clean = text.replace(/_/g, '');
  if (/^[+-]?0[xXbBoO]/.test(clean)) {
    const sign = clean.startsWith('-') ? -1n : 1n;
    return sign * BigInt(clean.replace(/^[+-]/, ''));
  }
  if (/^[+-]?\d+$/.test(clean)) return BigInt(clean);
  const n = Number(clean);
  if (!Number.isFinite(n)) fail();
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Parser

class Parser {
  private items: Item[] = [];
  private i = 0;

  public constructor(private readonly lexer: Lexer) {}

  public parse(): Node[] {
    this.items = this.lexer.items();
    this.i = 0;
    const { nodes, stop } = this.list();
    if (stop) this.lexer.fail(stop.pos, `unexpected {{${stop.kind}}}`);
    return nodes;
  }

  /** Nodes up to the end of input, or up to an `{{else}}`/`{{end}}` (returned as `stop`). */
  private list(): { nodes: Node[]; stop?: { kind: 'else' | 'end'; pos: number; toks: readonly Tok[] } } {
    const nodes: Node[] = [];
    while (this.i < this.items.length) {
      const item = this.items[this.i++];
      if (item.t === 'text') {
        nodes.push({ t: 'text', text: item.text });
        continue;
      }
      const toks = item.toks.filter((t, k) => !(t.t === 'space' && k === 0));
      const first = toks[0];
      if (first?.t === 'ident' && KEYWORDS.has(first.name)) {
        switch (first.name) {
          case 'if':
            nodes.push(this.ifNode(item.pos, toks.slice(1)));
            continue;
          case 'else':
          case 'end':
            return { nodes, stop: { kind: first.name, pos: item.pos, toks: toks.slice(1) } };
          default:
            this.lexer.fail(item.pos, `{{${first.name}}} is not supported by the plan's template engine (it implements {{if}}, {{else}}, {{end}}, fields, pipelines and functions)`, true);
        }
      }
      nodes.push({ t: 'action', pipe: this.pipeline(item.pos, toks) });
    }
    return { nodes };
  }

  private ifNode(pos: number, toks: readonly Tok[]): Node {
    const pipe = this.pipeline(pos, toks);
    const then = this.list();
    if (!then.stop) this.lexer.fail(pos, 'unexpected EOF');
    if (then.stop.kind === 'end') {
      this.noExtra(then.stop.pos, then.stop.toks, 'end');
      return { t: 'if', pipe, then: then.nodes, else: [] };
    }
    const rest = then.stop.toks.filter((t) => t.t !== 'space');
    if (rest[0]?.t === 'ident' && rest[0].name === 'if') {
      // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} sharing one {{end}}.
      const elseIf = this.ifNode(then.stop.pos, then.stop.toks.slice(then.stop.toks.indexOf(rest[0]) + 1));
      return { t: 'if', pipe, then: then.nodes, else: [elseIf] };
    }
    this.noExtra(then.stop.pos, then.stop.toks, 'else');
    const otherwise = this.list();
    if (!otherwise.stop) this.lexer.fail(pos, 'unexpected EOF');
    if (otherwise.stop.kind !== 'end') this.lexer.fail(otherwise.stop.pos, 'expected end; found {{else}}');
    this.noExtra(otherwise.stop.pos, otherwise.stop.toks, 'end');
    return { t: 'if', pipe, then: then.nodes, else: otherwise.nodes };
  }

  private noExtra(pos: number, toks: readonly Tok[], kind: string): void {
    if (toks.some((t) => t.t !== 'space')) this.lexer.fail(pos, `unexpected token in {{${kind}}}`);
  }

  private pipeline(pos: number, toks: readonly Tok[]): Pipe {
    const state = { toks, k: 0 };
    const pipe = this.pipe(pos, state, false);
    return pipe;
  }

  private pipe(pos: number, s: { toks: readonly Tok[]; k: number }, inParen: boolean): Pipe {
    const cmds: Cmd[] = [];
    for (;;) {
      while (s.toks[s.k]?.t === 'space') s.k++;
      const cmd = this.command(s);
      if (cmd.args.length === 0) this.lexer.fail(pos, cmds.length === 0 && !s.toks[s.k] ? 'missing value for command' : 'missing command');
      cmds.push(cmd);
      const t = s.toks[s.k];
      if (t?.t === 'pipe') {
        s.k++;
        continue;
      }
      if (t?.t === 'rparen') {
        if (!inParen) this.lexer.fail(t.pos, 'unexpected right paren');
        s.k++;
        return { pos, cmds };
      }
      if (t === undefined) {
        if (inParen) this.lexer.fail(pos, 'unclosed left paren');
        return { pos, cmds };
      }
      this.lexer.fail(t.pos, `unexpected ${tokText(t)} in command`);
    }
  }

  private command(s: { toks: readonly Tok[]; k: number }): Cmd {
    const args: Arg[] = [];
    const pos = s.toks[s.k]?.pos ?? 0;
    for (;;) {
      const t = s.toks[s.k];
      if (t === undefined || t.t === 'pipe' || t.t === 'rparen') return { pos, args };
      args.push(this.operand(s));
      const after = s.toks[s.k];
      if (after === undefined || after.t === 'pipe' || after.t === 'rparen') return { pos, args };
      if (after.t !== 'space') this.lexer.fail(after.pos, `unexpected ${tokText(after)} in operand`);
      while (s.toks[s.k]?.t === 'space') s.k++;
    }
  }

  private operand(s: { toks: readonly Tok[]; k: number }): Arg {
    const t = s.toks[s.k++];
    const chain = (): { names: string[]; pos: number } => {
      const names: string[] = [];
      let pos = -1;
      while (s.toks[s.k]?.t === 'field') {
        const f = s.toks[s.k++] as { name: string; pos: number };
        if (pos < 0) pos = f.pos;
        names.push(f.name);
      }
      return { names, pos };
    };
    switch (t.t) {
      case 'field': {
        const more = chain();
        // text/template gives a chained field the position of its second element.
        return { t: 'field', pos: more.names.length > 0 ? more.pos : t.pos, names: [t.name, ...more.names] };
      }
      case 'var': {
        if (t.name !== '$') this.lexer.fail(t.pos, `variable ${t.name} is not supported by the plan's template engine (only $ and its fields)`, true);
        const more = chain();
        return { t: 'root', pos: more.names.length > 0 ? more.pos : t.pos, names: more.names };
      }
      case 'dot':
        if (s.toks[s.k]?.t === 'field') this.lexer.fail(t.pos, 'unexpected . after term "."');
        return { t: 'dot', pos: t.pos };
      case 'const':
        return { t: 'const', pos: t.pos, value: t.value, text: t.text };
      case 'ident':
        if (t.name === 'nil') return { t: 'nil', pos: t.pos };
        if (KEYWORDS.has(t.name)) this.lexer.fail(t.pos, `unexpected <${t.name}> in command`);
        if (!FUNCTIONS.has(t.name)) {
          this.lexer.fail(
            t.pos,
            `function "${t.name}" is not supported by the plan's template engine (it implements ${[...FUNCTIONS.keys()].sort().join(', ')}); Argo CD has text/template's builtins and Sprig, so extend charts/applicationset/go-template.ts if this is one of them`,
            true,
          );
        }
        if (s.toks[s.k]?.t === 'field') this.lexer.fail(t.pos, `field chains after a function call are not supported by the plan's template engine`, true);
        return { t: 'ident', pos: t.pos, name: t.name };
      case 'lparen': {
        const pipe = this.pipe(t.pos, s, true);
        if (s.toks[s.k]?.t === 'field') this.lexer.fail(t.pos, 'field chains after a parenthesized pipeline are not supported by the plan\'s template engine', true);
        return { t: 'pipe', pos: t.pos, pipe };
      }
      default:
        return this.lexer.fail(t.pos, `unexpected ${tokText(t)} in operand`);
    }
  }
}

function tokText(t: Tok): string {
  switch (t.t) {
    case 'space':
      return 'space';
    case 'pipe':
      return '"|"';
    case 'lparen':
      return '"("';
    case 'rparen':
      return '")"';
    case 'dot':
      return '"."';
    case 'field':
      return `<.${t.name}>`;
    case 'ident':
    case 'var':
      return `<${t.name}>`;
    case 'const':
      return t.text;
  }
}

// ---------------------------------------------------------------------------------------------------
// Functions

/** How a Go function parameter takes a value. */
type ParamKind = 'string' | 'int' | 'any';

interface FunctionSpec {
  /** Fixed parameters. */
  readonly params: readonly ParamKind[];
  /** Kind of the trailing variadic parameter, when there is one. */
  readonly variadic?: ParamKind;
  /** The call; throws {@link CallError} for what Go reports as `error calling <name>: ...`. */
  readonly call: (args: GoValue[]) => GoValue;
}

/** An error returned (or a panic raised) by a function: text/template reports it as `error calling <name>: <message>`. */
class CallError extends Error {}

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
      throw new GoTemplateError(`printf verb %${verb} (or a flag or width) is not supported by the plan's template engine (it implements %v %s %d %q %t %%)`, true);
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatVerb(verb, args[next++]);
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatGoValue(a)}`))
      .join(', ')})`;
  }
  return out;
}

function formatVerb(verb: string, v: GoValue): string {
  if (v === null || v === undefined) return verb === 'v' ? '<nil>' : `%!${verb}(<nil>)`;
  const bad = () => `%!${verb}(${goTypeName(v)}=${formatGoValue(v)})`;
  switch (verb) {
    case 'v':
      return formatGoValue(v);
    case 's':
      return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? bad() : formatGoValue(v);
    case 'd':
      return typeof v === 'bigint' ? String(v) : bad();
    case 'q':
      return typeof v === 'string' ? goQuote(v) : bad();
    default:
      return typeof v === 'boolean' ? String(v) : bad();
  }
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
  if (typeof a === 'object') throw new CallError(`non-comparable type ${formatGoValue(a)}: ${goTypeName(a)}`);
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
 * `hasPrefix`, `hasSuffix`, `contains`, `replace`, `trunc`, `quote`, `squote`, `toJson`, `dig`, and Argo
 * CD's `normalize`. Argument order is Sprig's: the piped value comes last (`.x | replace "a" "b"`).
 */
const FUNCTIONS = new Map<string, FunctionSpec>([
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
  ['lower', str((s) => s.toLowerCase())],
  ['upper', str((s) => s.toUpperCase())],
  ['trim', str((s) => s.replace(/^\s+|\s+$/g, ''))],
  ['normalize', str(sanitizeName)],
  ['trimPrefix', str2((prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s))],
  ['trimSuffix', str2((suffix, s) => (suffix && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s))],
  ['hasPrefix', str2((prefix, s) => s.startsWith(prefix))],
  ['hasSuffix', str2((suffix, s) => s.endsWith(suffix))],
  ['contains', str2((sub, s) => s.includes(sub))],
  ['replace', { params: ['string', 'string', 'string'], call: ([from, to, s]) => (s as string).split(from as string).join(to as string) }],
  [
    'trunc',
    {
      params: ['int', 'string'],
      call: ([c, s]) => {
        const n = Number(c as bigint);
        const text = s as string;
        if (n < 0 && text.length + n > 0) return text.slice(text.length + n);
        if (n >= 0 && text.length > n) return text.slice(0, n);
        return text;
      },
    },
  ],
  ['quote', { params: [], variadic: 'any', call: (args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(formatGoValue(a))).join(' ') }],
  ['squote', { params: [], variadic: 'any', call: (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${formatGoValue(a)}'`).join(' ') }],
  ['toJson', { params: ['any'], call: ([v]) => goJson(v) }],
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

// ---------------------------------------------------------------------------------------------------
// Execution

const NO_FINAL = Symbol('no final value');
type Final = GoValue | typeof NO_FINAL;

/** A value with the static type Go would report for it in "can't evaluate field" errors. */
interface Typed {
  readonly value: GoValue;
  /** True when the value was read out of an `interface {}` slot (a generic map or slice). */
  readonly boxed: boolean;
}

class Exec {
  private out = '';

  public constructor(
    private readonly src: string,
    private readonly root: GoValue,
    private readonly missingKey: MissingKey,
  ) {}

  public run(nodes: readonly Node[]): string {
    this.walk(nodes);
    return this.out;
  }

  private walk(nodes: readonly Node[]): void {
    for (const n of nodes) {
      if (n.t === 'text') this.out += n.text;
      else if (n.t === 'action') this.out += printTemplateValue(this.pipe(n.pipe, this.root));
      else this.walk(goTruth(this.pipe(n.pipe, this.root)) ? n.then : n.else);
    }
  }

  private fail(pos: number, context: string, message: string): never {
    const before = this.src.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = nl < 0 ? Buffer.byteLength(before) : Buffer.byteLength(before.slice(nl + 1));
    throw new GoTemplateError(`template: :${line}:${col}: executing "" at <${context}>: ${message}`);
  }

  private pipe(p: Pipe, dot: GoValue): GoValue {
    let value: Final = NO_FINAL;
    for (const cmd of p.cmds) value = this.command(cmd, dot, value);
    // A nil interface result is no value at all (text/template's "lovely!" unwrapping).
    return value === NO_FINAL || value === null ? undefined : value;
  }

  private notAFunction(cmd: Cmd, final: Final): void {
    const first = cmd.args[0];
    if (cmd.args.length > 1 || final !== NO_FINAL) this.fail(first.pos, argString(first), `can't give argument to non-function ${argString(first)}`);
  }

  private command(cmd: Cmd, dot: GoValue, final: Final): GoValue {
    const first = cmd.args[0];
    switch (first.t) {
      case 'field':
      case 'root':
        return this.fieldChain(first, first.t === 'root' ? { value: this.root, boxed: false } : { value: dot, boxed: false }, cmd.args.length > 1 || final !== NO_FINAL).value;
      case 'ident':
        return this.call(first, cmd, dot, final);
      case 'nil':
        return this.fail(first.pos, 'nil', 'nil is not a command');
      case 'pipe':
        this.notAFunction(cmd, final);
        return this.pipe(first.pipe, dot);
      case 'dot':
        this.notAFunction(cmd, final);
        return dot;
      case 'const':
        this.notAFunction(cmd, final);
        return first.value;
    }
  }

  private fieldChain(arg: Extract<Arg, { t: 'field' | 'root' }>, start: Typed, hasArgs: boolean): Typed {
    let cur = start;
    const last = arg.names.length - 1;
    for (let i = 0; i <= last; i++) cur = this.field(arg, arg.names[i], cur, hasArgs && i === last);
    return cur;
  }

  private field(arg: Arg, name: string, receiver: Typed, hasArgs: boolean): Typed {
    const r = receiver.value;
    if (r === undefined) {
      if (this.missingKey === 'error') this.fail(arg.pos, argString(arg), `nil data; no entry for key "${name}"`);
      return { value: undefined, boxed: false };
    }
    if (r === null) this.fail(arg.pos, argString(arg), `nil pointer evaluating interface {}.${name}`);
    if (isGoMap(r)) {
      if (hasArgs) this.fail(arg.pos, argString(arg), `${name} is not a method but has arguments`);
      if (hasKey(r, name)) return { value: r[name], boxed: !isStringMap(r) };
      switch (this.missingKey) {
        case 'error':
          return this.fail(arg.pos, argString(arg), `map has no entry for key "${name}"`);
        case 'zero':
          return { value: isStringMap(r) ? '' : null, boxed: !isStringMap(r) };
        default:
          return { value: undefined, boxed: false };
      }
    }
    return this.fail(arg.pos, argString(arg), `can't evaluate field ${name} in type ${receiver.boxed ? 'interface {}' : goTypeName(r)}`);
  }

  /** Evaluates an argument of a function call. */
  private arg(a: Arg, dot: GoValue): GoValue {
    switch (a.t) {
      case 'field':
      case 'root':
        return this.fieldChain(a, a.t === 'root' ? { value: this.root, boxed: false } : { value: dot, boxed: false }, false).value;
      case 'dot':
        return dot;
      case 'const':
        return a.value;
      case 'nil':
        return null;
      case 'pipe':
        return this.pipe(a.pipe, dot);
      case 'ident':
        // A function name as an argument is a call without arguments.
        return this.call(a, { pos: a.pos, args: [a] }, dot, NO_FINAL);
    }
  }

  private call(ident: Extract<Arg, { t: 'ident' }>, cmd: Cmd, dot: GoValue, final: Final): GoValue {
    const spec = FUNCTIONS.get(ident.name)!;
    const argNodes = cmd.args.slice(1);
    const count = argNodes.length + (final === NO_FINAL ? 0 : 1);
    const want = spec.params.length;
    if (spec.variadic ? count < want : count !== want) {
      this.fail(ident.pos, ident.name, `wrong number of args for ${ident.name}: want ${spec.variadic ? 'at least ' : ''}${want} got ${count}`);
    }
    if (ident.name === 'and' || ident.name === 'or') {
      // Short-circuit: later arguments are not evaluated (so a missing key there is no error).
      let v: GoValue = undefined;
      const n = count;
      for (let i = 0; i < n; i++) {
        v = i < argNodes.length ? this.arg(argNodes[i], dot) : (final as GoValue);
        if (ident.name === 'and' ? !goTruth(v) : goTruth(v)) break;
      }
      return v === undefined ? null : v;
    }
    const values: GoValue[] = argNodes.map((a) => this.arg(a, dot));
    if (final !== NO_FINAL) values.push(final);
    values.forEach((v, i) => {
      const kind = i < want ? spec.params[i] : spec.variadic!;
      const node = argNodes[i] ?? ident;
      if (kind === 'any') return;
      if (v === undefined || v === null) this.fail(node.pos, argString(node), `invalid value; expected ${kind}`);
      if ((kind === 'string' && typeof v !== 'string') || (kind === 'int' && typeof v !== 'bigint')) {
        this.fail(node.pos, argString(node), `wrong type for value; expected ${kind}; got ${goTypeName(v)}`);
      }
    });
    try {
      return spec.call(values.map((v) => (v === undefined ? null : v)));
    } catch (e) {
      if (e instanceof CallError) this.fail(cmd.pos, cmdString(cmd), `error calling ${ident.name}: ${e.message}`);
      throw e;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API

const CACHE = new Map<string, GoTemplate>();
const CACHE_LIMIT = 20_000;

/**
 * A parsed Go text/template, the subset Argo CD ApplicationSets use: text, `{{.a.b}}` fields, `$`, the
 * trim markers `{{-` and `-}}`, comments, pipelines with `|`, parenthesized pipelines, `{{if}}` /
 * `{{else if}}` / `{{else}}` / `{{end}}`, and the functions of this file's FUNCTIONS table. Anything else is
 * a {@link GoTemplateError} with `unsupported` set, never a silently different result.
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
    this.nodes = text.includes('{{') ? new Parser(new Lexer(text)).parse() : [{ t: 'text', text }];
    const simple: Array<string | readonly string[]> = [];
    for (const n of this.nodes) {
      if (n.t === 'text') simple.push(n.text);
      else if (n.t === 'action' && n.pipe.cmds.length === 1 && n.pipe.cmds[0].args.length === 1 && n.pipe.cmds[0].args[0].t === 'field') simple.push(n.pipe.cmds[0].args[0].names);
      else return;
    }
    this.simple = simple;
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
