/**
 * scripts/secretlint-changed.mjs: secretlint over a folder, linting only content it has not seen clean;
 * `npm run check` runs it after the render-and-compare step (--after).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'secretlint-changed.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-secretlint-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh folder with a fresh cache, so that no test sees another's records. */
function fixture(files: Record<string, string>): { dir: string; cache: string } {
  const base = path.join(tmp, `case-${n++}`);
  const dir = path.join(base, 'out');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return { dir, cache: path.join(base, 'cache') };
}

/** Runs the script from the project root (its .secretlintrc.json) with its cache in `cache`. */
function run(args: string[], cache: string) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_FLEET_CACHE_DIR: cache, CDK8S_FLEET_CACHE: '' } });
}

/** "N files: S scanned" of the summary line. */
function counts(stdout: string): { files: number; scanned: number } {
  const m = /\((\d+) files: (\d+) scanned, (\d+) seen clean before\)/.exec(stdout);
  assert.ok(m, `no summary in ${JSON.stringify(stdout)}`);
  return { files: Number(m[1]), scanned: Number(m[2]) };
}

/**
 * An AWS secret access key as preset-recommend's aws rule reports it, built here so that no file of this
 * repository holds one (a 40-character run of [A-Za-z0-9] after `aws_secret_access_key:`).
 */
function plantedSecret(): { line: string; value: string } {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const value = Array.from({ length: 40 }, (_, i) => alphabet[(i * 23 + 11) % alphabet.length]).join('');
  return { line: `${['aws', 'secret', 'access', 'key'].join('_')}: ${value}`, value };
}

const CLEAN = {
  'README.md': '# fleet\n',
  'hub/apps/addons.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: addons\n',
  'teams/web/prod/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web-prod\n',
  'iac/fleet.json': '{"clusters":["hub","spoke-prod"]}\n',
};

