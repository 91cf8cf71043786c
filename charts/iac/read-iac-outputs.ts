/** Reads the IaC outputs of a fleet from a folder: what `environments/` hands to `FleetSource.iac`. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IacOutputs } from '../model/spec.js';

/**
 * Every `*.json` file of `dir` (relative to the working directory, the project root), sorted by name.
 * A folder that does not exist holds no outputs: then each cluster of the fleet is reported as missing
 * its output, by name.
 */
export function readIacOutputs(dir: string): IacOutputs {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { dir, files: [] };
    throw e;
  }
  const files = names.map((name) => {
    const file = path.posix.join(dir.split(path.sep).join('/'), name);
    return { file, text: readFileSync(path.join(dir, name), 'utf8') };
  });
  return { dir, files };
}
