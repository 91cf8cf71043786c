/**
 * Small Markdown helpers of the generated README: a locale-independent order for names and versions,
 * counted nouns, table cells and tables, and code spans.
 */
/** Code-unit order: the same everywhere, whatever the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Versions in natural order (`1.9.0` before `1.10.0`), then code-unit order. */
export function compareVersions(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    if (numeric && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (!numeric) return compare(x, y);
  }
  return pa.length - pb.length || compare(a, b);
}

/** `1 cluster`, `2 clusters`: a count with its noun, plural unless the count is one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A cell of a Markdown table: pipes escaped, line breaks as `<br>`. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

/** A Markdown table: the header row, its separator, then one row per entry; every cell escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Names as Markdown code spans, separated by commas. */
export function codeList(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}
