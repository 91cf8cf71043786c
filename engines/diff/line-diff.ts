/**
 * A unified line diff of two texts (the format of `diff -u` and `git diff`), small enough to read in a PR
 * comment: Myers' O(ND) shortest edit script, hunks with `context` unchanged lines around each change.
 */

/** Options of {@link diffLines}. */
export interface LineDiffOptions {
  /**
   * Unchanged lines shown before and after each change; changes closer than twice this are one hunk.
   * @default 3
   */
  readonly context?: number;
  /**
   * Line number of the first line of `before` in its file, so hunk headers point into the file when the
   * text is one object sliced out of a multi-document YAML file.
   * @default 1
   */
  readonly beforeFirstLine?: number;
  /**
   * Line number of the first line of `after` in its file.
   * @default 1
   */
  readonly afterFirstLine?: number;
}

/** One hunk: a header `@@ -a,b +c,d @@` and its lines, each starting with ' ', '-' or '+'. */
export interface Hunk {
  /** First line of the hunk in the old text (1-based; the line before the hunk when it removes nothing). */
  readonly beforeStart: number;
  /** Lines of the old text the hunk covers. */
  readonly beforeLines: number;
  /** First line of the hunk in the new text (1-based; the line before the hunk when it adds nothing). */
  readonly afterStart: number;
  /** Lines of the new text the hunk covers. */
  readonly afterLines: number;
  /** The hunk's lines with their ' ' / '-' / '+' prefix, without newlines. */
  readonly lines: readonly string[];
}

/** The difference of two texts: its hunks and how many lines were added and removed. */
export interface LineDiff {
  /** Hunks in text order; empty when the texts are equal. */
  readonly hunks: readonly Hunk[];
  /** Lines only in the new text. */
  readonly added: number;
  /** Lines only in the old text. */
  readonly removed: number;
}

/**
 * Above this many differing lines (after the common prefix and suffix are set aside) the edit script is
 * not searched: the differing middle is shown as removed then added. Bounds time and memory (O(D²)) for
 * rewrites of big files, whose line-by-line diff nobody reads in a PR comment anyway.
 */
const MAX_EDIT_DISTANCE = 2000;

const NO_NEWLINE = '\n\\ No newline at end of file';

/**
 * Splits a text into lines without their newline. A last line without a newline carries the marker
 * `\ No newline at end of file` on a line of its own, as `diff -u` prints it (and so differs from the
 * same line with a newline).
 */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_NEWLINE;
  return lines;
}

type Op = 0 | 1 | 2; // 0 = equal, 1 = delete (old only), 2 = insert (new only)

/** The shortest edit script from `a` to `b` (Myers 1986), as one op per line, in order. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const middle = middleScript(a.slice(start, endA), b.slice(start, endB));
  const ops: Op[] = new Array(start).fill(0);
  for (const op of middle) ops.push(op);
  for (let i = endA; i < a.length; i++) ops.push(0);
  return ops;
}

/** Myers' greedy forward search with a trace of the furthest points, then a backtrack. */
function middleScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return replaceAll(n, m);
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return replaceAll(n, m);
}

/** Walks the trace from the end back to the start, collecting ops in reverse. */
function backtrack(trace: readonly Int32Array[], dEnd: number, n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const row = trace[d]; // furthest x before step d, for k in [-d-1, d+1], index k + d + 1
    const at = (k: number) => row[k + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) { ops.push(0); x--; y--; }
    ops.push(down ? 2 : 1);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) { ops.push(0); x--; y--; }
  return ops.reverse();
}

function replaceAll(n: number, m: number): Op[] {
  return [...new Array<Op>(n).fill(1), ...new Array<Op>(m).fill(2)];
}

/**
 * The unified diff of two texts: hunks with `context` lines of context, merged when their contexts
 * touch, and the counts of added and removed lines.
 */
export function diffLines(before: string, after: string, options: LineDiffOptions = {}): LineDiff {
  const context = options.context ?? 3;
  if (!Number.isInteger(context) || context < 0) throw new RangeError(`context must be a whole number >= 0, got ${context}`);
  if (before === after) return { hunks: [], added: 0, removed: 0 };
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = editScript(a, b);

  // Index of each op in a and b, and the op indexes of changes.
  const changes: number[] = [];
  for (let i = 0; i < ops.length; i++) if (ops[i] !== 0) changes.push(i);
  const ai = new Int32Array(ops.length + 1);
  const bi = new Int32Array(ops.length + 1);
  for (let i = 0; i < ops.length; i++) {
    ai[i + 1] = ai[i] + (ops[i] !== 2 ? 1 : 0);
    bi[i + 1] = bi[i] + (ops[i] !== 1 ? 1 : 0);
  }

  const hunks: Hunk[] = [];
  let added = 0;
  let removed = 0;
  let c = 0;
  while (c < changes.length) {
    // Extend the hunk while the next change is within 2 * context unchanged lines of the last one.
    let last = c;
    while (last + 1 < changes.length && changes[last + 1] - changes[last] - 1 <= 2 * context) last++;
    const from = Math.max(0, changes[c] - context);
    const to = Math.min(ops.length, changes[last] + 1 + context);
    const lines: string[] = [];
    for (let i = from; i < to; i++) {
      if (ops[i] === 0) lines.push(` ${a[ai[i]]}`);
      else if (ops[i] === 1) { lines.push(`-${a[ai[i]]}`); removed++; }
      else { lines.push(`+${b[bi[i]]}`); added++; }
    }
    const beforeLines = ai[to] - ai[from];
    const afterLines = bi[to] - bi[from];
    hunks.push({
      beforeStart: ai[from] + (beforeLines === 0 ? 0 : 1) + (options.beforeFirstLine ?? 1) - 1,
      beforeLines,
      afterStart: bi[from] + (afterLines === 0 ? 0 : 1) + (options.afterFirstLine ?? 1) - 1,
      afterLines,
      lines,
    });
    c = last + 1;
  }
  return { hunks, added, removed };
}

/** A hunk's header, `@@ -a,b +c,d @@`, with `,1` left out as diff -u does. */
export function hunkHeader(h: Hunk): string {
  const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
  return `@@ -${range(h.beforeStart, h.beforeLines)} +${range(h.afterStart, h.afterLines)} @@`;
}

/** The hunks as unified-diff text (headers and lines, no file header), ending in a newline; '' when equal. */
export function formatHunks(diff: LineDiff): string {
  return diff.hunks.map((h) => `${hunkHeader(h)}\n${h.lines.join('\n')}\n`).join('');
}

/** The unified diff of two texts with `context` lines of context (no file header); '' when they are equal. */
export function unifiedDiff(before: string, after: string, options: LineDiffOptions = {}): string {
  return formatHunks(diffLines(before, after, options));
}
