/**
 * The esbuild bundles the npm scripts start from (scripts/run.mjs for the commands, scripts/test.mjs for
 * the tests): our TypeScript bundled once per state of the sources into node_modules/.cache/cdk8s-fleet/,
 * packages left external, `import.meta.dirname`, `.filename` and `.url` kept meaning the source file's.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '..');
/** What a bundle is built from: the project's TypeScript, its config, and these scripts. */
export const SOURCES = ['main.ts', 'charts', 'engines', 'render', 'environments', 'imports', 'bench', 'tsconfig.json', 'package.json', 'scripts/run.mjs', 'scripts/bundle.mjs'];
/**
 * The library: the folders of SOURCES the fleet's own files (main.ts, environments/, bench/) import. The
 * commands bundle it on its own (`entryBundle`), so that editing the fleet (an image tag promoted in
 * environments/teams.ts) rebuilds only the fleet's small bundle, not the whole library (0.7 s).
 */
export const LIBRARY = ['charts', 'engines', 'render', 'imports'];
/** What the library's bundle is built from besides its folders. */
const LIBRARY_CONFIG = ['tsconfig.json', 'package.json', 'scripts/bundle.mjs'];
export const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-fleet');

/** Path, size and mtime of every file of `sources` (relative to the root) and of `extra` files: changes whenever one does. */
export function fingerprint(sources, extra = []) {
  const hash = createHash('sha256');
  hash.update(`${process.version}\0`);
  const visit = (rel) => {
    const abs = path.join(ROOT, rel);
    let stat;
    try {
      stat = fs.statSync(abs);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) if (name !== 'node_modules') visit(path.join(rel, name));
    } else if (/\.(ts|mts|json|mjs)$/.test(rel)) {
      hash.update(`${rel}\0${stat.size}\0${stat.mtimeMs}\0`);
    }
  };
  for (const rel of sources) visit(rel);
  for (const file of extra) {
    const own = fs.statSync(file);
    hash.update(`${file}\0${own.size}\0${own.mtimeMs}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Keeps `import.meta.dirname`, `.filename` and `.url` pointing at the source file, not at the bundle. The
 * replacement is textual: a string that spells one of them out is replaced too (write it in parts).
 */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.([cm]?ts|mjs)$/ }, async (file) => {
      const text = await fs.promises.readFile(file.path, 'utf8');
      const contents = text
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(path.dirname(file.path)))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(file.path))
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(file.path).href));
      return { contents, loader: file.path.endsWith('.mjs') ? 'js' : 'ts' };
    });
  },
};

/**
 * The folder of the bundle `name`-`key` of `entryPoints` ({ outName: sourcePath }), built if it is not
 * there yet; older bundles of `name` are removed, except those whose key `keep` accepts. `plugins` are
 * esbuild plugins run before the one that keeps `import.meta` (scripts/test.mjs: entries made of other
 * entries). Throws when esbuild is missing or fails.
 */
export async function bundleFolder(name, key, entryPoints, keep = () => false, plugins = []) {
  const dir = path.join(CACHE, `${name}-${key}`);
  if (fs.existsSync(dir)) return dir;
  const esbuild = await import('esbuild');
  const staging = `${dir}.tmp-${process.pid}`;
  await esbuild.build({
    entryPoints,
    bundle: true,
    splitting: true, // modules loaded on demand (validate, plan, diff) stay out of the others' start-up
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: staging,
    outExtension: { '.js': '.js' },
    sourcemap: 'linked',
    plugins: [...plugins, sourceLocation],
    logLevel: 'silent',
  });
  fs.writeFileSync(path.join(staging, 'package.json'), '{"type":"module"}\n');
  publish(staging, dir, name, keep);
  return dir;
}

/**
 * Moves a built bundle into place and removes the older bundles of `name` (`<name>-<key>`), except those
 * whose key `keep` accepts.
 */
function publish(staging, dir, name, keep) {
  // Another process may have built the same bundle meanwhile: either copy is fine.
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  // Older bundles of this name are of no more use.
  for (const other of fs.readdirSync(CACHE)) {
    if (!other.startsWith(`${name}-`) || path.join(CACHE, other) === dir) continue;
    const key = other.slice(name.length + 1);
    if (/^[0-9a-f]{16,24}$/.test(key) && !keep(key)) fs.rmSync(path.join(CACHE, other), { recursive: true, force: true });
  }
}

/** Stands in for the library bundle's folder in the fleet bundle until that folder is known. */
const LIBRARY_PLACEHOLDER = '/__cdk8s_fleet_library__';

/**
 * The `index.js` to run for the TypeScript entry point `entry`, in two bundles: the library's (LIBRARY,
 * built once per state of its sources and the modules the fleet imports of it) and the fleet's (the
 * entry and every other file it imports: main.ts, environments/, bench/), whose imports of the library
 * point at the library bundle's entries. Both bundles use one copy of the library: the library's entries
 * share its chunks. Throws when esbuild is missing or fails.
 */
export async function entryBundle(entry) {
  const libraryKey = fingerprint([...LIBRARY, ...LIBRARY_CONFIG]);
  const libraryRoots = LIBRARY.map((d) => path.join(ROOT, d) + path.sep);
  const name = path.basename(entry, path.extname(entry));
  const key = createHash('sha256')
    .update(`${libraryKey}\0${fingerprint(SOURCES.filter((s) => !LIBRARY.includes(s)), [entry])}`)
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(CACHE, `${name}-${key}`);
  if (fs.existsSync(dir)) {
    // The library bundle it imports may have been removed since (by a build for another state of the
    // library's sources, in another process): then this one is rebuilt with it.
    let library;
    try {
      library = JSON.parse(fs.readFileSync(path.join(dir, 'library.json'), 'utf8')).library;
    } catch {
      // being published by another process, or of a version before library.json: rebuilt below
    }
    if (library !== undefined && (library === LIBRARY_PLACEHOLDER || fs.existsSync(library))) return path.join(dir, 'index.js');
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const esbuild = await import('esbuild');
  const used = new Set();
  // Imports that land in the library become imports of the library bundle's entry of that module.
  const libraryExternal = {
    name: 'library-external',
    setup(build) {
      build.onResolve({ filter: /^(\.{1,2})?\// }, (args) => {
        const abs = path.resolve(args.resolveDir, args.path);
        if (!libraryRoots.some((r) => abs.startsWith(r))) return undefined;
        const rel = path.relative(ROOT, abs).replace(/\.[cm]?[jt]s$/, '').split(path.sep).join('/');
        used.add(rel);
        return { path: `${LIBRARY_PLACEHOLDER}/${rel}.js`, external: true };
      });
    },
  };
  const fleet = await esbuild.build({
    entryPoints: { index: entry },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: dir,
    outExtension: { '.js': '.js' },
    sourcemap: 'linked',
    plugins: [libraryExternal, sourceLocation],
    logLevel: 'silent',
    write: false,
  });
  const entries = [...used].sort();
  const libraryEntries = Object.fromEntries(entries.map((rel) => {
    const ts = path.join(ROOT, `${rel}.ts`);
    return [rel, fs.existsSync(ts) ? ts : path.join(ROOT, `${rel}.js`)];
  }));
  // An entry point that imports nothing of the library needs no library bundle.
  const library = entries.length === 0 ? LIBRARY_PLACEHOLDER : await bundleFolder('library', `${libraryKey}${createHash('sha256').update(entries.join('\0')).digest('hex').slice(0, 8)}`, libraryEntries, (other) => other.startsWith(libraryKey));
  const staging = `${dir}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  for (const out of fleet.outputFiles) {
    const file = path.join(staging, path.relative(dir, out.path));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, out.text.split(LIBRARY_PLACEHOLDER).join(library));
  }
  fs.writeFileSync(path.join(staging, 'package.json'), '{"type":"module"}\n');
  fs.writeFileSync(path.join(staging, 'library.json'), `${JSON.stringify({ library })}\n`);
  publish(staging, dir, name, () => false);
  return path.join(dir, 'index.js');
}
