#!/usr/bin/env node
/**
 * secretlint over a folder, linting only the files whose content it has not already seen clean.
 *
 *   node scripts/secretlint-changed.mjs [DIR | --out DIR] [--no-cache] [--verbose]
 *   node scripts/secretlint-changed.mjs [--no-cache] [--verbose] --after <entry.ts> <command> [args...]
 *
 * The first form scans DIR (default: $CDK8S_OUTDIR, else dist/). The second is `npm run check`: it runs
 * `node scripts/run.mjs <entry.ts> <command> [args...]` (render and compare) and, only when that exits 0,
 * scans the folder those args name (`--out DIR`, same default), so that `npm run check -- --out DIR`
 * reaches both steps. Exit 0 when clean, 1 on any finding (or the first step's code when it fails), 2
 * when the scan cannot run.
 *
 * It is secretlint itself, in-process through the packages its CLI runs (@secretlint/core, config-loader,
 * source-creator's content typing, formatter), with the same config (.secretlintrc.*), the same files as
 * `secretlint "DIR/**\/*"`, masked secrets, and the CLI's output for findings; without the profiling
 * that makes the CLI (secretlint 12) quadratic in the number of files: see loadSecretlint.
 *
 * What was seen clean is remembered in node_modules/.cache/cdk8s-fleet/secretlint-<key>.json (or under
 * $CDK8S_FLEET_CACHE_DIR, as the render's caches; nothing is read or written with --no-cache, also when
 * given to the first step, or with CDK8S_FLEET_CACHE=off). The key hashes the config file(s) and the
 * versions of secretlint's packages and of every secretlint-rule-* package: any change there starts from
 * nothing. Per folder (at most MAX_FOLDERS, the most recently scanned) the cache holds, for each file
 * present and clean at the last scan, its sha256 and its stat. A file whose stat (inode, size, mtime,
 * ctime) is the one recorded is not read again; any other is read and hashed, and linted unless that
 * content was seen clean (in any folder). A file with a finding is never recorded. No cache, or an
 * unreadable one (fresh clone, CI): every file is linted, as by the CLI.
 *
 * With --after and nothing recorded for the folder, the scan runs while the first step renders (on the
 * other core), and whatever changed under it meanwhile (a synth the check waited out) is read again
 * after; with a record, the folder is only read once the first step has passed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUN = path.join(ROOT, 'scripts', 'run.mjs');
/** Folders the cache keeps (the most recently scanned). */
const MAX_FOLDERS = 8;
const CACHE_FORMAT = 1;

const USAGE = `usage: node scripts/secretlint-changed.mjs [DIR | --out DIR] [--no-cache] [--verbose]
       node scripts/secretlint-changed.mjs [--no-cache] [--verbose] --after <entry.ts> <command> [args...]`;

class UsageError extends Error {}

/** The folder a command line names: --out DIR, else $CDK8S_OUTDIR, else dist (as render/cli.ts decides). */
function outDir(args) {
  const i = args.indexOf('--out');
  if (i >= 0) {
    const dir = args[i + 1];
    if (!dir) throw new UsageError('--out needs a folder');
    return dir;
  }
  return process.env.CDK8S_OUTDIR ?? 'dist';
}

function parseArgs(argv) {
  const opts = { useCache: true, verbose: false, after: undefined, dir: undefined };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--after') {
      const [entry, ...args] = argv.slice(i + 1);
      if (!entry) throw new UsageError('--after needs an entry point');
      if (positional.length > 0) throw new UsageError('with --after, the folder is the --out of the command');
      opts.after = { entry, args };
      if (args.includes('--no-cache')) opts.useCache = false; // npm run check -- --no-cache: no cache at all
      try {
        opts.dir = outDir(args);
      } catch {
        opts.dir = 'dist'; // the command itself reports a bad --out, with its usage
      }
      return opts;
    }
    if (a === '--no-cache') opts.useCache = false;
    else if (a === '--verbose') opts.verbose = true;
    else if (a === '--out') {
      if (!argv[i + 1]) throw new UsageError('--out needs a folder');
      positional.push(argv[++i]);
    } else if (a === '-h' || a === '--help') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length > 1) throw new UsageError('one folder at a time');
  opts.dir = positional[0] ?? outDir([]);
  return opts;
}

