/**
 * The AWS add-ons of the first catalog, brought to their newest upstream releases (issue #19): what could
 * silently regress. Pins, sources and values per add-on; the key paths against the charts' values are
 * the fixtures' test.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddonDefinition } from '../charts/model/addon.js';
import { ClusterTemplate } from '../charts/model/contract.js';
import { addonVersionFor, LISTED_KUBERNETES_MINORS } from '../charts/model/addon-versions.js';
import { addonPermissions } from '../charts/iam/permissions/addon-permissions.js';
import { awsLoadBalancerController } from '../charts/addons/entries/aws-load-balancer-controller.js';
import { awsEbsCsiDriver } from '../charts/addons/entries/aws-ebs-csi-driver.js';
import { awsEfsCsiDriver } from '../charts/addons/entries/aws-efs-csi-driver.js';
import { awsForFluentBit } from '../charts/addons/entries/aws-for-fluent-bit.js';
import { awsGatewayApiController } from '../charts/addons/entries/aws-gateway-api-controller.js';
import { awsNodeTerminationHandler } from '../charts/addons/entries/aws-node-termination-handler.js';
import { clusterAutoscaler } from '../charts/addons/entries/cluster-autoscaler.js';
import { externalDns } from '../charts/addons/entries/external-dns.js';
import { externalSecrets } from '../charts/addons/entries/external-secrets.js';

const ADDONS: readonly AddonDefinition[] = [
  awsLoadBalancerController,
  awsEbsCsiDriver,
  awsEfsCsiDriver,
  awsForFluentBit,
  awsGatewayApiController,
  awsNodeTerminationHandler,
  clusterAutoscaler,
  externalDns,
  externalSecrets,
];
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'chart-values');
const ctx = { accountId: '111122223333', region: 'us-west-2', clusterName: 'spoke-prod-usw2' };
const actions = (addon: string): string[] =>
  (addonPermissions(addon, ctx)?.policy?.Statement ?? []).flatMap((s) => (typeof s.Action === 'string' ? [s.Action] : [...s.Action]));

describe('the AWS add-ons of the first catalog', () => {
  it('name a home page, pin newest first with the entry version the newest, and cite an upstream tag per pin', () => {
    for (const a of ADDONS) {
      assert.match(a.homepage ?? '', /^https:\/\//, `${a.name}: homepage`);
      for (const p of a.pins ?? []) {
        assert.match(p.checkedAgainst, /^[\w.-]+\/[\w.-]+@[\w.-]+:\S+Chart\.yaml(; [\w.-]+\/[\w.-]+@[\w.-]+:\S+)?$/, `${a.name}@${p.version}`);
        assert.ok(fs.existsSync(path.join(FIXTURES, `${a.name}@${p.version}.json`)), `${a.name}@${p.version}: values fixture`);
      }
      if (a.pins) assert.equal(a.version, a.pins[0].version, `${a.name}: version is the newest pin`);
    }
    // aws-for-fluent-bit states no Kubernetes range anywhere upstream.
    assert.equal(awsForFluentBit.pins?.[0].kubernetes, undefined);
  });

  it('give every listed Kubernetes minor a version', () => {
    for (const a of ADDONS) {
      for (const minor of LISTED_KUBERNETES_MINORS) assert.ok(addonVersionFor(a, minor), `${a.name} on ${minor}`);
    }
    // The gateway controller v2.1 needs Kubernetes 1.31 (Gateway API v1.5's CEL rules): 1.30 gets v2.0.2.
    assert.equal(addonVersionFor(awsGatewayApiController, '1.30'), 'v2.0.2');
    assert.equal(addonVersionFor(awsGatewayApiController, '1.31'), 'v2.1.3');
  });

  it('cluster-autoscaler: one pin per minor, running the image of that minor', () => {
    for (const minor of LISTED_KUBERNETES_MINORS) {
      const pins = (clusterAutoscaler.pins ?? []).filter((p) => p.kubernetes?.min === minor && p.kubernetes.max === minor);
      assert.equal(pins.length, 1, minor);
      assert.ok(pins[0].appVersion?.startsWith(`${minor}.`), `${minor}: appVersion ${pins[0].appVersion}`);
      assert.equal(addonVersionFor(clusterAutoscaler, minor), pins[0].version);
    }
  });

  it('aws-node-termination-handler: the OCI chart, in queue-processor mode on the queue of the IaC contract', () => {
    const nth = awsNodeTerminationHandler;
    assert.equal(nth.oci, true);
    assert.equal(nth.repoUrl, 'public.ecr.aws/aws-ec2/helm', 'eks-charts removed the chart (aws/eks-charts#1155)');
    assert.equal(nth.values?.enableSqsTerminationDraining, true);
    const fact = nth.facts?.find((f) => f.key === 'aws_node_termination_handler_queue_url');
    assert.ok(fact?.pattern);
    assert.match('https://sqs.us-west-2.amazonaws.com/111122223333/spoke-prod-nth', new RegExp(`^(?:${fact.pattern})$`));
    const t = new ClusterTemplate();
    assert.equal(nth.clusterValues?.(t, nth).queueURL, '{{.metadata.annotations.aws_node_termination_handler_queue_url}}');
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'autoscaling:CompleteLifecycleAction']) {
      assert.ok(actions(nth.name).includes(action), action);
    }
  });

  it('aws-load-balancer-controller 3.5.0: the policy has what docs/install/iam_policy.json adds up to v3.5.0', () => {
    assert.equal(awsLoadBalancerController.version, '3.5.0');
    assert.equal(awsLoadBalancerController.values?.enableCertManager, true);
    assert.ok(awsLoadBalancerController.dependsOn?.includes('cert-manager'));
    const granted = actions(awsLoadBalancerController.name);
    for (const action of ['ec2:DescribeIpamPools', 'ec2:DescribeRouteTables', 'elasticloadbalancing:ModifyIpPools', 'elasticloadbalancing:SetRulePriorities']) {
      assert.ok(granted.includes(action), action);
    }
  });

  it('aws-ebs-csi-driver leaves the StorageClass to its companion; external-secrets matches the pinned CRDs (v2.9.0)', () => {
    assert.equal(awsEbsCsiDriver.values?.storageClasses, undefined);
    const ebs = awsEbsCsiDriver.clusterValues?.(new ClusterTemplate(), awsEbsCsiDriver) as { controller: { region: string } };
    assert.equal(ebs.controller.region, '{{.metadata.annotations.aws_region}}');
    assert.equal(externalSecrets.version, '2.9.0');
  });
});
