/**
 * The IaC contract: what the infrastructure code that creates the clusters must create for the fleet to
 * work, as JSON the IaC reads (`jsondecode(file(...))` in Terraform, `JSON.parse` in a CDK app) and loops
 * over. Maps, not lists, so Terraform `for_each` keys stay stable:
 *
 * - `iac/clusters/<cluster>.json`, per cluster:
 *   - `roles`: each IAM role the fleet references on the cluster (every add-on that calls AWS, Argo CD's
 *     spoke role): its name and ARN (the ones the cluster's IaC output names), the service accounts that
 *     use it, its trust policy (IRSA through the cluster's OIDC provider, or EKS Pod Identity), the AWS
 *     managed policies to attach and its own permissions policy;
 *   - `podIdentityAssociations`: on Pod Identity clusters, one per service account, keyed `<namespace>/<name>`;
 *   - `accessEntries`: on a spoke of a self-managed hub, the EKS access entry of the role Argo CD reaches it
 *     with (the spoke's `argocdRoleArn`, or the hub's own Argo CD role in single-role mode) and its access policy;
 *   - `inputs`: the `${token}`s in the documents that the IaC replaces (OIDC issuer, hosted zones, buckets).
 *   - `addonFacts`: the annotations the IaC writes on the cluster Secret for the add-ons that need more than a
 *     role (the Karpenter node role and interruption queue, the Velero bucket), with the value the fleet has;
 * - `iac/fleet.json`: every cluster with its contract file, and the fleet's other IAM documents (`iam/`).
 */
