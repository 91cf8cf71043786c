import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderChecked, runCli } from '../render/cli.js';
import { runDiff } from '../render/diff/diff-cli.js';
import { DIFF_MARKER } from '../render/diff/markdown.js';
import { exampleFleet, fleetCopy, render, withSpec } from './support/fleet.js';
import { ADDON_CATALOG } from '../charts/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs `npm run diff` in-process in `cwd` and returns its exit code and what it printed. */
function run(t: TestContext, argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (m: string) => out.push(m));
  t.mock.method(console, 'error', (m: string) => err.push(m));
  const code = runDiff(argv, exampleFleet, { cwd });
  t.mock.restoreAll();
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** An empty git repository in a temporary folder, removed after the test. */
function tempRepo(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-diff-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  git(dir, 'init', '--quiet');
  return dir;
}

/** Replaces dist/ of the repository with `files` and commits; returns the commit id. */
function commitDist(repo: string, files: ReadonlyMap<string, string>, message = 'dist'): string {
  fs.rmSync(path.join(repo, 'dist'), { recursive: true, force: true });
  for (const [p, text] of files) {
    fs.mkdirSync(path.dirname(path.join(repo, 'dist', p)), { recursive: true });
    fs.writeFileSync(path.join(repo, 'dist', p), text);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '--allow-empty', '-m', message);
  return git(repo, 'rev-parse', 'HEAD').trim();
}

/** What the working tree renders (the example fleet). */
function rendered(): Map<string, string> {
  const tree = renderChecked(exampleFleet);
  assert.notEqual(typeof tree, 'number', 'the example fleet renders');
  return new Map((tree as { files: Map<string, string> }).files);
}

const first = (files: ReadonlyMap<string, string>, re: RegExp) => {
  const p = [...files.keys()].find((k) => re.test(k));
  assert.ok(p, `a file matching ${re}`);
  return p!;
};

