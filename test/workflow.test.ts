/**
 * .github/workflows/fleet.yml and the Node versions: the workflow lints clean (its structure, every npm script it
 * names exists), scripts/run-workflow.mjs runs a workflow's steps in order and stops at the first failure
 * with one line, and every installed package accepts every Node version our engines field admits.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'run-workflow.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-wf-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const runner = (args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
};

/** A tiny repository: package.json with one script, and the given workflow, committed. */
function tinyRepo(name: string, workflow: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'tiny', private: true, scripts: { hello: 'echo hello from npm' } }));
  fs.writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), workflow);
  git(dir, 'init', '--quiet');
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'tiny');
  return dir;
}

const workflow = (steps: string) => `name: tiny
on: push
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${steps}`;

describe('the workflow lint', () => {
  it('passes on .github/workflows/fleet.yml', () => {
    const r = runner(['--lint']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trim(), '.github/workflows/fleet.yml: lint ok');
  });

  it('fails with exactly one line on a step that names an npm script that does not exist', () => {
    const dir = tinyRepo('missing-script', workflow(`      - run: npm run hello
      - name: render
        run: npm run rendr -- --quiet
`));
    const r = runner(['--lint', '--repo', dir, '--workflow', '.github/workflows/ci.yml']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.trimEnd().split('\n'), ['.github/workflows/ci.yml: jobs.check.steps[2] (render): npm script "rendr" does not exist']);
  });

  it('reports what the structural lint finds, one line each (a job without runs-on, an unpinned action, an unknown key)', () => {
    const dir = tinyRepo('bad-syntax', `on: push
permissions:
  contents: read
jobs:
  check:
    steps:
      - uses: actions/checkout@main
      - run: echo hi
`);
    const r = runner(['--lint', '--repo', dir, '--workflow', '.github/workflows/ci.yml']);
    assert.equal(r.status, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.ok(lines.includes('.github/workflows/ci.yml: jobs.check: "runs-on" is missing (the runner the job runs on)'), r.stderr);
    assert.ok(lines.includes('.github/workflows/ci.yml: jobs.check.steps[0] (actions/checkout@main): "actions/checkout@main" is not pinned to a major version (actions/<name>@v<major>)'), r.stderr);
  });

  it('the workflow runs on the Node line of .nvmrc, an active LTS line', () => {
    const nvmrc = fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
    assert.ok(['22', '24'].includes(nvmrc), `.nvmrc says ${nvmrc}`);
    const wf = YAML.parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'fleet.yml'), 'utf8'));
    for (const [id, job] of Object.entries<{ steps: { uses?: string; with?: Record<string, unknown> }[] }>(wf.jobs)) {
      const setup = job.steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
      assert.equal(setup.length, 1, `job ${id} sets up node once`);
      assert.deepEqual([setup[0].with?.['node-version-file'], setup[0].with?.['node-version']], ['.nvmrc', undefined], `job ${id}`);
    }
  });
});