import { ADDON_PERMISSION_ADDONS, addonPermissions } from '../iam/permissions/addon-permissions.js';
import { IamPolicy, IamStatement, iamPolicy, irsaTrustStatement, oidcInput, oidcToken, pascalCase, podIdentityTrustStatement, serviceAccountSubject } from '../iam/iam-documents.js';
import { CROSSPLANE_PROVIDER_SERVICE_ACCOUNT } from '../crossplane/crossplane-packages.js';
import { IacPaths, IAM_DIR } from '../layout/dist-layout.js';
import { argoCdSpokeAccess, hubNames, hubOf } from '../model/hubs.js';
import type { ClusterAddon, ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { crossplaneRoles, providerServiceAccountNames } from './iam-crossplane.js';
import { jsonFile, OutputFile } from './output-file.js';
import { sortedEntries } from '../../engines/util/index.js';

/** The EKS access policy Argo CD's role gets on every spoke: it installs CRDs, cluster roles and add-ons. */
export const ARGOCD_ACCESS_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** One IAM role the IaC creates. */
export interface ContractRole {
  /** Role name: the last part of `arn`. */
  readonly name: string;
  /** Role path (`/` unless the ARN has one). */
  readonly path: string;
  readonly arn: string;
  /** What the role is for. */
  readonly description: string;
  /** Namespace of the service accounts that use it. */
  readonly namespace: string;
  /** The service accounts (names, or `StringLike` patterns for Crossplane's providers under IRSA). */
  readonly serviceAccounts: readonly string[];
  readonly trustPolicy: IamPolicy;
  /** AWS managed policies to attach. */
  readonly managedPolicyArns: readonly string[];
  /** The role's own permissions (create it as a customer managed policy, or inline), or null. */
  readonly permissionsPolicy: IamPolicy | null;
}

/** An EKS Pod Identity association. */
export interface ContractPodIdentityAssociation {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
}

/** An EKS access entry with its access policy associations. */
export interface ContractAccessEntry {
  readonly principalArn: string;
  readonly type: 'STANDARD';
  readonly description: string;
  readonly policyAssociations: Readonly<Record<string, { readonly policyArn: string; readonly accessScope: { readonly type: 'cluster' } }>>;
}

/** What the IaC must create for one cluster. */
export interface ClusterContract {
  readonly cluster: string;
  readonly eksClusterName: string;
  readonly accountId: string;
  readonly region: string;
  readonly environment: string;
  readonly role: 'hub' | 'spoke';
  readonly hub: string;
  readonly identity: 'irsa' | 'pod-identity';
  /** The IaC has not created the cluster yet: its roles have conventional names; Argo CD does not know it. */
  readonly pending: boolean;
  readonly inputs: Readonly<Record<string, string>>;
  readonly roles: Readonly<Record<string, ContractRole>>;
  readonly podIdentityAssociations: Readonly<Record<string, ContractPodIdentityAssociation>>;
  readonly accessEntries: Readonly<Record<string, ContractAccessEntry>>;
  /**
   * The add-ons' facts the IaC writes as annotations of the cluster Secret (its GitOps Bridge `metadata`),
   * by annotation key: which add-on reads it, what it is, the pattern it must match, and the value the
   * fleet has (null until the IaC output gives one).
   */
  readonly addonFacts: Readonly<Record<string, ContractAddonFact>>;
}

/** An annotation an add-on needs beyond its role, namespace and service account. */
export interface ContractAddonFact {
  readonly addon: string;
  readonly description: string;
  readonly pattern: string | null;
  readonly value: string | null;
}

/** `arn:aws:iam::<id>:role/<path/>name` -> name and path. */
function rolePath(arn: string): { name: string; path: string } {
  const parts = arn.split(':role/')[1].split('/');
  const name = parts.pop()!;
  return { name, path: parts.length === 0 ? '/' : `/${parts.join('/')}/` };
}

/** What every cluster's contract looks up, gathered once per fleet. */
interface ContractContext {
  /** The hub that manages each cluster, by cluster name. */
  readonly hubs: ReadonlyMap<string, ResolvedCluster>;
  /** Crossplane's roles (the documents of `iam/crossplane/`), built on first use. */
  readonly crossplaneRoles: () => ReturnType<typeof crossplaneRoles>;
}

function contractContext(fleet: ResolvedFleet): ContractContext {
  const names = hubNames(fleet.spec);
  const byName = new Map(fleet.clusters.map((c) => [c.name, c]));
  const hubs = new Map(fleet.clusters.map((c) => [c.name, byName.get(hubOf(c.spec, names) ?? '') ?? fleet.hub]));
  let roles: ReturnType<typeof crossplaneRoles> | undefined;
  return { hubs, crossplaneRoles: () => (roles ??= crossplaneRoles(fleet)) };
}

/** The trust of an add-on's role on a cluster, for its service accounts. */
function trust(cluster: ResolvedCluster, sid: string, namespace: string, serviceAccounts: readonly string[], inputs: Record<string, string>): IamStatement {
  if (cluster.identity === 'pod-identity') return podIdentityTrustStatement(sid, [cluster.awsClusterName], namespace, serviceAccounts);
  inputs[oidcToken(cluster.name)] = oidcInput(cluster);
  const subjects = serviceAccounts.map((sa) => serviceAccountSubject(namespace, sa));
  return irsaTrustStatement(sid, cluster.name, cluster.account.id, { operator: 'StringEquals', subjects });
}

/** The contract of one cluster. */
export function clusterContract(fleet: ResolvedFleet, cluster: ResolvedCluster, ctx: ContractContext = contractContext(fleet)): ClusterContract {
  const hub = ctx.hubs.get(cluster.name)!;
  const inputs: Record<string, string> = {};
  const roles: Record<string, ContractRole> = {};
  const associations: Record<string, ContractPodIdentityAssociation> = {};
  const accessEntries: Record<string, ContractAccessEntry> = {};
  const where = `${cluster.name} (${cluster.awsClusterName}, account ${cluster.account.id}, ${cluster.region})`;

  const addRole = (key: string, arn: string, role: Omit<ContractRole, 'name' | 'path' | 'arn'>, associate: boolean) => {
    roles[key] = { ...rolePath(arn), arn, ...role };
    if (associate && cluster.identity === 'pod-identity') {
      for (const sa of role.serviceAccounts) associations[`${role.namespace}/${sa}`] = { namespace: role.namespace, serviceAccount: sa, roleArn: arn };
    }
  };

  for (const [name, addon] of cluster.addons) {
    if (!addon.definition.iamRole || !addon.iamRoleArn) continue;
    const sid = `${pascalCase(name)}On${pascalCase(cluster.name)}`;
    if (name === 'crossplane') {
      addRole(name, addon.iamRoleArn, crossplaneRole(ctx, cluster, addon, sid, inputs), true);
      continue;
    }
    const namespace = addon.definition.namespace;
    const serviceAccounts = [...(addon.definition.iamServiceAccounts ?? (addon.definition.serviceAccount ? [addon.definition.serviceAccount] : []))];
    const trustPolicy = iamPolicy([trust(cluster, sid, namespace, serviceAccounts, inputs)]);
    if (name === 'argo-cd') {
      addRole(name, addon.iamRoleArn, {
        description: `Argo CD on hub ${where}: reaches its spokes ${cluster.identity === 'pod-identity' ? 'with this role (single-role mode: the EKS access entry on each spoke names it)' : 'by assuming each spoke\'s Argo CD role'}.`,
        namespace, serviceAccounts, trustPolicy, managedPolicyArns: [], permissionsPolicy: argoCdPermissions(fleet, cluster, ctx),
      }, true);
      continue;
    }
    const permissions = ADDON_PERMISSION_ADDONS.includes(name)
      ? addonPermissions(name, { accountId: cluster.account.id, region: cluster.region, clusterName: cluster.awsClusterName })
      : undefined;
    Object.assign(inputs, permissions?.inputs ?? {});
    addRole(name, addon.iamRoleArn, {
      description: `${name} on ${where}.`,
      namespace, serviceAccounts, trustPolicy,
      managedPolicyArns: [...(permissions?.managedPolicyArns ?? [])],
      permissionsPolicy: permissions?.policy ?? null,
    }, true);
  }

  const access = argoCdSpokeAccess(fleet.spec, cluster.spec);
  if (access !== 'none') {
    const hubArgo = hub.addons.get('argo-cd');
    const singleRole = access === 'own-role';
    if (!singleRole && cluster.spec.argocdRoleArn) {
      const hubRoleArn = hubArgo?.iamRoleArn;
      addRole('argocd-spoke', cluster.spec.argocdRoleArn, {
        description: `Argo CD on hub ${hub.name} assumes this role to reach ${where}; the cluster's EKS access entry gives it its rights.`,
        namespace: '', serviceAccounts: [],
        trustPolicy: iamPolicy(hubRoleArn
          ? [{ Sid: `ArgoCdOn${pascalCase(hub.name)}`, Effect: 'Allow', Principal: { AWS: hubRoleArn }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]
          : []),
        managedPolicyArns: [],
        permissionsPolicy: null,
      }, false);
    }
    const principal = singleRole ? hubArgo?.iamRoleArn : cluster.spec.argocdRoleArn;
    if (principal) {
      accessEntries.argocd = {
        principalArn: principal,
        type: 'STANDARD',
        description: `Argo CD on hub ${hub.name}${singleRole ? ' (its own role, single-role mode)' : ''}: manages add-ons and workloads on ${cluster.name}.`,
        policyAssociations: { 'cluster-admin': { policyArn: ARGOCD_ACCESS_POLICY, accessScope: { type: 'cluster' } } },
      };
    }
  }

  return {
    cluster: cluster.name,
    eksClusterName: cluster.awsClusterName,
    accountId: cluster.account.id,
    region: cluster.region,
    environment: cluster.environment.name,
    role: cluster.role,
    hub: hub.name,
    identity: cluster.identity,
    pending: cluster.spec.pending === true,
    inputs: sortKeys(inputs),
    roles: sortKeys(roles),
    podIdentityAssociations: sortKeys(associations),
    accessEntries,
    addonFacts: contractAddonFacts(cluster),
  };
}

/** The facts of every add-on the cluster runs, by annotation key. */
function contractAddonFacts(cluster: ResolvedCluster): Record<string, ContractAddonFact> {
  const out: Record<string, ContractAddonFact> = {};
  for (const [name, addon] of cluster.addons) {
    for (const f of addon.definition.facts ?? []) {
      out[f.key] = { addon: name, description: f.description, pattern: f.pattern ?? null, value: addon.facts.get(f.key) ?? null };
    }
  }
  return sortKeys(out);
}

/** The permissions of a hub's Argo CD role: assume its spokes' roles (IRSA), or nothing (single-role mode: access entries). */
function argoCdPermissions(fleet: ResolvedFleet, hub: ResolvedCluster, ctx: ContractContext): IamPolicy | null {
  if (fleet.mode !== 'self-managed' || hub.identity === 'pod-identity') return null;
  const spokes = fleet.clusters.filter((c) => c.role === 'spoke' && ctx.hubs.get(c.name) === hub);
  const targets = spokes.map((s) => s.spec.argocdRoleArn).filter((a): a is string => a !== undefined).sort();
  if (targets.length === 0) return null;
  return iamPolicy([{ Sid: 'AssumeSpokeRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: targets.length === 1 ? targets[0] : targets }]);
}

/** The hub's Crossplane role: the same trust and permissions as `iam/crossplane/`. */
function crossplaneRole(ctx: ContractContext, hub: ResolvedCluster, addon: ClusterAddon, sid: string, inputs: Record<string, string>): Omit<ContractRole, 'name' | 'path' | 'arn'> {
  const namespace = addon.definition.namespace;
  const docs = ctx.crossplaneRoles().find((r) => r.roleArn === addon.iamRoleArn && r.kind === 'hub');
  const serviceAccounts = hub.identity === 'pod-identity'
    ? [CROSSPLANE_PROVIDER_SERVICE_ACCOUNT]
    : providerServiceAccountNames();
  Object.assign(inputs, docs?.inputs ?? {});
  return {
    description: `Crossplane's AWS providers on hub ${hub.name}: manage the fleet's databases (documents also in ${IAM_DIR}/crossplane/).`,
    namespace,
    serviceAccounts,
    trustPolicy: iamPolicy(docs?.trust ?? [trust(hub, sid, namespace, serviceAccounts, inputs)]),
    managedPolicyArns: [],
    permissionsPolicy: docs && docs.permissions.length > 0 ? iamPolicy(docs.permissions) : null,
  };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(sortedEntries(o));
}

/** `iac/clusters/<cluster>.json` for every cluster and `iac/fleet.json`, which also lists the fleet's other IAM documents. */
export function iacContractOutputs(fleet: ResolvedFleet, iamDocuments: readonly string[]): OutputFile[] {
  const ctx = contractContext(fleet);
  const files = fleet.clusters.map((c) => jsonFile(IacPaths.cluster(c.name), clusterContract(fleet, c, ctx)));
  const clusters = Object.fromEntries(fleet.clusters.map((c) => [c.name, {
    contract: IacPaths.cluster(c.name),
    eksClusterName: c.awsClusterName,
    accountId: c.account.id,
    region: c.region,
    environment: c.environment.name,
    role: c.role,
    hub: ctx.hubs.get(c.name)!.name,
    identity: c.identity,
    pending: c.spec.pending === true,
  }]));
  const fleetFile = {
    fleet: fleet.name,
    argocdMode: fleet.mode,
    clusters,
    iamDocuments: [...iamDocuments].filter((p) => p.startsWith(`${IAM_DIR}/`)).sort(),
  };
  return [...files, jsonFile(IacPaths.fleet, fleetFile)];
}
