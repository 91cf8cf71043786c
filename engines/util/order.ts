/**
 * Code-unit order of two strings, the order Go's `sort.Strings` and a default `Array.prototype.sort`
 * give: independent of the locale, so output is the same on every machine (`localeCompare` is not).
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entries of a record sorted by key, in code-unit order. */
export function sortedEntries<T>(record: Readonly<Record<string, T>>): Array<[string, T]> {
  return Object.entries(record).sort(([a], [b]) => compareStrings(a, b));
}
