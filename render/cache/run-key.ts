import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../../engines/util/index.js';
import { PROJECT_ROOT } from './cache-dir.js';

/**
 * The key of a render: a hash of everything its bytes depend on, so a cached result is only ever
 * reused for exactly the same input rendered by exactly the same code.
 *
 * - The input: the fleet source as data (spec, IaC output texts, file names). A source that holds
 *   anything JSON cannot state exactly (a function such as an app's `chart`, a Map, a class instance,
 *   a non-finite number) has no key: such a render is never cached.
 * - The code: the content of every source file of this project that renders (charts, engines, render,
 *   imports, main.ts, the package and TypeScript settings, the lockfile), the versions of the packages
 *   that shape the output (cdk8s, cdk8s-plus-28, constructs, yaml) and the Node.js version.
 *
 * The fleet's own files (`environments/`) are not code here: they reach a render only as the source,
 * which the key holds as data. Were they code, every edit of the fleet (an image tag promoted in
 * `environments/teams.ts`) would change the code's version, and no render of the real project could
 * reuse anything, neither the apps rendered before nor the index's "only these apps changed". A fleet
 * file that changed the library by a side effect (replacing an exported function) instead of through
 * the source would not be seen: render such a fleet with `--no-cache` or `CDK8S_FLEET_CACHE=off`.
 */

/** Bump when the meaning of a key or of the cached data changes. */
const KEY_FORMAT = 'cdk8s-fleet-render-key/1';
const CODE_DIRS = ['charts', 'engines', 'render', 'imports'];
const CODE_FILES = ['main.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];
const OUTPUT_PACKAGES = ['cdk8s', 'cdk8s-plus-28', 'constructs', 'yaml'];

/** Thrown inside `stableJson` when a value cannot be stated exactly as data. */
class NotData extends Error {}

/** Marks values JSON would silently drop or change, so that they still count in the key. */
const UNDEFINED = '\u0000undefined';

/**
 * The value as JSON text that differs whenever the value does, or undefined when the value holds
 * something that is not plain data (functions, Maps, Sets, Dates, class instances, symbols, bigints,
 * NaN or infinities: what JSON.stringify would drop or flatten; or a cycle).
 */
export function stableJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, function (this: Record<string, unknown>, key: string, converted: unknown) {
      // The value before any toJSON (a Date or a Buffer would otherwise pass as the string or array it converts to).
      const v = this[key];
      switch (typeof v) {
        case 'undefined':
          return UNDEFINED;
        case 'function':
        case 'symbol':
        case 'bigint':
          throw new NotData();
        case 'number':
          if (!Number.isFinite(v) || Object.is(v, -0)) throw new NotData();
          return v;
        case 'object': {
          if (v === null || Array.isArray(v)) return v;
          const proto = Object.getPrototypeOf(v);
          if (proto !== Object.prototype && proto !== null) throw new NotData();
          if (typeof (v as { toJSON?: unknown }).toJSON === 'function') throw new NotData();
          return converted;
        }
        default:
          return converted;
      }
    });
  } catch (e) {
    // A cycle (JSON.stringify's TypeError) is not data either: validation reports it where it is.
    if (e instanceof NotData || e instanceof TypeError) return undefined;
    throw e;
  }
}

let memo: string | undefined;

/** A hash of the code that renders: this project's sources, the output packages' versions, Node.js. */
export function codeVersion(root: string = PROJECT_ROOT): string {
  if (memo !== undefined && root === PROJECT_ROOT) return memo;
  const hash = createHash('sha256');
  hash.update(`${KEY_FORMAT}\0${process.version}\0`);
  const file = (rel: string) => {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(root, rel));
    } catch {
      bytes = Buffer.from('\u0000absent');
    }
    hash.update(`${rel}\0${bytes.length}\0`);
    hash.update(bytes);
  };
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) file(child);
    }
  };
  for (const dir of CODE_DIRS) walk(dir);
  for (const f of CODE_FILES) file(f);
  for (const pkg of OUTPUT_PACKAGES) file(`node_modules/${pkg}/package.json`);
  const digest = hash.digest('hex');
  if (root === PROJECT_ROOT) memo = digest;
  return digest;
}

/** The key of rendering `input` with this code, or undefined when the input is not plain data. */
export function renderKey(input: unknown, root: string = PROJECT_ROOT): string | undefined {
  const json = stableJson(input);
  if (json === undefined) return undefined;
  return sha256(`${codeVersion(root)}\0${json}`);
}
