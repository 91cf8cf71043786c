/**
 * karpenter, velero, cert-manager, crossplane and ingress-nginx configured to do their job: pins newest
 * first covering the listed Kubernetes minors, every values key in the chart's values at every pinned
 * version (test/fixtures/chart-values), the facts they read from the IaC contract (Karpenter's interruption
 * queue, Velero's bucket) instead of assumed names, Velero on the role of its service account with the AWS
 * plugin of its Velero minor, the keys the charts really read for the IAM role, and their IAM documents.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddonDefinition } from '../charts/model/addon.js';
import { addonVersionFor, LISTED_KUBERNETES_MINORS, minorNumber } from '../charts/model/addon-versions.js';
import { ClusterTemplate } from '../charts/model/contract.js';
import { KARPENTER_QUEUE_FACT } from '../charts/addons/entries/karpenter.js';
import { KARPENTER_NODE_ROLE_FACT } from '../charts/addons/companions/karpenter.js';
import { VELERO_AWS_PLUGIN_IMAGE, VELERO_BUCKET_FACT } from '../charts/addons/entries/velero.js';
import { karpenterPermissions } from '../charts/iam/permissions/karpenter.js';
import { veleroPermissions } from '../charts/iam/permissions/velero.js';
import type { IamPolicy, IamStatement } from '../charts/iam/iam-documents.js';
import { catalogEntry as entry, newer } from './support/catalog.js';

const NAMES = ['cert-manager', 'crossplane', 'ingress-nginx', 'karpenter', 'velero'];
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'chart-values');
const ROLE = 'eks.amazonaws.com/role-arn';

const versions = (a: AddonDefinition): string[] => (a.pins?.length ? a.pins.map((p) => p.version) : [a.version]);
const values = (name: string, identities: Array<'irsa' | 'pod-identity'> = ['irsa']): { t: ClusterTemplate; v: any } => {
  const a = entry(name);
  const t = new ClusterTemplate({ identities });
  return { t, v: a.clusterValues?.(t, a) ?? {} };
};
const fullMatch = (pattern: string | undefined, value: string): boolean => new RegExp(`^(?:${pattern ?? '.+'})$`).test(value);



const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
const sid = (p: IamPolicy, id: string): IamStatement => {
  const s = p.Statement.find((x) => x.Sid === id);
  assert.ok(s, `statement ${id}`);
  return s;
};
const tokensOf = (text: string): string[] => [...new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]))].sort();
const CTX = { accountId: '111122223333', region: 'us-west-2', clusterName: 'spoke-prod-usw2' };

describe('core add-ons of the catalog: karpenter, velero, cert-manager, crossplane, ingress-nginx', () => {
  it('name their home page; version = newest pin, pins newest first, each naming its release', () => {
    for (const name of NAMES) {
      const a = entry(name);
      assert.match(a.homepage ?? '', /^https:\/\//, `${name}: homepage`);
      const pins = a.pins ?? [];
      assert.ok(pins.length > 0, `${name}: pinned`);
      assert.equal(a.version, pins[0].version, `${name}: version is the newest pin`);
      pins.slice(1).forEach((p, i) => assert.ok(newer(pins[i].version, p.version), `${name}: ${pins[i].version} before ${p.version}`));
      for (const p of pins) {
        // The Chart.yaml of the release, then the compatibility document the range comes from (none without a range).
        const docs = p.kubernetes ? '; [\\w.-]+\\/[\\w.-]+@[\\w.-]+:[\\w./-]+' : '';
        assert.match(p.checkedAgainst, new RegExp(`^[\\w.-]+\\/[\\w.-]+@[\\w.-]+:[\\w./-]*Chart(\\.template)?\\.yaml${docs}$`), `${name}@${p.version}`);
        assert.ok(p.checkedAgainst.includes(p.version), `${name}@${p.version}: checkedAgainst names the release`);
        assert.ok(p.appVersion, `${name}@${p.version}: appVersion`);
        const k = p.kubernetes;
        if (k?.max !== undefined) assert.ok(minorNumber(k.min)! <= minorNumber(k.max)!, `${name}@${p.version}: min <= max`);
        // Crossplane alone states no range upstream.
        assert.equal(k === undefined, name === 'crossplane', `${name}@${p.version}: range`);
      }
      for (const minor of LISTED_KUBERNETES_MINORS) assert.ok(addonVersionFor(a, minor), `${name}: some pin supports Kubernetes ${minor}`);
    }
  });

  it('give each Kubernetes minor the newest release that supports it', () => {
    const expected: Record<string, Record<string, string>> = {
      karpenter: { '1.30': '1.14.1', '1.35': '1.14.1' },
      velero: { '1.30': '12.1.0', '1.35': '12.1.0' },
      'cert-manager': { '1.30': 'v1.18.6', '1.31': 'v1.19.6', '1.32': 'v1.20.3', '1.33': 'v1.21.1', '1.35': 'v1.21.1' },
      'ingress-nginx': { '1.30': '4.14.5', '1.31': '4.15.1', '1.35': '4.15.1' },
      crossplane: { '1.30': '2.3.4', '1.35': '2.3.4' },
    };
    for (const [name, byMinor] of Object.entries(expected)) {
      for (const [minor, version] of Object.entries(byMinor)) assert.equal(addonVersionFor(entry(name), minor), version, `${name} on ${minor}`);
    }
  });

  // Every values key against the chart at every pin: test/chart-values-keys.test.ts, for every add-on.

  it('declare their facts with snake_case keys of their own and patterns that hold real values', () => {
    for (const name of NAMES) {
      for (const f of entry(name).facts ?? []) {
        assert.ok(f.key.startsWith(`${name.replace(/-/g, '_')}_`), `${name}: ${f.key}`);
        assert.match(f.key, /^[a-z][a-z0-9_]*$/);
        assert.ok(f.description.length > 0 && !f.description.includes('\n'), `${f.key}: one-line description`);
      }
    }
    const facts = (name: string) => new Map((entry(name).facts ?? []).map((f) => [f.key, f.pattern]));
    const karpenter = facts('karpenter');
    assert.deepEqual([...karpenter.keys()].sort(), [KARPENTER_NODE_ROLE_FACT, KARPENTER_QUEUE_FACT].sort());
    assert.deepEqual([KARPENTER_NODE_ROLE_FACT, KARPENTER_QUEUE_FACT], ['karpenter_node_iam_role_name', 'karpenter_sqs_queue_name']);
    for (const ok of ['spoke-prod', 'Karpenter-spoke_prod', 'x'.repeat(80)]) assert.ok(fullMatch(karpenter.get(KARPENTER_QUEUE_FACT), ok), ok);
    for (const bad of ['', 'x'.repeat(81), 'queue.fifo', 'arn:aws:sqs:us-west-2:111122223333:q', 'a b']) assert.ok(!fullMatch(karpenter.get(KARPENTER_QUEUE_FACT), bad), bad);
    for (const ok of ['KarpenterNodeRole-spoke-prod', 'nodes+spoke=1,a.b@c_d', 'x'.repeat(64)]) assert.ok(fullMatch(karpenter.get(KARPENTER_NODE_ROLE_FACT), ok), ok);
    for (const bad of ['', 'x'.repeat(65), 'arn:aws:iam::111122223333:role/nodes', 'a/b']) assert.ok(!fullMatch(karpenter.get(KARPENTER_NODE_ROLE_FACT), bad), bad);
    const velero = facts('velero');
    assert.deepEqual([...velero.keys()], [VELERO_BUCKET_FACT]);
    assert.equal(VELERO_BUCKET_FACT, 'velero_backup_s3_bucket_name');
    for (const ok of ['fleet-backups', 'abc', 'my.bucket-1', 'x'.repeat(63)]) assert.ok(fullMatch(velero.get(VELERO_BUCKET_FACT), ok), ok);
    for (const bad of ['ab', 'x'.repeat(64), 'Upper', '-lead', 'trail-', 'arn:aws:s3:::b', 's3://b']) assert.ok(!fullMatch(velero.get(VELERO_BUCKET_FACT), bad), bad);
  });

  it('karpenter: the interruption queue from its fact, not the cluster name; the role on its service account', () => {
    const { t, v } = values('karpenter');
    assert.equal(v.settings.interruptionQueue, `{{.metadata.annotations.${KARPENTER_QUEUE_FACT}}}`);
    assert.equal(v.settings.clusterName, '{{.metadata.annotations.aws_cluster_name}}');
    assert.notEqual(v.settings.interruptionQueue, v.settings.clusterName);
    assert.ok(t.annotationsRead.has(KARPENTER_QUEUE_FACT));
    assert.deepEqual(v.serviceAccount, {
      create: true,
      name: '{{.metadata.annotations.karpenter_service_account}}',
      annotations: { [ROLE]: '{{.metadata.annotations.karpenter_iam_role_arn}}' },
    });
    assert.equal(values('karpenter', ['pod-identity']).v.serviceAccount.annotations, undefined, 'no IRSA annotation under Pod Identity');
    // The 1.14 chart installs no webhooks: no caBundle to ignore.
    assert.equal(entry('karpenter').webhooks, undefined);
  });

  it('velero: no credentials Secret, the AWS plugin of its Velero minor, backups in the bucket of its fact', () => {
    const a = entry('velero');
    const defaults = a.values as any;
    assert.equal(defaults.credentials.useSecret, false);
    // The plugin's compatibility table: plugin v1.14.x for Velero v1.18.x, the chart's app version.
    assert.equal(a.pins?.[0].appVersion, '1.18.1');
    assert.match(VELERO_AWS_PLUGIN_IMAGE, /^velero\/velero-plugin-for-aws:v1\.14\.\d+$/);
    assert.deepEqual(defaults.initContainers, [
      { name: 'velero-plugin-for-aws', image: VELERO_AWS_PLUGIN_IMAGE, imagePullPolicy: 'IfNotPresent', volumeMounts: [{ mountPath: '/target', name: 'plugins' }] },
    ]);
    assert.deepEqual(defaults.schedules.daily.template, { ttl: '720h0m0s', storageLocation: 'default' });

    const { t, v } = values('velero');
    assert.deepEqual(v.configuration.backupStorageLocation, [
      { name: 'default', provider: 'aws', bucket: `{{.metadata.annotations.${VELERO_BUCKET_FACT}}}`, prefix: '{{.metadata.annotations.aws_cluster_name}}', default: true },
    ]);
    assert.deepEqual(v.configuration.volumeSnapshotLocation, [{ name: 'default', provider: 'aws', config: { region: '{{.metadata.annotations.aws_region}}' } }]);
    assert.ok(t.annotationsRead.has(VELERO_BUCKET_FACT));
    assert.deepEqual(v.serviceAccount.server.annotations, { [ROLE]: '{{.metadata.annotations.velero_iam_role_arn}}' });
    assert.equal(v.serviceAccount.server.name, '{{.metadata.annotations.velero_service_account}}');
    assert.equal(values('velero', ['pod-identity']).v.serviceAccount.server.annotations, undefined);
    assert.equal(v.credentials, undefined, 'clusterValues never turn the Secret back on');
  });

  it('cert-manager: CRDs with the chart, the role on the controller service account for Route 53', () => {
    const a = entry('cert-manager');
    assert.deepEqual(a.values, { crds: { enabled: true } });
    const { v } = values('cert-manager');
    assert.deepEqual(v.serviceAccount, {
      create: true,
      name: '{{.metadata.annotations.cert_manager_service_account}}',
      annotations: { [ROLE]: '{{.metadata.annotations.cert_manager_iam_role_arn}}' },
    });
    // serviceAccount.name and .annotations are commented out in values.yaml: read by the templates, listed in the fixtures.
    for (const version of versions(a)) {
      const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, `cert-manager@${version}.json`), 'utf8')) as { read: string[] };
      assert.deepEqual(fixture.read, ['serviceAccount.annotations', 'serviceAccount.name']);
    }
  });

  it('crossplane: no role annotation under the key the chart does not read, none on the core service account', () => {
    const a = entry('crossplane');
    const { t, v } = values('crossplane');
    assert.equal(JSON.stringify({ values: a.values ?? {}, v }).includes(ROLE), false, 'the role is the providers\' (DeploymentRuntimeConfig), not the core pod\'s');
    assert.equal((v as any).serviceAccount?.annotations, undefined, 'serviceAccount.annotations is not a key of the crossplane chart');
    assert.equal(t.annotationsRead.has('crossplane_iam_role_arn'), false);
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, `crossplane@${a.version}.json`), 'utf8')) as { shape: any };
    assert.deepEqual(Object.keys(fixture.shape.serviceAccount).sort(), ['create', 'customAnnotations', 'name']);
    assert.equal(a.placement, 'hub');
  });

  it('ingress-nginx: deprecated, naming what to use instead; its last releases pinned', () => {
    const a = entry('ingress-nginx');
    assert.match(a.deprecated ?? '', /retired/);
    assert.match(a.deprecated ?? '', /aws-load-balancer-controller/);
    assert.match(a.deprecated ?? '', /Gateway API/);
    assert.ok(!a.deprecated?.includes('\n'));
    assert.deepEqual(a.pins?.map((p) => p.version), ['4.15.1', '4.14.5']);
    for (const name of NAMES.filter((n) => n !== 'ingress-nginx')) assert.equal(entry(name).deprecated, undefined, name);
  });

  describe('IAM (charts/iam/permissions)', () => {
    it('karpenter v1.14.1: the upstream statements, the queue from its fact, the node role an input', () => {
      const p = karpenterPermissions(CTX);
      const policy = p.policy!;
      assert.deepEqual(p.managedPolicyArns, []);
      assert.equal(policy.Statement.length, 18, "6 + 4 + 1 + 1 + 1 + 5 statements of the six upstream policies");
      assert.equal(new Set(policy.Statement.map((s) => s.Sid)).size, 18, 'unique Sids');
      assert.deepEqual(tokensOf(JSON.stringify(policy)), Object.keys(p.inputs).sort());
      assert.deepEqual(Object.keys(p.inputs).sort(), ['karpenter_node_role_arn', 'karpenter_sqs_queue_name']);
      assert.equal(sid(policy, 'AllowInterruptionQueueActions').Resource, 'arn:aws:sqs:us-west-2:111122223333:${karpenter_sqs_queue_name}');
      assert.ok(!JSON.stringify(policy).includes(`sqs:us-west-2:111122223333:${CTX.clusterName}`), 'the queue is not assumed to be the cluster name');
      assert.equal(sid(policy, 'AllowPassingInstanceRole').Resource, '${karpenter_node_role_arn}');
      assert.deepEqual(sid(policy, 'AllowZonalShiftStatusReadOnly').Condition, {
        StringEquals: { 'arc-zonal-shift:ResourceIdentifier': `arn:aws:eks:us-west-2:111122223333:cluster/${CTX.clusterName}` },
      });
      assert.deepEqual(list(sid(policy, 'AllowScopedEC2InstanceAccessActions').Resource).slice(-2), [
        'arn:aws:ec2:us-west-2:*:capacity-reservation/*',
        'arn:aws:ec2:us-west-2:*:placement-group/*',
      ]);
      for (const action of ['ec2:DescribeCapacityReservations', 'ec2:DescribeInstanceStatus', 'ec2:DescribePlacementGroups']) {
        assert.ok(list(sid(policy, 'AllowRegionalReadActions').Action).includes(action), action);
      }
      assert.equal(sid(policy, 'AllowUnscopedInstanceProfileListAction').Action, 'iam:ListInstanceProfiles');
      // Upstream ships these statements as six managed policies; as one document they pass IAM's 6,144
      // characters of a managed policy (about 6,150 for a 10-character name), so the IaC attaches it inline:
      // IAM's 10,240 characters of a role's inline policies hold it for EKS's longest cluster name (100).
      const longest = karpenterPermissions({ accountId: '111122223333', region: 'ap-southeast-2', clusterName: 'x'.repeat(100) }).policy!;
      assert.ok(JSON.stringify(longest).replace(/\s/g, '').length <= 10240, `${JSON.stringify(longest).length} characters`);
    });

    it('velero: the plugin README policy, the bucket an input', () => {
      const p = veleroPermissions(CTX);
      const policy = p.policy!;
      assert.deepEqual(Object.keys(p.inputs), ['velero_bucket_arn']);
      assert.deepEqual(tokensOf(JSON.stringify(policy)), ['velero_bucket_arn']);
      assert.equal(sid(policy, 'ReadWriteBackups').Resource, '${velero_bucket_arn}/*');
      assert.equal(sid(policy, 'ListBackupBucket').Resource, '${velero_bucket_arn}');
      assert.deepEqual(list(sid(policy, 'ManageVolumeSnapshots').Action), [
        'ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:CreateSnapshot', 'ec2:DeleteSnapshot',
      ]);
    });
  });
});
