/**
 * How many cases each property test (fast-check) tries. Every property states its `numRuns` as
 * `runs(n)`: n is sized so that the property costs `npm test` what it is worth (each case of a property
 * that renders a whole fleet costs about 0.1 s of CPU; one that parses a YAML document, well under 1 ms).
 * FC_RUNS_SCALE multiplies every n, for a deeper run (a nightly job: `FC_RUNS_SCALE=10 npm test`) or a
 * quicker one; the seeds stay fixed, so a larger scale tries the same cases and more.
 * Assertions about how much of the input space the cases reached are stated per case (`share`), so they
 * hold at any scale.
 */
const scale = Number(process.env.FC_RUNS_SCALE ?? '1');
if (!(scale > 0)) throw new Error(`FC_RUNS_SCALE=${process.env.FC_RUNS_SCALE}: a positive number expected`);

/** FC_RUNS_SCALE (default 1). */
export const RUNS_SCALE = scale;

/** `n` runs scaled by FC_RUNS_SCALE, at least 1. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * scale));
}
