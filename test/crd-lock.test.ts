/**
 * crds.lock.json is the one list of CRDs (npm run import, npm run validate, the tests, the workflow's fetch
 * step): what the rendered fleet needs is pinned there, the copies match their sha256, a copy that differs
 * fails with one line, and cdk8s.yaml's imports are the lock's import entries.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CRDS_DIR, CrdLockError, mismatchLine, readLock, sha256, verifiedCrdFiles } from '../render/validate/crd-lock.js';
// What each locked file defines, from the shared validator cache's index (parsed from the verified file when not cached).
import { lockedCrdKinds } from '../render/validate/validate-schemas.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const lock = readLock();
const available = fs.existsSync(CRDS_DIR);
const skip = available ? false : `CRDs not found at ${CRDS_DIR} (set CRDS_DIR; node scripts/fetch-crds.mjs fetches them)`;

/** Every `apiVersion` + `kind` pair anywhere in an object, nested ones included (composed resources, function inputs). */
function kindsIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) kindsIn(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.apiVersion === 'string' && typeof o.kind === 'string') out.add(`${o.apiVersion} ${o.kind}`);
    for (const v of Object.values(o)) kindsIn(v, out);
  }
}

/** Kubernetes' own API groups: the core group, dotless groups (apps, policy, ...) and *.k8s.io. */
const isCoreGroup = (group: string) => group === '' || !group.includes('.') || group.endsWith('.k8s.io');

function distDocuments(): Array<{ file: string; obj: any }> {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
  return walk(path.join(ROOT, 'dist')).flatMap((file) =>
    parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => ({ file: path.relative(ROOT, file), obj: d.toJS() })).filter((d) => d.obj),
  );
}

describe('crds.lock.json', () => {
  it('is sorted by name, names each CRD once, and pins each URL to the release it names', () => {
    const names = lock.map((e) => e.name);
    assert.deepEqual(names, [...names].sort(), 'sorted by name');
    assert.equal(new Set(names).size, names.length, 'no name twice');
    assert.equal(new Set(lock.map((e) => e.path)).size, lock.length, 'no path twice');
    for (const e of lock) {
      const m = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/([^/]+)\/(.+)$/.exec(e.url);
      assert.ok(m, `${e.name}: url ${e.url} is a raw GitHub URL at a tag`);
      assert.equal(m[1], e.release, `${e.name}: the URL pins release ${e.release}`);
      assert.equal(path.posix.basename(m[2]), path.posix.basename(e.path), `${e.name}: the local copy has the upstream file name`);
    }
  });

  it('cdk8s.yaml imports exactly the lock\'s import entries, at the same URLs', () => {
    const config = parse(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8'));
    const fromConfig = (config.imports as string[]).slice().sort();
    const fromLock = lock.filter((e) => e.imports).map((e) => `${e.imports}:=${e.url}`).sort();
    assert.deepEqual(fromConfig, fromLock);
  });

  it('every locked copy exists, matches its sha256 and is the CRD the entry names', { skip }, () => {
    const files = verifiedCrdFiles();
    assert.equal(files.length, lock.length);
    const kinds = lockedCrdKinds();
    assert.deepEqual(kinds.map((k) => k.entry.name), lock.map((e) => e.name));
    for (const { entry, crds } of kinds) assert.deepEqual(crds.map((c) => c.name), [entry.name], entry.path);
  });

  it('pins the CRD of every custom kind the rendered dist/ uses (nested ones too: composed resources, function inputs)', { skip }, () => {
    const served = new Set(lockedCrdKinds().flatMap(({ crds }) => crds.flatMap((crd) => crd.versions.filter((v) => v.served).map((v) => `${crd.group}/${v.name} ${crd.kind}`))));
    const docs = distDocuments();
    // Kinds our own XRDs define (composites and claims) need no upstream CRD.
    const ours = new Set<string>();
    for (const { obj } of docs) {
      if (obj.kind !== 'CompositeResourceDefinition') continue;
      for (const kind of [obj.spec.names.kind, obj.spec.claimNames?.kind].filter(Boolean)) ours.add(`${obj.spec.group} ${kind}`);
    }
    const used = new Set<string>();
    for (const { obj } of docs) kindsIn(obj, used);
    const missing = [...used].filter((k) => {
      const [apiVersion, kind] = k.split(' ');
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
      return !isCoreGroup(group) && !ours.has(`${group} ${kind}`) && !served.has(k);
    });
    assert.deepEqual(missing.sort(), [], 'kinds the rendered fleet uses whose CRD (at a served version) crds.lock.json does not pin');
    // The check bites: the composed RDS and EC2 resources of the issue are among the kinds it looks at.
    assert.ok(used.has('rds.aws.upbound.io/v1beta1 SubnetGroup') && used.has('pt.fn.crossplane.io/v1beta1 Resources'));
  });

  describe('a copy that does not match its sha256', { skip }, () => {
    const entry = lock.find((e) => e.name === 'subnetgroups.rds.aws.upbound.io')!;
    let tmp = '';
    let expected = '';
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-crds-'));
      for (const e of lock) {
        fs.mkdirSync(path.dirname(path.join(tmp, 'bad', e.path)), { recursive: true });
        fs.copyFileSync(path.join(CRDS_DIR, e.path), path.join(tmp, 'bad', e.path));
      }
      // One byte changed (the final newline becomes a space): still valid YAML, no longer the pinned file.
      const file = path.join(tmp, 'bad', entry.path);
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 1] = 0x20;
      fs.writeFileSync(file, bytes);
      expected = mismatchLine(entry, sha256(bytes));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('is refused by the loader the tests and npm run validate use, with one line naming it', () => {
      assert.equal(expected, `crds.lock.json: subnetgroups.rds.aws.upbound.io: upbound/rds.aws.upbound.io_subnetgroups.yaml has sha256 ${sha256(fs.readFileSync(path.join(tmp, 'bad', entry.path)))}, the lock pins ${entry.sha256}`);
      assert.throws(() => verifiedCrdFiles(path.join(tmp, 'bad')), (e: unknown) => e instanceof CrdLockError && e.message === expected);
    });

    it('fails npm run validate with exactly that line', () => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run.mjs'), 'main.ts', 'validate'], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, CRDS_DIR: path.join(tmp, 'bad') },
      });
      assert.equal(r.status, 1, r.stdout);
      assert.equal(r.stderr, `${expected}\n`);
    });

    it('fails the workflow\'s fetch step (scripts/fetch-crds.mjs) with exactly that line, and a good mirror passes', () => {
      const fetchCrds = (from: string, out: string) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'fetch-crds.mjs'), '--from', from, '--out', out], { cwd: ROOT, encoding: 'utf8' });
      const bad = fetchCrds(path.join(tmp, 'bad'), path.join(tmp, 'out-bad'));
      assert.equal(bad.status, 1, bad.stdout);
      assert.equal(bad.stderr, `${expected}\n`);
      assert.ok(!fs.existsSync(path.join(tmp, 'out-bad', entry.path)), 'the refused file is not written');
      const good = fetchCrds(CRDS_DIR, path.join(tmp, 'out-good'));
      assert.equal(good.status, 0, good.stderr);
      assert.deepEqual(verifiedCrdFiles(path.join(tmp, 'out-good')).map((f) => f.entry.name), lock.map((e) => e.name));
    });
  });
});
