/**
 * Small Markdown helpers of the generated README: a locale-independent order for names and versions,
 * table cells and tables, and code spans.
 */
import { compareStrings } from '../../engines/util/index.js';

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
    if (!numeric) return compareStrings(x, y);
  }
  return pa.length - pb.length || compareStrings(a, b);
}

/** A cell of a Markdown table: pipes escaped, line breaks as `<br>`. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

/** One line of a Markdown table, every cell escaped. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** A Markdown table: the header row, its separator, then one row per entry; every cell escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [tableRow(header), tableRow(header.map(() => '---')), ...rows.map(tableRow)].join('\n');
}

/** Names as Markdown code spans, separated by commas. */
export function codeList(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}
