/**
 * The AWS add-ons of the catalog (the five ACK controllers, aws-privateca-issuer, the Secrets Store CSI
 * Driver and its AWS provider, the Mountpoint for S3 CSI driver, amazon-cloudwatch-observability): pins
 * newest first, with a Kubernetes range where upstream states one, covering the listed minors, per-cluster values
 * that resolve against the cluster Secret of a cluster that enables them, dependencies, and IAM documents
 * that are valid policies within IAM's size limit. Their values keys are checked against the charts by
 * test/chart-values-keys.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG } from '../charts/addons/catalog.js';
import { addonVersionFor, LISTED_KUBERNETES_MINORS } from '../charts/model/addon-versions.js';
import { clusterAnnotations, clusterLabels } from '../charts/model/cluster-metadata.js';
import { ClusterTemplate } from '../charts/model/contract.js';
import { resolveFleet } from '../charts/model/resolve.js';
import { validateFleet } from '../charts/validate/validate-fleet.js';
import type { AddonPermissionContext, AddonPermissions } from '../charts/iam/permissions/addon-permissions.js';
import { GoTemplate } from '../engines/go-template/index.js';
import { ackDynamodbControllerPermissions } from '../charts/iam/permissions/ack-dynamodb-controller.js';
import { ackEksControllerPermissions } from '../charts/iam/permissions/ack-eks-controller.js';
import { ackIamControllerPermissions } from '../charts/iam/permissions/ack-iam-controller.js';
import { ackRdsControllerPermissions } from '../charts/iam/permissions/ack-rds-controller.js';
import { ackS3ControllerPermissions } from '../charts/iam/permissions/ack-s3-controller.js';
import { amazonCloudwatchObservabilityPermissions } from '../charts/iam/permissions/amazon-cloudwatch-observability.js';
import { awsMountpointS3CsiDriverPermissions } from '../charts/iam/permissions/aws-mountpoint-s3-csi-driver.js';
import { awsPrivatecaIssuerPermissions } from '../charts/iam/permissions/aws-privateca-issuer.js';
import { exampleFleet, fleetCopy } from './support/fleet.js';
import { catalogEntry as entry } from './support/catalog.js';

const ACK = ['ack-dynamodb-controller', 'ack-eks-controller', 'ack-iam-controller', 'ack-rds-controller', 'ack-s3-controller'];
const BUILDERS: Readonly<Record<string, (ctx: AddonPermissionContext) => AddonPermissions>> = {
  'ack-dynamodb-controller': ackDynamodbControllerPermissions,
  'ack-eks-controller': ackEksControllerPermissions,
  'ack-iam-controller': ackIamControllerPermissions,
  'ack-rds-controller': ackRdsControllerPermissions,
  'ack-s3-controller': ackS3ControllerPermissions,
  'amazon-cloudwatch-observability': amazonCloudwatchObservabilityPermissions,
  'aws-mountpoint-s3-csi-driver': awsMountpointS3CsiDriverPermissions,
  'aws-privateca-issuer': awsPrivatecaIssuerPermissions,
};
const NAMES = [...ACK, 'amazon-cloudwatch-observability', 'aws-mountpoint-s3-csi-driver', 'aws-privateca-issuer', 'secrets-store-csi-driver', 'secrets-store-csi-driver-provider-aws'];
/** Charts with no `kubeVersion` and no documented Kubernetes range upstream: one pin, without a range. */
const NO_RANGE = [...ACK, 'amazon-cloudwatch-observability', 'aws-privateca-issuer'];

/** Every string leaf of a values object. */
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : typeof v === 'object' && v !== null ? Object.values(v).flatMap(strings) : [];

/** The example fleet with all of these add-ons (and cert-manager) on spoke-staging, roles given. */
function fleetWithAll(identity: 'irsa' | 'pod-identity') {
  const spec = fleetCopy();
  const spoke = spec.clusters.find((c) => c.name === 'spoke-staging')!;
  const account = spec.accounts.find((a) => a.name === spoke.account)!.id;
  const addons: Record<string, unknown> = { ...(spoke.addons ?? {}) };
  for (const name of [...NAMES, 'cert-manager']) {
    addons[name] = entry(name).iamRole ? { iamRoleArn: `arn:aws:iam::${account}:role/spoke-staging-${name}` } : true;
  }
  Object.assign(spoke, { addons, identity });
  return spec;
}

