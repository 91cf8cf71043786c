#!/usr/bin/env node
// Regenerates the typed bindings in imports/ offline. cdk8s.yaml is the one list of CRDs, at their
// pinned upstream URLs (`npx cdk8s import` fetches those when you have network); this script maps each
// URL to the local copy in ../shared/crds (or $CRDS_DIR) by file name and runs the same `cdk8s import`,
// so both paths write the same files. The CRD files themselves are never committed here.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const crds = path.resolve(process.env.CRDS_DIR ?? path.join(root, '..', 'shared', 'crds'));
const config = parse(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8'));

const local = new Map();
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(path.join(dir, e.name));
    else local.set(e.name, path.join(dir, e.name));
  }
};
walk(crds);

for (const spec of config.imports ?? []) {
  const [name, url] = spec.includes(':=') ? spec.split(':=') : [undefined, spec];
  const file = local.get(path.posix.basename(url));
  if (!file) {
    console.error(`import-crds: no local copy of ${url} in ${crds}`);
    process.exit(1);
  }
  const arg = name ? `${name}:=${file}` : file;
  console.log(`cdk8s import ${name ?? ''} <- ${path.relative(root, file)}`);
  execFileSync(path.join(root, 'node_modules', '.bin', 'cdk8s'),
    ['import', '--no-save', '--check-upgrade=false', '--language', 'typescript', '--output', 'imports', arg],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
