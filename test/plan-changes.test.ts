/** The diff's Application section: both sides planned, compared per cluster and Application. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applicationChangesMarkdown, comparePlans, planOfFiles } from '../render/diff/plan-changes.js';
import { fleetCopy, render, withSpec } from './support/fleet.js';

const before = planOfFiles(render());

describe('Application changes of a diff', () => {
  it('names a version pin change as the one Application it changes, on its cluster', () => {
    const spec = fleetCopy();
    const prod = spec.environments.find((e) => e.name === 'prod')!;
    (prod.addons as Record<string, unknown>)['cert-manager'] = { version: 'v1.16.1' };
    const after = planOfFiles(render(withSpec(spec)));
    const changes = comparePlans(before, after);
    assert.deepEqual(changes.map((c) => [c.change, c.cluster, c.application, c.before?.source, c.after?.source]), [
      ['changed', 'spoke-prod', 'cert-manager-spoke-prod', 'cert-manager@v1.15.3', 'cert-manager@v1.16.1'],
    ]);
    const md = applicationChangesMarkdown(changes, after);
    assert.match(md, /\| spoke-prod \| `cert-manager-spoke-prod` \| `cert-manager@v1\.15\.3` → `cert-manager@v1\.16\.1` \|/);
  });

  it('lists an app that starts running in prod as added on each prod spoke, and nothing else', () => {
    const spec = fleetCopy();
    const ui = spec.teams![0].apps.find((a) => a.name === 'ui')!;
    (ui.environments as Record<string, unknown>).prod = {};
    const changes = comparePlans(before, planOfFiles(render(withSpec(spec))));
    assert.deepEqual(changes.map((c) => `${c.change} ${c.cluster} ${c.application} ${c.after?.source}`), ['added spoke-prod webstore-ui-spoke-prod dist/apps/webstore/ui/prod@main']);
  });

  it('lists the Applications of a disabled add-on as removed', () => {
    const spec = fleetCopy();
    (spec.clusters.find((c) => c.name === 'spoke-prod')!.addons as Record<string, unknown>).velero = false;
    const changes = comparePlans(before, planOfFiles(render(withSpec(spec))));
    assert.deepEqual(changes.map((c) => `${c.change} ${c.application}`), ['removed velero-spoke-prod']);
  });

  it('says nothing when the Applications are the same, and warns first when Argo CD would fail', () => {
    assert.equal(applicationChangesMarkdown([], before), '');
    const broken = { ...before, problems: [{ file: 'hub/argocd/addons/x.yaml', object: 'ApplicationSet/addon-x', message: 'spec.generators[0]: selector matches no cluster' }] };
    const md = applicationChangesMarkdown([], broken);
    assert.match(md, /^> \[!WARNING\]\n> Argo CD would fail on 1 problem of this change/);
  });

  it('keeps the table to its row limit and says how many more', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ change: 'removed' as const, cluster: 'c', application: `a${i}`, before: before.entries[0] }));
    const md = applicationChangesMarkdown(many, before, 10);
    assert.equal(md.split('\n').filter((l) => l.startsWith('| c |')).length, 10);
    assert.match(md, /…and 40 more/);
  });
});