// ---------------------------------------------------------------------------------------------------------
// secretlint's packages, as its CLI resolves them

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** `require`s from the secretlint CLI this project installs and from its @secretlint/node. */
function resolvers() {
  const cliPkg = createRequire(path.join(ROOT, 'package.json')).resolve('secretlint/package.json');
  const fromCli = createRequire(cliPkg);
  const fromNode = createRequire(fromCli.resolve('@secretlint/node/package.json'));
  return { cliPkg, fromCli, fromNode };
}

/**
 * The config files secretlint would find from `cwd` (rc-config-loader: .secretlintrc[.json|.yaml|.yml|.js|.cjs]
 * in the nearest folder that has one, else a "secretlint" field of package.json, walking up), with content.
 */
function configInputs(cwd) {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = ['', '.json', '.yaml', '.yml', '.js', '.cjs']
      .map((ext) => path.join(dir, `.secretlintrc${ext}`))
      .filter((file) => fs.existsSync(file))
      .map((file) => [file, fs.readFileSync(file, 'utf8')]);
    if (found.length > 0) return found;
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const text = fs.readFileSync(pkg, 'utf8');
      let field;
      try {
        field = JSON.parse(text).secretlint;
      } catch {
        field = text; // JSON5 or broken: the whole file then
      }
      if (field) return [[pkg, JSON.stringify(field)]];
    }
    if (path.dirname(dir) === dir) return [];
  }
}

/** name@version of every secretlint-rule-* package where config-loader looks for rules. */
function rulePackages(fromNode) {
  const found = [];
  const version = (dir) => {
    try {
      return readJson(path.join(dir, 'package.json')).version;
    } catch {
      return 'unreadable';
    }
  };
  for (const nm of createRequire(fromNode.resolve('@secretlint/config-loader')).resolve.paths('x') ?? []) {
    let names;
    try {
      names = fs.readdirSync(nm);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith('@')) {
        let scoped = [];
        try {
          scoped = fs.readdirSync(path.join(nm, name));
        } catch {
          // not a folder
        }
        for (const s of scoped) if (s.startsWith('secretlint-rule-')) found.push(`${path.join(nm, name, s)}@${version(path.join(nm, name, s))}`);
      } else if (name.startsWith('secretlint-rule-')) found.push(`${path.join(nm, name)}@${version(path.join(nm, name))}`);
    }
  }
  return found.sort();
}

/** The cache key: what the verdict on a given content depends on, other than the content. */
function cacheKey(cwd) {
  const { cliPkg, fromNode } = resolvers();
  const fromSourceCreator = createRequire(fromNode.resolve('@secretlint/source-creator/package.json'));
  const version = (require, name) => {
    try {
      return readJson(require.resolve(`${name}/package.json`)).version;
    } catch {
      return undefined;
    }
  };
  const versions = {
    secretlint: readJson(cliPkg).version,
    ...Object.fromEntries(
      ['@secretlint/node', '@secretlint/core', '@secretlint/config-loader', '@secretlint/source-creator', '@secretlint/formatter'].map((n) => [n, version(fromNode, n)]),
    ),
    istextorbinary: version(fromSourceCreator, 'istextorbinary'),
  };
  return createHash('sha256')
    .update(JSON.stringify({ format: CACHE_FORMAT, config: configInputs(cwd), versions, rules: rulePackages(fromNode) }))
    .digest('hex')
    .slice(0, 16);
}

