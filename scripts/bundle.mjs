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
 * there yet; older bundles of `name` are removed. Throws when esbuild is missing or fails.
 */
export async function bundleFolder(name, key, entryPoints) {
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
    plugins: [sourceLocation],
    logLevel: 'silent',
  });
  fs.writeFileSync(path.join(staging, 'package.json'), '{"type":"module"}\n');
  // Another process may have built the same bundle meanwhile: either copy is fine.
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  // Older bundles of this name are of no more use.
  for (const other of fs.readdirSync(CACHE)) {
    if (other.startsWith(`${name}-`) && /^[0-9a-f]{16}$/.test(other.slice(name.length + 1)) && path.join(CACHE, other) !== dir) fs.rmSync(path.join(CACHE, other), { recursive: true, force: true });
  }
  return dir;
}
