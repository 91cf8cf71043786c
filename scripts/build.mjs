#!/usr/bin/env node
/**
 * `npm run build` (and `npm pack`'s prepack): the library into lib/, what the package ships, twice over:
 *
 *   lib/esm/{charts,engines,imports}/**  ES modules (the package is "type": "module"), for `import`
 *   lib/cjs/{charts,engines,imports}/**  CommonJS (lib/cjs/package.json says "type": "commonjs"), for `require`
 *
 * each with the `.d.ts` files beside its JS, so TypeScript reads ESM typings for the `import` condition and
 * CommonJS typings for the `require` condition (a `.d.ts` takes its format from the nearest package.json,
 * as the `.js` next to it does). The declarations come from tsc (tsconfig.build.json, declarations only,
 * `--noCheck`: 5 s of CPU where a checked emit takes 16 s, nearly all of it checking imports/; `npm test`
 * and `npm run typecheck` check the same sources with the same compiler options), the JS from esbuild, one
 * file per source, no bundling, both formats while tsc runs (about 1 s for the 5.7 MB of imports/).
 *
 * lib/ is emptied first, so a module removed from the sources never ships. The last step writes
 * lib/.build-stamp: a sha256 of every input (the sources' content, the tsconfigs, this script, the
 * compilers' versions). `--if-changed` (prepack) builds only when the stamp is missing or differs, so
 * `npm run build && npm pack` builds once and a pack without a prior build still builds. An interrupted
 * build leaves no stamp (it is written last, after lib/ was emptied), so the next pack builds again.
 * What it says goes to stderr: `npm pack --json` prints its JSON on stdout after prepack's output.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const LIB = path.join(ROOT, 'lib');
export const STAMP = path.join(LIB, '.build-stamp');
/** The folders the library is compiled from (tsconfig.build.json includes exactly these). */
const FOLDERS = ['charts', 'engines', 'imports'];
/** Other inputs of the build. */
const CONFIG = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];
const require = createRequire(import.meta.url);

/** Every .ts source of the library (not .d.ts), relative to the root, sorted. */
function sources() {
  return FOLDERS.flatMap((dir) => (fs.readdirSync(path.join(ROOT, dir), { recursive: true }))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/'))))
    .sort();
}

/** The stamp of the inputs: their paths and contents, and the versions of tsc and esbuild. */
export function inputStamp() {
  const hash = createHash('sha256');
  for (const name of ['typescript', 'esbuild']) hash.update(`${name}@${require(`${name}/package.json`).version}\0`);
  for (const rel of [...CONFIG, ...sources()]) {
    hash.update(`${rel}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when lib/ was built from the inputs as they are now. */
export function upToDate(stamp = inputStamp()) {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim() === stamp;
  } catch {
    return false;
  }
}

/** Copies every .d.ts under `from` to the same place under `to`. */
function copyDeclarations(from, to) {
  for (const rel of fs.readdirSync(from, { recursive: true })) {
    if (!rel.endsWith('.d.ts')) continue;
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.copyFileSync(path.join(from, rel), path.join(to, rel));
  }
}

export async function build() {
  const stamp = inputStamp();
  fs.rmSync(LIB, { recursive: true, force: true });
  const entryPoints = sources().map((f) => path.join(ROOT, f));
  const esbuild = await import('esbuild');
  const js = (format) => esbuild.build({
    entryPoints,
    outdir: path.join(LIB, format),
    outbase: ROOT,
    format,
    platform: 'node',
    target: 'es2022',
    tsconfig: path.join(ROOT, 'tsconfig.build.json'),
    logLevel: 'error',
  });
  const tsc = promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--noCheck'], { cwd: ROOT })
    .catch((e) => {
      throw new Error(`tsc -p tsconfig.build.json failed:\n${e.stdout}${e.stderr}`);
    });
  await Promise.all([tsc, js('esm'), js('cjs')]);
  copyDeclarations(path.join(LIB, 'esm'), path.join(LIB, 'cjs'));
  fs.writeFileSync(path.join(LIB, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  fs.writeFileSync(STAMP, `${stamp}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const started = performance.now();
  if (process.argv.includes('--if-changed') && upToDate()) {
    console.error('lib/ is up to date with the sources: not rebuilt');
  } else {
    try {
      await build();
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    }
    console.error(`built lib/esm and lib/cjs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