/** secretlint, loaded (config included) the way @secretlint/node loads it. */
async function loadSecretlint(cwd) {
  const { fromNode } = resolvers();
  const load = (name) => import(pathToFileURL(fromNode.resolve(name)).href);
  const [core, configLoader, profiler] = await Promise.all(['@secretlint/core', '@secretlint/config-loader', '@secretlint/profiler'].map(load));
  const { isBinary, isText } = createRequire(fromNode.resolve('@secretlint/source-creator/package.json'))('istextorbinary');
  // secretlint's profiler (before secretlint PR #1673, issues #1633 and #1653) is always on and searches
  // every mark recorded so far on each new one: quadratic in files x rules. The CLI takes 15 s for 1000
  // files of the L fleet, 83 s for 2000, hours for its 17k. Only `secretlint --profile` reads the marks.
  if (typeof profiler.secretLintProfiler.setEnabled === 'function') profiler.secretLintProfiler.setEnabled(false);
  else profiler.secretLintProfiler.mark = () => {};
  const loaded = await configLoader.loadConfig({ cwd });
  const options = { config: loaded.config, maskSecrets: true };
  return {
    /** secretlint's result for these bytes, as @secretlint/source-creator + @secretlint/core make it. */
    lint(filePath, bytes) {
      const contentType = isBinary(filePath, bytes) ? 'binary' : isText(filePath, bytes) ? 'text' : 'unknown';
      return core.lintSource({ source: { filePath, content: bytes.toString(), ext: path.extname(filePath), contentType }, options });
    },
    /** The CLI's default output: stylish, with colour and terminal links as it defaults them. */
    async format(results) {
      const { loadFormatter } = await load('@secretlint/formatter');
      return (await loadFormatter({ formatterName: 'stylish', color: true, terminalLink: true })).format(results);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// the folder

/** Folders secretlint's CLI never looks into (its DEFAULT_IGNORE_PATTERNS). */
function ignoredDir(name) {
  return name === '.git' || name === 'node_modules' || /^\.secretlintrc(\.(json|ya?ml|js))?$/.test(name) || name.startsWith('.secretlintignore');
}

/** What changes whenever a file's bytes may have: a write in place (mtime, ctime) or a rename over it (ino). */
function statKey(st) {
  return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/**
 * The files `secretlint "DIR/**\/*"` would scan, relative to `dir` with / separators, and if asked the
 * stat of every folder walked (an entry added, removed or renamed in a folder changes its stat). With a
 * .secretlintignore in `cwd` the CLI's own search (globby, slower) decides, so that the ignore file means
 * the same; no folder stats then.
 */
async function listFiles(dir, cwd, withDirs = false) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { files: [], dirs: withDirs ? new Map() : undefined };
  if (fs.existsSync(path.join(cwd, '.secretlintignore'))) {
    const { fromCli } = resolvers();
    const { globby, convertPathToPattern } = await import(pathToFileURL(fromCli.resolve('globby')).href);
    const files = await globby([`${convertPathToPattern(dir)}/**/*`], {
      cwd,
      ignore: ['**/.git/**', '**/node_modules/**', '**/.secretlintrc/**', '**/.secretlintrc.{json,yaml,yml,js}/**', '**/.secretlintignore*/**'],
      ignoreFiles: ['.secretlintignore'],
      dot: true,
      absolute: true,
    });
    return { files: files.map((f) => path.relative(dir, f).split(path.sep).join('/')).sort(), dirs: undefined };
  }
  const files = [];
  const dirs = withDirs ? new Map() : undefined;
  const visit = (abs, rel) => {
    dirs?.set(abs, statKey(fs.statSync(abs)));
    for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!ignoredDir(d.name)) visit(path.join(abs, d.name), r);
      } else if (d.isFile()) files.push(r);
      else if (d.isSymbolicLink()) {
        try {
          if (fs.statSync(path.join(abs, d.name)).isFile()) files.push(r);
        } catch {
          // a dangling link: nothing to read, as for the CLI
        }
      }
    }
  };
  visit(dir, '');
  return { files: files.sort(), dirs };
}

/** The listing again: the same when no folder walked has a new stat, else walked anew. */
async function relist(listing, dir, cwd) {
  const same =
    listing.dirs !== undefined &&
    [...listing.dirs].every(([d, stat]) => {
      try {
        return statKey(fs.statSync(d)) === stat;
      } catch {
        return false;
      }
    });
  return same ? listing : listFiles(dir, cwd, true);
}

