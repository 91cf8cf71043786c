#!/usr/bin/env node
// Fetches every CRD pinned in crds.lock.json into <out>/<path> and verifies its sha256 before writing it.
//
//   node scripts/fetch-crds.mjs [--out <dir>] [--from <dir>] [--update]
//
//   --out <dir>   where to write the CRDs (default: $CRDS_DIR); the layout is the lock's `path`
//   --from <dir>  copy from a local mirror with the same layout (e.g. ../shared/crds) instead of downloading
//                 the lock's URLs; with --out the same folder, it only verifies the copies
//   --update      write the sha256 of what was fetched (and the release tag of each URL) into the lock,
//                 instead of refusing a file that differs (after an upstream release moved in a URL)
//
// A file whose sha256 does not match the lock fails with one line:
//   crds.lock.json: <name>: <path> has sha256 <x>, the lock pins <y>
// and exit code 1; nothing of that file is written.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const lockFile = path.join(root, 'crds.lock.json');

let opts;
try {
  opts = parseArgs({ options: { out: { type: 'string' }, from: { type: 'string' }, update: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (e) {
  console.error(`fetch-crds: ${e.message}`);
  process.exit(2);
}
if (opts.help) {
  console.log('usage: node scripts/fetch-crds.mjs [--out <dir>] [--from <dir>] [--update]   (--out defaults to $CRDS_DIR)');
  process.exit(0);
}
const out = opts.out ?? process.env.CRDS_DIR;
if (!out) {
  console.error('fetch-crds: say where to write the CRDs: --out <dir> or CRDS_DIR');
  process.exit(2);
}
const outDir = path.resolve(out);
const from = opts.from === undefined ? undefined : path.resolve(opts.from);
const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function download(url) {
  let last;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const res = await fetch(url);
      if (res.ok) return Buffer.from(await res.arrayBuffer());
      last = `HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 429) break;
    } catch (e) {
      last = e.cause?.message ?? e.message;
    }
    await new Promise((r) => setTimeout(r, 1000 * attempt));
  }
  throw new Error(last);
}

async function fetchOne(entry) {
  const rel = entry.path.split('/');
  let bytes;
  try {
    bytes = from ? fs.readFileSync(path.join(from, ...rel)) : await download(entry.url);
  } catch (e) {
    return { entry, problem: from ? `crds.lock.json: ${entry.name}: ${entry.path} is missing from ${from}` : `crds.lock.json: ${entry.name}: cannot download ${entry.url}: ${e.message}` };
  }
  const actual = sha256(bytes);
  if (actual !== entry.sha256 && !opts.update) {
    return { entry, problem: `crds.lock.json: ${entry.name}: ${entry.path} has sha256 ${actual}, the lock pins ${entry.sha256}` };
  }
  const dest = path.join(outDir, ...rel);
  if (!from || path.join(from, ...rel) !== dest) {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(`${dest}.tmp`, bytes);
    fs.renameSync(`${dest}.tmp`, dest);
  }
  return { entry, actual };
}

const results = await Promise.all(lock.map(fetchOne));
const problems = results.filter((r) => r.problem).map((r) => r.problem);
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
if (opts.update) {
  let changed = 0;
  const next = lock.map((e, i) => {
    const release = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/([^/]+)\//.exec(e.url)?.[1] ?? e.release;
    const sha = results[i].actual;
    if (sha !== e.sha256 || release !== e.release) changed++;
    return { ...e, release, sha256: sha };
  });
  fs.writeFileSync(lockFile, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`fetch-crds: ${lock.length} CRDs in ${outDir}; crds.lock.json updated (${changed} entr${changed === 1 ? 'y' : 'ies'} changed)`);
} else {
  console.log(`fetch-crds: ${lock.length} CRDs in ${outDir} match the sha256 of crds.lock.json (${from ? `from ${from}` : 'downloaded'})`);
}
