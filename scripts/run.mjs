#!/usr/bin/env node
/**
 * `node scripts/run.mjs <entry.ts> [args...]`: runs a TypeScript entry point of this project the fast way.
 *
 * Loading our ~200 TypeScript modules through tsx's loader costs about 0.7 s per command; an esbuild
 * bundle of the same code loads in about 0.25 s. There are two bundles (scripts/bundle.mjs entryBundle):
 * the library's (charts/, engines/, render/, imports/), rebuilt on the first run after a change of the
 * library (about 0.7 s), and the fleet's (the entry point, environments/, bench/), rebuilt on the first
 * run after an edit of the fleet (about 0.05 s), whose imports of the library point into the library's
 * bundle. Each is built once per state of its sources (a fingerprint of every source file's path, size
 * and mtime) into node_modules/.cache/cdk8s-fleet/.
 * Packages stay external, so they load from node_modules as usual. `import.meta.dirname` and
 * `import.meta.url` keep meaning the source file's own folder and URL. Set DEBUG=1 for stack traces
 * that point into the TypeScript sources.
 *
 * Should esbuild be missing or fail, the entry point runs through tsx instead, exactly as before.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { entryBundle } from './bundle.mjs';

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
  console.error('usage: node scripts/run.mjs <entry.ts> [args...]');
  process.exit(2);
}
const entry = path.resolve(entryArg);
// The entry point reads process.argv.slice(2) as if it had been started directly.
process.argv = [process.argv[0], entry, ...args];

let bundled;
try {
  bundled = await entryBundle(entry);
} catch (e) {
  if (process.env.DEBUG) console.error(`scripts/run.mjs: no bundle (${e?.message ?? e}); running through tsx`);
}
if (bundled) {
  if (process.env.DEBUG) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}