function readWithStat(file) {
  const fd = fs.openSync(file, 'r');
  try {
    // Stat before reading: a write during the read then shows up as a new ctime.
    const stat = statKey(fs.fstatSync(fd));
    return { stat, bytes: fs.readFileSync(fd) };
  } finally {
    fs.closeSync(fd);
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The state of `files` (relative to `dir`): file -> {stat, hash, result}, result only when secretlint found
 * something. A file whose stat is the one `prior` has for it keeps prior's entry unread; any other is read
 * and hashed, and linted unless its hash is among `ctx.known()` clean ones. Yields to the event loop now and
 * then; returns undefined once `stop()` says so.
 */
async function scan(dir, files, prior, ctx, stop = () => false) {
  const state = new Map();
  let last = performance.now();
  for (const file of files) {
    if (performance.now() - last > 50) {
      await tick();
      if (stop()) return undefined;
      last = performance.now();
    }
    const abs = `${dir}/${file}`;
    try {
      const before = prior.get(file);
      if (before && statKey(fs.statSync(abs)) === before.stat) {
        state.set(file, before);
        continue;
      }
      const read = readWithStat(abs);
      const hash = createHash('sha256').update(read.bytes).digest('hex');
      const entry = { stat: read.stat, hash, result: undefined };
      const known = ctx.known();
      if (!known.has(hash)) {
        const result = await (await ctx.secretlint()).lint(abs, read.bytes);
        ctx.linted.add(file);
        if (result.messages.length === 0) known.add(hash);
        else entry.result = result;
      }
      state.set(file, entry);
    } catch (e) {
      if (e?.code !== 'ENOENT') throw e; // else gone since the listing
    }
  }
  return state;
}

// ---------------------------------------------------------------------------------------------------------
// the cache: {format, folders: {<real path>: {used, files: "<file>\t<stat>\t<sha256>\n..."}}}

function cacheFile(cacheDir, key) {
  return path.join(cacheDir, `secretlint-${key}.json`);
}

/** The cache's folders, or none when it is missing, unreadable or not of this format. */
function readCache(file) {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (data?.format !== CACHE_FORMAT || typeof data.folders !== 'object' || data.folders === null) return {};
    return Object.fromEntries(Object.entries(data.folders).filter(([, f]) => typeof f?.used === 'number' && typeof f.files === 'string'));
  } catch {
    return {};
  }
}

/** A folder's records: file -> {stat, hash}; a line that is not one is left out. */
function parseFiles(text) {
  const files = new Map();
  for (const line of text.split('\n')) {
    const [file, stat, hash, extra] = line.split('\t');
    if (extra === undefined && hash !== undefined && /^[0-9a-f]{64}$/.test(hash)) files.set(file, { stat, hash, result: undefined });
  }
  return files;
}

/** Writes the cache whole (rename over): a reader never sees half of it; of two writers, the last wins. */
function writeCache(cacheDir, key, folders, dirKey, records) {
  const all = { ...folders, [dirKey]: { used: Date.now(), files: records } };
  const kept = Object.fromEntries(
    Object.entries(all)
      .sort((a, b) => b[1].used - a[1].used)
      .slice(0, MAX_FOLDERS),
  );
  const file = cacheFile(cacheDir, key);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, folders: kept }));
    fs.renameSync(tmp, file);
    // Records made under another config or secretlint version are of no more use.
    for (const name of fs.readdirSync(cacheDir)) {
      if (/^secretlint-[0-9a-f]{16}\.json$/.test(name) && name !== path.basename(file)) fs.rmSync(path.join(cacheDir, name), { force: true });
    }
  } catch (e) {
    // A read-only node_modules only costs the next run its speed.
    if (process.env.DEBUG) console.error(`secretlint-changed: cache not written (${e?.message ?? e})`);
  }
}

// ---------------------------------------------------------------------------------------------------------

