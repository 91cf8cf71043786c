/**
 * How the tests start `main.ts` in a process of its own: through scripts/run.mjs, exactly as the npm
 * scripts do (`npm run synth` is `node scripts/run.mjs main.ts synth`). run.mjs loads a cached esbuild
 * bundle of the sources (built once per state of the sources, in node_modules/.cache/cdk8s-fleet/,
 * safe for concurrent processes) in about 0.3 s, where loading the ~200 modules through tsx costs
 * about 1 s per process; should esbuild be unavailable it falls back to tsx itself.
 */
import * as path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const RUN_SCRIPT = path.join(ROOT, 'scripts', 'run.mjs');

/** Arguments for `process.execPath` that run `main.ts` with `args` (cwd: ROOT). */
export function mainArgs(args: readonly string[]): string[] {
  return [RUN_SCRIPT, 'main.ts', ...args];
}

/** Arguments for `process.execPath` that run the TypeScript file `entry` with `args` the same fast way. */
export function scriptArgs(entry: string, args: readonly string[] = []): string[] {
  return [RUN_SCRIPT, entry, ...args];
}
