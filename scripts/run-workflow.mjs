#!/usr/bin/env node
// Lints .github/workflows/fleet.yml, then runs its jobs locally: a fresh clone of HEAD, every `run:` step in
// order with bash, the CRDs from a local mirror instead of the network.
//
//   node scripts/run-workflow.mjs [--job <id>]... [--crds-from <dir>] [--lint] [--repo <dir>] [--workflow <file>]
//
//   --job <id>         the job(s) to run (default: every job without an `if:`, i.e. `render`; `diff` runs only
//                      on pull requests)
//   --crds-from <dir>  the local CRD mirror the CRD fetch step copies from (default: ../shared/crds)
//   --lint             only lint the workflow (its structure after GitHub's workflow syntax, plus: every `npm run <x>` names a script of
//                      package.json, actions pinned to a major version, `permissions` set)
//   --repo <dir>       the repository to clone (default: this one); --workflow is relative to it
//
// Steps: `uses: actions/checkout` is the clone, `uses: actions/setup-node` is the node running this script
// (a major that differs from the workflow's is said), other `uses:` steps are skipped, as are steps with an
// `if:`. `${{ github.* }}` expressions get local values (event push, base_ref main). $GITHUB_ENV,
// $GITHUB_OUTPUT, $GITHUB_PATH, $GITHUB_STEP_SUMMARY and $RUNNER_TEMP work as on a runner.
// Each step prints its name, duration and exit code; the first failure stops the run with one line
// naming the step, and exit code 1. Lint findings print one line each, and exit code 1.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import YAML from 'yaml';

const require = createRequire(import.meta.url);