/** Runs the first step (--after); resolves to its exit code. */
function runFirst(after) {
  const child = spawn(process.execPath, [RUN, after.entry, ...after.args], { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', (e) => {
      console.error(`secretlint-changed: cannot run ${after.entry}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message ? `secretlint-changed: ${e.message}\n${USAGE}` : USAGE);
    return e.message ? 2 : 0;
  }
  const cwd = process.cwd();
  const dir = path.resolve(opts.dir);
  const rel = path.relative(cwd, dir) || '.';
  // The render's caches' folder and switch (render/cache/cache-dir.ts), for this one too.
  const cacheDir = path.resolve(process.env.CDK8S_FLEET_CACHE_DIR || path.join(ROOT, 'node_modules', '.cache', 'cdk8s-fleet'));
  if (/^(off|0|false|no)$/i.test(process.env.CDK8S_FLEET_CACHE ?? '')) opts.useCache = false;

  let firstCode;
  const first = opts.after ? runFirst(opts.after).then((code) => (firstCode = code)) : Promise.resolve(0);
  const firstFailed = () => firstCode !== undefined && firstCode !== 0;

  let key, folders, dirKey, prior, state;
  let secretlint;
  let known;
  const ctx = {
    linted: new Set(),
    secretlint: () => (secretlint ??= loadSecretlint(cwd)),
    // Content seen clean in any folder is clean here too.
    known: () => (known ??= new Set(Object.values(folders).flatMap((f) => [...parseFiles(f.files).values()].map((e) => e.hash)))),
  };
  try {
    key = cacheKey(cwd);
    folders = opts.useCache ? readCache(cacheFile(cacheDir, key)) : {};
    dirKey = fs.existsSync(dir) ? fs.realpathSync(dir) : dir;
    prior = folders[dirKey] ? parseFiles(folders[dirKey].files) : new Map();
    if (opts.after && prior.size === 0) {
      // Nothing recorded (fresh clone, CI): everything is to lint, so start now, beside the first step.
      ctx.secretlint().catch(() => {}); // its failure is reported where it is awaited
      const listing = await listFiles(dir, cwd, true);
      state = await scan(dir, listing.files, prior, ctx, firstFailed);
      if ((await first) !== 0 || !state) return firstCode;
      // The first step waited out any synth before comparing: what changed since it was scanned is read again.
      state = await scan(dir, (await relist(listing, dir, cwd)).files, state, ctx);
    } else {
      // Recorded: a stat per file, after the first step (the same walk beside it measured no faster).
      if ((await first) !== 0) return firstCode;
      state = await scan(dir, (await listFiles(dir, cwd)).files, prior, ctx);
    }
  } catch (e) {
    if ((await first) !== 0) return firstCode;
    console.error(`secretlint-changed: ${e?.message ?? e}${process.env.DEBUG ? `\n${e?.stack}` : ' (set DEBUG=1 for a stack trace)'}`);
    return 2;
  }
  if (state.size === 0) {
    // As the CLI: nothing to scan is an error, not a clean result.
    console.error(`secretlint-changed: no files to scan in ${rel}/`);
    return 2;
  }

  const entries = [...state];
  if (opts.useCache) {
    // Clean files present now, only; written when that differs from what was read (or daily, for the LRU).
    const clean = entries.filter(([file, e]) => !e.result && !/[\t\n]/.test(file));
    const same = clean.length === prior.size && clean.every(([file, e]) => prior.get(file) === e);
    if (!same || Date.now() - (folders[dirKey]?.used ?? 0) > 86_400_000) {
      writeCache(cacheDir, key, folders, dirKey, clean.map(([file, e]) => `${file}\t${e.stat}\t${e.hash}`).join('\n'));
    }
  }
  const linted = [...ctx.linted].filter((file) => state.has(file));
  if (opts.verbose) for (const file of linted) console.log(`  linted ${rel}/${file}`);
  const dirty = entries.filter(([, e]) => e.result).map(([, e]) => e.result);
  if (dirty.length > 0) {
    console.log(await (await ctx.secretlint()).format(dirty)); // as the CLI prints it
    return 1;
  }
  const n = linted.length;
  console.log(`secretlint: ${rel}/ has no credentials (${state.size} files: ${n} scanned, ${state.size - n} seen clean before) in ${process.uptime().toFixed(2)} s`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
