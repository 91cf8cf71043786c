/**
 * A small, fast YAML writer for JSON data (maps, lists, strings, numbers, booleans, null), in the block
 * style kubectl and the `yaml` package write. Its output is byte for byte what the `yaml` package (2.x)
 * writes with `stringify(value, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false })`,
 * except in three cases:
 * - a string a YAML 1.1 reader (kustomize) takes for something else (a boolean such as `yes`, `on`,
 *   `y`, a number such as `0777`, `1_000`, `1:20`, a timestamp, `=`, `<<`; see `readsAsNonString`) is
 *   double-quoted where `yaml`, which writes YAML 1.2, leaves it plain;
 * - a string of only spaces, tabs and line breaks, with a space before any tab (`' \n'`), is
 *   double-quoted where `yaml` writes a block scalar that reads back without the spaces;
 * - a document that is only a multi-line string whose first non-empty line starts with a space is
 *   indented two spaces with the indicator `|2`, as `yaml` writes it as a map value, where `yaml` writes `|1` with the text at column
 *   0, which neither `yaml` nor libyaml reads back (eemeli/yaml#692); rendered files hold maps, so
 *   this one never shows in dist/.
 * The string styles are otherwise `yaml`'s, ported from its stringifyString.js for these options (no
 * line folding): plain where that reads back as the same string; multi-line strings as literal block
 * scalars (`|`, `|-`, `|+`; indicator 2 when the first non-empty line starts with a space) except
 * in keys and when the last line holds only whitespace, where they are quoted; single quotes for text
 * that holds `"` and no `'`; otherwise double quotes with `yaml`'s escapes (`\x01`, `\e`, `\ ` before a line break;
 * a double-quoted value of 40 characters or more breaks its lines at `\n`). Keys longer than 1024
 * characters as written are explicit (`? key`). test/yaml-writer.test.ts checks all of this against
 * `yaml` on generated data. About 10x faster than the `yaml` package on large trees, and deterministic:
 * the same data gives the same bytes.
 */
import { isObject } from '../util/json.js';

const BOOL_OR_NULL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;
// `.`, `1.` and `e5` included: the yaml package's YAML 1.1 schema reads them as numbers.
const NUMBER_LIKE = /^[-+]?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9_]*)([eE][-+]?[0-9]+)?$|^[-+]?[eE][-+]?[0-9]+$|^[-+]?0[xob][0-9a-fA-F_]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$|^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;
const TIMESTAMP_LIKE = /^\d{4}-\d\d?-\d\d?/;

/**
 * Whether a YAML 1.1 or 1.2 reader could take this text, written plain, for something other than a
 * string (the empty string reads as null). Such strings are always quoted.
 */
export function readsAsNonString(s: string): boolean {
  return s === '' || BOOL_OR_NULL.test(s) || NUMBER_LIKE.test(s) || TIMESTAMP_LIKE.test(s);
}

// The rules below are those of the yaml package (dist/stringify/stringifyString.js), for the options above.
/** Control characters, C1 controls and lone surrogates: only double quotes can hold them. */
const NEEDS_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** Text a plain scalar cannot start, hold or end with. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** A line a reader could take for a directive or a document marker. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const INDENT_STEP = '  ';

/** Whether a one-line string is written without quotes (inside a map or list). */
export function isPlainSafe(s: string): boolean {
  return !s.includes('\n') && !NEEDS_DOUBLE.test(s) && !NOT_PLAIN.test(s) && !readsAsNonString(s);
}

/**
 * A string as it is written: `indent` is the indentation of the lines of a multi-line form (two spaces
 * more than the key or `- ` it belongs to; '' for a document that is just a string), `key` whether it is
 * a map key.
 */
function str(value: string, indent: string, key: boolean): string {
  if (NEEDS_DOUBLE.test(value)) return doubleQuoted(value, indent, key);
  const multiLine = value.includes('\n');
  if (key && multiLine) return quoted(value, indent, key);
  if (NOT_PLAIN.test(value)) return key || !multiLine ? quoted(value, indent, key) : block(value, indent);
  if (multiLine) return block(value, indent);
  if (DOCUMENT_MARKER.test(value)) {
    if (indent === '') return block(value, indent);
    if (key && indent === INDENT_STEP) return quoted(value, indent, key);
  }
  if (readsAsNonString(value)) return quoted(value, indent, key);
  return value;
}

function quoted(value: string, indent: string, key: boolean): string {
  return value.includes('"') && !value.includes("'") ? singleQuoted(value, indent, key) : doubleQuoted(value, indent, key);
}

