/**
 * Clusters the IaC has not created yet (`pending: true`): the contract must exist before the IaC runs,
 * since it says what to create. A pending cluster is taken out of the fleet Argo CD sees (no cluster
 * Secret, no Application) and kept for the IaC contract, with its roles named by convention in its
 * account: `<EKS name>-<addon>` and, for a spoke of an IRSA hub, `<EKS name>-argocd-spoke`. Once the IaC
 * has created it and its output is committed, `pending` goes and the output's facts take over.
 */
import type { AddonDefinition } from '../model/addon.js';
import { argoCdSpokeAccess, hubNames } from '../model/hubs.js';
import { asSetting, isEnabled } from '../model/resolve.js';
import type { ClusterAddonSetting, ClusterSpec, FleetSource } from '../model/spec.js';
import type { Problem } from '../validate/problems.js';
import * as rules from '../validate/rules.js';
import { isRecord } from '../validate/rules.js';
import { iamRoleName } from '../iam/iam-documents.js';

/** The fleet without its pending clusters, the pending clusters with their conventional roles, and where each cluster was in the input. */
export interface SplitPending {
  readonly source: FleetSource;
  readonly pending: readonly ClusterSpec[];
  /** For each cluster left in `source.spec.clusters`, its index in the input's `clusters`. */
  readonly inputIndex: readonly number[];
  readonly problems: readonly Problem[];
}

/** The conventional ARN of a role of a cluster that does not exist yet. */
export function conventionalRoleArn(accountId: string, awsClusterName: string, purpose: string): string {
  return `arn:aws:iam::${accountId}:role/${iamRoleName(`${awsClusterName}-${purpose}`)}`;
}

/** Takes the pending clusters out of a fleet; checks what their contract needs (account, environment, region, hub). */
export function splitPending(source: FleetSource, catalog: readonly AddonDefinition[]): SplitPending {
  const spec = source.spec;
  const all = Array.isArray(spec.clusters) ? spec.clusters : [];
  const clustersFile = source.files.clusters ?? source.files.default ?? 'environments/index.ts';
  const problems: Problem[] = [];
  const pending: ClusterSpec[] = [];
  const kept: ClusterSpec[] = [];
  const inputIndex: number[] = [];
  const accounts = Array.isArray(spec.accounts) ? spec.accounts.filter((a) => isRecord(a as unknown)) : [];
  const environments = Array.isArray(spec.environments) ? spec.environments.filter((e) => isRecord(e as unknown)) : [];
  const hubs = hubNames(spec);

  all.forEach((c, i) => {
    if (!isRecord(c as unknown) || c.pending === undefined || c.pending === false) {
      kept.push(c);
      inputIndex.push(i);
      return;
    }
    const at = `clusters[${i}]`;
    const bad = (field: string, message: string) => problems.push({ file: clustersFile, path: `${at}.${field}`, message });
    if (c.pending !== true) {
      bad('pending', `must be true or false, got ${JSON.stringify(c.pending)}`);
      return;
    }
    const before = problems.length;
    const nameProblem = rules.dnsLabelProblem(c.name);
    if (nameProblem) bad('name', nameProblem);
    else if (all.some((o, j) => j !== i && isRecord(o as unknown) && o.name === c.name)) bad('name', `cluster "${c.name}" is defined twice; names must be unique`);
    if (c.role !== 'hub' && c.role !== 'spoke') bad('role', `"${c.role}" is not a role; use "hub" or "spoke"`);
    const account = accounts.find((a) => a.name === c.account);
    if (!account) bad('account', `unknown account "${c.account}"; known: ${accounts.map((a) => a.name).join(', ')}`);
    const env = environments.find((e) => e.name === c.environment);
    if (!env) bad('environment', `unknown environment "${c.environment}"; known: ${environments.map((e) => e.name).join(', ')}`);
    if (!(typeof c.region === 'string' && rules.AWS_REGION.test(c.region))) {
      bad('region', c.region === undefined
        ? 'is required while the cluster is pending: the contract names its roles and trust in the region the IaC will create it in'
        : `"${c.region}" is not an AWS region (like us-west-2)`);
    }
    if (c.role === 'spoke' && c.hub === undefined && hubs.length !== 1) bad('hub', `the fleet has ${hubs.length} hubs; name the one that will manage this spoke`);
    if (c.hub !== undefined && !hubs.includes(c.hub)) bad('hub', `unknown hub "${c.hub}"; hubs: ${hubs.join(', ')}`);
    if (c.awsClusterName !== undefined && !rules.EKS_CLUSTER_NAME.test(c.awsClusterName)) bad('awsClusterName', `"${c.awsClusterName}" is not a valid EKS cluster name`);
    for (const fact of ['endpoint', 'caData', 'vpcId', 'kubernetesVersion'] as const) {
      if (c[fact] !== undefined) bad(fact, 'is a fact of a cluster that exists: the IaC writes it once it has created the cluster; remove it while the cluster is pending');
    }
    for (const [field, arn] of [['argocdRoleArn', c.argocdRoleArn], ...Object.entries(isRecord(c.addons) ? c.addons : {}).map(([a, v]) => [`addons.${a}.iamRoleArn`, isRecord(v) ? v.iamRoleArn : undefined])] as Array<[string, unknown]>) {
      if (arn !== undefined && !(typeof arn === 'string' && rules.IAM_ROLE_ARN.test(arn))) bad(field, `${JSON.stringify(arn)} is not an IAM role ARN`);
    }
    if (problems.length > before || !account) return;

    const awsName = c.awsClusterName ?? c.name;
    const addons: Record<string, boolean | ClusterAddonSetting> = { ...(isRecord(c.addons) ? c.addons : {}) };
    for (const addon of catalog) {
      if (!addon.iamRole || !isEnabled(c, env, addon.name)) continue;
      const setting = asSetting<ClusterAddonSetting>(addons[addon.name]);
      if (setting?.iamRoleArn === undefined) addons[addon.name] = { ...(setting ?? {}), iamRoleArn: conventionalRoleArn(account.id, awsName, addon.name) };
    }
    const argocdRoleArn = argoCdSpokeAccess(spec, c) === 'assume-role' ? c.argocdRoleArn ?? conventionalRoleArn(account.id, awsName, 'argocd-spoke') : undefined;
    pending.push({ ...c, addons, argocdRoleArn });
  });

  if (pending.length === 0 && problems.length === 0) return { source, pending, inputIndex, problems };
  return { source: { ...source, spec: { ...spec, clusters: kept } }, pending, inputIndex, problems };
}

/** A problem about `clusters[k]` of the fleet without its pending clusters, pointed at the cluster's index in the input. */
export function atInputIndex(p: Problem, inputIndex: readonly number[]): Problem {
  const remap = (text: string) => text.replace(/\bclusters\[(\d+)\]/g, (all, k: string) => (inputIndex[Number(k)] === undefined ? all : `clusters[${inputIndex[Number(k)]}]`));
  return { ...p, path: remap(p.path), message: remap(p.message) };
}
