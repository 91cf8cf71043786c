#!/usr/bin/env node
// Regenerates the typed bindings in imports/ offline. crds.lock.json is the one list of CRDs: the entries
// with an `imports` name are the ones behind imports/ (cdk8s.yaml's `imports:` lists the same, at the same
// pinned URLs, for `npx cdk8s import` with network; test/crd-lock.test.ts keeps the two equal). This script
// takes each of those from the local copy at <CRD folder>/<path> ($CRDS_DIR, else ../shared/crds), checks
// its sha256 against the lock, and runs the same `cdk8s import`, so both paths write the same files.
// The CRD files themselves are never committed here.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { lock, root, verifiedCrd } from './crd-files.mjs';

for (const entry of lock.filter((e) => e.imports)) {
  const { file } = verifiedCrd(entry);
  console.log(`cdk8s import ${entry.imports} <- ${path.relative(root, file)}`);
  execFileSync(path.join(root, 'node_modules', '.bin', 'cdk8s'),
    ['import', '--no-save', '--check-upgrade=false', '--language', 'typescript', '--output', 'imports', `${entry.imports}:=${file}`],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
