/**
 * The observability, cost, security and scheduling add-ons of the catalog (kube-state-metrics,
 * prometheus-adapter, adot-collector, policy-reporter, descheduler, opencost, trivy-operator,
 * argocd-image-updater): pins newest first and covering the listed Kubernetes minors, one minor per pin
 * where upstream supports one minor per release, every values key in the chart's values at every
 * pinned version, the Prometheus they read being kube-prometheus-stack's, and their IAM.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addonVersionFor, LISTED_KUBERNETES_MINORS, minorNumber } from '../charts/model/addon-versions.js';
import { ClusterTemplate } from '../charts/model/contract.js';
import { adotCollectorPermissions } from '../charts/iam/permissions/adot-collector.js';
import { trivyOperatorPermissions } from '../charts/iam/permissions/trivy-operator.js';
import { catalogEntry as entry, newer } from './support/catalog.js';

const NAMES = [
  'adot-collector',
  'argocd-image-updater',
  'descheduler',
  'kube-state-metrics',
  'opencost',
  'policy-reporter',
  'prometheus-adapter',
  'trivy-operator',
];
/** Upstream states one Kubernetes minor per release: one pin per minor. */
const PER_MINOR = ['descheduler', 'kube-state-metrics'];




describe('observability and security add-ons of the catalog', () => {
  it('has each, version = newest pin, pins newest first, each naming the Chart.yaml of its version', () => {
    for (const name of NAMES) {
      const a = entry(name);
      const pins = a.pins ?? [];
      assert.ok(pins.length > 0, `${name}: pinned`);
      assert.equal(a.version, pins[0].version, `${name}: version is the newest pin`);
      pins.slice(1).forEach((p, i) => assert.ok(newer(pins[i].version, p.version), `${name}: ${pins[i].version} before ${p.version}`));
      for (const p of pins) {
        assert.match(p.checkedAgainst, /^[\w.-]+\/[\w.-]+@[\w.-]+:[\w./-]*Chart\.yaml(; [\w.-]+\/[\w.-]+@[\w.-]+:[\w./-]+)?$/, `${name}@${p.version}`);
        // The release: by chart version, or by app version where the chart lives in the project's repository and
        // its tags are the app's (trivy-operator: chart 0.34.0 is deploy/helm/Chart.yaml at tag v0.32.0).
        const tag = /@([\w.-]+):/.exec(p.checkedAgainst)?.[1] ?? '';
        const named = tag.includes(p.version) || (p.appVersion !== undefined && tag.replace(/^v/, '') === p.appVersion.replace(/^v/, ''));
        assert.ok(named, `${name}@${p.version}: checkedAgainst names the release`);
        // No range: upstream states none (the chart has no kubeVersion, the project's documentation no range).
        if (p.kubernetes?.max !== undefined) assert.ok(minorNumber(p.kubernetes.min)! <= minorNumber(p.kubernetes.max)!, `${name}@${p.version}: min <= max`);
      }
      for (const minor of LISTED_KUBERNETES_MINORS) assert.ok(addonVersionFor(a, minor), `${name}: some pin supports Kubernetes ${minor}`);
    }
  });

  it('pins one Kubernetes minor per release where upstream supports one, without overlap', () => {
    for (const name of PER_MINOR) {
      const pins = entry(name).pins ?? [];
      const minors = pins.map((p) => {
        assert.equal(p.kubernetes!.max, p.kubernetes!.min, `${name}@${p.version}: one minor`);
        return p.kubernetes!.min;
      });
      assert.equal(new Set(minors).size, minors.length, `${name}: no minor pinned twice`);
      for (let i = 1; i < minors.length; i++) assert.equal(minorNumber(minors[i - 1])! - minorNumber(minors[i])!, 1, `${name}: consecutive minors`);
      for (const minor of LISTED_KUBERNETES_MINORS) assert.equal(pins.filter((p) => p.kubernetes!.min === minor).length, 1, `${name}: exactly one pin for ${minor}`);
    }
    // The descheduler's minor is the Kubernetes minor (its compatibility matrix).
    for (const p of entry('descheduler').pins ?? []) assert.equal(p.kubernetes!.min, `1.${p.version.split('.')[1]}`);
  });

  // Every values key against the chart at every pin: test/chart-values-keys.test.ts, for every add-on.

  it('points prometheus-adapter and opencost at the Prometheus of kube-prometheus-stack, which they depend on', () => {
    const kps = entry('kube-prometheus-stack');
    const service = `${kps.releaseName ?? kps.name}-prometheus`;
    const adapter = entry('prometheus-adapter');
    assert.deepEqual(adapter.values?.prometheus, { url: `http://${service}.${kps.namespace}.svc`, port: 9090 });
    const opencost = entry('opencost');
    assert.deepEqual((opencost.values?.opencost as { prometheus: unknown }).prometheus, { internal: { serviceName: service, namespaceName: kps.namespace, port: 9090 } });
    for (const a of [adapter, opencost]) assert.deepEqual(a.dependsOn, ['kube-prometheus-stack']);
    assert.deepEqual(entry('policy-reporter').dependsOn, ['kyverno']);
    assert.deepEqual(entry('argocd-image-updater').dependsOn, ['argo-cd']);
    assert.equal(entry('argocd-image-updater').placement, 'hub');
  });

  it('gives the add-ons that call AWS a role, its service account in values, and managed policies', () => {
    const ctx = { accountId: '111122223333', region: 'us-west-2', clusterName: 'spoke' };
    const builders: Record<string, typeof adotCollectorPermissions> = { 'adot-collector': adotCollectorPermissions, 'trivy-operator': trivyOperatorPermissions };
    assert.deepEqual(NAMES.filter((n) => entry(n).iamRole), Object.keys(builders));
    for (const [name, build] of Object.entries(builders)) {
      const a = entry(name);
      const perms = build(ctx);
      assert.deepEqual(perms.managedPolicyArns, [...perms.managedPolicyArns].sort());
      for (const arn of perms.managedPolicyArns) assert.match(arn, /^arn:aws:iam::aws:policy\/[A-Za-z0-9]+$/);
      const t = new ClusterTemplate({ identities: ['irsa'] });
      assert.ok(JSON.stringify(a.clusterValues?.(t, a)).includes(`{{.metadata.annotations.${name.replace(/-/g, '_')}_iam_role_arn}}`), `${name}: role on its service account`);
    }
  });

  it('asks the IaC for the AMP remote write URL of adot-collector, and reads it', () => {
    const a = entry('adot-collector');
    const [fact] = a.facts ?? [];
    assert.equal(fact.key, 'adot_collector_amp_remote_write_url');
    const pattern = new RegExp(`^(?:${fact.pattern})$`);
    assert.ok(pattern.test('https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1a2b3c4d-5678-90ab-cdef-1234567890ab/api/v1/remote_write'));
    assert.ok(!pattern.test('https://example.com/api/v1/remote_write'));
    const t = new ClusterTemplate();
    a.clusterValues?.(t, a);
    assert.ok(t.annotationsRead.has(fact.key));
    assert.ok(a.deprecated, 'upstream deprecated the chart');
  });
});
