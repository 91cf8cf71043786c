/**
 * What the IaC must create, out (dist/iac/), and EKS Pod Identity: per cluster the roles the fleet
 * references with trust and permissions, the Pod Identity associations, the access entry of Argo CD's
 * role on each spoke; with Pod Identity no service-account annotation, Argo CD in single-role mode, and
 * Crossplane's providers on one associated service account. Rendered ApplicationSets are expanded with
 * the offline controller against the rendered cluster Secrets, so the Applications are what Argo CD makes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { ADDON_CATALOG, FleetSource, formatProblem, validateFleet } from '../charts/index.js';
import { fleetRender } from '../charts/outputs/fleet-outputs.js';
import { expandApplicationSet } from '../engines/applicationset/index.js';
import { exampleFleet, fleetCopy, iacExampleFleet, render, withSpec } from './support/fleet.js';
import { goOracle, goOracleSkipReason } from './support/go-oracle.js';

const json = (files: Map<string, string>, path: string) => JSON.parse(files.get(path)!);

function docs(files: Map<string, string>, prefix: string): any[] {
  return [...files].filter(([f]) => f.startsWith(prefix) && f.endsWith('.yaml')).flatMap(([, t]) => parseAllDocuments(t).map((d) => d.toJS()));
}

/** The Applications Argo CD generates from the add-on ApplicationSets, by name. */
function addonApplications(files: Map<string, string>): Map<string, any> {
  const secrets = docs(files, 'hub/argocd/clusters/');
  const apps = new Map<string, any>();
  for (const set of docs(files, 'hub/argocd/addons/').filter((d) => d?.kind === 'ApplicationSet')) {
    const out = expandApplicationSet(set, secrets);
    assert.deepEqual(out.problems, [], set.metadata.name);
    for (const a of out.applications) apps.set(a.application.metadata.name, a.application);
  }
  return apps;
}

/** The example with every cluster on EKS Pod Identity (so Argo CD is in single-role mode). */
function podIdentityFleet(): FleetSource {
  const spec = fleetCopy();
  spec.identity = 'pod-identity';
  for (const c of spec.clusters) delete (c as any).argocdRoleArn;
  return withSpec(spec);
}

const helmOf = (app: any) => app.spec.sources.find((s: any) => s.helm).helm;
const roleArnOf = (app: any) => helmOf(app).valuesObject?.serviceAccount?.annotations?.['eks.amazonaws.com/role-arn'];

