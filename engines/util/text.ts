/** `1 file`, `2 files`: a count with its noun, plural when the count is not one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