function singleQuoted(value: string, indent: string, key: boolean): string {
  if ((key && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) return doubleQuoted(value, indent, key);
  const ind = indent || (DOCUMENT_MARKER.test(value) ? INDENT_STEP : '');
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${ind}`)}'`;
}

/** JSON escapes, with YAML's short forms; a value of 40 characters or more breaks its lines at `\n`. */
function doubleQuoted(value: string, indent: string, key: boolean): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\')) return json;
  const ind = indent || (DOCUMENT_MARKER.test(value) ? INDENT_STEP : '');
  let out = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // a space before a line break is escaped, so that it is not folded away
      out += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    const next = json[i + 1];
    if (next === 'u') {
      out += json.slice(start, i);
      const code = json.substr(i + 2, 4);
      out += SHORT_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.substr(2)}` : json.substr(i, 6));
      i += 5;
      start = i + 1;
    } else if (next === 'n' && !key && json[i + 2] !== '"' && json.length >= 40) {
      // a line break in the text becomes an empty line (folding turns it back into one \n)
      out += `${json.slice(start, i)}\n\n`;
      while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
        out += '\n';
        i += 2;
      }
      out += ind;
      if (json[i + 2] === ' ') out += '\\'; // a space at the start of a line is escaped, not folded
      i += 1;
      start = i + 1;
    } else {
      i += 1;
    }
  }
  return start ? out + json.slice(start) : json;
}

const SHORT_ESCAPES: Record<string, string> = {
  '0000': '\\0', '0007': '\\a', '000b': '\\v', '001b': '\\e', '0085': '\\N', '00a0': '\\_', '2028': '\\L', '2029': '\\P',
};

/** Newlines not at the end of the trailing run, each followed by the indentation. */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** A literal block scalar: chomping from the line breaks at the end, an indentation indicator when the text starts with a space. */
function block(value: string, indent: string): string {
  // A block cannot end in a whitespace-only line (yaml's rule). Nor can it hold only spaces and line
  // breaks with a space before any tab: a reader takes such lines for indentation and drops the spaces
  // (yaml writes ' \n' as `|+` and reads it back as '\n'; the writer quotes it).
  if (/\n[\t ]+$/.test(value) || (/^[\t\n ]*$/.test(value) && /^[\n ]* /.test(value))) return quoted(value, indent, false);
  // A document that is only a string starting with a space is indented and gets the indicator 2: yaml
  // writes `|1` with the text at column 0, which neither yaml nor libyaml reads back (eemeli/yaml#692).
  const ind = indent || (DOCUMENT_MARKER.test(value) || /^[\n ]* /.test(value) ? INDENT_STEP : '');
  let endStart = value.length;
  while (endStart > 0) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
    endStart--;
  }
  let end = value.substring(endStart);
  const endNl = end.indexOf('\n');
  // strip (no line break at the end), keep (more than one, or only line breaks), clip (exactly one)
  const chomp = endNl === -1 ? '-' : value === end || endNl !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${ind}`);
  }
  let startsWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startsWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${ind}`);
  }
  const header = (startsWithSpace ? '2' : '') + chomp;
  return `|${header}\n${ind}${start}${value.replace(/\n+/g, `$&${ind}`)}${end}`;
}

// Keys and many values repeat across thousands of objects (apiVersion, labels, images): the written
// form of short one-line strings is remembered, which halves the writer's time on large fleets. Only
// forms that do not depend on where the string stands are kept (no line break, no document marker).
const written = new Map<string, string>();
const CACHE_MAX = 200_000;

function scalar(v: unknown, indent: string, key = false): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') {
    let w = written.get(v);
    if (w !== undefined) return w;
    w = str(v, indent, key);
    if (v.length <= 200 && !v.includes('\n') && !DOCUMENT_MARKER.test(v)) {
      if (written.size >= CACHE_MAX) written.clear();
      written.set(v, w);
    }
    return w;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} as YAML`);
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new Error(`cannot write a ${typeof v} as YAML`);
}

const isMap = isObject;
function hasKeys(map: Record<string, unknown>): boolean {
  for (const k in map) if (Object.hasOwn(map, k)) return true;
  return false;
}
const isEmptyCollection = (v: unknown) => (Array.isArray(v) ? v.length === 0 : isMap(v) && !hasKeys(v));
const isBlock = (v: unknown) => (Array.isArray(v) || isMap(v)) && !isEmptyCollection(v);
const empty = (v: unknown) => (Array.isArray(v) ? '[]' : '{}');

function writeMap(map: Record<string, unknown>, indent: string, out: string[], firstPrefix?: string): void {
  const inner = `${indent}  `;
  let first = true;
  for (const k of Object.keys(map)) {
    const v = map[k];
    if (v === undefined) continue;
    const lead = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    const key = scalar(k, inner, true);
    if (key.length > 1024) {
      // an implicit key may not be longer than 1024 characters: `? key`, then `: value`
      out.push(`${lead}? ${key}\n`);
      if (Array.isArray(v) && v.length > 0) writeSeq(v, inner, out, `${indent}: `);
      else if (isMap(v) && hasKeys(v)) writeMap(v, inner, out, `${indent}: `);
      else out.push(`${indent}: ${isEmptyCollection(v) ? empty(v) : scalar(v, inner)}\n`);
    } else if (isBlock(v)) {
      out.push(`${lead}${key}:\n`);
      if (Array.isArray(v)) writeSeq(v, inner, out);
      else writeMap(v as Record<string, unknown>, inner, out);
    } else {
      out.push(`${lead}${key}: ${isEmptyCollection(v) ? empty(v) : scalar(v, inner)}\n`);
    }
  }
  if (first && firstPrefix !== undefined) out.push(`${firstPrefix}{}\n`);
}

function writeSeq(seq: readonly unknown[], indent: string, out: string[], firstPrefix?: string): void {
  const inner = `${indent}  `;
  seq.forEach((item, i) => {
    const lead = i === 0 && firstPrefix !== undefined ? firstPrefix : indent;
    if (isMap(item) && !isEmptyCollection(item)) writeMap(item, inner, out, `${lead}- `);
    else if (Array.isArray(item) && item.length > 0) writeSeq(item, inner, out, `${lead}- `);
    else out.push(`${lead}- ${isEmptyCollection(item) ? empty(item) : scalar(item, inner)}\n`);
  });
}

/** One YAML document for a JSON value. */
export function writeYaml(value: unknown): string {
  const out: string[] = [];
  if (isMap(value) && !isEmptyCollection(value)) writeMap(value, '', out);
  else if (Array.isArray(value) && value.length > 0) writeSeq(value, '', out);
  else out.push(`${isEmptyCollection(value) ? empty(value) : scalar(value, '')}\n`);
  return out.join('');
}
