import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AddonAnnotation, ClusterAnnotation, clusterAnnotations, ClusterLabel, clusterLabels, ClusterTemplate, enableLabel } from '../charts/index.js';
import { SelectorError, selectorMatches } from '../engines/applicationset/selector.js';
import { requiredAddonAnnotations } from '../charts/model/cluster-metadata.js';
import { fleetCopy, objects, render, resolved } from './support/fleet.js';

const fleet = resolved();
const files = render();
const all = objects(files);
const secrets = all.filter((o) => o.obj.kind === 'Secret' && o.obj.metadata.labels['argocd.argoproj.io/secret-type'] === 'cluster').map((o) => o.obj);
const appsets = all.filter((o) => o.obj.kind === 'ApplicationSet').map((o) => o.obj);

/**
 * The clusters generators of an ApplicationSet, whether plain, inside a merge, or inside a matrix after
 * a list generator (one per list element, its `{{.key}}` references filled in, as Argo CD does).
 */
function clusterGenerators(appset: any): any[] {
  return appset.spec.generators.flatMap((g: any) => {
    if (g.merge) return g.merge.generators.map((x: any) => x.clusters).filter(Boolean);
    if (g.matrix) {
      const [list, clusters] = g.matrix.generators;
      return list.list.elements.map((el: Record<string, string>) =>
        JSON.parse(JSON.stringify(clusters.clusters).replace(/\{\{\.(\w+)\}\}/g, (_m: string, k: string) => el[k])),
      );
    }
    return g.clusters ? [g.clusters] : [];
  });
}

/** Every `.metadata.annotations.<key>` and `.metadata.labels.<key>` a template reads. */
function keysRead(template: unknown, what: 'annotations' | 'labels'): Set<string> {
  const re = new RegExp(`\\.metadata\\.${what}\\.([a-z0-9_]+)`, 'g');
  return new Set([...JSON.stringify(template).matchAll(re)].map((m) => m[1]));
}

describe('GitOps Bridge contract on cluster Secrets', () => {
  it('writes one cluster Secret per cluster, credential-free', () => {
    assert.deepEqual(secrets.map((s) => s.stringData.name).sort(), ['hub', 'spoke-prod', 'spoke-staging']);
    for (const s of secrets) {
      assert.equal(s.data, undefined);
      const config = JSON.parse(s.stringData.config);
      assert.deepEqual(Object.keys(config).filter((k) => !['awsAuthConfig', 'tlsClientConfig'].includes(k)), []);
      assert.equal(config.bearerToken, undefined);
      assert.equal(config.tlsClientConfig.keyData, undefined);
    }
  });

  it('gives spokes awsAuthConfig {clusterName, roleARN} and their endpoint; the hub is in-cluster', () => {
    const prod = secrets.find((s) => s.stringData.name === 'spoke-prod')!;
    assert.deepEqual(JSON.parse(prod.stringData.config).awsAuthConfig, {
      clusterName: 'spoke-prod',
      roleARN: 'arn:aws:iam::444455556666:role/spoke-prod-argocd-spoke',
    });
    assert.match(prod.stringData.server, /^https:\/\/.*\.eks\.amazonaws\.com$/);
    const hub = secrets.find((s) => s.stringData.name === 'hub')!;
    assert.equal(hub.stringData.server, 'https://kubernetes.default.svc');
    assert.equal(JSON.parse(hub.stringData.config).awsAuthConfig, undefined);
  });

  it('gives each spoke its cluster CA as tlsClientConfig.caData (public data, a PEM certificate), never insecure, never key material', () => {
    const spec = fleetCopy();
    for (const name of ['spoke-staging', 'spoke-prod']) {
      const secret = secrets.find((s) => s.stringData.name === name)!;
      const tls = JSON.parse(secret.stringData.config).tlsClientConfig;
      assert.deepEqual(tls, { insecure: false, caData: spec.clusters.find((c) => c.name === name)!.caData });
      const pem = Buffer.from(tls.caData as string, 'base64').toString();
      assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    }
    const hub = secrets.find((s) => s.stringData.name === 'hub')!;
    assert.deepEqual(JSON.parse(hub.stringData.config).tlsClientConfig, { insecure: false });
    for (const s of secrets) assert.doesNotMatch(Buffer.from(JSON.parse(s.stringData.config).tlsClientConfig.caData ?? '', 'base64').toString(), /PRIVATE KEY/);
  });

  it('a cluster can switch off an add-on its environment enables', () => {
    const spec = fleetCopy();
    spec.clusters[1].addons = { ...spec.clusters[1].addons, keda: false };
    const staging = resolved(spec).clusters.find((c) => c.name === 'spoke-staging')!;
    assert.equal(clusterLabels(staging).enable_keda, undefined);
    assert.equal(clusterAnnotations(resolved(spec), staging).keda_namespace, undefined);
  });

  it('labels each cluster with environment, fleet_member, tenant, cluster_name, kubernetes_version, workloads and enable_<addon>', () => {
    const staging = fleet.clusters.find((c) => c.name === 'spoke-staging')!;
    const labels = clusterLabels(staging);
    assert.equal(labels[ClusterLabel.environment], 'staging');
    assert.equal(labels[ClusterLabel.fleetMember], 'spoke');
    assert.equal(labels[ClusterLabel.tenant], 'tenant1');
    assert.equal(labels[ClusterLabel.clusterName], 'spoke-staging');
    assert.equal(labels[ClusterLabel.kubernetesVersion], '1.34');
    assert.equal(labels[ClusterLabel.workloads], 'true');
    assert.equal(labels[enableLabel('aws-load-balancer-controller')], 'true');
    assert.equal(labels.enable_velero, undefined, 'velero runs in prod only');
    assert.equal(clusterLabels(fleet.hub)[ClusterLabel.workloads], 'false');
  });

  it('annotates each cluster with AWS facts, repo coordinates and per-add-on IAM role, namespace, service account', () => {
    const staging = fleet.clusters.find((c) => c.name === 'spoke-staging')!;
    const a = clusterAnnotations(fleet, staging);
    assert.equal(a[ClusterAnnotation.awsClusterName], 'spoke-staging');
    assert.equal(a[ClusterAnnotation.awsAccountId], '444455556666');
    assert.equal(a[ClusterAnnotation.awsRegion], 'us-west-2');
    assert.equal(a[ClusterAnnotation.addonsRepoBasepath], 'dist/');
    assert.match(a[ClusterAnnotation.addonsRepoBasepath], /(^$|\/$)/);
    assert.equal(a[AddonAnnotation.iamRoleArn('aws-load-balancer-controller')], 'arn:aws:iam::444455556666:role/spoke-staging-aws-load-balancer-controller');
    assert.equal(a[AddonAnnotation.namespace('karpenter')], 'karpenter');
    assert.equal(a[AddonAnnotation.serviceAccount('karpenter')], 'karpenter');
    assert.equal(a[AddonAnnotation.iamRoleArn('velero')], undefined);
  });

  it('the rendered Secret carries exactly the contract functions output', () => {
    for (const cluster of fleet.clusters) {
      const s = secrets.find((x) => x.stringData.name === cluster.name)!;
      assert.deepEqual(s.metadata.annotations, clusterAnnotations(fleet, cluster));
      for (const [k, v] of Object.entries(clusterLabels(cluster))) assert.equal(s.metadata.labels[k], v);
    }
  });

  it('records what a template reads', () => {
    const t = new ClusterTemplate();
    assert.equal(t.annotation('aws_region'), '{{.metadata.annotations.aws_region}}');
    assert.equal(t.label('environment'), '{{.metadata.labels.environment}}');
    assert.deepEqual([...t.annotationsRead], ['aws_region']);
    assert.throws(() => t.annotation('aws-region'), /not snake_case/);
  });
});