describe('scripts/run-workflow.mjs', () => {
  it('runs the steps in order in a fresh clone, prints name, exit and duration, and stops at the first failure with one line', () => {
    const dir = tinyRepo('two-steps', workflow(`      - name: say hello
        run: npm run hello && test -f package.json && echo "WHO=runner" >> "$GITHUB_ENV"
      - name: fail on purpose
        run: |
          echo "who: $WHO"
          exit 3
      - name: never reached
        run: echo unreachable
`));
    const r = runner(['--repo', dir, '--workflow', '.github/workflows/ci.yml']);
    assert.equal(r.status, 1, r.stderr);
    const out = r.stdout.split('\n');
    assert.match(out[0], /^job check: fresh clone of .*two-steps at [0-9a-f]+ \(committed HEAD/);
    assert.equal(out[1], 'check step 1/4 "actions/checkout@v4": the fresh clone');
    assert.equal(out[2], 'check step 2/4 "say hello": running');
    assert.ok(out.includes('hello from npm'), r.stdout);
    assert.match(r.stdout, /^check step 2\/4 "say hello": exit 0 in \d+\.\d s$/m);
    assert.ok(out.includes('who: runner'), 'what a step writes to $GITHUB_ENV reaches the next steps');
    assert.match(r.stdout, /^check step 3\/4 "fail on purpose": exit 3 in \d+\.\d s$/m);
    assert.doesNotMatch(r.stdout, /never reached|unreachable/);
    assert.equal(r.stderr.trimEnd(), 'run-workflow: job check failed at step 3 "fail on purpose" (exit 3)');
  });

  it('exits 0 when every step passes, and names an unknown job', () => {
    const dir = tinyRepo('green', workflow(`      - run: npm run hello
`));
    const ok = runner(['--repo', dir, '--workflow', '.github/workflows/ci.yml', '--job', 'check']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^job check: 2 steps passed in \d+\.\d s$/m);
    const bad = runner(['--repo', dir, '--workflow', '.github/workflows/ci.yml', '--job', 'nope']);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trimEnd(), 'run-workflow: .github/workflows/ci.yml has no job "nope" (jobs: check)');
  });

  it('takes the CRDs from the local mirror for a CRD fetch step, not from the network', () => {
    const mirror = path.join(tmp, 'mirror');
    fs.mkdirSync(path.join(mirror, 'argo-cd'), { recursive: true });
    fs.writeFileSync(path.join(mirror, 'argo-cd', 'application-crd.yaml'), 'kind: CustomResourceDefinition\n');
    const dir = tinyRepo('crds', workflow(`      - name: Fetch the pinned CRDs
        run: curl -fsSL -o "$RUNNER_TEMP/x.yaml" https://example.invalid/x.yaml
      - name: read them
        run: cat "$CRDS_DIR/argo-cd/application-crd.yaml"
`));
    const r = runner(['--repo', dir, '--workflow', '.github/workflows/ci.yml', '--crds-from', mirror]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^kind: CustomResourceDefinition$/m);
  });
});

describe('Node support', () => {
  const semver = createRequire(import.meta.url)('semver') as {
    subset(sub: string, sup: string, opts?: { includePrerelease?: boolean }): boolean;
    validRange(r: string): string | null;
    satisfies(v: string, r: string): boolean;
  };
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node as string;

  it('our engines.node admits the Node of .nvmrc, the LTS lines 22 and 24, and 20 (this machine\'s line)', () => {
    const nvmrc = fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
    for (const v of ['20.18.0', '22.9.0', '24.0.0', `${nvmrc}.99.0`]) assert.ok(semver.satisfies(v, ours), `${v} in ${ours}`);
  });

  it('every installed package (nested too) accepts every Node version our engines.node admits', () => {
    const offenders: string[] = [];
    let seen = 0;
    const visit = (nm: string) => {
      if (!fs.existsSync(nm)) return;
      for (const entry of fs.readdirSync(nm)) {
        if (entry.startsWith('.')) continue;
        const dirs = entry.startsWith('@') ? fs.readdirSync(path.join(nm, entry)).map((e) => path.join(nm, entry, e)) : [path.join(nm, entry)];
        for (const dir of dirs) {
          const pj = path.join(dir, 'package.json');
          if (!fs.existsSync(pj)) continue;
          const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
          seen++;
          const range = pkg.engines?.node;
          if (typeof range === 'string' && semver.validRange(range) && !semver.subset(ours, range)) offenders.push(`${pkg.name}@${pkg.version} wants node ${range}`);
          visit(path.join(dir, 'node_modules'));
        }
      }
    };
    visit(path.join(ROOT, 'node_modules'));
    assert.ok(seen > 100, `${seen} packages installed`);
    assert.deepEqual(offenders, [], `engines.node "${ours}" admits versions these packages refuse (EBADENGINE on install)`);
  });
});