describe('npm run diff', () => {
  it('reports no differences against a commit whose dist/ is what the working tree renders', (t) => {
    const repo = tempRepo(t);
    const files = rendered();
    commitDist(repo, files);
    const r = run(t, ['HEAD', '--committed'], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${DIFF_MARKER}\n**cdk8s-fleet diff:** no differences between \`HEAD\` (${git(repo, 'rev-parse', '--short=7', 'HEAD').trim()}) and the working tree: ${files.size} rendered files, all identical (\`HEAD\` read from its committed dist/).`);
    assert.match(r.stderr, /^cdk8s-fleet: HEAD \([0-9a-f]{7}\) → working tree: 0 added, 0 removed, 0 changed objects in 0 of \d+ files, in \d+\.\d\d s$/);
  });

  it('reads the working tree from dist/ when its index vouches for it: the same Markdown as a render', (t) => {
    const repo = tempRepo(t);
    const before = process.env.CDK8S_FLEET_CACHE_DIR;
    process.env.CDK8S_FLEET_CACHE_DIR = path.join(repo, '.cache');
    t.after(() => (before === undefined ? delete process.env.CDK8S_FLEET_CACHE_DIR : (process.env.CDK8S_FLEET_CACHE_DIR = before)));
    const now = rendered();
    const base = new Map(now);
    const deployment = first(now, /^apps\/[^/]+\/[^/]+\/prod\/deployment-/);
    base.set(deployment, now.get(deployment)!.replace(/\n {2}progressDeadlineSeconds: (\d+)\n/, (_, n) => `\n  progressDeadlineSeconds: ${Number(n) + 1}\n`));
    base.delete('hub/argocd/projects/addons.yaml');
    commitDist(repo, base);
    t.mock.method(console, 'log', () => undefined);
    assert.equal(runCli(['synth', '--out', path.join(repo, 'dist')], exampleFleet), 0);
    t.mock.restoreAll();

    const read = run(t, ['--out', 'read.md', 'HEAD', '--committed'], repo);
    assert.equal(read.code, 0, read.stderr);
    assert.match(read.stdout, /\(the working tree as \S*dist\/ holds it: input, code and folder as at the last synth, nothing rendered\); Markdown/);
    const rendering = run(t, ['--out', 'rendered.md', 'HEAD', '--committed', '--no-cache'], repo);
    assert.equal(rendering.code, 0, rendering.stderr);
    assert.doesNotMatch(rendering.stdout, /nothing rendered/);
    const md = fs.readFileSync(path.join(repo, 'read.md'), 'utf8');
    assert.match(md, /addons/, 'the Application changes are in it');
    assert.equal(md, fs.readFileSync(path.join(repo, 'rendered.md'), 'utf8'));
    // A hand edit of dist/: the working tree is rendered, and the report is the same.
    fs.appendFileSync(path.join(repo, 'dist', deployment), '# hand edit\n');
    const edited = run(t, ['--out', 'edited.md', 'HEAD', '--committed'], repo);
    assert.doesNotMatch(edited.stdout, /nothing rendered/);
    assert.equal(fs.readFileSync(path.join(repo, 'edited.md'), 'utf8'), md);
  });

  it('reports what the working tree changes against a commit, grouped, with diffs, into --out', (t) => {
    const repo = tempRepo(t);
    const now = rendered();
    const base = new Map(now);
    // The commit had: another rollout deadline in an app, no service for an app, a stale file, and a project under another name.
    const deployment = first(now, /^apps\/[^/]+\/[^/]+\/prod\/deployment-/);
    assert.match(now.get(deployment)!, /\n {2}progressDeadlineSeconds: \d+\n/);
    base.set(deployment, now.get(deployment)!.replace(/\n {2}progressDeadlineSeconds: (\d+)\n/, (_, n) => `\n  progressDeadlineSeconds: ${Number(n) + 1}\n`));
    const service = first(now, /^apps\/[^/]+\/[^/]+\/staging\/service-/);
    base.delete(service);
    base.set('addons/values/environments/staging/old-addon/values.yaml', '# Generated by cdk8s-fleet (npm run synth). Do not edit: change environments/ or charts/.\nreplicas: 1\n');
    const project = 'hub/argocd/projects/addons.yaml';
    assert.ok(now.has(project));
    base.delete(project);
    base.set('hub/argocd/projects/platform-addons.yaml', now.get(project)!);
    commitDist(repo, base);

    const r = run(t, ['--out', 'diff.md', 'HEAD', '--committed'], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^cdk8s-fleet: HEAD \([0-9a-f]{7}\) → working tree: 1 added, 1 removed, 2 changed objects in 5 of \d+ files, in \d+\.\d\d s; Markdown \(\d+ characters\) written to diff\.md$/);
    const md = fs.readFileSync(path.join(repo, 'diff.md'), 'utf8');
    assert.ok(md.startsWith(`${DIFF_MARKER}\n### cdk8s-fleet diff: \`HEAD\` (`));
    assert.match(md, /\n\*\*1 added, 1 removed, 2 changed\*\* objects in 3 groups \(1 moved to another file\), in 5 files; `HEAD` read from its committed dist\/\.\n/);
    const [, team, app] = /^apps\/([^/]+)\/([^/]+)\//.exec(deployment)!;
    assert.ok(md.includes(`\n- \`~\` AppProject \`addons\` (argocd) · \`${project}\` · moved from \`hub/argocd/projects/platform-addons.yaml\` · same content\n`));
    assert.ok(md.includes(`\n#### environment staging\n\n- \`-\` Helm values · \`addons/values/environments/staging/old-addon/values.yaml\` · 2 lines\n`));
    assert.ok(md.includes(`\n#### app ${team}/${app}\n\n- \`~\` Deployment \`${app}\``), 'the changed deployment under its app');
    assert.match(md, /\n {2}- {2}progressDeadlineSeconds: \d+\n {2}\+ {2}progressDeadlineSeconds: \d+\n/);
    assert.ok(md.includes(`· staging · \`${service}\` · `), 'the added service with its environment');
    const headings = md.split('\n').filter((l) => l.startsWith('#### '));
    assert.equal(headings[0], '#### hub');
    assert.equal(headings[1], '#### environment staging');
  });

  it('warns at the top of the comment that disabling an add-on whose onDisable is uninstall uninstalls it', (t) => {
    const catalog = ADDON_CATALOG.map((a) => (a.name === 'velero' ? { ...a, onDisable: 'uninstall' as const } : a));
    const repo = tempRepo(t);
    commitDist(repo, render(exampleFleet, catalog));
    const spec = fleetCopy();
    (spec.clusters.find((c) => c.name === 'spoke-prod')!.addons as Record<string, unknown>).velero = false;
    const out: string[] = [];
    t.mock.method(console, 'log', (m: string) => out.push(m));
    t.mock.method(console, 'error', () => undefined);
    const code = runDiff(['HEAD', '--committed'], withSpec(spec), { cwd: repo, catalog });
    t.mock.restoreAll();
    assert.equal(code, 0);
    const md = out.join('\n');
    const caution = md.indexOf('> [!CAUTION]\n> **1 Application will be uninstalled**: Argo CD deletes its resources on the cluster (CRDs stay): `velero-spoke-prod` on spoke-prod.');
    assert.ok(caution > 0, md.slice(0, 2000));
    assert.ok(caution < md.indexOf('| group | added | removed | changed |'), 'before the object groups');
    assert.match(md, /\| spoke-prod \| `velero-spoke-prod` \| removed \(was `velero@[^`]+`\): ⚠️ \*\*uninstalled\*\*/);
  });

  it('prints the Markdown on stdout without --out', (t) => {
    const repo = tempRepo(t);
    const base = rendered();
    base.delete('hub/argocd/projects/addons.yaml');
    commitDist(repo, base);
    const r = run(t, ['HEAD', '--committed', '--max-chars', '5000'], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(`${DIFF_MARKER}\n### cdk8s-fleet diff:`));
    assert.ok(r.stdout.includes('- `+` AppProject `addons` (argocd) · `hub/argocd/projects/addons.yaml`'));
    assert.ok(r.stdout.length <= 5000);
  });

  it('fails with one clear error naming an unknown ref', (t) => {
    const repo = tempRepo(t);
    commitDist(repo, new Map([['README.md', 'x\n']]));
    const r = run(t, ['no-such-branch', '--committed'], repo);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'cdk8s-fleet: unknown git ref "no-such-branch": it names no commit in this repository (for a branch of the remote, fetch it and write origin/<branch>; in CI, check out with fetch-depth: 0)');
  });

  it('fails when the commit has no dist/ and --committed is given', (t) => {
    const repo = tempRepo(t);
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'x\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '--quiet', '-m', 'no dist');
    const r = run(t, ['HEAD', '--committed'], repo);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^cdk8s-fleet: commit [0-9a-f]{12} has no committed dist\/ folder; leave out --committed to render its code instead$/);
  });

  it('fails outside a git repository', (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-diff-nogit-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const r = run(t, ['main', '--committed'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^cdk8s-fleet: .* is not inside a git repository: /);
  });

  it('fails with the usage on a command-line mistake', (t) => {
    const cases: Array<[string[], string]> = [
      [[], 'name the git ref to compare with, for example: npm run diff -- main'],
      [['main', 'dev'], 'one git ref, got 2: "main", "dev"'],
      [['main', '--max-chars', '10'], '--max-chars must be a whole number of at least 1000, got "10"'],
      [['main', '--out'], '--out needs a value'],
      [['main', '--frobnicate'], 'unknown option "--frobnicate"'],
    ];
    for (const [argv, message] of cases) {
      const r = run(t, argv, ROOT);
      assert.equal(r.code, 2, argv.join(' '));
      assert.ok(r.stderr.startsWith(`cdk8s-fleet: ${message}\nusage: npm run diff -- <git-ref>`), r.stderr);
    }
    const help = run(t, ['--help'], ROOT);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: npm run diff -- <git-ref> \[--committed\] \[--max-chars N\] \[--out FILE\]/);
  });

  it("renders the ref's own code in a temporary worktree, and removes the worktree", (t) => {
    // A clone of the last commit of this project, with its node_modules: what CI has after checkout and npm ci.
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-diff-clone-'));
    t.after(() => fs.rmSync(parent, { recursive: true, force: true }));
    const clone = path.join(parent, 'repo');
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    const worktrees = () => git(clone, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length;

    const r = run(t, ['HEAD'], clone);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(DIFF_MARKER));
    assert.match(r.stdout, /`HEAD` rendered from its code/);
    assert.equal(worktrees(), 1, 'the temporary worktree is gone');
    assert.ok(fs.existsSync(path.join(ROOT, 'node_modules', 'tsx')), 'the linked node_modules is untouched');
  });

  it("fails clearly when the ref's code does not render, suggests --committed, and removes the worktree", (t) => {
    const repo = tempRepo(t);
    fs.writeFileSync(path.join(repo, 'package.json'), '{ "type": "module" }\n');
    fs.writeFileSync(path.join(repo, 'main.ts'), "throw new Error('the fleet of this commit is broken');\n");
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    commitDist(repo, new Map([['README.md', 'x\n']]));
    const r = run(t, ['HEAD'], repo);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^cdk8s-fleet: rendering commit [0-9a-f]{12} with its own code failed \(exit 1\):\n/);
    assert.ok(r.stderr.includes('the fleet of this commit is broken'), r.stderr);
    assert.ok(r.stderr.endsWith('Add --committed to compare with its committed dist/ instead (no code is run).'));
    assert.equal(git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 1);
  });
});