describe('ApplicationSets and cluster Secrets agree', () => {
  const labelsOf = (s: any) => s.metadata.labels as Record<string, string>;

  it('every label an ApplicationSet selects on is produced for some cluster, and every selector matches a cluster', () => {
    for (const appset of appsets) {
      for (const g of clusterGenerators(appset)) {
        const matched = secrets.filter((s) => selectorMatches(g.selector, labelsOf(s)));
        assert.ok(matched.length > 0, `${appset.metadata.name}: selector ${JSON.stringify(g.selector)} matches no cluster`);
      }
    }
  });

  it('every annotation and label a template reads is present on every cluster it selects', () => {
    for (const appset of appsets) {
      const selected = secrets.filter((s) => clusterGenerators(appset).some((g) => selectorMatches(g.selector, labelsOf(s))));
      for (const s of selected) {
        for (const key of keysRead(appset.spec.template, 'annotations')) {
          assert.ok(key in s.metadata.annotations, `${appset.metadata.name} reads annotation ${key}, missing on cluster ${s.stringData.name}`);
        }
        for (const key of keysRead(appset.spec.template, 'labels')) {
          assert.ok(key in s.metadata.labels, `${appset.metadata.name} reads label ${key}, missing on cluster ${s.stringData.name}`);
        }
      }
    }
  });

  it('the keys a catalog template reads are what the contract says it requires', () => {
    const certManager = fleet.catalog.find((a) => a.name === 'cert-manager')!;
    assert.deepEqual(requiredAddonAnnotations(certManager), ['cert_manager_iam_role_arn', 'cert_manager_namespace', 'cert_manager_service_account']);
  });

  it('selectors follow Kubernetes semantics', () => {
    const labels = { environment: 'prod', enable_x: 'true' };
    assert.equal(selectorMatches(undefined, labels), true);
    assert.equal(selectorMatches({}, labels), true);
    assert.equal(selectorMatches({ matchLabels: { environment: 'prod' } }, labels), true);
    assert.equal(selectorMatches({ matchLabels: { environment: 'staging' } }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'environment', operator: 'In', values: ['staging', 'prod'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['prod'] }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'enable_y', operator: 'DoesNotExist' }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'enable_y', operator: 'Exists' }] }, labels), false);
    // What Argo CD rejects is an error, not a selector that matches nothing.
    assert.throws(() => selectorMatches({ matchExpressions: [{ key: 'environment', operator: 'In', values: [] }] }, labels), SelectorError);
    assert.throws(() => selectorMatches({ matchExpressions: [{ key: 'environment', operator: 'Equals', values: ['prod'] }] }, labels), SelectorError);
    assert.throws(() => selectorMatches({ matchLabels: { environment: '{{.environment}}' } }, labels), SelectorError);
  });
});
