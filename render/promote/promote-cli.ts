/**
 * `npm run promote -- <team>/<app> <from-env> <to-env>` (or `addon:<name>`): makes `<to-env>` run what
 * `<from-env>` runs, by editing the fleet's source and rendering `dist/` again, in process. A refusal is
 * one message naming the file and field, exit 1, nothing written. See docs/promotion.md.
 */
import * as path from 'node:path';
import { FleetSource } from '../../charts/model/spec.js';
import { reportFailure, UsageError } from '../cli-failure.js';
import { outDir } from '../cli.js';
import { promoteAddon } from './addon-pin.js';
import { promoteApp } from './app-image.js';
import { PromoteOptions } from './promotion.js';

export const PROMOTE_USAGE = `usage: main.ts promote <team>/<app> <from-env> <to-env> [--out DIR]
       main.ts promote addon:<name> <from-env> <to-env> [--out DIR]
  Makes <to-env> run what <from-env> runs: the app's image (the images rule of its <to-env> overlay in
  environments/teams.ts), or the add-on's chart version pin (environments/environments.ts); then renders
  DIR (default dist/) and prints a summary for the pull request. <from-env> must come before <to-env> in
  promotion order, and DIR must already hold what <from-env> runs. Exit 1 on a refusal (nothing written).`;

/** The promote command; returns the exit code. */
export function runPromote(argv: readonly string[], source: FleetSource, options: PromoteOptions = {}): number {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(PROMOTE_USAGE);
      return 0;
    }
    const outAt = argv.indexOf('--out');
    const positional = argv.filter((a, i) => !a.startsWith('--') && !(outAt >= 0 && i === outAt + 1));
    const unknown = argv.find((a) => a.startsWith('--') && a !== '--out');
    if (unknown) throw new UsageError(`unknown option ${unknown}`);
    if (positional.length !== 3) throw new UsageError(`promote takes 3 arguments, got ${positional.length}`);
    const [target, from, to] = positional;
    const root = options.root ?? process.cwd();
    const distDir = path.resolve(root, outDir(argv));
    if (target.startsWith('addon:')) return promoteAddon(target.slice('addon:'.length), from, to, source, distDir, options);
    return promoteApp(target, from, to, source, distDir, options);
  } catch (e) {
    return reportFailure(e, PROMOTE_USAGE);
  }
}
