/**
 * Cluster facts from the IaC: the example's clusters are intent (environments/clusters.ts) plus what the
 * IaC wrote (environments/clusters/*.json, in the three shapes the ecosystem produces). The render must
 * be the same bytes as the fully typed fleet; every bad IaC file is one problem naming the file and key,
 * and nothing reaches dist/.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADDON_CATALOG, applyIacOutputs, fleetOutputs, FleetSource, formatProblem, readIacOutputs } from '../charts/index.js';
import { parseIacOutput } from '../charts/iac/iac-outputs.js';
import { renderFiles } from '../render/render.js';
import { runCli } from '../render/cli.js';
import { iacExampleFleet } from './support/fleet.js';
import { clusters as typedClusters } from './fixtures/typed-clusters.js';
import { TEST_CA } from './support/ca.js';

const HUB = 'environments/clusters/hub.json';
const STAGING = 'environments/clusters/spoke-staging.json';
const PROD = 'environments/clusters/spoke-prod.json';

/** The example with one IaC file's parsed JSON changed (or replaced by text). */
function withFile(file: string, change: (doc: any) => unknown): FleetSource {
  const iac = iacExampleFleet.iac!;
  return {
    ...iacExampleFleet,
    iac: {
      ...iac,
      files: iac.files.map((f) => {
        if (f.file !== file) return f;
        const doc = JSON.parse(f.text);
        const out = change(doc);
        return { file: f.file, text: typeof out === 'string' ? out : JSON.stringify(out ?? doc) };
      }),
    },
  };
}

function withClusters(change: (clusters: any[]) => void, source: FleetSource = iacExampleFleet): FleetSource {
  const clusters = structuredClone(source.spec.clusters) as any[];
  change(clusters);
  return { ...source, spec: { ...source.spec, clusters } };
}

/** The one-line problems of a source's IaC stage. */
function problems(source: FleetSource): string[] {
  return applyIacOutputs(source, ADDON_CATALOG).problems.map(formatProblem);
}

const staging = (doc: any) => doc.gitops_bridge_cluster.value;

describe('IaC outputs in', () => {
  it('the example read from its IaC outputs renders byte-identical to the fully typed fleet', () => {
    const fromIac = renderFiles(fleetOutputs(iacExampleFleet));
    const typed = renderFiles(fleetOutputs({ spec: { ...iacExampleFleet.spec, clusters: typedClusters }, files: iacExampleFleet.files }));
    assert.ok(fromIac.size > 100);
    assert.deepEqual([...fromIac.keys()].sort(), [...typed.keys()].sort());
    for (const [file, text] of typed) assert.equal(fromIac.get(file), text, file);
  });

  it('the intent file types no fact: region, VPC, version, endpoint, CA and roles come from the IaC', () => {
    for (const c of iacExampleFleet.spec.clusters) {
      for (const fact of ['region', 'vpcId', 'kubernetesVersion', 'endpoint', 'caData', 'argocdRoleArn'] as const) assert.equal(c[fact], undefined, `${c.name}.${fact}`);
      for (const setting of Object.values(c.addons ?? {})) assert.ok(typeof setting === 'boolean' || setting.iamRoleArn === undefined, c.name);
    }
  });

  it('reads the three shapes: terraform output -json, the GitOps Bridge cluster object, the fleet workshop secret', () => {
    const read = (file: string) => parseIacOutput(iacExampleFleet.iac!.files.find((f) => f.file === file)!);
    const hub = read(HUB).facts!;
    assert.equal(hub.shape, 'terraform-output');
    assert.equal(hub.prefix, 'gitops_bridge_cluster.value');
    assert.equal(hub.annotations.get('aws_region')!.key, 'gitops_bridge_cluster.value.metadata.aws_region');
    const prod = read(PROD).facts!;
    assert.equal(prod.shape, 'fleet-secret');
    assert.equal(prod.clusterName.value, 'spoke-prod');
    assert.equal(prod.clusterName.key, 'metadata.aws_cluster_name');
    assert.equal(prod.roleArn!.value, 'arn:aws:iam::444455556666:role/spoke-prod-argocd-spoke');
    // `terraform output -json gitops_bridge_cluster`: the object itself, with config as jsonencode() text.
    const object = parseIacOutput({ file: 'x.json', text: JSON.stringify(staging(JSON.parse(iacExampleFleet.iac!.files.find((f) => f.file === STAGING)!.text))) });
    assert.equal(object.facts!.shape, 'gitops-bridge-cluster');
    assert.equal(typeof JSON.parse(iacExampleFleet.iac!.files.find((f) => f.file === STAGING)!.text).gitops_bridge_cluster.value.config, 'string');
    assert.equal(object.facts!.caData!.key, 'config.tlsClientConfig.caData');
  });

  it('readIacOutputs reads *.json sorted and a missing folder as no outputs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iac-'));
    fs.writeFileSync(path.join(dir, 'b.json'), '{}');
    fs.writeFileSync(path.join(dir, 'a.json'), '{}');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    assert.deepEqual(readIacOutputs(dir).files.map((f) => path.basename(f.file)), ['a.json', 'b.json']);
    assert.deepEqual(readIacOutputs(path.join(dir, 'nope')).files, []);
    const none = problems({ ...iacExampleFleet, iac: { dir: 'environments/clusters', files: [] } });
    assert.equal(none.length, 3);
    assert.match(none[0], /^environments\/clusters\.ts: clusters\[0\]: no IaC output in environments\/clusters\/ describes EKS cluster "hub"/);
  });
});

