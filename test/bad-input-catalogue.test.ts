/**
 * A catalogue of malformed inputs, one per row: each must stop `synth` with exit code 1, one line naming
 * the file and field path (`file: path: message`), no stack trace, and `dist/` exactly as it was (same
 * bytes, same mtimes). One valid render into a temporary `dist/` is shared by every row.
 */
import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADDON_CATALOG, AddonDefinition, FleetSpec } from '../charts/index.js';
import { runCli } from '../render/cli.js';
import { exampleFleet, fleetCopy, Mutable, withSpec } from './support/fleet.js';
import { NOT_A_CERTIFICATE } from './support/ca.js';

type Spec = Mutable<FleetSpec>;

interface BadInput {
  readonly name: string;
  readonly change: (spec: Spec) => void;
  readonly catalog?: AddonDefinition[];
  /** Matches the whole `file: path: message` line. */
  readonly expect: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The exact line `text`, optionally followed by a pattern for an open-ended tail. */
const line = (text: string, tail = '') => new RegExp(`^${escape(text)}${tail}$`);

const CLUSTERS = 'environments/clusters.ts';
const ENVIRONMENTS = 'environments/environments.ts';
const FLEET = 'environments/fleet.ts';
const TEAMS = 'environments/teams.ts';
const CATALOG = 'charts/addons/catalog.ts';
/** The list an unknown add-on's message gives: every add-on of the catalog, sorted. */
const KNOWN_ADDONS = ADDON_CATALOG.map((a) => a.name).sort().join(', ');
const DNS = 'is not a DNS-1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit';
const ROLE = 'arn:aws:iam::444455556666:role/x';

const any = (v: unknown) => v as any;
const hub = (s: Spec) => any(s.clusters[0]);
const staging = (s: Spec) => any(s.clusters[1]);
const prod = (s: Spec) => any(s.clusters[2]);
const team = (s: Spec) => any(s.teams![0]);
const app = (s: Spec, name: string) => team(s).apps.find((a: any) => a.name === name);
const db = (s: Spec, env: 'staging' | 'prod') => any(s.environments.find((e) => e.name === env)!.databases);
const catalogIndex = (name: string) => ADDON_CATALOG.findIndex((a) => a.name === name);
const withEntry = (name: string, entry: Partial<AddonDefinition>): AddonDefinition[] =>
  ADDON_CATALOG.map((a) => (a.name === name ? { ...a, ...entry } : a));
const nothing = () => {};
/** Adds the team `payments` (teams[1]) with its own repository, `repo` changed as given. */
const repoTeam = (s: Spec, repo: Record<string, unknown>) => {
  any(s.teams).push({
    name: 'payments', group: 'payments-developers', environments: ['staging', 'prod'], apps: [],
    repo: { url: 'https://git.example.com/platform/payments-apps.git', revision: 'main', path: 'dist/apps', apps: [{ name: 'checkout', environments: ['staging', 'prod'] }], ...repo },
  });
};

const CATALOGUE: BadInput[] = [
  // --- fleet settings, repositories, accounts --------------------------------------------------------
  { name: 'the fleet name is not a DNS-1123 label', change: (s) => { s.name = 'My Fleet'; }, expect: line(`${FLEET}: name: "My Fleet" ${DNS}`) },
  { name: 'the Argo CD mode is unknown', change: (s) => { s.argocd = { ...s.argocd, mode: any('managed') }; },
    expect: line(`${FLEET}: argocd.mode: "managed" is not a mode; use "self-managed" or "eks-capability"`) },
  { name: 'the Argo CD namespace is not a DNS-1123 label', change: (s) => { s.argocd = { ...s.argocd, namespace: 'Argo CD' }; },
    expect: line(`${FLEET}: argocd.namespace: "Argo CD" ${DNS}`) },
  { name: 'a repository URL is not a git URL', change: (s) => { s.repos.addons.url = 'github.com/acme/fleet'; },
    expect: line(`${FLEET}: repos.addons.url: "github.com/acme/fleet" is not a git URL (https://host/org/repo.git or git@host:org/repo.git)`) },
  { name: 'a repository follows HEAD', change: (s) => { s.repos.workloads.revision = 'HEAD'; },
    expect: line(`${FLEET}: repos.workloads.revision: "HEAD" is not a branch, tag or commit (HEAD is not allowed: pin what Argo CD follows)`) },
  { name: 'a basePath does not end in /', change: (s) => { s.repos.addons.basePath = 'dist'; },
    expect: line(`${FLEET}: repos.addons.basePath: "dist" must be empty or a relative folder ending in '/' (like "dist/"), without '.' or '..'`) },
  { name: 'a basePath climbs out with ../', change: (s) => { s.repos.addons.basePath = '../'; },
    expect: line(`${FLEET}: repos.addons.basePath: "../" must be empty or a relative folder ending in '/' (like "dist/"), without '.' or '..'`) },
  { name: 'two environments with one promotion order', change: (s) => { any(s.environments.find((e) => e.name === 'prod')).promotionOrder = 1; },
    expect: line(`${ENVIRONMENTS}: environments[2].promotionOrder: 1 is also the promotionOrder of environment "staging" (environments[1]): changes would roll out to both at once, in no order you chose; give each environment its own place`) },
  { name: 'a string where a number is wanted is shown as a string', change: (s) => { any(team(s).quota ??= {}).staging = { requestsCpu: '1', requestsMemory: '1Gi', limitsCpu: '2', limitsMemory: '2Gi', pods: '3' }; },
    expect: line(`${TEAMS}: teams[0].quota.staging.pods: must be a whole number >= 1, got "3"`) },
  { name: 'NaN is shown as NaN', change: (s) => { any(s.environments[0]).promotionOrder = NaN; },
    expect: line(`${ENVIRONMENTS}: environments[0].promotionOrder: must be a whole number >= 0, got NaN`) },
  { name: 'a Date in Helm values', change: (s) => { any(s.environments.find((e) => e.name === 'prod')).addons.velero = { values: { schedule: new Date(0) } }; },
    expect: line(`${ENVIRONMENTS}: environments[2].addons.velero.values: must be JSON data: schedule is a Date, not plain data (JSON would make it a string); give a string, number, boolean, list or object`) },
  { name: 'undefined in Helm values', change: (s) => { any(s.environments.find((e) => e.name === 'prod')).addons.velero = { values: { a: undefined } }; },
    expect: /^environments\/environments\.ts: environments\[2\]\.addons\.velero\.values: must be JSON data: a is undefined/ },
  { name: 'a cycle in Helm values', change: (s) => { const v: any = { a: {} }; v.a.back = v; any(s.environments.find((e) => e.name === 'prod')).addons.velero = { values: v }; },
    expect: /^environments\/environments\.ts: environments\[2\]\.addons\.velero\.values: must be JSON data: a\.back refers back to a value that contains it \(a cycle\)/ },
  { name: 'a long cluster name makes a long Application name', change: (s) => { staging(s).name = 'spoke-staging-with-a-very-long-name-for-the-region-us-west-2'; },
    expect: /clusters\[1\]\.addons.*the Application of add-on aws-load-balancer-controller on cluster spoke-staging-with-a-very-long-name-for-the-region-us-west-2 would be named/ },
  { name: 'a repository path climbs out with ..', change: (s) => { s.repos.workloads.path = '../apps'; },
    expect: line(`${FLEET}: repos.workloads.path: "../apps" must be a relative folder without '..' or a trailing '/'`) },
  // Git credentials (repos.credentials): references to AWS Secrets Manager, never values in a URL.
  { name: 'a repository URL carries a token', change: (s) => { s.repos.addons.url = 'https://ci:ghp_s3cr3t@git.example.com/platform/cdk8s-fleet.git'; },
    expect: line(`${FLEET}: repos.addons.url: "https://***@git.example.com/platform/cdk8s-fleet.git" carries credentials in the URL: remove the part before '@' and declare them in repos.credentials (a reference to an AWS Secrets Manager secret), and rotate that token`) },
  { name: 'a credential URL prefix carries a token', change: (s) => { any(s.repos.credentials![0]).url = 'https://ci:ghp_s3cr3t@git.example.com/platform/'; },
    expect: line(`${FLEET}: repos.credentials[0].url: "https://***@git.example.com/platform/" carries credentials in the URL: remove the part before '@' and declare them in repos.credentials (a reference to an AWS Secrets Manager secret), and rotate that token`) },
  { name: 'a credential of an unknown kind', change: (s) => { any(s.repos.credentials![0]).kind = 'password'; },
    expect: line(`${FLEET}: repos.credentials[0].kind: "password" is not a credential kind; use https-token, ssh-key, github-app`) },
  { name: 'a credential with no secret reference', change: (s) => { any(s.repos.credentials![0]).secret = ''; },
    expect: line(`${FLEET}: repos.credentials[0].secret: must name the AWS Secrets Manager secret holding the credentials (a secret name like "argocd/git/git.example.com", or its ARN), got ""`) },
  { name: 'a credential maps a field its kind does not have', change: (s) => { any(s.repos.credentials![0]).keys = { sshPrivateKey: 'key' }; },
    expect: line(`${FLEET}: repos.credentials[0].keys.sshPrivateKey: is not a field of a https-token credential; use username, password`) },
  { name: 'two credentials with one name', change: (s) => { s.repos.credentials = [s.repos.credentials![0], { ...s.repos.credentials![0], match: 'repository', url: 'https://git.example.com/platform/other.git' }]; },
    expect: line(`${FLEET}: repos.credentials[1].name: "git-example-com" is already defined at repos.credentials[0]`) },
  { name: 'git credentials on a hub without External Secrets', change: (s) => { hub(s).addons = { ...hub(s).addons, 'external-secrets': false }; },
    expect: line(`${FLEET}: repos.credentials: External Secrets makes Argo CD's repository Secrets from these credentials on hub "hub": enable the external-secrets add-on there (clusters[0].addons or its environment's addons)`) },
  { name: 'the EKS capability reads a credential by name', change: (s) => { s.argocd = { mode: 'eks-capability' }; hub(s).addons = { ...hub(s).addons, 'argo-cd': false }; any(s.repos.credentials![0]).secret = 'argocd/git/git.example.com'; },
    expect: line(`${FLEET}: repos.credentials[0].secret: the EKS Argo CD capability reads the secret itself and needs its ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>), got the name "argocd/git/git.example.com"; or use an AWS CodeConnections URL (https://codeconnections.<region>.amazonaws.com/git-http/<account-id>/<region>/<connection-id>/<owner>/<repository>.git) and no credential`) },
  { name: 'an account id is not 12 digits', change: (s) => { s.accounts[0].id = '1234'; },
    expect: line(`${FLEET}: accounts[0].id: "1234" is not a 12-digit AWS account id`) },
  { name: 'two accounts share an id', change: (s) => { s.accounts.push({ ...s.accounts[1], name: 'tenant2' }); },
    expect: line(`${FLEET}: accounts[2].id: account id 444455556666 is already used by accounts[1]`) },
  { name: 'two accounts share a name', change: (s) => { s.accounts.push({ ...s.accounts[1], id: '777788889999' }); },
    expect: line(`${FLEET}: accounts[2].name: account "tenant1" is defined twice`) },
  { name: 'an account kind is unknown', change: (s) => { s.accounts[1].kind = any('shared'); },
    expect: line(`${FLEET}: accounts[1].kind: "shared" is not an account kind; use "central" or "tenant"`) },

  // --- environments and their add-on settings --------------------------------------------------------
  { name: 'two environments share a name', change: (s) => { s.environments.push({ ...s.environments[1] }); },
    expect: line(`${ENVIRONMENTS}: environments[3].name: environment "staging" is defined twice`) },
  { name: 'a promotion order is negative', change: (s) => { s.environments[1].promotionOrder = -1; },
    expect: line(`${ENVIRONMENTS}: environments[1].promotionOrder: must be a whole number >= 0, got -1`) },
  { name: 'an environment enables an unknown add-on', change: (s) => { s.environments[1].addons = { ...s.environments[1].addons, nope: true }; },
    expect: line(`${ENVIRONMENTS}: environments[1].addons.nope: unknown add-on "nope"; known add-ons: ${KNOWN_ADDONS}`) },
  { name: 'an environment pins a version range', change: (s) => { s.environments[1].addons = { ...s.environments[1].addons, karpenter: { version: '^1.2' } }; },
    expect: line(`${ENVIRONMENTS}: environments[1].addons.karpenter.version: "^1.2" is not an exact chart version (semver such as 1.2.3)`) },
  { name: 'an environment gives an IAM role', change: (s) => { s.environments[2].addons = { ...s.environments[2].addons, velero: any({ iamRoleArn: ROLE }) }; },
    expect: line(`${ENVIRONMENTS}: environments[2].addons.velero.iamRoleArn: IAM roles are per cluster; set iamRoleArn on the cluster`) },
  { name: 'an add-on setting is neither a boolean nor an object', change: (s) => { s.environments[1].addons = { ...s.environments[1].addons, keda: any('yes') }; },
    expect: line(`${ENVIRONMENTS}: environments[1].addons.keda: must be true, false or a setting object, got "yes"`) },

  // --- clusters --------------------------------------------------------------------------------------
  { name: 'two clusters share a name', change: (s) => { s.clusters[2].name = 'spoke-staging'; },
    expect: line(`${CLUSTERS}: clusters[2].name: cluster "spoke-staging" is already defined at clusters[1]; names must be unique`) },
  { name: 'a cluster name is not a DNS-1123 label', change: (s) => { s.clusters[1].name = 'Spoke_Staging'; },
    expect: line(`${CLUSTERS}: clusters[1].name: "Spoke_Staging" ${DNS}`) },
  { name: 'a label value (the tenant) is over 63 characters', change: (s) => { s.clusters[1].tenant = 'a'.repeat(64); },
    expect: line(`${CLUSTERS}: clusters[1].tenant: "${'a'.repeat(64)}" is 64 characters; at most 63 are allowed (DNS-1123 label)`) },
  { name: 'there are two hubs and a spoke names neither', change: (s) => { s.clusters.push({ ...structuredClone(hub(s)), name: 'hub-eu' }); staging(s).hub = 'hub'; },
    expect: line(`${CLUSTERS}: clusters[2].hub: the fleet has 2 hubs (hub, hub-eu): name the hub whose Argo CD manages spoke "spoke-prod"`) },
  { name: 'a spoke names an unknown hub', change: (s) => { staging(s).hub = 'hub-eu'; },
    expect: line(`${CLUSTERS}: clusters[1].hub: unknown hub "hub-eu"; hubs: hub`) },
  { name: 'a hub names another hub', change: (s) => { hub(s).hub = 'spoke-prod'; },
    expect: line(`${CLUSTERS}: clusters[0].hub: a hub manages itself; remove hub or set it to "hub"`) },
  { name: 'there is no hub', change: (s) => { hub(s).role = 'spoke'; },
    expect: line(`${CLUSTERS}: clusters: no hub: one cluster must have role "hub"`) },
  { name: 'a cluster role is unknown', change: (s) => { staging(s).role = 'edge'; },
    expect: line(`${CLUSTERS}: clusters[1].role: "edge" is not a role; use "hub" or "spoke"`) },
  { name: 'the hub runs in a tenant account', change: (s) => { hub(s).account = 'tenant1'; },
    expect: line(`${CLUSTERS}: clusters[0].account: the hub must run in a central account; "tenant1" is a tenant account`) },
  { name: 'a cluster names an unknown account', change: (s) => { staging(s).account = 'tenant9'; },
    expect: line(`${CLUSTERS}: clusters[1].account: unknown account "tenant9"; known: central, tenant1`) },
  { name: 'a cluster names an unknown environment', change: (s) => { staging(s).environment = 'qa'; },
    expect: line(`${CLUSTERS}: clusters[1].environment: unknown environment "qa"; known: control-plane, staging, prod`) },
  { name: 'a region is not an AWS region', change: (s) => { staging(s).region = 'us-weest'; },
    expect: line(`${CLUSTERS}: clusters[1].region: "us-weest" is not an AWS region (like us-west-2)`) },
  { name: 'a VPC id is malformed', change: (s) => { staging(s).vpcId = 'vpc-xyz'; },
    expect: line(`${CLUSTERS}: clusters[1].vpcId: "vpc-xyz" is not a VPC id (vpc- and 8 or 17 hex digits)`) },
  { name: 'a Kubernetes version is a patch version', change: (s) => { staging(s).kubernetesVersion = '1.31.2'; },
    expect: line(`${CLUSTERS}: clusters[1].kubernetesVersion: "1.31.2" is not a Kubernetes minor version (like "1.31")`) },
  { name: 'a spoke has no endpoint in self-managed mode', change: (s) => { delete staging(s).endpoint; },
    expect: line(`${CLUSTERS}: clusters[1].endpoint: a spoke needs its API server endpoint (https://...eks.amazonaws.com) when Argo CD is self-managed`) },
  { name: 'a spoke endpoint is plain http', change: (s) => { prod(s).endpoint = 'http://example.com'; },
    expect: line(`${CLUSTERS}: clusters[2].endpoint: "http://example.com" is not an https:// API server endpoint`) },
  { name: 'a spoke has no Argo CD role in self-managed mode', change: (s) => { delete staging(s).argocdRoleArn; },
    expect: line(`${CLUSTERS}: clusters[1].argocdRoleArn: a spoke needs the IAM role Argo CD assumes to reach it (awsAuthConfig.roleARN) when Argo CD is self-managed`) },
  { name: 'an Argo CD role is not an ARN', change: (s) => { staging(s).argocdRoleArn = 'argocd'; },
    expect: line(`${CLUSTERS}: clusters[1].argocdRoleArn: "argocd" is not an IAM role ARN`) },
  { name: 'caData holds line breaks', change: (s) => { staging(s).caData = 'LS0t\nLS0t'; },
    expect: line(`${CLUSTERS}: clusters[1].caData: must be the base64 CA bundle (public data), without line breaks`) },
  { name: 'a spoke has no cluster CA in self-managed mode', change: (s) => { delete staging(s).caData; },
    expect: line(`${CLUSTERS}: clusters[1].caData: a spoke needs its cluster CA (aws eks describe-cluster --query cluster.certificateAuthority.data) when Argo CD is self-managed: Argo CD verifies the API server with it (tlsClientConfig.caData, never insecure)`) },
  { name: 'caData is base64 but not a PEM certificate', change: (s) => { prod(s).caData = NOT_A_CERTIFICATE; },
    expect: line(`${CLUSTERS}: clusters[2].caData: does not decode to a PEM certificate (-----BEGIN CERTIFICATE-----); give certificateAuthority.data as aws eks describe-cluster prints it`) },
  { name: 'a cluster asks Argo CD to skip TLS verification', change: (s) => { staging(s).insecure = true; },
    expect: line(`${CLUSTERS}: clusters[1].insecure: Argo CD always verifies the API server certificate (tlsClientConfig.insecure is false); remove insecure and give caData`) },
  { name: 'two spokes are one API server (trailing slash, host case)', change: (s) => { prod(s).endpoint = `${staging(s).endpoint.toLowerCase()}/`; },
    expect: line(`${CLUSTERS}: clusters[2].endpoint: "https://0a1b2c3d4e5f60718293a4b5c6d7e8f9.gr7.us-west-2.eks.amazonaws.com/" is the API server of clusters[1] ("https://0A1B2C3D4E5F60718293A4B5C6D7E8F9.gr7.us-west-2.eks.amazonaws.com"): Argo CD keys clusters by server URL (a trailing '/' and the host's case do not make another server); one cluster per API server`) },
  { name: 'a spoke is named in-cluster', change: (s) => { staging(s).name = 'in-cluster'; },
    expect: line(`${CLUSTERS}: clusters[1].name: "in-cluster" is Argo CD's name for its local cluster (the hub); give the spoke a name of its own`) },
  { name: 'an Argo CD role is in an account outside the fleet', change: (s) => { staging(s).argocdRoleArn = 'arn:aws:iam::999988887777:role/spoke-staging-argocd-spoke'; },
    expect: line(`${CLUSTERS}: clusters[1].argocdRoleArn: "arn:aws:iam::999988887777:role/spoke-staging-argocd-spoke" is in account 999988887777, which is not one of the fleet's accounts (111122223333, 444455556666)`) },
  { name: 'an add-on IAM role is in an account outside the fleet', change: (s) => { prod(s).addons.velero = { iamRoleArn: 'arn:aws:iam::999988887777:role/spoke-prod-velero' }; },
    expect: line(`${CLUSTERS}: clusters[2].addons.velero.iamRoleArn: "arn:aws:iam::999988887777:role/spoke-prod-velero" is in account 999988887777, which is not one of the fleet's accounts (111122223333, 444455556666)`) },
  { name: 'an EKS cluster name starts with a dash', change: (s) => { staging(s).awsClusterName = '-staging'; },
    expect: line(`${CLUSTERS}: clusters[1].awsClusterName: "-staging" is not a valid EKS cluster name`) },

  // --- add-ons on clusters -----------------------------------------------------------------------------
  { name: 'a cluster enables an unknown add-on', change: (s) => { staging(s).addons['cert-manger'] = true; },
    expect: line(`${CLUSTERS}: clusters[1].addons.cert-manger: unknown add-on "cert-manger"; known add-ons: ${KNOWN_ADDONS}`) },
  { name: 'an enabled add-on misses its IAM role annotation', change: (s) => { delete staging(s).addons['aws-load-balancer-controller']; },
    expect: line(`${CLUSTERS}: clusters[1].addons.aws-load-balancer-controller.iamRoleArn: add-on "aws-load-balancer-controller" needs an IAM role (enabled by environment "staging"): give iamRoleArn, written as annotation aws_load_balancer_controller_iam_role_arn`) },
  { name: 'an add-on without AWS calls gets an IAM role', change: (s) => { staging(s).addons['metrics-server'] = { iamRoleArn: ROLE }; },
    expect: line(`${CLUSTERS}: clusters[1].addons.metrics-server.iamRoleArn: add-on "metrics-server" does not use an IAM role; remove iamRoleArn`) },
  { name: 'an IAM role is not an ARN', change: (s) => { staging(s).addons.karpenter = { iamRoleArn: 'karpenter-role' }; },
    expect: line(`${CLUSTERS}: clusters[1].addons.karpenter.iamRoleArn: "karpenter-role" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`) },
  { name: 'a cluster pins a version that is not semver', change: (s) => { prod(s).addons['kube-prometheus-stack'].version = 'latest'; },
    expect: line(`${CLUSTERS}: clusters[2].addons.kube-prometheus-stack.version: "latest" is not an exact chart version (semver such as 1.2.3)`) },
  { name: 'Helm values are a list', change: (s) => { prod(s).addons['kube-prometheus-stack'].values = []; },
    expect: line(`${CLUSTERS}: clusters[2].addons.kube-prometheus-stack.values: must be an object of Helm values`) },
  { name: 'a hub-only add-on is enabled on a spoke', change: (s) => { staging(s).addons.crossplane = { iamRoleArn: ROLE }; },
    expect: line(`${CLUSTERS}: clusters[1].addons.crossplane: add-on "crossplane" runs on the hub only; disable it for spoke "spoke-staging"`) },
  { name: 'an add-on dependency is not enabled on the same cluster', change: (s) => { hub(s).addons['opentelemetry-operator'] = true; hub(s).addons['cert-manager'] = false; hub(s).addons['aws-load-balancer-controller'] = false; },
    expect: line(`${CLUSTERS}: clusters[0].addons.opentelemetry-operator: add-on "opentelemetry-operator" needs "cert-manager" on the same cluster; enable cert-manager too`) },
  { name: 'the argo-cd add-on runs in EKS capability mode', change: (s) => { s.argocd = { mode: 'eks-capability' }; },
    expect: line(`${CLUSTERS}: clusters[0].addons.argo-cd: the EKS Argo CD capability manages Argo CD; disable the argo-cd add-on or use mode "self-managed"`) },

  // Versions per Kubernetes minor (docs/addons.md): a pin must hold the minor of every cluster it reaches.
  { name: 'an environment pins a version whose checked range misses one of its clusters', change: (s) => { any(s.environments[2].addons).descheduler = { version: '0.34.0' }; },
    expect: line(`${ENVIRONMENTS}: environments[2].addons.descheduler.version: descheduler 0.34.0 supports Kubernetes 1.34-1.34 (kubernetes-sigs/descheduler@descheduler-helm-chart-0.34.0:charts/descheduler/Chart.yaml), but cluster "spoke-prod" of environment "prod" runs 1.33: pin a version whose range holds 1.33 (or pin that cluster on its own); the catalog's checked versions: `, '.*') },
  { name: 'a cluster pins a version whose checked range misses its minor', change: (s) => { prod(s).addons.descheduler = { version: '0.35.1' }; },
    expect: line(`${CLUSTERS}: clusters[2].addons.descheduler.version: descheduler 0.35.1 supports Kubernetes 1.35-1.35 (kubernetes-sigs/descheduler@descheduler-helm-chart-0.35.1:charts/descheduler/Chart.yaml), but cluster "spoke-prod" runs 1.33: pin a version whose range holds 1.33; the catalog's checked versions: `, '.*') },
  { name: 'a cluster runs a Kubernetes minor no checked version supports', change: (s) => { staging(s).kubernetesVersion = '1.29'; },
    expect: line(`${ENVIRONMENTS}: environments[1].addons.keda: no version of keda the catalog checked supports Kubernetes 1.29, which cluster "spoke-staging" runs (enabled by environment "staging"): the catalog's checked versions are 2.20.2 (Kubernetes 1.33-1.35), 2.19.0 (Kubernetes 1.32-1.34), 2.18.3 (Kubernetes 1.31-1.33), 2.17.2 (Kubernetes 1.30-1.32); pin a version known to work, or disable keda there`) },
  // Facts of the IaC contract: what an add-on needs beyond its role.
  { name: 'an enabled add-on misses a fact of the IaC contract', change: (s) => { delete staging(s).addons.karpenter.facts.karpenter_sqs_queue_name; },
    expect: line(`${CLUSTERS}: clusters[1].addons.karpenter.facts.karpenter_sqs_queue_name: add-on "karpenter" needs `, '.*the IaC writes it as annotation karpenter_sqs_queue_name \\(dist/iac/clusters/spoke-staging\\.json lists it\\).*') },
  { name: 'a fact does not match its pattern (an ARN where a role name belongs)', change: (s) => { staging(s).addons.karpenter.facts.karpenter_node_iam_role_name = ROLE; },
    expect: line(`${CLUSTERS}: clusters[1].addons.karpenter.facts.karpenter_node_iam_role_name: "${ROLE}" is not `, '.*') },
  { name: 'a cluster gives a fact the add-on does not have', change: (s) => { staging(s).addons.karpenter.facts.karpenter_queue = 'q'; },
    expect: line(`${CLUSTERS}: clusters[1].addons.karpenter.facts: "karpenter_queue" is not a fact of karpenter; its facts: karpenter_sqs_queue_name, karpenter_node_iam_role_name`) },

  // Companion resources (docs/addons.md): checked against their CRD schemas and the contract at synth.
  { name: 'a NodePool companion names an EC2NodeClass the cluster does not have', change: (s) => { prod(s).addons.karpenter.companions = { 'nodepool-default': { spec: { template: { spec: { nodeClassRef: { name: 'gpu' } } } } } }; },
    expect: line(`${CLUSTERS}: clusters[2].addons.karpenter.companions.nodepool-default.spec.template.spec.nodeClassRef.name: names karpenter.k8s.aws/EC2NodeClass "gpu", which is not among the EC2NodeClasses of "karpenter" on cluster "spoke-prod" ("default")`) },
  { name: 'an EC2NodeClass companion names a role the IaC contract does not give', change: (s) => { prod(s).addons.karpenter.companions = { 'ec2nodeclass-default': { spec: { role: 'KarpenterNodeRole' } } }; },
    expect: line(`${CLUSTERS}: clusters[2].addons.karpenter.companions.ec2nodeclass-default.spec.role: is "KarpenterNodeRole", not the node role the IaC contract gives cluster "spoke-prod" (karpenter_node_iam_role_name: "spoke-prod-karpenter-node"); use that role or an instanceProfile`) },
  { name: 'an environment\'s companion fails its CRD schema', change: (s) => { any(s.environments[1].addons).karpenter = { companions: { 'nodepool-default': { spec: { disruption: { consolidationPolicy: 'Sometimes' } } } } }; },
    expect: line(`${ENVIRONMENTS}: environments[1].addons.karpenter.companions.nodepool-default.spec.disruption.consolidationPolicy: `, '.*\\[schema karpenter\\.sh/v1 NodePool\\].*') },

  // --- a custom catalog ---------------------------------------------------------------------------------
  { name: 'the catalog has an add-on dependency cycle', change: nothing, catalog: withEntry('cert-manager', { dependsOn: ['opentelemetry-operator'] }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('cert-manager')}].dependsOn: dependency cycle between add-ons: cert-manager -> opentelemetry-operator -> cert-manager; remove one of these dependencies`) },
  { name: 'a catalog entry depends on an unknown add-on', change: nothing, catalog: withEntry('cert-manager', { dependsOn: ['istio'] }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('cert-manager')}].dependsOn[0]: "cert-manager" depends on unknown add-on "istio"`) },
  { name: 'an OCI chart is given with a scheme', change: nothing, catalog: withEntry('karpenter', { repoUrl: 'oci://public.ecr.aws/karpenter' }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('karpenter')}].repoUrl: "oci://public.ecr.aws/karpenter" is not an OCI registry path without scheme (like public.ecr.aws/karpenter)`) },
  { name: 'a catalog version is a range', change: nothing, catalog: withEntry('keda', { version: '2.x' }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('keda')}].version: "2.x" is not an exact chart version (semver such as 1.2.3 or v1.2.3)`) },
  { name: 'a catalog pin does not say where it was checked', change: nothing, catalog: withEntry('keda', { pins: ADDON_CATALOG[catalogIndex('keda')].pins!.map((p, i) => (i === 0 ? { ...p, checkedAgainst: 'the KEDA docs' } : p)) }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('keda')}].pins[0].checkedAgainst: "the KEDA docs" does not name where the pin was checked: <owner>/<repo>@<tag>:<path of Chart.yaml>`) },
  { name: 'a catalog version is not its newest checked version', change: nothing, catalog: withEntry('keda', { version: '2.19.0' }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('keda')}].version: "2.19.0" is not the newest checked version; pins[0] is 2.20.2: the default is the newest pin`) },
  { name: 'a catalog pin\'s Kubernetes range is upside down', change: nothing, catalog: withEntry('keda', { pins: ADDON_CATALOG[catalogIndex('keda')].pins!.map((p, i) => (i === 0 ? { ...p, kubernetes: { min: '1.35', max: '1.33' } } : p)) }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('keda')}].pins[0].kubernetes: max 1.33 is below min 1.35`) },
  { name: 'a catalog lists its pins oldest first', change: nothing, catalog: withEntry('keda', { pins: [...ADDON_CATALOG[catalogIndex('keda')].pins!].reverse(), version: '2.17.2' }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('keda')}].pins[1].version: 2.18.3 is newer than pins[0] (2.17.2): list pins newest first, so a cluster gets the newest that supports its Kubernetes minor`) },
  { name: 'the catalog defines an add-on twice', change: nothing, catalog: [...ADDON_CATALOG, { ...ADDON_CATALOG[catalogIndex('keda')] }],
    expect: line(`${CATALOG}: ADDON_CATALOG[${ADDON_CATALOG.length}].name: add-on "keda" is defined twice; names must be unique`) },
  { name: 'a spokes-only add-on is enabled on the hub', change: nothing, catalog: withEntry('metrics-server', { placement: 'spokes' }),
    expect: line(`${CLUSTERS}: clusters[0].addons.metrics-server: add-on "metrics-server" runs on spokes only; disable it for the hub`) },
  { name: 'a template reads an annotation the contract never writes', change: nothing, catalog: withEntry('cert-manager', { serviceAccount: undefined }),
    expect: line(`${CATALOG}: ADDON_CATALOG[${catalogIndex('cert-manager')}]: the template of "cert-manager" reads annotation cert_manager_service_account, which the contract does not write for cluster "`, 'spoke-(prod|staging)"') },

  // --- teams ----------------------------------------------------------------------------------------
  { name: 'a team takes a reserved name', change: (s) => { team(s).name = 'platform'; },
    expect: line(`${TEAMS}: teams[0].name: "platform" is reserved for a platform AppProject; pick another team name`) },
  { name: 'two teams share a name', change: (s) => { any(s.teams).push({ ...team(s) }); },
    expect: line(`${TEAMS}: teams[1].name: team "webstore" is already defined at teams[0]`) },
  { name: 'a team has no group', change: (s) => { team(s).group = ' '; },
    expect: line(`${TEAMS}: teams[0].group: give the identity-provider group of the team`) },
  { name: 'a team deploys to an unknown environment', change: (s) => { team(s).environments.push('qa'); },
    expect: line(`${TEAMS}: teams[0].environments[2]: unknown environment "qa"; known: control-plane, staging, prod`) },
  { name: 'a team deploys where no cluster takes workloads', change: (s) => { team(s).environments.push('control-plane'); },
    expect: line(`${TEAMS}: teams[0].environments[2]: no cluster takes workloads in environment "control-plane"`) },
  { name: 'a team name makes a namespace over 63 characters', change: (s) => { team(s).name = 'w'.repeat(60); },
    expect: line(`${TEAMS}: teams[0].name: namespace "${'w'.repeat(60)}-staging" is 68 characters; at most 63 are allowed: shorten the team name`) },
  { name: 'a quota is not a Kubernetes quantity', change: (s) => { team(s).quota.prod.requestsCpu = 'lots'; },
    expect: line(`${TEAMS}: teams[0].quota.prod.requestsCpu: "lots" is not a Kubernetes quantity (like 500m, 2, 4Gi)`) },
  { name: 'a quota allows no pods', change: (s) => { team(s).quota.staging.pods = 0; },
    expect: line(`${TEAMS}: teams[0].quota.staging.pods: must be a whole number >= 1, got 0`) },
  { name: 'a quota names an environment the team does not deploy to', change: (s) => { team(s).quota.qa = { ...team(s).quota.prod }; },
    expect: line(`${TEAMS}: teams[0].quota.qa: environment "qa" is not one of the team's environments`) },
  { name: 'an access level is unknown', change: (s) => { team(s).access.prod = 'admin'; },
    expect: line(`${TEAMS}: teams[0].access.prod: "admin" is not an access level; use "view" or "edit"`) },
  { name: 'a quota is too small for the apps at maximum scale', change: (s) => { team(s).quota.prod.pods = 5; },
    expect: line(`${TEAMS}: teams[0].quota.prod: pods: the apps need 17 at their maximum scale, the quota allows 5; raise the quota or lower replicas and resources`) },

  // --- a team with its own repository (teams[i].repo) -------------------------------------------------
  { name: 'a team repository URL carries a token', change: (s) => { repoTeam(s, { url: 'https://ci:ghp_s3cr3t@git.example.com/platform/payments-apps.git' }); },
    expect: line(`${TEAMS}: teams[1].repo.url: "https://***@git.example.com/platform/payments-apps.git" carries credentials in the URL: remove the part before '@' and declare them in repos.credentials (a reference to an AWS Secrets Manager secret), and rotate that token`) },
  { name: 'a team repository URL is of no git form', change: (s) => { repoTeam(s, { url: 'http://git.example.com/platform/payments-apps.git' }); },
    expect: line(`${TEAMS}: teams[1].repo.url: "http://git.example.com/platform/payments-apps.git" is not a git URL (https://host/org/repo.git or git@host:org/repo.git)`) },
  { name: 'a team repository URL is a glob', change: (s) => { repoTeam(s, { url: 'https://git.example.com/platform/*' }); },
    expect: line(`${TEAMS}: teams[1].repo.url: "https://git.example.com/platform/*" holds a character Argo CD reads as a glob in the AppProject's sourceRepos (* ? [ ] { } \\ !): the project would not match the repository; use its plain URL`) },
  { name: 'a private team repository no credential covers', change: (s) => { repoTeam(s, { url: 'git@github.com:acme/payments-apps.git' }); },
    expect: line(`${TEAMS}: teams[1].repo.url: no credential of repos.credentials covers "git@github.com:acme/payments-apps.git", so Argo CD cannot clone it: add one (match "repository" for this URL, or "prefix" for its organisation), or set repo.public: true when the repository is public`) },
  { name: 'a team repository has an empty revision', change: (s) => { repoTeam(s, { revision: '' }); },
    expect: line(`${TEAMS}: teams[1].repo.revision: "" is not a branch, tag or commit (HEAD is not allowed: pin what Argo CD follows)`) },
  { name: 'a team repository path is empty', change: (s) => { repoTeam(s, { path: '' }); },
    expect: line(`${TEAMS}: teams[1].repo.path: "" must be the relative folder of the rendered apps in the repository (like "dist/apps"): not empty, not absolute, without '.', '..' or a trailing '/'`) },
  { name: 'a team repository path is absolute', change: (s) => { repoTeam(s, { path: '/dist/apps' }); },
    expect: line(`${TEAMS}: teams[1].repo.path: "/dist/apps" must be the relative folder of the rendered apps in the repository (like "dist/apps"): not empty, not absolute, without '.', '..' or a trailing '/'`) },
  { name: 'a team repository path climbs out with ..', change: (s) => { repoTeam(s, { path: 'dist/../../apps' }); },
    expect: line(`${TEAMS}: teams[1].repo.path: "dist/../../apps" must be the relative folder of the rendered apps in the repository (like "dist/apps"): not empty, not absolute, without '.', '..' or a trailing '/'`) },
  { name: 'a team with its own repository also declares apps in the platform', change: (s) => { team(s).repo = { url: 'https://git.example.com/platform/webstore-apps.git', revision: 'main', path: 'dist/apps', apps: [] }; },
    expect: line(`${TEAMS}: teams[0].apps: the team renders its apps in its own repository (teams[0].repo): declare them there (repo.apps) and leave apps empty ([]); a team's apps live in one place`) },
  { name: 'an app of a team repository runs in an environment the team does not deploy to', change: (s) => { repoTeam(s, {}); any(s.teams![1]).environments = ['staging']; },
    expect: line(`${TEAMS}: teams[1].repo.apps[0].environments[1]: the team does not deploy to "prod"; its environments are staging`) },

  // --- apps and their overlays -------------------------------------------------------------------------
  { name: 'two apps share a name', change: (s) => { team(s).apps.push({ ...app(s, 'backend') }); },
    expect: line(`${TEAMS}: teams[0].apps[4].name: app "backend" is already defined at teams[0].apps[1]`) },
  { name: 'two apps render one object in an environment', change: (s) => {
    const shared = { name: 'shop-settings', literals: { CURRENCY: 'EUR' }, options: { disableNameSuffixHash: true } };
    app(s, 'ui').environments.prod = { ...app(s, 'ui').environments.prod, configMapGenerator: [shared] };
    app(s, 'mailer').environments.prod = { ...app(s, 'mailer').environments.prod, configMapGenerator: [shared] };
  },
    expect: line(`${TEAMS}: teams[0].apps[2].environments.prod: renders ConfigMap "shop-settings", which app "mailer" renders too in "prod": two Applications would own it (Argo CD's SharedResourceWarning) and each sync would overwrite the other's; rename one, or keep it in one app`) },
  { name: 'an app name is not a DNS-1123 label', change: (s) => { app(s, 'mailer').name = 'Mail Er'; },
    expect: line(`${TEAMS}: teams[0].apps[3].name: "Mail Er" ${DNS}`) },
  { name: 'an app has two bases', change: (s) => { app(s, 'mailer').webService = { ...app(s, 'ui').webService }; },
    expect: line(`${TEAMS}: teams[0].apps[3]: give exactly one of webService, worker or chart, got webService and worker`) },
  { name: 'an image has no tag', change: (s) => { app(s, 'ui').webService.image = { repository: 'public.ecr.aws/acme-webstore/ui' }; },
    expect: line(`${TEAMS}: teams[0].apps[2].webService.image.tag: the image has no tag or digest; pin it (tag "v1.2.3" or digest "sha256:...")`) },
  { name: 'an image uses the latest tag', change: (s) => { app(s, 'frontend').webService.image.tag = 'latest'; },
    expect: line(`${TEAMS}: teams[0].apps[0].webService.image.tag: "latest" is not a pin ("latest" in any letter case is refused); use a version tag or a digest`) },
  { name: 'an image repository holds a tag and capitals', change: (s) => { app(s, 'mailer').worker.image.repository = 'Public.ECR.aws/mailer:v1'; },
    expect: line(`${TEAMS}: teams[0].apps[3].worker.image.repository: "Public.ECR.aws/mailer:v1" is not an image repository (lower-case, no tag or digest: put those in tag / digest)`) },
  // Database secrets: a rotated password must reach the pods; the store's service account is the platform's.
  { name: 'an app with a database runs on a spoke without Reloader', change: (s) => { prod(s).addons.reloader = false; },
    expect: line(`${TEAMS}: teams[0].apps[1].database: RDS rotates the database password and only Reloader restarts the pods that read it: enable the reloader add-on on cluster "spoke-prod" (environment "prod")`) },
  { name: 'an app takes the name of the team secret store\'s service account', change: (s) => { app(s, 'mailer').name = 'fleet-secret-store'; },
    expect: line(`${TEAMS}: teams[0].apps[3].name: "fleet-secret-store" is reserved: the team's secret store uses a service account of that name in the team namespace; choose another name`) },
  // What the WebService and Worker constructs refuse is found by validation, before anything renders.
  { name: 'a web service asks for a negative replica count', change: (s) => { app(s, 'ui').webService.replicas = -1; },
    expect: line(`${TEAMS}: teams[0].apps[2].webService.replicas: must be a whole number >= 0, got -1`) },
  { name: 'a web service gives replicas and autoscaling', change: (s) => { app(s, 'backend').webService.replicas = 2; },
    expect: line(`${TEAMS}: teams[0].apps[1].webService.replicas: give either replicas or autoscaling, not both (the autoscaler owns the replica count)`) },
  { name: 'a worker runs as root', change: (s) => { app(s, 'mailer').worker.runAsUser = 0; },
    expect: line(`${TEAMS}: teams[0].apps[3].worker.runAsUser: must be a non-root user id (> 0), got 0`) },
  { name: 'a web service listens on a privileged port', change: (s) => { app(s, 'ui').webService.port = 80; },
    expect: line(`${TEAMS}: teams[0].apps[2].webService.port: 80 must be 1024..65535 (non-root containers cannot bind lower ports)`) },
  { name: 'a web service health check path is relative', change: (s) => { app(s, 'ui').webService.healthCheckPath = 'healthz'; },
    expect: line(`${TEAMS}: teams[0].apps[2].webService.healthCheckPath: "healthz" must start with '/'`) },
  { name: 'an ingress asks for an unknown ALB scheme', change: (s) => { app(s, 'frontend').webService.ingress.scheme = 'public'; },
    expect: line(`${TEAMS}: teams[0].apps[0].webService.ingress.scheme: "public" is not an ALB scheme; use "internet-facing" or "internal"`) },
  { name: 'a worker has an empty liveness command', change: (s) => { app(s, 'mailer').worker.livenessCommand = []; },
    expect: line(`${TEAMS}: teams[0].apps[3].worker.livenessCommand: give the command as a non-empty list of strings, got []`) },
  { name: 'a web service app name leaves no room for suffixes', change: (s) => { app(s, 'ui').name = 'u'.repeat(53); },
    expect: line(`${TEAMS}: teams[0].apps[2].name: "${'u'.repeat(53)}" must be a DNS-1123 label of at most 52 characters (room for suffixes like -config)`) },
  { name: 'an app has no overlay at all', change: (s) => { app(s, 'mailer').environments = {}; },
    expect: line(`${TEAMS}: teams[0].apps[3].environments: give an overlay for at least one environment (an empty {} is fine)`) },
  { name: 'an overlay is for an environment the team does not deploy to', change: (s) => { app(s, 'frontend').environments.qa = {}; },
    expect: line(`${TEAMS}: teams[0].apps[0].environments.qa: the team does not deploy to "qa"; its environments are staging, prod`) },
  { name: 'an overlay sets the namespace', change: (s) => { app(s, 'frontend').environments.prod.namespace = 'other'; },
    expect: line(`${TEAMS}: teams[0].apps[0].environments.prod.namespace: the namespace is the team's (<team>-<environment>) and set by the platform; remove it`) },
  { name: 'an overlay has a secretGenerator', change: (s) => { app(s, 'frontend').environments.prod.secretGenerator = [{ name: 'db', literals: { password: 'x' } }]; },
    expect: line(`${TEAMS}: teams[0].apps[0].environments.prod.secretGenerator: Secrets are never rendered into git; read credentials from AWS Secrets Manager with an ExternalSecret`) },
  { name: 'an overlay image uses the latest tag', change: (s) => { app(s, 'backend').environments.prod.images[0].newTag = 'latest'; },
    expect: line(`${TEAMS}: teams[0].apps[1].environments.prod.images[0].newTag: "latest" is not a pin ("latest" in any letter case is refused); use a version tag or a digest`) },
  { name: 'an overlay pins the tag Latest', change: (s) => { app(s, 'backend').environments.prod.images[0].newTag = 'Latest'; },
    expect: line(`${TEAMS}: teams[0].apps[1].environments.prod.images[0].newTag: "Latest" is not a pin ("latest" in any letter case is refused); use a version tag or a digest`) },
  { name: 'an overlay digest is malformed', change: (s) => { app(s, 'backend').environments.staging.images[0].digest = 'sha256:abc'; },
    expect: line(`${TEAMS}: teams[0].apps[1].environments.staging.images[0].digest: "sha256:abc" is not a digest (sha256: and 64 hex digits)`) },
  { name: 'an overlay replica count is negative', change: (s) => { app(s, 'frontend').environments.staging.replicas[0].count = -1; },
    expect: line(`${TEAMS}: teams[0].apps[0].environments.staging.replicas[0].count: must be a whole number >= 0, got -1`) },
  { name: 'an overlay has an unknown field', change: (s) => { app(s, 'ui').environments.staging = { replica: [] }; },
    expect: line(`${TEAMS}: teams[0].apps[2].environments.staging: overlay: unknown field "replica"; the fields are `, '[a-zA-Z, ]+') },
  {
    name: 'a patch targets nothing',
    change: (s) => {
      app(s, 'frontend').environments.prod = { patches: [{ target: { kind: 'StatefulSet', name: 'frontend' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 1 }] }] };
    },
    expect: line(`${TEAMS}: teams[0].apps[0].environments.prod: patch targets nothing: `, '.*StatefulSet.*'),
  },
  { name: 'connectsTo names an unknown app', change: (s) => { app(s, 'frontend').connectsTo = ['payments']; },
    expect: line(`${TEAMS}: teams[0].apps[0].connectsTo[0]: unknown app "payments" in team "webstore"`) },
  { name: 'an app connects to itself', change: (s) => { app(s, 'frontend').connectsTo = ['backend', 'frontend']; },
    expect: line(`${TEAMS}: teams[0].apps[0].connectsTo[1]: an app does not need a policy to reach itself`) },

  // --- databases -------------------------------------------------------------------------------------
  { name: 'a database asks for an unknown size class', change: (s) => { app(s, 'backend').database.size = 'huge'; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.size: "huge" is not a size class; known: small, medium, large`) },
  { name: 'a database size map misses an environment the app runs in', change: (s) => { app(s, 'backend').database.size = { staging: 'small' }; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.size: no size class for environment "prod"; known size classes: small, medium, large`) },
  { name: 'a database size map names an environment the app does not run in', change: (s) => { app(s, 'backend').database.size.qa = 'small'; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.size.qa: the app does not run in environment "qa"`) },
  { name: 'a database is in an environment without database settings', change: (s) => { delete any(s.environments[2]).databases; },
    expect: line(`${TEAMS}: teams[0].apps[1].database: environment "prod" has no database settings; add environments[2].databases`) },
  { name: 'a database engine is not postgres', change: (s) => { app(s, 'backend').database.engine = 'mysql'; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.engine: "mysql" is not supported; use "postgres"`) },
  { name: 'a PostgreSQL version is not a version', change: (s) => { app(s, 'backend').database.engineVersion = 'latest'; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.engineVersion: "latest" is not a PostgreSQL version (like "16.4")`) },
  { name: 'a database name has capitals and dashes', change: (s) => { app(s, 'backend').database.databaseName = 'Orders-DB'; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.databaseName: "Orders-DB" must start with a letter and hold only a-z, 0-9 and '_'`) },
  { name: 'Crossplane is off on the hub while an app has a database', change: (s) => { hub(s).addons.crossplane = false; },
    expect: line(`${TEAMS}: teams[0].apps[1].database: databases are claimed from Crossplane on the hub: enable the crossplane add-on on the hub`) },
  { name: 'External Secrets is off on a spoke that runs an app with a database', change: (s) => { prod(s).addons['external-secrets'] = false; },
    expect: line(`${TEAMS}: teams[0].apps[1].database: the app reads its database credentials with External Secrets: enable external-secrets on cluster "spoke-prod"`) },
  { name: 'a database allows 0.0.0.0/0', change: (s) => { db(s, 'prod').allowedCidr = '0.0.0.0/0'; },
    expect: line(`${ENVIRONMENTS}: environments[2].databases.allowedCidr: a database is never open to 0.0.0.0/0; give the spoke VPC CIDR`) },
  { name: 'allowedCidr is an address, not a CIDR', change: (s) => { db(s, 'staging').allowedCidr = '10.1.0.0'; },
    expect: line(`${ENVIRONMENTS}: environments[1].databases.allowedCidr: "10.1.0.0" is not an IPv4 CIDR`) },
  { name: 'database settings name an unknown account', change: (s) => { db(s, 'staging').account = 'tenant9'; },
    expect: line(`${ENVIRONMENTS}: environments[1].databases.account: unknown account "tenant9"; known: central, tenant1`) },
  { name: 'Crossplane has no role to assume in the database account', change: (s) => { delete any(s.accounts[1]).crossplaneRoleArn; },
    expect: line(`${ENVIRONMENTS}: environments[1].databases.account: Crossplane on the hub needs a role to assume in account "tenant1": set accounts[1].crossplaneRoleArn`) },
  { name: 'the Crossplane role is not an ARN', change: (s) => { s.accounts[1].crossplaneRoleArn = 'crossplane'; },
    expect: line(`${FLEET}: accounts[1].crossplaneRoleArn: "crossplane" is not an IAM role ARN`) },
  { name: 'database settings give one subnet', change: (s) => { db(s, 'staging').subnetIds = ['subnet-0a1b2c3d4e5f60711']; },
    expect: line(`${ENVIRONMENTS}: environments[1].databases.subnetIds: give at least two private subnets (RDS needs two availability zones)`) },
  { name: 'a subnet id is malformed', change: (s) => { db(s, 'staging').subnetIds[1] = 'subnet-xyz'; },
    expect: line(`${ENVIRONMENTS}: environments[1].databases.subnetIds[1]: "subnet-xyz" is not a subnet id`) },
  { name: 'a database VPC id is malformed', change: (s) => { db(s, 'prod').vpcId = 'vpc-12'; },
    expect: line(`${ENVIRONMENTS}: environments[2].databases.vpcId: "vpc-12" is not a VPC id`) },
  { name: 'the RDS endpoint domain is of another region', change: (s) => { db(s, 'staging').endpointDomain = 'c8xq2z1kqj5r.eu-west-1.rds.amazonaws.com'; },
    expect: line(`${ENVIRONMENTS}: environments[1].databases.endpointDomain: "c8xq2z1kqj5r.eu-west-1.rds.amazonaws.com" is not an RDS endpoint domain of us-west-2 (<id>.us-west-2.rds.amazonaws.com)`) },
  { name: 'backups are kept longer than RDS allows', change: (s) => { db(s, 'prod').backupRetentionDays = 36; },
    expect: line(`${ENVIRONMENTS}: environments[2].databases.backupRetentionDays: must be a whole number of days from 0 to 35, got 36`) },
  { name: 'a protected environment keeps too few backups', change: (s) => { db(s, 'prod').backupRetentionDays = 3; },
    expect: line(`${ENVIRONMENTS}: environments[2].databases.backupRetentionDays: a protected environment keeps at least 7 days of backups, got 3`) },

  // --- wrong types where the model expects lists and objects: a problem by field, never a TypeError ------
  { name: 'accounts is not a list', change: (s) => { s.accounts = any(42); },
    expect: line(`${FLEET}: accounts: must be a list of accounts, got a number`) },
  { name: 'a cluster entry is null', change: (s) => { s.clusters[1] = any(null); },
    expect: line(`${CLUSTERS}: clusters[1]: must be an object, got null`) },
  { name: 'a repository path is a number', change: (s) => { s.repos.addons.path = any(42); },
    expect: line(`${FLEET}: repos.addons.path: "42" must be a relative folder without '..' or a trailing '/'`) },
  { name: 'an environment\'s add-ons are a string', change: (s) => { s.environments[1].addons = any('all'); },
    expect: line(`${ENVIRONMENTS}: environments[1].addons: must be an object of add-on settings by add-on name, got a string`) },
  { name: 'database settings are a number', change: (s) => { any(s.environments[1]).databases = 1; },
    expect: line(`${ENVIRONMENTS}: environments[1].databases: must be an object { account, region, vpcId, subnetIds, allowedCidr, ... }, got a number`) },
  { name: 'subnetIds is one string', change: (s) => { db(s, 'prod').subnetIds = 'subnet-0c3d4e5f607182911'; },
    expect: line(`${ENVIRONMENTS}: environments[2].databases.subnetIds: give at least two private subnets (RDS needs two availability zones)`) },
  { name: 'a team\'s environments are a string', change: (s) => { team(s).environments = 'staging'; },
    expect: line(`${TEAMS}: teams[0].environments: list at least one environment the team deploys to`) },
  { name: 'a team\'s apps are null', change: (s) => { team(s).apps = null; },
    expect: line(`${TEAMS}: teams[0].apps: must be a list of apps, got null`) },
  { name: 'a quota is null', change: (s) => { team(s).quota.prod = null; },
    expect: line(`${TEAMS}: teams[0].quota.prod: must be a quota { requestsCpu, requestsMemory, limitsCpu, limitsMemory, pods }, got null`) },
  { name: 'an app\'s overlays are null', change: (s) => { app(s, 'backend').environments = null; },
    expect: line(`${TEAMS}: teams[0].apps[1].environments: give an overlay for at least one environment (an empty {} is fine)`) },
  { name: 'overlay images are a string', change: (s) => { app(s, 'frontend').environments.staging.images = 'frontend:v2'; },
    expect: line(`${TEAMS}: teams[0].apps[0].environments.staging.images: must be a list of image rules, got a string`) },
  { name: 'an overlay replica entry is null', change: (s) => { app(s, 'frontend').environments.staging.replicas[0] = null; },
    expect: line(`${TEAMS}: teams[0].apps[0].environments.staging.replicas[0]: must be a replica count { name, count }, got null`) },
  { name: 'connectsTo is a string', change: (s) => { app(s, 'frontend').connectsTo = 'backend'; },
    expect: line(`${TEAMS}: teams[0].apps[0].connectsTo: must be a list of app names, got a string`) },
  { name: 'a database size is null', change: (s) => { app(s, 'backend').database.size = null; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.size: no size class for environment "staging"; known size classes: small, medium, large`) },
  { name: 'a team sets a safety field of its database', change: (s) => { app(s, 'backend').database.deletionProtection = false; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.deletionProtection: "deletionProtection" is decided per environment (environments[].databases), not per app: a team cannot set it`) },
  { name: 'a team picks the account of its database', change: (s) => { app(s, 'backend').database.providerConfigName = 'aws-central'; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.providerConfigName: "providerConfigName" is decided per environment (environments[].databases), not per app: a team cannot set it`) },
  { name: 'a database has an unknown field', change: (s) => { app(s, 'backend').database.replicas = 2; },
    expect: line(`${TEAMS}: teams[0].apps[1].database.replicas: unknown field; a database takes engine, size, engineVersion, databaseName`) },
  { name: 'an RDS identifier starts with another in the same account and region', change: (s) => {
    team(s).apps.push({ ...structuredClone(app(s, 'backend')), name: 'backend-prod-v2', environments: { prod: {} }, database: { engine: 'postgres', size: 'small' } });
  }, expect: line(`${TEAMS}: teams[0].apps[4].database: the RDS identifier "webstore-backend-prod-v2-prod" starts with "webstore-backend-prod" (teams[0].apps[1].database) in the same account and region; External Secrets finds a database's secret by a tag prefix, so "webstore-backend-prod" would also find this one: rename one of the apps`) },
  { name: 'a maintenance window is not a window', change: (s) => { db(s, 'prod').maintenanceWindow = 'sunday 5am'; },
    expect: line(`${ENVIRONMENTS}: environments[2].databases.maintenanceWindow: "sunday 5am" is not a weekly window in UTC (ddd:hh24:mi-ddd:hh24:mi, like "sun:05:00-sun:06:00")`) },
  { name: 'a CloudWatch log export is not a PostgreSQL log', change: (s) => { db(s, 'prod').cloudwatchLogExports = ['postgresql', 'audit']; },
    expect: line(`${ENVIRONMENTS}: environments[2].databases.cloudwatchLogExports[1]: "audit" is not a PostgreSQL log; use "postgresql" or "upgrade"`) },
  // Rendered the network policies with a TypeError before: mailer runs in prod, ui does not.
  { name: 'connectsTo names an app that does not run where the caller runs', change: (s) => { app(s, 'mailer').connectsTo = ['ui']; },
    expect: line(`${TEAMS}: teams[0].apps[3].connectsTo[0]: app "ui" does not run in "prod", where "mailer" runs; give "ui" an overlay there or remove the connection`) },

  // --- Argo CD single sign-on and RBAC ----------------------------------------------------------------
  { name: 'the OIDC issuer is not https', change: (s) => { any(s.argocd).sso.oidc.issuer = 'http://login.example.com'; },
    expect: line(`${FLEET}: argocd.sso.oidc.issuer: must be the OIDC issuer as an https:// URL, got "http://login.example.com"`) },
  { name: 'the OIDC client secret is a value, not a reference', change: (s) => { any(s.argocd).sso.oidc.clientSecret = 'Zq3v9XbT2mLp8RkW'; },
    expect: line(`${FLEET}: argocd.sso.oidc.clientSecret: must be a reference Argo CD resolves, "$oidc.clientSecret" (a key of argocd-secret) or "$<secret>:<key>" (a Secret in Argo CD's namespace labelled app.kubernetes.io/part-of: argocd, made by External Secrets), never the secret itself (got a string of 16 characters); if it was a secret, rotate it`) },
  { name: 'an admin group is empty', change: (s) => { any(s.argocd).adminGroups = ['']; },
    expect: line(`${FLEET}: argocd.adminGroups[0]: must be a non-empty group name, got ""`) },
  { name: 'a team group is an admin group', change: (s) => { team(s).group = 'platform-admins'; },
    expect: line(`${TEAMS}: teams[0].group: "platform-admins" is an admin group (argocd.adminGroups): its members would be Argo CD admins, not only team "webstore"; give the team a group of its own`) },
  { name: 'self-managed Argo CD is given IAM Identity Center', change: (s) => { any(s.argocd).sso = { identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', region: 'us-west-2' } }; },
    expect: line(`${FLEET}: argocd.sso.identityCenter: IAM Identity Center is the EKS Argo CD capability's sign-in; self-managed Argo CD uses an OIDC provider: give sso.oidc, or use mode "eks-capability"`) },
  { name: 'the EKS capability is given an OIDC provider', change: (s) => { any(s.argocd).mode = 'eks-capability'; hub(s).addons = { ...hub(s).addons, 'argo-cd': false }; },
    expect: line(`${FLEET}: argocd.sso.oidc: the EKS Argo CD capability signs in through IAM Identity Center only: remove sso.oidc and give sso.identityCenter { instanceArn, region }`) },
];

interface FileState { readonly bytes: string; readonly mtimeMs: number }

/** Every file below `dir` with its bytes and mtime, and every folder, keyed by relative path. */
function snapshot(dir: string): Map<string, FileState | 'dir'> {
  const out = new Map<string, FileState | 'dir'>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const full = path.join(dir, child);
      if (entry.isDirectory()) {
        out.set(child, 'dir');
        walk(child);
      } else {
        out.set(child, { bytes: fs.readFileSync(full).toString('base64'), mtimeMs: fs.statSync(full).mtimeMs });
      }
    }
  };
  walk('');
  return out;
}

describe('bad input catalogue: synth refuses it, names the file and field, and leaves dist/ alone', () => {
  let parent = '';
  let dir = '';
  let rendered = new Map<string, FileState | 'dir'>();

  before(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bad-input-'));
    dir = path.join(parent, 'dist');
    mock.method(console, 'log', () => {});
    mock.method(console, 'error', () => {});
    const code = runCli(['synth', '--out', dir], exampleFleet, { catalog: ADDON_CATALOG });
    mock.restoreAll();
    assert.equal(code, 0, 'the example fleet renders');
    rendered = snapshot(dir);
    assert.ok(rendered.size > 50, `a full dist/ was rendered (${rendered.size} entries)`);
  });

  after(() => {
    if (parent) fs.rmSync(parent, { recursive: true, force: true });
  });

  it('has at least 30 distinct entries', () => {
    assert.ok(CATALOGUE.length >= 30, String(CATALOGUE.length));
    assert.equal(new Set(CATALOGUE.map((c) => c.name)).size, CATALOGUE.length, 'names are unique');
    assert.equal(new Set(CATALOGUE.map((c) => c.expect.source)).size, CATALOGUE.length, 'expected lines are distinct');
  });

  for (const entry of CATALOGUE) {
    it(`fails when ${entry.name}`, (t) => {
      const spec = fleetCopy();
      entry.change(spec);
      const err: string[] = [];
      const out: string[] = [];
      t.mock.method(console, 'log', (m: string) => out.push(String(m)));
      t.mock.method(console, 'error', (m: string) => err.push(String(m)));
      let code: number;
      try {
        code = runCli(['synth', '--out', dir], withSpec(spec), { catalog: entry.catalog ?? ADDON_CATALOG });
      } finally {
        t.mock.restoreAll();
      }
      const stderr = err.join('\n');
      assert.equal(code, 1, `exit code 1\n${stderr}`);
      assert.equal(out.join(''), '', 'nothing on stdout');
      assert.match(stderr, /^cdk8s-fleet: \d+ problems? in the fleet input:\n/, `a validation error, not a crash:\n${stderr}`);
      assert.match(stderr, /\nNothing was written\.$/);
      const lines = stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.slice(2));
      assert.ok(lines.some((l) => entry.expect.test(l)), `expected a line matching\n  ${entry.expect}\ngot\n${stderr}`);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(snapshot(dir), rendered, 'dist/ is byte-identical with the same mtimes');
      assert.deepEqual(fs.readdirSync(parent), ['dist'], 'no staging or backup folder left beside dist/');
    });
  }
});