describe('scripts/secretlint-changed.mjs', () => {
  it('reports a planted credential the way secretlint does (masked), exit 1, and again on the next run: never recorded clean', () => {
    const secret = plantedSecret();
    const { dir, cache } = fixture({ ...CLEAN, 'teams/web/prod/config.yaml': `apiVersion: v1\nkind: ConfigMap\ndata:\n  ${secret.line}\n` });
    for (const attempt of [1, 2]) {
      const r = run([dir, '--verbose'], cache);
      assert.equal(r.status, 1, `run ${attempt}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`${path.join(dir, 'teams/web/prod/config.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\s+4:\\d+\\s+error\\s+\\[AWSSecretAccessKey\\]`));
      assert.match(r.stdout, /1 problem \(1 error/);
      assert.ok(!r.stdout.includes(secret.value), 'the secret is masked');
      // The file with the finding is linted every time; the clean ones only the first time.
      const linted = r.stdout.split('\n').filter((l) => l.startsWith('  linted '));
      assert.deepEqual(linted, attempt === 1 ? Object.keys({ ...CLEAN, 'teams/web/prod/config.yaml': '' }).sort().map((f) => `  linted ${path.relative(ROOT, dir)}/${f}`) : [`  linted ${path.relative(ROOT, dir)}/teams/web/prod/config.yaml`]);
    }
  });

  it('lints a clean tree once: the second run scans no file, and an edit rescans only the edited file', () => {
    const { dir, cache } = fixture(CLEAN);
    const first = run([dir], cache);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(counts(first.stdout), { files: 4, scanned: 4 });
    assert.match(first.stdout, /^secretlint: .*out\/ has no credentials \(4 files: 4 scanned, 0 seen clean before\) in \d+\.\d\d s\n$/);

    const second = run([dir], cache);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(counts(second.stdout), { files: 4, scanned: 0 });

    fs.appendFileSync(path.join(dir, 'hub/apps/addons.yaml'), '  namespace: argocd\n');
    const edited = run([dir, '--verbose'], cache);
    assert.equal(edited.status, 0, edited.stderr);
    assert.deepEqual(counts(edited.stdout), { files: 4, scanned: 1 });
    assert.match(edited.stdout, /^ {2}linted .*out\/hub\/apps\/addons\.yaml\n/);

    // A new file with content seen clean elsewhere is not linted again; a removed file is forgotten.
    fs.writeFileSync(path.join(dir, 'README-copy.md'), CLEAN['README.md']);
    fs.rmSync(path.join(dir, 'iac/fleet.json'));
    const moved = run([dir], cache);
    assert.equal(moved.status, 0, moved.stderr);
    assert.deepEqual(counts(moved.stdout), { files: 4, scanned: 0 });
  });

  it('ignores a corrupt or foreign cache file: everything is linted, as without a cache, and the cache is rewritten', () => {
    const { dir, cache } = fixture(CLEAN);
    assert.equal(run([dir], cache).status, 0);
    const files = fs.readdirSync(cache).filter((f) => /^secretlint-[0-9a-f]{16}\.json$/.test(f));
    assert.equal(files.length, 1);
    const file = path.join(cache, files[0]);
    for (const broken of ['{"format": 1, "folders": {', 'null', '{"format": 1, "folders": {"x": {"used": "yesterday", "files": 3}}}', '\u0000\u0001garbage']) {
      fs.writeFileSync(file, broken);
      const r = run([dir], cache);
      assert.equal(r.status, 0, `${JSON.stringify(broken)}: ${r.stderr}`);
      assert.deepEqual(counts(r.stdout), { files: 4, scanned: 4 }, JSON.stringify(broken));
      assert.deepEqual(counts(run([dir], cache).stdout), { files: 4, scanned: 0 }, 'rewritten');
    }
    // A record whose hash is not a hash is not trusted either.
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const f of Object.values(data.folders) as { files: string }[]) f.files = f.files.replace(/\t[0-9a-f]{64}$/gm, '\tnot-a-hash');
    fs.writeFileSync(file, JSON.stringify(data));
    assert.deepEqual(counts(run([dir], cache).stdout), { files: 4, scanned: 4 });
    // --no-cache neither reads nor writes it.
    assert.deepEqual(counts(run(['--no-cache', dir], cache).stdout), { files: 4, scanned: 4 });
  });

  it('fails (2) when there is nothing to scan, as the secretlint CLI does', () => {
    const { dir, cache } = fixture({});
    fs.mkdirSync(dir, { recursive: true });
    const r = run([dir], cache);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no files to scan in .*out\//);
    assert.equal(run([path.join(dir, 'missing')], cache).status, 2);
    assert.equal(run(['--bogus'], cache).status, 2);
  });

  describe('--after (npm run check)', () => {
    /** An entry point for scripts/run.mjs: echoes its arguments, optionally writes a file, exits with a code. */
    const entry = path.join(tmp, 'first-step.ts');
    fs.writeFileSync(
      entry,
      [
        "import * as fs from 'node:fs';",
        'const args = process.argv.slice(2);',
        "console.log(`first step: ${args.join(' ')}`);",
        "const write = args.indexOf('--write');",
        'if (write >= 0) {',
        '  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500); // after the scan beside it, as a rule',
        '  fs.writeFileSync(args[write + 1], fs.readFileSync(args[write + 2], "utf8"));',
        '}',
        "const code = args.indexOf('--code');",
        'process.exitCode = code >= 0 ? Number(args[code + 1]) : 0;',
        '',
      ].join('\n'),
    );

    it('runs the first step with all the arguments, then scans the --out folder they name', () => {
      const { dir, cache } = fixture(CLEAN);
      const r = run(['--after', entry, 'check', '--out', dir, '--code', '0'], cache);
      assert.equal(r.status, 0, r.stderr);
      const [step, scan] = r.stdout.trim().split('\n');
      assert.equal(step, `first step: check --out ${dir} --code 0`);
      assert.match(scan, /out\/ has no credentials \(4 files: 4 scanned/);
      assert.deepEqual(counts(run(['--after', entry, 'check', '--out', dir], cache).stdout), { files: 4, scanned: 0 });
    });

    it('stops at a failing first step with its exit code, and reports no scan', () => {
      const secret = plantedSecret();
      const { dir, cache } = fixture({ ...CLEAN, 'leak.yaml': `${secret.line}\n` });
      const r = run(['--after', entry, 'check', '--out', dir, '--code', '3'], cache);
      assert.equal(r.status, 3);
      assert.equal(r.stdout.trim(), `first step: check --out ${dir} --code 3`);
      // With the first step passing, the same folder fails on the finding.
      assert.equal(run(['--after', entry, 'check', '--out', dir], cache).status, 1);
    });

    it('scans again what changed while the first step ran (the scan starts beside it)', () => {
      const secret = plantedSecret();
      const { dir, cache } = fixture(CLEAN);
      const leak = path.join(tmp, `leak-${n}.yaml`);
      fs.writeFileSync(leak, `kind: ConfigMap\ndata:\n  ${secret.line}\n`);
      // No record of the folder yet: its files are scanned while the first step runs, which overwrites one
      // of them with a credential (1.5 s in, after that scan unless the machine is very busy) and passes.
      const r = run(['--after', entry, 'check', '--out', dir, '--write', path.join(dir, 'README.md'), leak], cache);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stdout, /README\.md\n\s+3:\d+\s+error\s+\[AWSSecretAccessKey\]/);
    });
  });

  it('is what npm run check runs, with the arguments of npm run check -- ...', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.scripts.check, 'node scripts/secretlint-changed.mjs --after main.ts check');
  });
});