let opts;
try {
  opts = parseArgs({
    options: {
      job: { type: 'string', multiple: true },
      'crds-from': { type: 'string' },
      lint: { type: 'boolean' },
      repo: { type: 'string' },
      workflow: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (e) {
  console.error(`run-workflow: ${e.message}`);
  process.exit(2);
}
if (opts.help) {
  console.log('usage: node scripts/run-workflow.mjs [--job <id>]... [--crds-from <dir>] [--lint] [--repo <dir>] [--workflow <file>] [--keep]');
  process.exit(0);
}

const repo = path.resolve(opts.repo ?? path.join(import.meta.dirname, '..'));
const workflowRel = opts.workflow ?? '.github/workflows/fleet.yml';
const crdsFrom = path.resolve(opts['crds-from'] ?? path.join(repo, '..', 'shared', 'crds'));

const WORKFLOW_KEYS = new Set(['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs']);
const JOB_KEYS = new Set(['name', 'permissions', 'needs', 'if', 'runs-on', 'snapshot', 'environment', 'concurrency', 'outputs', 'env', 'defaults', 'steps', 'timeout-minutes', 'strategy', 'continue-on-error', 'container', 'services', 'uses', 'with', 'secrets']);
const STEP_KEYS = new Set(['id', 'if', 'name', 'uses', 'run', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes', 'working-directory']);

/** Every finding of the lint, one line each; empty when the workflow is fine. */
export async function lintWorkflow(root, rel) {
  const file = path.join(root, rel);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return [`${rel}: cannot read: ${e.code ?? e.message}`];
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) return doc.errors.map((e) => `${rel}: ${e.message.split('\n')[0]}`);
  const wf = doc.toJS() ?? {};
  const out = [];

  // The workflow's structure, after GitHub's workflow syntax: triggers, jobs with a runner (or a reusable
  // workflow), steps with exactly one of uses/run, and no key GitHub does not know (a typo is ignored by
  // nobody: GitHub refuses the whole workflow). No third-party linter: its binary would run in CI unreviewed.
  if (wf.on === undefined) out.push(`${rel}: no "on": say which events run the workflow`);
  if (!wf.jobs || typeof wf.jobs !== 'object' || Object.keys(wf.jobs).length === 0) out.push(`${rel}: no "jobs"`);
  for (const key of Object.keys(wf)) if (!WORKFLOW_KEYS.has(key)) out.push(`${rel}: unknown key "${key}" (GitHub knows ${[...WORKFLOW_KEYS].join(', ')})`);
  for (const [jobId, job] of Object.entries(wf.jobs ?? {})) {
    if (!job || typeof job !== 'object') {
      out.push(`${rel}: jobs.${jobId}: must be a map`);
      continue;
    }
    for (const key of Object.keys(job)) if (!JOB_KEYS.has(key)) out.push(`${rel}: jobs.${jobId}: unknown key "${key}"`);
    if (job['runs-on'] === undefined && job.uses === undefined) out.push(`${rel}: jobs.${jobId}: "runs-on" is missing (the runner the job runs on)`);
    for (const need of [job.needs ?? []].flat()) if (!Object.hasOwn(wf.jobs, need)) out.push(`${rel}: jobs.${jobId}.needs: no job "${need}"`);
    (job.steps ?? []).forEach((step, i) => {
      const where = `${rel}: jobs.${jobId}.steps[${i}] (${stepName(step)})`;
      if (!step || typeof step !== 'object') return out.push(`${where}: must be a map`);
      for (const key of Object.keys(step)) if (!STEP_KEYS.has(key)) out.push(`${where}: unknown key "${key}"`);
      if ((step.uses === undefined) === (step.run === undefined)) out.push(`${where}: give exactly one of "uses" and "run"`);
    });
  }

  if (wf.permissions === undefined) out.push(`${rel}: no top-level "permissions": set the token's scopes (e.g. contents: read)`);
  let scripts = {};
  try {
    scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts ?? {};
  } catch {
    out.push(`${rel}: no readable package.json beside the workflow's repository`);
  }
  for (const [jobId, job] of Object.entries(wf.jobs ?? {})) {
    (job?.steps ?? []).forEach((step, i) => {
      const where = `${rel}: jobs.${jobId}.steps[${i}] (${stepName(step)})`;
      if (typeof step?.uses === 'string' && /^actions\//.test(step.uses) && !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(step.uses)) {
        out.push(`${where}: "${step.uses}" is not pinned to a major version (actions/<name>@v<major>)`);
      }
      if (typeof step?.run !== 'string') return;
      for (const name of npmScripts(step.run)) {
        if (!Object.hasOwn(scripts, name)) out.push(`${where}: npm script "${name}" does not exist`);
      }
    });
  }
  return out;
}

/** The npm scripts a shell snippet runs: `npm run <x>`, `npm run-script <x>`, `npm test`. */
function npmScripts(run) {
  const names = [];
  for (const line of run.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const re = /(?:^|[\s;&|(])npm\s+(run-script|run|rum|urn|test|t|tst)\b((?:\s+-[^\s]+)*)(?:\s+([^\s;&|>)<]+))?/g;
    for (const m of line.matchAll(re)) {
      if (['test', 't', 'tst'].includes(m[1])) names.push('test');
      else if (m[3] && !m[3].startsWith('-')) names.push(m[3].replace(/^["']|["']$/g, ''));
    }
  }
  return names;
}

function stepName(step) {
  if (step?.name) return String(step.name);
  if (step?.uses) return String(step.uses);
  if (typeof step?.run === 'string') return step.run.trim().split('\n')[0];
  return 'unnamed step';
}

const CONTEXT = {
  'github.event_name': 'push',
  'github.ref': 'refs/heads/main',
  'github.ref_name': 'main',
  'github.base_ref': 'main',
  'github.head_ref': '',
  'github.repository': 'local/cdk8s-fleet',
  'github.token': '',
  'github.event.pull_request.number': '0',
  'github.event.pull_request.head.repo.full_name': 'local/cdk8s-fleet',
  'runner.temp': '',
};

function expand(s, ctx, onUnknown) {
  return String(s).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (all, expr) => {
    if (Object.hasOwn(ctx, expr)) return ctx[expr];
    if (expr.startsWith('env.')) return ctx.__env[expr.slice(4)] ?? '';
    onUnknown(expr);
    return '';
  });
}

function readEnvFile(file) {
  const vars = {};
  if (!fs.existsSync(file)) return vars;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const body = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      vars[heredoc[1]] = body.join('\n');
    } else {
      const eq = lines[i].indexOf('=');
      if (eq > 0) vars[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return vars;
}

const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const problems = await lintWorkflow(repo, workflowRel);
  if (problems.length > 0) {
    for (const p of problems) console.error(p);
    process.exit(1);
  }
  if (opts.lint) {
    console.log(`${workflowRel}: lint ok`);
    return;
  }
  const wf = YAML.parse(fs.readFileSync(path.join(repo, workflowRel), 'utf8'));
  const jobIds = opts.job ?? Object.keys(wf.jobs).filter((id) => wf.jobs[id].if === undefined);
  for (const id of jobIds) {
    if (!wf.jobs[id]) {
      console.error(`run-workflow: ${workflowRel} has no job "${id}" (jobs: ${Object.keys(wf.jobs).join(', ')})`);
      process.exit(2);
    }
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-workflow-'));
  let failed = false;
  try {
    for (const id of jobIds) {
      if (!runJob(wf, id, path.join(tmp, id))) {
        failed = true;
        break;
      }
    }
  } finally {
    if (opts.keep) console.log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

/** Runs one job in a fresh clone; false at the first failing step (after printing the line naming it). */
function runJob(wf, jobId, dir) {
  const job = wf.jobs[jobId];
  const work = path.join(dir, 'repo');
  const temp = path.join(dir, 'runner-temp');
  fs.mkdirSync(temp, { recursive: true });
  const files = Object.fromEntries(['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map((k) => [k, path.join(dir, k.toLowerCase())]));
  for (const f of Object.values(files)) fs.writeFileSync(f, '');

  const t0 = Date.now();
  const clone = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', repo, work], { encoding: 'utf8' });
  if (clone.status !== 0) {
    console.error(`run-workflow: job ${jobId}: git clone of ${repo} failed: ${(clone.stderr || '').trim().split('\n').pop()}`);
    return false;
  }
  const head = spawnSync('git', ['-C', work, 'log', '-1', '--format=%h'], { encoding: 'utf8' }).stdout.trim();
  console.log(`job ${jobId}: fresh clone of ${repo} at ${head} (committed HEAD; uncommitted changes are not in it), ${fmt(Date.now() - t0)}`);

  const base = {
    ...process.env,
    ...(wf.env ?? {}),
    ...(job.env ?? {}),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: work,
    GITHUB_REPOSITORY: CONTEXT['github.repository'],
    GITHUB_EVENT_NAME: CONTEXT['github.event_name'],
    GITHUB_BASE_REF: CONTEXT['github.base_ref'],
    RUNNER_TEMP: temp,
    CRDS_MIRROR: crdsFrom,
    ...files,
  };
  const ctx = { ...CONTEXT, 'runner.temp': temp };
  const steps = job.steps ?? [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const name = stepName(step);
    const label = `${jobId} step ${i + 1}/${steps.length} "${name}"`;
    if (step.if !== undefined) {
      console.log(`${label}: skipped (if: ${step.if})`);
      continue;
    }
    if (step.uses) {
      const action = String(step.uses).split('@')[0];
      if (action === 'actions/checkout') console.log(`${label}: the fresh clone`);
      else if (action === 'actions/setup-node') {
        let wanted = step.with?.['node-version'];
        const file = step.with?.['node-version-file'];
        if (file) wanted = fs.existsSync(path.join(work, file)) ? fs.readFileSync(path.join(work, file), 'utf8').trim() : `${file} (missing)`;
        const major = process.versions.node.split('.')[0];
        const note = String(wanted ?? '').replace(/^v/, '').split('.')[0] === major ? '' : ` (the workflow asks for ${wanted})`;
        console.log(`${label}: this machine's node ${process.version}${note}`);
      } else console.log(`${label}: skipped (no local equivalent of ${step.uses})`);
      continue;
    }
    const unknown = [];
    const env = { ...base, ...readEnvFile(files.GITHUB_ENV) };
    ctx.__env = env;
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v, ctx, (e) => unknown.push(e));
    let script = expand(step.run, ctx, (e) => unknown.push(e));
    if (unknown.length > 0) {
      console.error(`run-workflow: ${label} uses \${{ ${unknown[0]} }}, which a local run cannot evaluate`);
      return false;
    }
    const extraPath = fs.readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean).reverse();
    if (extraPath.length > 0) env.PATH = [...extraPath, env.PATH].join(path.delimiter);
    // The CRD fetch: from the local mirror, never the network.
    if (/scripts\/fetch-crds\.mjs/.test(script)) {
      if (!script.includes('CRDS_MIRROR')) script = script.replace(/(node\s+scripts\/fetch-crds\.mjs)/g, `$1 --from ${JSON.stringify(crdsFrom)}`);
      if (!fs.existsSync(path.join(work, 'scripts', 'fetch-crds.mjs'))) script = copyCrds(crdsFrom);
    } else if (/crd/i.test(name) && /\b(curl|wget)\b/.test(script)) {
      script = copyCrds(crdsFrom);
    }
    const shell = step.shell ?? job.defaults?.run?.shell ?? wf.defaults?.run?.shell ?? 'bash';
    const cwd = path.join(work, step['working-directory'] ?? job.defaults?.run?.['working-directory'] ?? '.');
    const s0 = Date.now();
    console.log(`${label}: running`);
    const r = spawnSync(shell === 'bash' ? 'bash' : shell.split(' ')[0], shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script] : ['-c', script], {
      cwd,
      env,
      stdio: 'inherit',
    });
    const code = r.status ?? 1;
    console.log(`${label}: exit ${code}${r.signal ? ` (${r.signal})` : ''} in ${fmt(Date.now() - s0)}`);
    if (code !== 0) {
      console.error(`run-workflow: job ${jobId} failed at step ${i + 1} "${name}" (exit ${code})`);
      return false;
    }
  }
  console.log(`job ${jobId}: ${steps.length} steps passed in ${fmt(Date.now() - t0)}`);
  return true;
}

/** The stand-in for a CRD fetch step when the clone has no scripts/fetch-crds.mjs: copy the mirror. */
function copyCrds(from) {
  const q = JSON.stringify(from);
  return [
    `test -d ${q} || { echo "run-workflow: no CRD mirror at ${from} (--crds-from <dir>)" >&2; exit 1; }`,
    'CRDS_DIR="$RUNNER_TEMP/crds"',
    'mkdir -p "$CRDS_DIR"',
    `cp -R ${q}/. "$CRDS_DIR"/`,
    'echo "CRDS_DIR=$CRDS_DIR" >> "$GITHUB_ENV"',
    `echo "CRDs copied from ${from}"`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
