/**
 * Rendering an app: bad input (an overlay kustomize refuses, construct props) is a problem with file
 * and field; any other error is a bug and reaches the user as one, never as a problem of their input.
 */
import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADDON_CATALOG, AppSpec, resolveFleet, WebService } from '../charts/index.js';
import { renderAppManifests } from '../charts/outputs/app-manifests.js';
import { runCli } from '../render/cli.js';
import { reportFailure } from '../render/cli-failure.js';
import { fleetCopy, Mutable, withSpec } from './support/fleet.js';

const TEAMS = 'environments/teams.ts';

/** The example fleet with its `ui` app (teams[0].apps[2]) replaced. */
function withUi(ui: AppSpec) {
  const spec = fleetCopy();
  const apps = spec.teams![0].apps as Mutable<AppSpec>[];
  apps[apps.findIndex((a) => a.name === 'ui')] = ui as Mutable<AppSpec>;
  return spec;
}

const chartApp = (chart: AppSpec['chart'], environments: AppSpec['environments'] = { staging: {} }): AppSpec => ({ name: 'ui', chart, environments });

/** Renders the ui app of a fleet on its own. */
function renderUi(spec: ReturnType<typeof withUi>) {
  const team = resolveFleet(spec, ADDON_CATALOG).teams[0];
  const ui = team.apps.find((a) => a.name === 'ui')!;
  return renderAppManifests(team, ui, 'teams[0].apps[2]', TEAMS);
}

/** Runs synth in-process into a folder that is never written, returning exit code and stderr. */
function synth(t: TestContext, spec: ReturnType<typeof withUi>) {
  const err: string[] = [];
  t.mock.method(console, 'log', () => {});
  t.mock.method(console, 'error', (m: string) => err.push(String(m)));
  try {
    const code = runCli(['synth', '--out', path.join(os.tmpdir(), `fleet-never-written-${process.pid}`)], withSpec(spec), { catalog: ADDON_CATALOG });
    return { code, stderr: err.join('\n') };
  } finally {
    t.mock.restoreAll();
  }
}

const buggyChart = chartApp(() => {
  const missing: any = undefined;
  missing.spec.replicas = 1;
});

describe('app manifests: input problems and bugs', () => {
  it('an overlay kustomize refuses is a problem with file and field', () => {
    const spec = withUi(chartApp((scope) => new WebService(scope, 'ui', { image: { repository: 'public.ecr.aws/acme/ui', tag: 'v1' } }), {
      staging: { patches: [{ target: { kind: 'Deployment', name: 'ui' }, patch: [{ op: 'remove', path: '/spec/nothing' }] }] },
    }));
    const r = renderUi(spec);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].file, TEAMS);
    assert.equal(r.problems[0].path, 'teams[0].apps[2].environments.staging');
    assert.match(r.problems[0].message, /^patches\[0\] on .*Deployment.*ui.*: JSON patch remove: \/spec\/nothing does not exist in the document/);
  });

  it('props a construct refuses inside a chart function are a problem with file and field', () => {
    const spec = withUi(chartApp((scope) => new WebService(scope, 'ui', { image: { repository: 'public.ecr.aws/acme/ui', tag: 'v1' }, replicas: -1 })));
    const r = renderUi(spec);
    assert.deepEqual(r.problems.map((p) => [p.file, p.path]), [[TEAMS, 'teams[0].apps[2]']]);
    assert.match(r.problems[0].message, /replicas: must be a whole number >= 0, got -1/);
  });

  it('a TypeError while building an app is thrown, not turned into a problem', () => {
    assert.throws(() => renderUi(withUi(buggyChart)), TypeError);
  });

  it('synth reports a TypeError as a bug in cdk8s-fleet, not as a problem of the input', (t) => {
    const r = synth(t, withUi(buggyChart));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^cdk8s-fleet: bug: TypeError: Cannot read properties of undefined/);
    assert.match(r.stderr, /This is a bug in cdk8s-fleet .*not a problem with the fleet input/);
    assert.match(r.stderr, /\(set DEBUG=1 for a stack trace\)\nNothing was written\.$/);
    assert.doesNotMatch(r.stderr, /problems? in the fleet input/);
    assert.doesNotMatch(r.stderr, /teams\[0\]\.apps\[2\]/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace without DEBUG');
  });

  it('synth still reports a bad overlay as a problem with file and field', (t) => {
    const spec = withUi(chartApp((scope) => new WebService(scope, 'ui', { image: { repository: 'public.ecr.aws/acme/ui', tag: 'v1' } }), {
      staging: { replicas: [{ name: 'no-such-deployment', count: 1 }] },
    }));
    const r = synth(t, spec);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^cdk8s-fleet: 1 problem in the fleet input:\n {2}environments\/teams\.ts: teams\[0\]\.apps\[2\]\.environments\.staging: replicas\[0\]: no Deployment/);
    assert.doesNotMatch(r.stderr, /bug/);
  });
});

describe('reportFailure', () => {
  const report = (t: TestContext, e: unknown, debug: boolean) => {
    const err: string[] = [];
    const saved = process.env.DEBUG;
    if (debug) process.env.DEBUG = '1';
    else delete process.env.DEBUG;
    t.mock.method(console, 'error', (m: string) => err.push(String(m)));
    try {
      return { code: reportFailure(e, 'usage', 'Nothing was written.'), stderr: err.join('\n') };
    } finally {
      t.mock.restoreAll();
      if (saved === undefined) delete process.env.DEBUG;
      else process.env.DEBUG = saved;
    }
  };

  it('says a bug is a bug, and shows its stack with DEBUG=1', (t) => {
    const e = new TypeError('x is undefined');
    const quiet = report(t, e, false);
    assert.equal(quiet.code, 1);
    assert.equal(quiet.stderr, [
      'cdk8s-fleet: bug: TypeError: x is undefined',
      'This is a bug in cdk8s-fleet (or in code the fleet hands it, such as an app\'s chart function), not a problem with the fleet input; please report it with the stack trace (set DEBUG=1 for a stack trace)',
      'Nothing was written.',
    ].join('\n'));
    assert.doesNotMatch(quiet.stderr, /\n\s+at /);
    const loud = report(t, e, true);
    assert.ok(loud.stderr.includes(e.stack!), loud.stderr);
  });

  it('an operating-system error is not called a bug', (t) => {
    const e = Object.assign(new Error('EACCES: permission denied, mkdir \'dist\''), { code: 'EACCES', syscall: 'mkdir' });
    const r = report(t, e, false);
    assert.equal(r.stderr, 'cdk8s-fleet: EACCES: permission denied, mkdir \'dist\'\nNothing was written. (set DEBUG=1 for a stack trace)');
  });
});
