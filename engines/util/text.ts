/** `1 file`, `2 files`: a count with its noun, plural when the count is not one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A received value for a message: strings quoted (`"3"` is not `3`), `NaN` and `Infinity` as themselves
 * (JSON would say `null`), lists, objects and functions by kind, never a large value itself.
 */
export function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return kindOf(v);
}

/** What a wrong-typed value is, for messages: `null`, `a list`, `a number`... (never the value itself, which may be huge). */
export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'a list' : `a ${typeof v}`;
}

/** A URL without its trailing slashes (`https://host/` and `https://host` name one server). */
export function trimTrailingSlashes(s: string): string {
  return s.endsWith('/') ? s.replace(/\/+$/, '') : s;
}
