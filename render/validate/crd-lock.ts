/**
 * crds.lock.json: the one list of the CRDs this project needs (upstream URL at a pinned release, the path of
 * the local copy inside the CRD folder, its sha256; `imports` names the ones behind imports/). `npm run
 * import`, `npm run validate`, the tests and the workflow's fetch step (scripts/fetch-crds.mjs) all read it.
 * The CRD folder is $CRDS_DIR, else ../shared/crds. Only the files the lock lists are loaded, and each only
 * after its sha256 matches: a copy that differs fails with one line naming it. What the files define is
 * indexed, and their schemas compiled, by validator-cache.ts (cached on disk by the files' sha256).
 */
import { sha256 } from '../../engines/util/index.js';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CrdLockEntry {
  /** The CRD's metadata.name (`<plural>.<group>`). */
  readonly name: string;
  /** The upstream raw URL at the pinned release tag. */
  readonly url: string;
  /** The release tag the URL pins. */
  readonly release: string;
  /** Where the copy lives inside the CRD folder (the ../shared/crds layout). */
  readonly path: string;
  readonly sha256: string;
  /** The `cdk8s import` name, for the CRDs behind imports/. */
  readonly imports?: string;
}

/** The lock file, at the project root. */
export const LOCK_FILE = path.resolve(import.meta.dirname, '..', '..', 'crds.lock.json');

/** The folder of the CRD copies: $CRDS_DIR, else ../shared/crds next to the project. */
export const CRDS_DIR = path.resolve(process.env.CRDS_DIR ?? path.join(import.meta.dirname, '..', '..', '..', 'shared', 'crds'));

/** A lock problem (a copy missing or not matching its sha256, a malformed lock): `message` is one line. */
export class CrdLockError extends Error {
  override name = 'CrdLockError';
}

const FIELDS = ['name', 'url', 'release', 'path', 'sha256'] as const;

/** The entries of the lock, checked for shape. */
export function readLock(file: string = LOCK_FILE): CrdLockEntry[] {
  let list: unknown;
  try {
    list = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CrdLockError(`crds.lock.json: cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(list)) throw new CrdLockError('crds.lock.json: must be a JSON array of CRD entries');
  list.forEach((e, i) => {
    for (const f of FIELDS) {
      if (typeof e?.[f] !== 'string' || e[f] === '') throw new CrdLockError(`crds.lock.json: entry ${i}${e?.name ? ` (${e.name})` : ''}: "${f}" must be a non-empty string`);
    }
    if (!/^[0-9a-f]{64}$/.test(e.sha256)) throw new CrdLockError(`crds.lock.json: ${e.name}: sha256 must be 64 lowercase hex digits`);
    if (path.posix.isAbsolute(e.path) || e.path.split('/').includes('..')) throw new CrdLockError(`crds.lock.json: ${e.name}: path must stay inside the CRD folder`);
    if (e.imports !== undefined && typeof e.imports !== 'string') throw new CrdLockError(`crds.lock.json: ${e.name}: "imports" must be a string`);
  });
  return list as CrdLockEntry[];
}

/** The sha256 (hex) of some bytes (what the lock pins). */
export { sha256 };

/** The one line a copy that does not match its pin fails with. */
export function mismatchLine(entry: CrdLockEntry, actual: string): string {
  return `crds.lock.json: ${entry.name}: ${entry.path} has sha256 ${actual}, the lock pins ${entry.sha256}`;
}

/**
 * The bytes of every locked CRD in `dir`, each verified against its sha256. Throws a CrdLockError (one line)
 * for the first copy that is missing or differs.
 */
export function verifiedCrdFiles(dir: string = CRDS_DIR, lock: readonly CrdLockEntry[] = readLock()): { entry: CrdLockEntry; file: string; text: string }[] {
  return lock.map((entry) => {
    const file = path.join(dir, ...entry.path.split('/'));
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      throw new CrdLockError(`crds.lock.json: ${entry.name}: ${entry.path} is missing from ${dir} (node scripts/fetch-crds.mjs fetches the pinned CRDs)`);
    }
    const actual = sha256(bytes);
    if (actual !== entry.sha256) throw new CrdLockError(mismatchLine(entry, actual));
    return { entry, file, text: bytes.toString('utf8') };
  });
}
