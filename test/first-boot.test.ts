/**
 * Issue #15 part 1: does a fresh fleet converge? A model of Argo CD's sync rules (see the header of
 * `test/support/argocd-sim/simulator.ts` for what is modelled, from which Argo CD source files, and what is
 * simplified) runs over the rendered dist/: Argo CD installed by hand on the hub without our argocd-cm
 * health checks, `hub/bootstrap/root-app.yaml` applied at t=0. Every scenario must converge (every
 * Application Synced and Healthy) without any Application stalling (retries exhausted on a revision).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fleetCopy, render, withSpec } from './support/fleet.js';
import { FleetSimulator, PLAUSIBLE, SimResult, Timings } from './support/argocd-sim/simulator.js';

const files = render();

function boot(timings: Timings, f: Map<string, string> = files): SimResult {
  const sim = new FleetSimulator(f, timings);
  sim.boot();
  return sim.run();
}

function summary(name: string, r: SimResult): string {
  const lines = [`== ${name}: ${r.convergedAt === undefined ? 'NOT converged' : `converged at t=${r.convergedAt}s`}`];
  const failed = r.apps.filter((a) => a.failedAttempts > 0);
  if (failed.length) {
    lines.push('  failed sync attempts (app | failed attempts | first failure):');
    for (const a of failed) lines.push(`    ${a.app} | ${a.failedAttempts} | t=${a.firstFailureAt}s ${a.firstCause}`);
  }
  for (const s of r.stalls) lines.push(`  STALL ${s.app}: ${s.cause}`);
  if (r.convergedAt === undefined) {
    for (const a of r.apps.filter((x) => x.sync !== 'Synced' || x.health !== 'Healthy')) lines.push(`  not converged: ${a.app} ${a.sync}/${a.health}${a.why ? ` (${a.why})` : ''}`);
  }
  return lines.join('\n');
}

function check(name: string, r: SimResult): void {
  console.log(summary(name, r));
  assert.deepEqual(r.stalls.map((s) => `${s.app}: ${s.cause}`), [], `${name}: Applications stall`);
  assert.notEqual(r.convergedAt, undefined, `${name}: the fleet does not converge within ${PLAUSIBLE.horizon}s`);
}

const SLOW_PROVIDERS: Timings = { ...PLAUSIBLE, providerInstall: 300 };
const LATE_ESO: Timings = { ...PLAUSIBLE, crdDelay: { 'external-secrets': 300 } };

test('first boot converges with plausible timings', () => check('plausible timings', boot(PLAUSIBLE)));

test('first boot converges with slow Crossplane providers (5 min)', () => check('slow providers', boot(SLOW_PROVIDERS)));

test('first boot converges when the external-secrets CRDs arrive 5 minutes late', () => check('external-secrets CRDs late', boot(LATE_ESO)));

test('a spoke added to a converged fleet converges', () => {
  const sim = new FleetSimulator(files, PLAUSIBLE);
  sim.boot();
  const first = sim.run();
  const spec = fleetCopy();
  const staging = spec.clusters.find((c) => c.name === 'spoke-staging')!;
  spec.clusters.push({ ...structuredClone(staging), name: 'spoke-staging-2', endpoint: 'https://2C3D4E5F60718293A4B5C6D7E8F90A1B.gr7.us-west-2.eks.amazonaws.com' } as never);
  sim.commit(render(withSpec(spec)));
  const r = sim.run();
  check(`spoke added (after the first boot ${first.convergedAt === undefined ? 'did not converge' : `converged at t=${first.convergedAt}s`})`, r);
});

test('the simulation is deterministic and fast', () => {
  const start = Date.now();
  const a = boot(PLAUSIBLE);
  const b = boot(PLAUSIBLE);
  assert.deepEqual(a, b);
  assert.ok(Date.now() - start < 10_000, 'two runs within 10 s');
});
