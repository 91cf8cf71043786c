import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines, hunkHeader, splitLines, unifiedDiff } from '../engines/diff/line-diff.js';

const lines = (n: number, f = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');

/** Length of the longest common subsequence, by dynamic programming: the reference for minimality. */
function lcs(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    prev = row;
  }
  return prev[b.length];
}

/** A tiny deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('diffLines / unifiedDiff', () => {
  it('gives nothing for equal texts', () => {
    assert.deepEqual(diffLines('a\nb\n', 'a\nb\n'), { hunks: [], added: 0, removed: 0 });
    assert.equal(unifiedDiff('', ''), '');
  });

  it('shows one changed line with 3 lines of context, as diff -u does', () => {
    const before = lines(10);
    const after = before.replace('line 5\n', 'line five\n');
    assert.equal(unifiedDiff(before, after), [
      '@@ -2,7 +2,7 @@', ' line 2', ' line 3', ' line 4', '-line 5', '+line five', ' line 6', ' line 7', ' line 8', '',
    ].join('\n'));
  });

  it('counts added and removed lines', () => {
    const d = diffLines('a\nb\nc\n', 'a\nc\nd\ne\n');
    assert.equal(d.added, 2);
    assert.equal(d.removed, 1);
  });

  it('merges changes whose contexts touch into one hunk, and keeps far ones apart', () => {
    const before = lines(30);
    const near = before.replace('line 5\n', 'x\n').replace('line 11\n', 'y\n'); // 5 unchanged lines between: <= 2 * 3
    assert.equal(diffLines(before, near).hunks.length, 1);
    const far = before.replace('line 5\n', 'x\n').replace('line 20\n', 'y\n');
    const d = diffLines(before, far);
    assert.deepEqual(d.hunks.map(hunkHeader), ['@@ -2,7 +2,7 @@', '@@ -17,7 +17,7 @@']);
  });

  it('takes the number of context lines as an option', () => {
    const before = lines(10);
    const after = before.replace('line 5\n', 'x\n');
    assert.equal(unifiedDiff(before, after, { context: 0 }), '@@ -5 +5 @@\n-line 5\n+x\n');
    assert.equal(unifiedDiff(before, after, { context: 1 }), '@@ -4,3 +4,3 @@\n line 4\n-line 5\n+x\n line 6\n');
  });

  it('writes an empty range as the line before it, with count 0', () => {
    assert.equal(unifiedDiff('', 'a\nb\n'), '@@ -0,0 +1,2 @@\n+a\n+b\n');
    assert.equal(unifiedDiff('a\n', ''), '@@ -1 +0,0 @@\n-a\n');
    assert.equal(unifiedDiff('a\nb\n', 'a\nx\nb\n', { context: 0 }), '@@ -1,0 +2 @@\n+x\n');
  });

  it('marks a last line without a newline', () => {
    assert.deepEqual(splitLines('a\nb'), ['a', 'b\n\\ No newline at end of file']);
    assert.equal(unifiedDiff('a\nb\n', 'a\nb'), '@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n');
  });

  it('numbers hunks from the first line of the texts in their file', () => {
    const d = diffLines('a\nb\n', 'a\nc\n', { beforeFirstLine: 40, afterFirstLine: 52 });
    assert.equal(hunkHeader(d.hunks[0]), '@@ -40,2 +52,2 @@');
  });

  it('finds a shortest edit script: as many lines kept as the longest common subsequence', () => {
    const rnd = random(7);
    for (let t = 0; t < 2000; t++) {
      const a = Array.from({ length: Math.floor(rnd() * 14) }, () => 'abcd'[Math.floor(rnd() * 4)]);
      const b = Array.from({ length: Math.floor(rnd() * 14) }, () => 'abcd'[Math.floor(rnd() * 4)]);
      const d = diffLines(a.map((x) => `${x}\n`).join(''), b.map((x) => `${x}\n`).join(''), { context: 1000 });
      const kept = lcs(a, b);
      assert.equal(d.removed, a.length - kept, `${a.join('')} -> ${b.join('')}`);
      assert.equal(d.added, b.length - kept, `${a.join('')} -> ${b.join('')}`);
      if (d.hunks.length > 0) {
        const h = d.hunks[0];
        assert.deepEqual(h.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1)), a, 'the hunk holds the old text');
        assert.deepEqual(h.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1)), b, 'the hunk holds the new text');
      }
    }
  });

  // A quadratic diff of 6,000 x 6,000 lines would not finish within the test's timeout.
  it('shows a rewrite of a big text as removed then added', { timeout: 30_000 }, () => {
    const before = lines(6000, (i) => `old ${i}`);
    const after = lines(6000, (i) => `new ${i}`);
    const d = diffLines(before, after);
    assert.equal(d.removed, 6000);
    assert.equal(d.added, 6000);
    assert.equal(hunkHeader(d.hunks[0]), '@@ -1,6000 +1,6000 @@');
  });

  it('fails when context is negative', () => {
    assert.throws(() => diffLines('a\n', 'b\n', { context: -1 }), { message: 'context must be a whole number >= 0, got -1' });
  });
});