describe('AWS add-ons of the catalog (ACK, Private CA issuer, Secrets Store CSI, Mountpoint for S3, CloudWatch)', () => {
  it('pins newest first, with a range where upstream states one, covering every listed Kubernetes minor', () => {
    for (const name of NAMES) {
      const a = entry(name);
      const pins = a.pins ?? [];
      assert.ok(pins.length > 0, `${name}: pinned`);
      if (NO_RANGE.includes(name)) {
        // Upstream states no range: one pin, checked against its release, that any Kubernetes minor gets.
        assert.equal(pins.length, 1, `${name}: one pin`);
        assert.equal(pins[0].kubernetes, undefined, `${name}: no range upstream, so the pin has none`);
      }
      assert.equal(a.version, pins[0].version);
      for (const p of pins) assert.ok(p.checkedAgainst.includes(`:`) && p.checkedAgainst.split(';')[0].endsWith('/Chart.yaml'), `${name}@${p.version}`);
      for (const minor of LISTED_KUBERNETES_MINORS) assert.ok(addonVersionFor(a, minor), `${name}: some pin supports Kubernetes ${minor}`);
    }
  });

  it('installs the ACK controllers from the ACK OCI registry into ack-system, with the region and role of the cluster', () => {
    for (const name of ACK) {
      const a = entry(name);
      const service = name.replace(/^ack-|-controller$/g, '');
      assert.equal(a.chart, `${service}-chart`);
      assert.equal(a.repoUrl, 'public.ecr.aws/aws-controllers-k8s');
      assert.equal(a.oci, true);
      assert.equal(a.namespace, 'ack-system');
      assert.equal(a.serviceAccount, name, 'the chart default');
      assert.equal(a.onDisable, 'orphan');
      const snake = name.replace(/-/g, '_');
      const irsa = a.clusterValues!(new ClusterTemplate({ identities: ['irsa'] }), a);
      assert.deepEqual(irsa, {
        aws: { region: '{{.metadata.annotations.aws_region}}' },
        serviceAccount: {
          create: true,
          name: `{{.metadata.annotations.${snake}_service_account}}`,
          annotations: { 'eks.amazonaws.com/role-arn': `{{.metadata.annotations.${snake}_iam_role_arn}}` },
        },
      });
      const podIdentity = a.clusterValues!(new ClusterTemplate({ identities: ['pod-identity'] }), a) as { serviceAccount: Record<string, unknown> };
      assert.equal(podIdentity.serviceAccount.annotations, undefined, `${name}: no IRSA annotation under Pod Identity`);
    }
  });

  for (const identity of ['irsa', 'pod-identity'] as const) {
    it(`resolves every per-cluster value against the cluster Secret of a cluster that enables them all (${identity})`, () => {
      const spec = fleetWithAll(identity);
      const problems = validateFleet({ spec, files: exampleFleet.files }, ADDON_CATALOG);
      assert.deepEqual(problems.map((p) => `${p.file} ${p.path}: ${p.message}`), []);
      const fleet = resolveFleet(spec, ADDON_CATALOG);
      const cluster = fleet.clusters.find((c) => c.name === 'spoke-staging')!;
      const data = { metadata: { annotations: clusterAnnotations(fleet, cluster), labels: clusterLabels(cluster) } };
      for (const name of NAMES) {
        const a = entry(name);
        assert.ok(cluster.addons.has(name), `${name} is enabled`);
        const values = a.clusterValues?.(new ClusterTemplate({ identities: [identity] }), a) ?? {};
        // Argo CD renders these with missingkey=error: every annotation they read is on the cluster Secret.
        const out = strings(values).map((s) => GoTemplate.parse(s).execute(data, 'error'));
        for (const v of out) assert.ok(v.length > 0 && !v.includes('{{'), `${name}: ${v}`);
      }
      const rendered = (name: string) => {
        const a = entry(name);
        return JSON.parse(GoTemplate.parse(JSON.stringify(a.clusterValues!(new ClusterTemplate({ identities: [identity] }), a))).execute(data, 'error'));
      };
      assert.equal(rendered('ack-rds-controller').aws.region, cluster.region);
      assert.equal(rendered('amazon-cloudwatch-observability').clusterName, cluster.awsClusterName);
      assert.equal(rendered('secrets-store-csi-driver-provider-aws').awsRegion, cluster.region);
      const certManager = entry('cert-manager');
      assert.deepEqual(rendered('aws-privateca-issuer').approverRole, { serviceAccountName: certManager.serviceAccount, namespace: certManager.namespace });
      const role = rendered('aws-mountpoint-s3-csi-driver').node.serviceAccount.annotations?.['eks.amazonaws.com/role-arn'];
      assert.equal(role, identity === 'irsa' ? cluster.addons.get('aws-mountpoint-s3-csi-driver')?.iamRoleArn : undefined);
    });
  }

  it('orders the add-ons after what they need, and lets the separately installed driver serve the AWS provider', () => {
    assert.deepEqual(entry('aws-privateca-issuer').dependsOn, ['cert-manager']);
    assert.deepEqual(entry('amazon-cloudwatch-observability').dependsOn, ['cert-manager']);
    assert.deepEqual(entry('secrets-store-csi-driver-provider-aws').dependsOn, ['secrets-store-csi-driver']);
    // The provider's chart would install a second driver as its subchart.
    assert.deepEqual(entry('secrets-store-csi-driver-provider-aws').values, { 'secrets-store-csi-driver': { install: false } });
    const audiences = (entry('secrets-store-csi-driver').values?.tokenRequests as Array<{ audience: string }>).map((t) => t.audience);
    assert.deepEqual(audiences, ['sts.amazonaws.com', 'pods.eks.amazonaws.com']);
    assert.equal(entry('secrets-store-csi-driver-provider-aws').iamRole, undefined, 'pods use their own roles');
    // Certificates made by cert-manager, not by genCA on every render; the injected caBundle ignored.
    const cw = entry('amazon-cloudwatch-observability');
    assert.deepEqual(cw.values, { admissionWebhooks: { certManager: { enabled: true } }, agent: { certManager: { enabled: true } } });
    assert.equal(cw.webhooks, true);
    assert.equal(cw.serverSideApply, true);
    for (const name of NAMES) assert.equal(entry(name).onDisable, 'orphan', `${name} owns CRDs or is a storage driver`);
  });

  it('gives every add-on with a role valid IAM documents within IAM limits, from upstream policies', () => {
    assert.deepEqual(NAMES.filter((n) => entry(n).iamRole).sort(), Object.keys(BUILDERS).sort());
    const ctx: AddonPermissionContext = { accountId: '222233334444', region: 'eu-central-1', clusterName: 'a-cluster-name-of-fifty-characters-0123456789abcd' };
    for (const [name, build] of Object.entries(BUILDERS)) {
      const perms = build(ctx);
      assert.deepEqual(perms, build({ ...ctx }), `${name}: deterministic`);
      assert.deepEqual(perms.managedPolicyArns, [...perms.managedPolicyArns].sort(), `${name}: sorted`);
      for (const arn of perms.managedPolicyArns) assert.match(arn, /^arn:aws:iam::aws:policy\/[A-Za-z0-9]+$/);
      assert.ok(perms.managedPolicyArns.length > 0 || perms.policy, `${name}: grants something`);
      const tokens = new Set<string>();
      if (perms.policy) {
        const text = JSON.stringify(perms.policy);
        const parsed = JSON.parse(text) as { Version: string; Statement: Array<Record<string, unknown>> };
        assert.equal(parsed.Version, '2012-10-17');
        assert.ok(text.replace(/\s/g, '').length <= 6144, `${name}: ${text.length} characters, over IAM's 6,144 for a managed policy`);
        const sids = parsed.Statement.map((s) => s.Sid as string);
        assert.equal(new Set(sids).size, sids.length, `${name}: unique Sids`);
        for (const s of parsed.Statement) {
          assert.match(s.Sid as string, /^[A-Za-z0-9]+$/);
          assert.equal(s.Effect, 'Allow');
          for (const action of ([] as string[]).concat(s.Action as string | string[])) assert.match(action, /^[a-z0-9-]+:[A-Za-z*]+$/, `${name}: ${action}`);
          assert.ok(s.Resource !== undefined, `${name}: ${s.Sid} has a Resource`);
        }
        for (const m of text.matchAll(/\$\{([^}]*)\}/g)) tokens.add(m[1]);
      }
      assert.deepEqual([...tokens].sort(), Object.keys(perms.inputs).sort(), `${name}: every token is an input, every input is used`);
    }
    // Scoped where upstream scopes: the Private CA issuer to the CAs, Mountpoint to the buckets.
    assert.deepEqual(awsPrivatecaIssuerPermissions(ctx).policy?.Statement[0].Resource, ['${pca_certificate_authority_arns}']);
    assert.deepEqual(awsMountpointS3CsiDriverPermissions(ctx).policy?.Statement.map((s) => s.Resource), [['${mountpoint_s3_bucket_arns}'], ['${mountpoint_s3_object_arns}']]);
  });
});