describe('bad IaC outputs: one problem naming the file and key', () => {
  const rows: Array<{ name: string; source: () => FleetSource; expect: RegExp; count?: number }> = [
    { name: 'not JSON', source: () => withFile(HUB, () => '{"gitops_bridge_cluster": '), expect: /^environments\/clusters\/hub\.json: \$: is not JSON \(/ },
    {
      name: 'a sensitive output (terraform writes it in plain text)',
      source: () => withFile(HUB, (d) => { d.db_password = { sensitive: true, type: 'string', value: 'hunter2' }; }),
      expect: /^environments\/clusters\/hub\.json: db_password\.sensitive: output "db_password" is sensitive, and terraform output -json writes sensitive values in plain text/,
    },
    {
      name: 'no output holds a cluster object',
      source: () => withFile(HUB, (d) => { delete d.gitops_bridge_cluster; }),
      expect: /^environments\/clusters\/hub\.json: \$: none of the outputs \(configure_kubectl\) holds a GitOps Bridge cluster object/,
    },
    {
      name: 'two outputs hold cluster objects',
      source: () => withFile(HUB, (d) => { d.other = structuredClone(d.gitops_bridge_cluster); }),
      expect: /^environments\/clusters\/hub\.json: \$: outputs gitops_bridge_cluster and other both hold a cluster object/,
    },
    {
      name: 'a file for a cluster the fleet does not have',
      source: () => withFile(STAGING, (d) => { staging(d).cluster_name = 'spoke-dev'; staging(d).metadata.aws_cluster_name = 'spoke-dev'; }),
      expect: /^environments\/clusters\/spoke-staging\.json: gitops_bridge_cluster\.value\.cluster_name: EKS cluster "spoke-dev" is not in the fleet/,
      // and spoke-staging has no output any more
      count: 2,
    },
    {
      name: 'a hand-typed fact that contradicts the IaC',
      source: () => withClusters((cs) => { cs[1].region = 'eu-west-1'; }),
      expect: /^environments\/clusters\.ts: clusters\[1\]\.region: "eu-west-1" contradicts the IaC: environments\/clusters\/spoke-staging\.json says gitops_bridge_cluster\.value\.metadata\.aws_region = "us-west-2"/,
    },
    {
      name: 'a region that is not one',
      source: () => withFile(PROD, (d) => { d.metadata.aws_region = 'us-west'; }),
      expect: /^environments\/clusters\/spoke-prod\.json: metadata\.aws_region: "us-west" is not an AWS region/,
    },
    {
      name: 'a malformed add-on role ARN',
      source: () => withFile(PROD, (d) => { d.metadata.velero_iam_role_arn = 'arn:aws:iam::44445555666:role/velero'; }),
      expect: /^environments\/clusters\/spoke-prod\.json: metadata\.velero_iam_role_arn: "arn:aws:iam::44445555666:role\/velero" is not an IAM role ARN$/,
    },
    {
      name: 'an account outside the fleet',
      source: () => withFile(PROD, (d) => { d.metadata.aws_account_id = '999999999999'; }),
      expect: /^environments\/clusters\/spoke-prod\.json: metadata\.aws_account_id: account 999999999999 is not one of the fleet's accounts \(central 111122223333, tenant1 444455556666\)$/,
    },
    {
      name: 'the IaC put the cluster in another environment',
      source: () => withFile(STAGING, (d) => { staging(d).environment = 'prod'; }),
      expect: /^environments\/clusters\.ts: clusters\[1\]\.environment: is "staging" but the IaC created the cluster for environment "prod"/,
    },
    {
      name: 'a spoke output without its CA',
      source: () => withFile(PROD, (d) => { delete d.config.tlsClientConfig.caData; }),
      expect: /^environments\/clusters\/spoke-prod\.json: config\.tlsClientConfig\.caData: is missing: Argo CD verifies the spoke's API server with it/,
    },
    {
      name: 'insecure: true',
      source: () => withFile(PROD, (d) => { d.config.tlsClientConfig.insecure = true; }),
      expect: /^environments\/clusters\/spoke-prod\.json: config\.tlsClientConfig\.insecure: is true: Argo CD would not verify the API server/,
    },
    {
      name: 'a credential in the config',
      source: () => withFile(PROD, (d) => { d.config.bearerToken = 'eyJhbGciOi'; }),
      expect: /^environments\/clusters\/spoke-prod\.json: config\.bearerToken: is a credential, and this file is committed/,
    },
    {
      name: 'a CA that is not a certificate',
      source: () => withFile(PROD, (d) => { d.config.tlsClientConfig.caData = Buffer.from('hello').toString('base64'); }),
      expect: /^environments\/clusters\/spoke-prod\.json: config\.tlsClientConfig\.caData: does not decode to a PEM certificate/,
    },
    {
      name: 'an add-on the fleet runs has no role in the IaC',
      source: () => withFile(PROD, (d) => { delete d.metadata.karpenter_iam_role_arn; }),
      expect: /^environments\/clusters\/spoke-prod\.json: metadata\.karpenter_iam_role_arn: is missing: karpenter runs on spoke-prod and needs an IAM role/,
    },
    {
      name: 'the IaC made the role for another service account',
      source: () => withFile(PROD, (d) => { d.metadata.aws_load_balancer_controller_service_account = 'aws-load-balancer-controller-sa'; }),
      expect: /^environments\/clusters\/spoke-prod\.json: metadata\.aws_load_balancer_controller_service_account: is "aws-load-balancer-controller-sa" but aws-load-balancer-controller runs as kube-system\/aws-load-balancer-controller/,
    },
    {
      name: 'the IaC disables an add-on the fleet runs',
      source: () => withFile(STAGING, (d) => { staging(d).addons.enable_karpenter = false; }),
      expect: /^environments\/clusters\/spoke-staging\.json: gitops_bridge_cluster\.value\.addons\.enable_karpenter: is false but the fleet enables karpenter on spoke-staging/,
    },
    {
      name: 'the IaC enables an add-on the catalog does not have',
      source: () => withFile(STAGING, (d) => { staging(d).addons.enable_aws_fsx_csi_driver = true; }),
      expect: /^environments\/clusters\/spoke-staging\.json: gitops_bridge_cluster\.value\.addons\.enable_aws_fsx_csi_driver: enables "aws-fsx-csi-driver", which is not in the add-on catalog/,
    },
    {
      name: 'a repository annotation that disagrees with the fleet',
      source: () => withFile(STAGING, (d) => { staging(d).metadata.addons_repo_url = 'https://github.com/acme/other.git'; }),
      expect: /^environments\/clusters\/spoke-staging\.json: gitops_bridge_cluster\.value\.metadata\.addons_repo_url: is "https:\/\/github\.com\/acme\/other\.git" but the fleet's repos\.addons\.url is/,
    },
    {
      name: 'awsAuthConfig names another cluster',
      source: () => withFile(PROD, (d) => { d.config.awsAuthConfig.clusterName = 'spoke-staging'; }),
      expect: /^environments\/clusters\/spoke-prod\.json: config\.awsAuthConfig\.clusterName: names EKS cluster "spoke-staging" but metadata\.aws_cluster_name is "spoke-prod"/,
    },
    {
      name: 'two files describe one cluster',
      source: () => ({ ...iacExampleFleet, iac: { ...iacExampleFleet.iac!, files: [...iacExampleFleet.iac!.files, { file: 'environments/clusters/z.json', text: iacExampleFleet.iac!.files[0].text }] } }),
      expect: /^environments\/clusters\/z\.json: gitops_bridge_cluster\.value\.cluster_name: EKS cluster "hub" is already described by environments\/clusters\/hub\.json; one file per cluster$/,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const found = problems(row.source());
      assert.equal(found.length, row.count ?? 1, found.join('\n'));
      assert.ok(found.some((p) => row.expect.test(p)), found.join('\n'));
    });
  }

  it('stops synth with exit 1 and leaves dist/ as it was', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iac-dist-'));
    const out = path.join(dir, 'dist');
    const errors: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => { errors.push(a.join(' ')); };
    const log = console.log;
    console.log = () => {};
    try {
      assert.equal(runCli(['synth', '--out', out], iacExampleFleet), 0);
      const before = fs.readdirSync(out, { recursive: true }).length;
      assert.equal(runCli(['synth', '--out', out], withFile(PROD, (d) => { d.metadata.aws_region = 'mars-1'; })), 1);
      assert.equal(fs.readdirSync(out, { recursive: true }).length, before);
      assert.match(errors.join('\n'), /environments\/clusters\/spoke-prod\.json: metadata\.aws_region: "mars-1" is not an AWS region/);
    } finally {
      console.error = orig;
      console.log = log;
    }
  });

  it('a typed fact equal to the IaC is accepted', () => {
    const typed = withClusters((cs) => { cs[1].region = 'us-west-2'; cs[2].caData = typedClusters[2].caData; cs[2].endpoint = `${typedClusters[2].endpoint!.toLowerCase()}/`; });
    assert.deepEqual(problems(typed), []);
    assert.ok(TEST_CA.length > 0);
  });
});