describe('the IaC contract (dist/iac/)', () => {
  const files = render();

  it('lists every IAM role each cluster references, with the ARN its IaC output gave, trust for its service accounts and permissions', () => {
    const prod = json(files, 'iac/clusters/spoke-prod.json');
    const spoke = exampleFleet.spec.clusters.find((c) => c.name === 'spoke-prod')!;
    for (const [addon, setting] of Object.entries(spoke.addons ?? {})) {
      if (typeof setting !== 'object' || !setting.iamRoleArn) continue;
      assert.equal(prod.roles[addon].arn, setting.iamRoleArn, addon);
      assert.equal(prod.roles[addon].name, setting.iamRoleArn.split('/').pop());
    }
    const lbc = prod.roles['aws-load-balancer-controller'];
    const [statement] = lbc.trustPolicy.Statement;
    assert.equal(statement.Action, 'sts:AssumeRoleWithWebIdentity');
    assert.equal(statement.Condition.StringEquals['${oidc_provider_spoke_prod}:sub'], 'system:serviceaccount:kube-system:aws-load-balancer-controller');
    assert.ok(prod.inputs.oidc_provider_spoke_prod);
    assert.ok(lbc.permissionsPolicy.Statement.some((s: any) => [s.Action].flat().includes('elasticloadbalancing:CreateLoadBalancer')));
    // V2 (tag-scoped) is an AWS managed policy at the root path, unlike V1 (service-role/): AWS managed policy
    // reference, AmazonEBSCSIDriverPolicyV2, "ARN: arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2".
    assert.deepEqual(prod.roles['aws-ebs-csi-driver'].managedPolicyArns, ['arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2']);
    // Every ${token} of every document is an input the IaC is told about.
    for (const name of ['hub', 'spoke-staging', 'spoke-prod']) {
      const c = json(files, `iac/clusters/${name}.json`);
      const tokens = new Set([...JSON.stringify(c.roles).matchAll(/\$\{([a-z0-9_]+)\}/g)].map((m) => m[1]));
      assert.deepEqual([...tokens].sort(), Object.keys(c.inputs).sort(), name);
    }
  });

  it("gives each spoke the access entry of the role Argo CD reaches it with, and that role trusts the hub's Argo CD role", () => {
    const hubArgo = exampleFleet.spec.clusters[0].addons!['argo-cd'] as { iamRoleArn: string };
    for (const name of ['spoke-staging', 'spoke-prod']) {
      const c = json(files, `iac/clusters/${name}.json`);
      const spoke = exampleFleet.spec.clusters.find((x) => x.name === name)!;
      assert.equal(c.accessEntries.argocd.principalArn, spoke.argocdRoleArn);
      assert.equal(c.accessEntries.argocd.policyAssociations['cluster-admin'].policyArn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
      assert.deepEqual(c.roles['argocd-spoke'].trustPolicy.Statement[0].Principal, { AWS: hubArgo.iamRoleArn });
    }
    const hub = json(files, 'iac/clusters/hub.json');
    assert.deepEqual(hub.accessEntries, {});
    assert.deepEqual(hub.roles['argo-cd'].permissionsPolicy.Statement[0].Resource, exampleFleet.spec.clusters.filter((c) => c.role === 'spoke').map((c) => c.argocdRoleArn).sort());
    assert.deepEqual(hub.roles['argo-cd'].serviceAccounts, ['argocd-application-controller', 'argocd-server']);
  });

  it('the fleet file lists every cluster with its contract and the other IAM documents', () => {
    const fleet = json(files, 'iac/fleet.json');
    assert.deepEqual(Object.keys(fleet.clusters), ['hub', 'spoke-prod', 'spoke-staging']);
    for (const c of Object.values<any>(fleet.clusters)) assert.ok(files.has(c.contract), c.contract);
    for (const doc of fleet.iamDocuments) assert.ok(files.has(doc), doc);
    assert.ok(fleet.iamDocuments.includes('iam/git-credentials/hub.json'));
  });

  it('is IRSA without Pod Identity associations when the fleet uses IRSA', () => {
    for (const name of ['hub', 'spoke-staging', 'spoke-prod']) assert.deepEqual(json(files, `iac/clusters/${name}.json`).podIdentityAssociations, {});
  });
});

describe('EKS Pod Identity', () => {
  it('needs no spoke role when the hub is on Pod Identity, and refuses one', () => {
    const spec = fleetCopy();
    spec.identity = 'pod-identity';
    const problems = validateFleet(withSpec(spec), ADDON_CATALOG).map(formatProblem);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^environments\/clusters\.ts: clusters\[1\]\.argocdRoleArn: the hub's Argo CD runs with EKS Pod Identity in single-role mode/);
    assert.deepEqual(validateFleet(podIdentityFleet(), ADDON_CATALOG), []);
  });

  it('renders no IRSA annotation, one association per service account, Pod Identity trust and single-role Argo CD', () => {
    const files = render(podIdentityFleet());
    const apps = addonApplications(files);
    const lbc = apps.get('aws-load-balancer-controller-spoke-prod')!;
    assert.equal(roleArnOf(lbc), undefined);
    assert.equal(helmOf(lbc).valuesObject.serviceAccount.name, 'aws-load-balancer-controller');
    assert.deepEqual(helmOf(apps.get('argo-cd-hub')!).valuesObject ?? {}, {});
    // Add-ons and Crossplane carry no role annotation (team secret stores still do: External Secrets' jwt
    // auth exchanges the store's service-account token through the cluster's OIDC provider).
    const text = [...files].filter(([f]) => f.startsWith('hub/argocd/addons/') || f.startsWith('hub/crossplane/')).map(([, t]) => t).join('\n');
    assert.doesNotMatch(text, /role-arn/);

    const prod = json(files, 'iac/clusters/spoke-prod.json');
    assert.equal(prod.identity, 'pod-identity');
    assert.deepEqual(prod.podIdentityAssociations['kube-system/aws-load-balancer-controller'], {
      namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller', roleArn: prod.roles['aws-load-balancer-controller'].arn,
    });
    assert.deepEqual(prod.roles.karpenter.trustPolicy.Statement[0], {
      Sid: 'KarpenterOnSpokeProd',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:RequestTag/eks-cluster-name': 'spoke-prod', 'aws:RequestTag/kubernetes-namespace': 'karpenter', 'aws:RequestTag/kubernetes-service-account': 'karpenter' } },
    });
    assert.equal(prod.inputs.oidc_provider_spoke_prod, undefined, 'no OIDC issuer is needed for Pod Identity roles');
    assert.equal(prod.roles['argocd-spoke'], undefined);
    const hub = json(files, 'iac/clusters/hub.json');
    assert.equal(prod.accessEntries.argocd.principalArn, hub.roles['argo-cd'].arn);
    assert.equal(hub.roles['argo-cd'].permissionsPolicy, null);
    assert.deepEqual(Object.keys(hub.podIdentityAssociations).filter((k) => k.startsWith('argocd/')), ['argocd/argocd-application-controller', 'argocd/argocd-server']);

    // Argo CD: awsAuthConfig without roleARN (single-role mode, argo-cd #17064).
    const secret = docs(files, 'hub/argocd/clusters/').find((d) => d.metadata.name === 'cluster-spoke-prod');
    assert.deepEqual(JSON.parse(secret.stringData.config).awsAuthConfig, { clusterName: 'spoke-prod' });
    assert.equal(secret.metadata.labels.aws_identity, 'pod-identity');

    // Crossplane: one service account the association names, and the PodIdentity credentials source.
    const crossplane = docs(files, 'hub/crossplane/');
    const runtime = crossplane.find((d) => d?.kind === 'DeploymentRuntimeConfig');
    assert.deepEqual(runtime.spec.serviceAccountTemplate.metadata, { name: 'provider-aws' });
    for (const pc of crossplane.filter((d) => d?.kind === 'ProviderConfig')) assert.equal(pc.spec.credentials.source, 'PodIdentity');
    assert.deepEqual(hub.podIdentityAssociations['crossplane-system/provider-aws']?.serviceAccount, 'provider-aws');
  });

  it('mixes IRSA and Pod Identity clusters: the role annotation only where the cluster uses IRSA, empty elsewhere', () => {
    const spec = fleetCopy();
    (spec.clusters[2] as any).identity = 'pod-identity';
    const files = render(withSpec(spec));
    const apps = addonApplications(files);
    assert.equal(roleArnOf(apps.get('aws-load-balancer-controller-spoke-staging')), (spec.clusters[1].addons!['aws-load-balancer-controller'] as any).iamRoleArn);
    assert.equal(roleArnOf(apps.get('aws-load-balancer-controller-spoke-prod')), '');
    assert.ok(json(files, 'iac/clusters/spoke-prod.json').podIdentityAssociations['karpenter/karpenter']);
    assert.deepEqual(json(files, 'iac/clusters/spoke-staging.json').podIdentityAssociations, {});
    // The hub stays on IRSA: spokes keep their roles, whatever their own identity.
    const secret = docs(files, 'hub/argocd/clusters/').find((d) => d.metadata.name === 'cluster-spoke-prod');
    assert.ok(JSON.parse(secret.stringData.config).awsAuthConfig.roleARN);
  });

  it('the mixed-identity annotation template gives the same in real Go text/template + Sprig', { skip: goOracleSkipReason() }, () => {
    const spec = fleetCopy();
    (spec.clusters[2] as any).identity = 'pod-identity';
    const files = render(withSpec(spec));
    const set = docs(files, 'hub/argocd/addons/').find((d) => d?.metadata?.name === 'addon-aws-load-balancer-controller');
    const template: string = set.spec.template.spec.sources.find((x: any) => x.helm).helm.valuesObject.serviceAccount.annotations['eks.amazonaws.com/role-arn'];
    assert.match(template, /^\{\{if eq \.metadata\.labels\.aws_identity "irsa"\}\}/);
    const data = (identity: string) => ({ metadata: { labels: { aws_identity: identity }, annotations: { aws_load_balancer_controller_iam_role_arn: 'arn:aws:iam::444455556666:role/x' } } });
    const cases = ['irsa', 'pod-identity'].map((identity) => ({ template, data: data(identity), options: ['missingkey=error'], stringMaps: [['metadata', 'labels'], ['metadata', 'annotations']] }));
    assert.deepEqual(goOracle()!(cases), [{ output: 'arn:aws:iam::444455556666:role/x' }, { output: '' }]);
  });

  it('refuses an identity that is not one', () => {
    const spec = fleetCopy();
    (spec as any).identity = 'kiam';
    (spec.clusters[1] as any).identity = 'irsa-v2';
    assert.deepEqual(validateFleet(withSpec(spec), ADDON_CATALOG).map(formatProblem), [
      'environments/fleet.ts: identity: "kiam" is not an identity; use "irsa" or "pod-identity"',
      'environments/clusters.ts: clusters[1].identity: "irsa-v2" is not an identity; use "irsa" or "pod-identity"',
    ]);
  });
});

describe('a cluster the IaC has yet to create (pending)', () => {
  const newSpoke = { name: 'spoke-dev', account: 'tenant1', environment: 'staging', role: 'spoke', region: 'us-east-2', pending: true, addons: { velero: true } };

  it('gets its contract with conventional role names, and nothing Argo CD reads', () => {
    const spec = fleetCopy();
    const before = render(withSpec(spec));
    (spec.clusters as any[]).splice(1, 0, newSpoke);
    const after = render(withSpec(spec));
    const added = [...after.keys()].filter((f) => !before.has(f));
    assert.deepEqual(added, ['iac/clusters/spoke-dev.json']);
    const changed = [...before.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
    assert.deepEqual(changed, ['iac/clusters/hub.json', 'iac/fleet.json'], "only the hub's Argo CD role (it may assume the new spoke's role) and the fleet file change");

    const dev = json(after, 'iac/clusters/spoke-dev.json');
    assert.equal(dev.pending, true);
    assert.equal(dev.region, 'us-east-2');
    assert.equal(dev.roles.velero.arn, 'arn:aws:iam::444455556666:role/spoke-dev-velero');
    assert.equal(dev.roles.karpenter.arn, 'arn:aws:iam::444455556666:role/spoke-dev-karpenter', 'enabled by its environment');
    assert.equal(dev.roles['argocd-spoke'].arn, 'arn:aws:iam::444455556666:role/spoke-dev-argocd-spoke');
    assert.equal(dev.accessEntries.argocd.principalArn, dev.roles['argocd-spoke'].arn);
    assert.ok(dev.inputs.oidc_provider_spoke_dev.includes('us-east-2'));
    const hub = json(after, 'iac/clusters/hub.json');
    assert.ok(hub.roles['argo-cd'].permissionsPolicy.Statement[0].Resource.includes(dev.roles['argocd-spoke'].arn));
    assert.equal(json(after, 'iac/fleet.json').clusters['spoke-dev'].pending, true);
  });

  it('keeps problems at the input index of each cluster, pending ones included', () => {
    const spec = fleetCopy();
    (spec.clusters as any[]).splice(1, 0, newSpoke);
    (spec.clusters[2] as any).vpcId = 'vpc-1';
    assert.deepEqual(problemsOf(withSpec(spec)), ['environments/clusters.ts: clusters[2].vpcId: "vpc-1" is not a VPC id (vpc- and 8 or 17 hex digits)']);
  });

  it('refuses what a pending cluster cannot have, and a pending cluster the IaC has created', () => {
    const spec = fleetCopy();
    (spec.clusters as any[]).push({ ...newSpoke, region: undefined, endpoint: 'https://x.eks.amazonaws.com', account: 'tenant9' });
    assert.deepEqual(problemsOf(withSpec(spec)), [
      'environments/clusters.ts: clusters[3].account: unknown account "tenant9"; known: central, tenant1',
      'environments/clusters.ts: clusters[3].region: is required while the cluster is pending: the contract names its roles and trust in the region the IaC will create it in',
      'environments/clusters.ts: clusters[3].endpoint: is a fact of a cluster that exists: the IaC writes it once it has created the cluster; remove it while the cluster is pending',
    ]);
    const created = { ...iacExampleFleet, spec: { ...iacExampleFleet.spec, clusters: iacExampleFleet.spec.clusters.map((c) => (c.name === 'spoke-prod' ? { ...c, pending: true, region: 'us-west-2' } : c)) } };
    assert.deepEqual(problemsOf(created), ['environments/clusters/spoke-prod.json: metadata.aws_cluster_name: EKS cluster "spoke-prod" exists now (this is its IaC output), but environments/clusters.ts marks it pending: remove pending: true']);
  });
});

function problemsOf(source: FleetSource): string[] {
  const r = fleetRender(source);
  return r.ok ? [] : r.problems.map(formatProblem);
}
