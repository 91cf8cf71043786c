/**
 * The lexer of the Go text/template subset: splits a template into text and actions (honouring the trim
 * markers `{{-` and `-}}` and dropping comments) and an action into tokens, with Go's error messages.
 */
import { GoTemplateError } from './error.js';
import { GoValue } from './values.js';

/** A token of an action. */
export type Tok =
  | { readonly t: 'space' | 'pipe' | 'lparen' | 'rparen' | 'dot'; readonly pos: number }
  | { readonly t: 'field' | 'ident' | 'var'; readonly pos: number; readonly name: string }
  | { readonly t: 'const'; readonly pos: number; readonly value: GoValue; readonly text: string };

/** What the lexer splits a template into: literal text, or an action with its tokens. */
export type Item = { readonly t: 'text'; readonly text: string } | { readonly t: 'action'; readonly pos: number; readonly toks: readonly Tok[] };

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
const SPACE_CHARS = /[ \t\r\n]+$/;
const LEADING_SPACE = /^[ \t\r\n]+/;

/** The words text/template reserves for its control structures. */
export const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/;

/** Splits a template into text and tokenized actions; its `fail` throws Go's `template: :<line>: ...` errors. */
export class Lexer {
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
