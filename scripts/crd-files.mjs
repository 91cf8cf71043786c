// The pinned CRDs as both import scripts read them: crds.lock.json, and each entry's local copy
// ($CRDS_DIR, else ../shared/crds) checked against its sha256 before anything is generated from it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
export const crdsDir = path.resolve(process.env.CRDS_DIR ?? path.join(root, '..', 'shared', 'crds'));
export const lock = JSON.parse(fs.readFileSync(path.join(root, 'crds.lock.json'), 'utf8'));

/**
 * The local copy of a lock entry: its path and bytes, after its sha256 matched the lock. A missing or
 * changed copy exits 1 with one line naming it.
 */
export function verifiedCrd(entry) {
  const file = path.join(crdsDir, ...entry.path.split('/'));
  const stop = (message) => {
    console.error(message);
    process.exit(1);
  };
  if (!fs.existsSync(file)) stop(`crds.lock.json: ${entry.name}: ${entry.path} is missing from ${crdsDir} (node scripts/fetch-crds.mjs fetches the pinned CRDs)`);
  const bytes = fs.readFileSync(file);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== entry.sha256) stop(`crds.lock.json: ${entry.name}: ${entry.path} has sha256 ${actual}, the lock pins ${entry.sha256}`);
  return { file, bytes };
}
