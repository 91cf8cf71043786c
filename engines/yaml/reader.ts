import { parseAllDocuments } from 'yaml';
import { isPlainSafe } from './writer.js';

/**
 * A strict, fast reader for the YAML that the project's writer (engines/yaml, `toYaml`) writes for the
 * common shapes of rendered objects: a leading comment, documents separated by `---`, block maps and
 * lists indented two spaces a level (lists in compact `- key: value` form), one-line scalars (plain,
 * single-quoted, double-quoted with JSON's escapes), empty `{}` and `[]`.
 *
 * It reads these about ten times faster than the `yaml` package, and gives up (returns undefined) on
 * anything else: block scalars, multi-line or YAML-only escapes, explicit keys, anchors, tags, flow
 * collections, comments after the start, a plain scalar the writer would not have written plain, a
 * number not in its canonical form. The caller then reads the text with the `yaml` package, so what a
 * file reads as never depends on this reader: a result is the data `yaml` reads (test/plan-from-dist.test.ts
 * compares both on every file of rendered fleets).
 */
export function readYamlSubset(text: string): unknown[] | undefined {
  try {
    return new SubsetReader(text).documents();
  } catch (e) {
    if (e instanceof NotInSubset) return undefined;
    throw e;
  }
}

class NotInSubset extends Error {}
const fail = (): never => {
  throw new NotInSubset();
};

/** A canonical number as the writer writes one (`String(n)`), which every YAML 1.2 reader reads as that number. */
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[-+][0-9]+)?$/;

function plain(s: string, key: boolean): unknown {
  if (s.startsWith('---') || s.startsWith('...') || s.startsWith('%')) fail();
  if (isPlainSafe(s)) return s;
  if (key) fail();
  if (s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (NUMBER.test(s)) {
    const n = Number(s);
    if (String(n) === s && Number.isFinite(n)) return n;
  }
  return fail();
}

/** Spaces at the start of a line (a tab or other whitespace there: not in the subset). */
function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  const c = line.charCodeAt(i);
  if (c === 9 || c === 13) fail();
  return i;
}

class SubsetReader {
  private readonly lines: string[];
  private i = 0;

  public constructor(text: string) {
    if (!text.endsWith('\n')) fail();
    this.lines = text.slice(0, -1).split('\n');
  }

  public documents(): unknown[] {
    const { lines } = this;
    while (this.i < lines.length && lines[this.i].startsWith('#')) this.i++;
    const docs: unknown[] = [];
    for (;;) {
      if (this.i >= lines.length) fail();
      const line = lines[this.i];
      if (line === '' || indentOf(line) !== 0 || line.startsWith('---') || line.startsWith('...') || line.startsWith('#') || line.startsWith('%')) fail();
      docs.push(this.block(0));
      if (this.i === lines.length) return docs;
      if (lines[this.i] !== '---') fail();
      this.i++;
    }
  }

  /** A block map or list whose first entry starts at column `col` of the current line. */
  private block(col: number): unknown {
    const line = this.lines[this.i];
    return line.startsWith('- ', col) ? this.seq(col) : this.map(col);
  }

  /** Whether the current line continues a block at column `col`: exactly `col` spaces, then content. */
  private continues(col: number): boolean {
    if (this.i >= this.lines.length) return false;
    const line = this.lines[this.i];
    const ind = indentOf(line);
    if (ind > col) fail();
    return ind === col && line.length > col && line !== '---';
  }

  private seq(col: number): unknown[] {
    const out: unknown[] = [];
    do {
      const line = this.lines[this.i];
      if (!line.startsWith('- ', col)) fail();
      out.push(this.item(col + 2));
    } while (this.continues(col));
    return out;
  }

  /** A list item whose content starts at column `c` of the current line. */
  private item(c: number): unknown {
    const line = this.lines[this.i];
    if (line.startsWith('- ', c)) return this.seq(c);
    const first = line[c];
    if (first === "'" || first === '"') {
      // A quoted scalar, or the quoted key of a map (`- "a b": c`).
      const { end } = this.token(line, c, true);
      if (line.charCodeAt(end) === 58 /* : */) return this.map(c);
    } else if (line.includes(': ', c) || line.endsWith(':')) {
      return this.map(c);
    }
    const { value, end } = this.token(line, c, false);
    if (end !== line.length) fail();
    this.i++;
    return value;
  }

  private map(col: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    do {
      const line = this.lines[this.i];
      if (line.startsWith('- ', col)) fail();
      const { value: key, end } = this.token(line, col, true);
      if (typeof key !== 'string' || key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) fail();
      if (line.charCodeAt(end) !== 58 /* : */) fail();
      let value: unknown;
      if (end + 1 === line.length) {
        // The value is a block on the next lines, two spaces in.
        this.i++;
        if (this.i >= this.lines.length || indentOf(this.lines[this.i]) !== col + 2) fail();
        value = this.block(col + 2);
      } else {
        if (line.charCodeAt(end + 1) !== 32) fail();
        const v = this.token(line, end + 2, false);
        if (v.end !== line.length) fail();
        value = v.value;
        this.i++;
      }
      out[key as string] = value;
    } while (this.continues(col) && !this.lines[this.i].startsWith('- ', col));
    return out;
  }

  /**
   * One scalar starting at `c`: where it ends (the end of the line, or for a key the `:` after it).
   * A value's plain scalar runs to the end of the line; a key's to its `: ` or final `:`.
   */
  private token(line: string, c: number, key: boolean): { value: unknown; end: number } {
    const first = line[c];
    if (first === undefined) return fail();
    if (first === "'") {
      let s = '';
      let i = c + 1;
      for (;;) {
        const q = line.indexOf("'", i);
        if (q < 0) fail();
        s += line.slice(i, q);
        if (line[q + 1] === "'") {
          s += "'";
          i = q + 2;
          continue;
        }
        return { value: s, end: q + 1 };
      }
    }
    if (first === '"') {
      let i = c + 1;
      for (;;) {
        const ch = line[i];
        if (ch === undefined) fail();
        if (ch === '"') break;
        if (ch === '\\') {
          const e = line[i + 1];
          if (e === 'u') i += 6;
          else if (e === '"' || e === '\\' || e === '/' || e === 'b' || e === 'f' || e === 'n' || e === 'r' || e === 't') i += 2;
          else fail();
          continue;
        }
        i++;
      }
      let value: unknown;
      try {
        value = JSON.parse(line.slice(c, i + 1));
      } catch {
        fail();
      }
      return { value, end: i + 1 };
    }
    if (!key && (line.endsWith('{}') || line.endsWith('[]')) && line.length - c === 2) return { value: first === '{' ? {} : [], end: line.length };
    if ('|>&*!?%@`#[]{},'.includes(first) || first === ' ') fail();
    let end = line.length;
    if (key) {
      const sep = line.indexOf(': ', c);
      end = sep >= 0 ? sep : line.endsWith(':') ? line.length - 1 : -1;
      if (end <= c) fail();
    } else if (line.includes(': ', c) || line.endsWith(':') || line.includes(' #', c)) {
      // A value cannot hold a `: ` (a nested map), and the writer does not write one.
      fail();
    }
    return { value: plain(line.slice(c, end), key), end };
  }
}

/**
 * Every document of a YAML text as data: through the fast reader when the text is in its subset, else
 * through the `yaml` package; undefined when the text is not valid YAML.
 */
export function readYamlDocuments(text: string): unknown[] | undefined {
  const fast = readYamlSubset(text);
  if (fast !== undefined) return fast;
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
  return docs.map((d) => d.toJS() as unknown);
}
