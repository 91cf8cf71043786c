/** The diff's Application section: both sides planned, compared per cluster and Application. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applicationChangesMarkdown, comparePlans, PLANNED_FILE, planOfFiles } from '../render/diff/plan-changes.js';
import { isPlanInput, planFleet } from '../render/plan/plan.js';
import { fleetOutputs } from '../charts/outputs/fleet-outputs.js';
import { renderTree } from '../render/render.js';
import { fleetCopy, render, withSpec } from './support/fleet.js';
import { ADDON_CATALOG } from '../charts/index.js';

const before = planOfFiles(render());
/** The catalog with one add-on uninstalled when disabled. */
const uninstalling = (name: string) => ADDON_CATALOG.map((a) => (a.name === name ? { ...a, onDisable: 'uninstall' as const } : a));

describe('Application changes of a diff', () => {
  it('names a version pin change as the one Application it changes, on its cluster', () => {
    const spec = fleetCopy();
    const prod = spec.environments.find((e) => e.name === 'prod')!;
    // Prod's pin (v1.20.3) moved to what staging runs, as `npm run promote -- addon:cert-manager staging prod` would.
    (prod.addons as Record<string, unknown>)['cert-manager'] = { version: 'v1.21.1' };
    const after = planOfFiles(render(withSpec(spec)));
    const changes = comparePlans(before, after);
    assert.deepEqual(changes.map((c) => [c.change, c.cluster, c.application, c.before?.source, c.after?.source]), [
      ['changed', 'spoke-prod', 'cert-manager-spoke-prod', 'cert-manager@v1.20.3', 'cert-manager@v1.21.1'],
    ]);
    const md = applicationChangesMarkdown(changes, after);
    assert.match(md, /\| spoke-prod \| `cert-manager-spoke-prod` \| `cert-manager@v1\.20\.3` → `cert-manager@v1\.21\.1` \|/);
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
    const after = planOfFiles(render(withSpec(spec)));
    const changes = comparePlans(before, after);
    assert.deepEqual(changes.map((c) => `${c.change} ${c.application}`), ['removed velero-spoke-prod']);
    assert.deepEqual(changes[0].removal, { outcome: 'orphan', clusterRemoved: false });
    const md = applicationChangesMarkdown(changes, after);
    assert.match(md, /^> \[!NOTE\]\n> 1 removed Application is orphaned: its resources keep running, no longer managed by Argo CD: `velero-spoke-prod` on spoke-prod\./);
    assert.doesNotMatch(md, /CAUTION|uninstalled\*\*/);
    assert.match(md, /\*\*Argo CD Applications: 0 added, 1 removed \(0 uninstalled, 1 orphaned\), 0 changed\*\*/);
    assert.match(md, /\| spoke-prod \| `velero-spoke-prod` \| removed \(was `velero@[^`]+`\): orphaned: its resources keep running on the cluster, unmanaged \|/);
  });

  it('warns first that an add-on whose onDisable is uninstall will be uninstalled, per cluster', () => {
    const catalog = uninstalling('velero');
    const base = planOfFiles(render(undefined, catalog));
    const spec = fleetCopy();
    (spec.clusters.find((c) => c.name === 'spoke-prod')!.addons as Record<string, unknown>).velero = false;
    const after = planOfFiles(render(withSpec(spec), catalog));
    const changes = comparePlans(base, after);
    assert.deepEqual(changes.map((c) => [c.change, c.application, c.removal?.outcome]), [['removed', 'velero-spoke-prod', 'uninstall']]);
    const md = applicationChangesMarkdown(changes, after);
    assert.match(md, /^> \[!CAUTION\]\n> \*\*1 Application will be uninstalled\*\*: Argo CD deletes its resources on the cluster \(CRDs stay\): `velero-spoke-prod` on spoke-prod\./);
    assert.match(md, /\| spoke-prod \| `velero-spoke-prod` \| removed \(was `velero@[^`]+`\): ⚠️ \*\*uninstalled\*\*: Argo CD deletes its resources on the cluster \(not CRDs\) \|/);
  });

  it('judges a removal by the live Application: switching to orphan and disabling in one change still uninstalls', () => {
    const base = planOfFiles(render(undefined, uninstalling('velero')));
    const spec = fleetCopy();
    (spec.clusters.find((c) => c.name === 'spoke-prod')!.addons as Record<string, unknown>).velero = false;
    const changes = comparePlans(base, planOfFiles(render(withSpec(spec))));
    assert.equal(changes[0].removal?.outcome, 'uninstall');
  });

  it('lists a changed onDisable as a change of every Application of the add-on', () => {
    const after = planOfFiles(render(undefined, uninstalling('kyverno')));
    const changes = comparePlans(before, after);
    assert.deepEqual(changes.map((c) => `${c.change} ${c.application}`), ['changed kyverno-spoke-prod', 'changed kyverno-spoke-staging']);
    assert.match(applicationChangesMarkdown(changes, after), /\| spoke-prod \| `kyverno-spoke-prod` \| if removed: orphan → \*\*uninstall\*\* \|/);
  });

  it("orphans every Application of a removed cluster Secret, whatever its finalizer: Argo CD drops it for a destination it no longer knows", () => {
    const base = planOfFiles(render(undefined, uninstalling('kyverno')));
    const after = { ...base, entries: base.entries.filter((e) => e.cluster !== 'spoke-staging'), clusters: base.clusters.filter((c) => c.name !== 'spoke-staging') };
    const changes = comparePlans(base, after);
    assert.ok(changes.length > 1);
    for (const c of changes) assert.deepEqual([c.change, c.cluster, c.removal], ['removed', 'spoke-staging', { outcome: 'orphan', clusterRemoved: true }]);
    const kyverno = changes.find((c) => c.application === 'kyverno-spoke-staging')!;
    assert.equal(kyverno.before!.onRemoval, 'uninstall');
    assert.match(applicationChangesMarkdown(changes, after), /`kyverno-spoke-staging` \| removed \(was `kyverno@[^`]+`\): orphaned: its cluster Secret goes too, so Argo CD deletes nothing there/);
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

describe('what the plan reads (the diff skips the second plan when none of it changed)', () => {
  const objectsOf = (source = withSpec(fleetCopy())) => renderTree(fleetOutputs(source)).objects;

  it('isPlanInput keeps every object the plan depends on: the plan of those alone is the plan of all', () => {
    const all = objectsOf();
    const inputs = new Map([...all].map(([file, docs]) => [file, docs.filter(isPlanInput)]));
    assert.deepEqual(planFleet(inputs), planFleet(all));
    const kinds = new Set([...inputs.values()].flat().map((o: any) => o.kind));
    // Cluster Secrets, and the repository credentials as ExternalSecrets: every kind the plan reads is there.
    for (const kind of ['ApplicationSet', 'Application', 'AppProject', 'Secret', 'ExternalSecret']) assert.ok(kinds.has(kind), `the example has plan inputs of kind ${kind}`);
  });

  it('every plan input of the example is in a file the diff plans from (hub/)', () => {
    for (const [file, docs] of objectsOf()) if (docs.some(isPlanInput)) assert.match(file, PLANNED_FILE, file);
  });

  it('an object that is not a plan input changes nothing in the plan', () => {
    const spec = fleetCopy();
    const app = spec.teams![0].apps[0] as any;
    app.environments.prod.images = [{ ...app.environments.prod.images[0], newTag: 'v8.8' }];
    const changed = render(withSpec(spec));
    const base = render();
    const differing = [...changed.keys()].filter((f) => changed.get(f) !== base.get(f));
    assert.ok(differing.length > 0 && differing.every((f) => !PLANNED_FILE.test(f)), differing.join(', '));
    assert.deepEqual(comparePlans(planOfFiles(base), planOfFiles(changed)), []);
  });
});
