/**
 * Puts the IaC's facts into the fleet: each cluster of `spec.clusters` (intent: environment, hub,
 * add-ons) gets region, VPC, Kubernetes version, API server, CA, Argo CD's role and its add-ons' IAM
 * roles from the one IaC file that names it. A fact typed by hand must agree with the IaC; a cluster
 * without a file, a file without a cluster, and any fact of the wrong form are problems naming the file
 * and key. What comes out is an ordinary typed fleet: the same validation and render follow.
 */
import { IacPaths } from '../layout/dist-layout.js';
import { AddonDefinition, factPhrase, factValueProblem } from '../model/addon.js';
import { AddonAnnotation, ClusterAnnotation, enableLabel, snakeCase } from '../model/contract.js';
import { asSetting, isEnabled } from '../model/resolve.js';
import { argoCdSpokeAccess } from '../model/hubs.js';
import type { ClusterAddonSetting, ClusterSpec, FleetSource, FleetSpec } from '../model/spec.js';
import type { Problem } from '../validate/problems.js';
import * as rules from '../validate/rules.js';
import { isRecord } from '../validate/rules.js';
import { IN_CLUSTER_SERVER } from '../../engines/applicationset/clusters.js';
import { ClusterFacts, Fact, keyAt, parseIacOutput } from './iac-outputs.js';

/** The fleet with every cluster's facts in place, or the problems that kept them out. */
export interface AppliedIacOutputs {
  readonly source: FleetSource;
  readonly problems: readonly Problem[];
}

/** A fact of the cluster spec, the annotation or label it is read from, and its form. */
interface FactField {
  readonly field: 'region' | 'vpcId' | 'kubernetesVersion';
  readonly read: (f: ClusterFacts) => Fact | undefined;
  readonly valid: RegExp;
  readonly what: string;
}

const FACT_FIELDS: readonly FactField[] = [
  { field: 'region', read: (f) => f.annotations.get(ClusterAnnotation.awsRegion), valid: rules.AWS_REGION, what: 'an AWS region (like us-west-2)' },
  { field: 'vpcId', read: (f) => f.annotations.get(ClusterAnnotation.awsVpcId), valid: rules.VPC_ID, what: 'a VPC id (vpc- and 8 or 17 hex digits)' },
  {
    field: 'kubernetesVersion',
    read: (f) => f.labels.get('kubernetes_version') ?? f.annotations.get('kubernetes_version'),
    valid: rules.KUBERNETES_MINOR,
    what: 'a Kubernetes minor version (like "1.31")',
  },
];

/** Where a fleet's repositories appear among the annotations, and the fleet's value of each. */
function repoAnnotations(spec: FleetSpec): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  const add = (key: string, field: string, value: string | undefined) => {
    if (value !== undefined) out.push([key, field, value]);
  };
  const { addons, workloads } = spec.repos ?? ({} as FleetSpec['repos']);
  add(ClusterAnnotation.addonsRepoUrl, 'repos.addons.url', addons?.url);
  add(ClusterAnnotation.addonsRepoRevision, 'repos.addons.revision', addons?.revision);
  add(ClusterAnnotation.workloadRepoUrl, 'repos.workloads.url', workloads?.url);
  add(ClusterAnnotation.workloadRepoRevision, 'repos.workloads.revision', workloads?.revision);
  return out;
}

/**
 * Reads `source.iac` into the clusters of `source.spec`. Without `source.iac` the source comes back
 * as it is. Problems about a typed value name the cluster file and field; problems about a fact name
 * the IaC file and key.
 */
export function applyIacOutputs(source: FleetSource, catalog: readonly AddonDefinition[], pending: readonly ClusterSpec[] = []): AppliedIacOutputs {
  const iac = source.iac;
  if (iac === undefined) return { source, problems: [] };
  const spec = source.spec;
  const clustersFile = source.files.clusters ?? source.files.default ?? 'environments/index.ts';
  const problems: Problem[] = [];
  const fact = (f: Fact, file: string, message: string) => problems.push({ file, path: f.key, message });

  const byName = new Map<string, ClusterFacts>();
  /** Base names of the files that could not be read: their clusters are not reported missing as well. */
  const unread = new Set<string>();
  for (const input of iac.files) {
    const parsed = parseIacOutput(input);
    problems.push(...parsed.problems);
    if (!parsed.facts) {
      unread.add(input.file.replace(/^.*\//, '').replace(/\.json$/, ''));
      continue;
    }
    const earlier = byName.get(parsed.facts.clusterName.value);
    if (earlier) {
      fact(parsed.facts.clusterName, input.file, `EKS cluster "${parsed.facts.clusterName.value}" is already described by ${earlier.file}; one file per cluster`);
      continue;
    }
    byName.set(parsed.facts.clusterName.value, parsed.facts);
  }

  if (!Array.isArray(spec.clusters)) return { source, problems };
  const used = new Set<string>();
  const clusters = spec.clusters.map((c, i): ClusterSpec => {
    if (!isRecord(c as unknown) || typeof c.name !== 'string') return c;
    const awsName = c.awsClusterName ?? c.name;
    const facts = byName.get(awsName);
    if (facts === undefined) {
      if (unread.has(c.name) || unread.has(awsName)) return c;
      problems.push({
        file: clustersFile,
        path: `clusters[${i}]`,
        message: `no IaC output in ${iac.dir}/ describes EKS cluster "${awsName}" (its cluster_name or metadata.aws_cluster_name); after the IaC creates it, write its output there (terraform output -json > ${iac.dir}/${c.name}.json)`,
      });
      return c;
    }
    used.add(awsName);
    return withFacts(c, i, facts, { spec, catalog, clustersFile, problems });
  });
  for (const [name, facts] of byName) {
    if (used.has(name)) continue;
    if (pending.some((p) => (p.awsClusterName ?? p.name) === name)) {
      fact(facts.clusterName, facts.file, `EKS cluster "${name}" exists now (this is its IaC output), but ${clustersFile} marks it pending: remove pending: true`);
    } else {
      fact(facts.clusterName, facts.file, `EKS cluster "${name}" is not in the fleet: add it to ${clustersFile} with its environment and add-ons (or set awsClusterName), or delete this file`);
    }
  }
  return { source: { ...source, spec: { ...spec, clusters } }, problems };
}

/** A fact of how Argo CD connects to a spoke: where the IaC writes it, and its checks. */
interface SpokeFact {
  readonly field: 'endpoint' | 'caData' | 'argocdRoleArn';
  readonly fact: Fact | undefined;
  /** Where the IaC writes it, for a missing fact. */
  readonly key: string;
  /** Why it is needed, or false when it is not. */
  readonly missing: string | false;
  /** Why a value cannot be used, or false. */
  readonly invalid: (value: string) => string | false;
  /** Whether a typed value and the fact agree. @default equal strings */
  readonly same?: (typed: string, fact: string) => boolean;
}

interface MergeContext {
  readonly spec: FleetSpec;
  readonly catalog: readonly AddonDefinition[];
  readonly clustersFile: string;
  readonly problems: Problem[];
}

/** One cluster's intent with the facts of its IaC file. */
function withFacts(c: ClusterSpec, i: number, facts: ClusterFacts, ctx: MergeContext): ClusterSpec {
  const { problems, clustersFile } = ctx;
  const at = `clusters[${i}]`;
  const bad = (f: Fact, message: string) => problems.push({ file: facts.file, path: f.key, message });
  const missing = (key: string, message: string) => problems.push({ file: facts.file, path: key, message });
  const contradicts = (field: string, typed: unknown, f: Fact) => problems.push({
    file: clustersFile,
    path: `${at}.${field}`,
    message: `${JSON.stringify(typed)} contradicts the IaC: ${facts.file} says ${f.key} = ${JSON.stringify(f.value)}; the IaC's outputs are the facts: remove ${field} here (or fix the IaC)`,
  });
  const metadataKey = (key: string) => keyAt(facts.prefix, `metadata.${key}`);
  const out: { -readonly [K in keyof ClusterSpec]: ClusterSpec[K] } = { ...c };

  const named = facts.annotations.get(ClusterAnnotation.awsClusterName);
  if (named && named.value !== facts.clusterName.value) bad(named, `names EKS cluster "${named.value}" but ${facts.clusterName.key} is "${facts.clusterName.value}"`);
  if (facts.authClusterName && facts.authClusterName.value !== facts.clusterName.value) {
    bad(facts.authClusterName, `names EKS cluster "${facts.authClusterName.value}" but ${facts.clusterName.key} is "${facts.clusterName.value}": argocd-k8s-auth would ask for a token of another cluster`);
  }
  if (facts.environment && facts.environment.value !== c.environment) {
    problems.push({ file: clustersFile, path: `${at}.environment`, message: `is "${c.environment}" but the IaC created the cluster for environment "${facts.environment.value}" (${facts.file}: ${facts.environment.key}); make them agree` });
  }

  for (const { field, read, valid, what } of FACT_FIELDS) {
    const f = read(facts);
    if (f === undefined) {
      if (c[field] === undefined) missing(metadataKey(field === 'kubernetesVersion' ? 'kubernetes_version' : field === 'region' ? ClusterAnnotation.awsRegion : ClusterAnnotation.awsVpcId), `is missing: the cluster's ${field} must come from the IaC (or be typed in ${clustersFile})`);
      continue;
    }
    if (!valid.test(f.value)) bad(f, `"${f.value}" is not ${what}`);
    else if (c[field] !== undefined && c[field] !== f.value) contradicts(field, c[field], f);
    else out[field] = f.value;
  }

  const accountFact = facts.annotations.get(ClusterAnnotation.awsAccountId);
  const accounts = Array.isArray(ctx.spec.accounts) ? ctx.spec.accounts.filter(isRecord) : [];
  if (accountFact === undefined) {
    missing(metadataKey(ClusterAnnotation.awsAccountId), 'is missing: the account the IaC created the cluster in');
  } else {
    const account = accounts.find((a) => a.id === accountFact.value);
    if (account === undefined) bad(accountFact, `account ${accountFact.value} is not one of the fleet's accounts (${accounts.map((a) => `${a.name} ${a.id}`).join(', ')})`);
    else if (account.name !== c.account) {
      problems.push({ file: clustersFile, path: `${at}.account`, message: `is "${c.account}" but the IaC created the cluster in account ${accountFact.value} ("${account.name}") (${facts.file}: ${accountFact.key}); make them agree` });
    }
  }

  for (const [key, field, value] of repoAnnotations(ctx.spec)) {
    const f = facts.annotations.get(key);
    if (f && f.value !== value) bad(f, `is ${JSON.stringify(f.value)} but the fleet's ${field} is ${JSON.stringify(value)}: the fleet writes this annotation; remove it from the IaC's metadata or make them agree`);
  }

  // How Argo CD reaches the spoke decides which connection facts it needs (none for the hub or the capability).
  const access = argoCdSpokeAccess(ctx.spec, c);
  const config = keyAt(facts.prefix, 'config');
  const connection: ReadonlyArray<SpokeFact> = access === 'none' ? [] : [
    {
      field: 'endpoint',
      fact: facts.server && facts.server.value.replace(/\/+$/, '') !== IN_CLUSTER_SERVER ? facts.server : undefined,
      key: keyAt(facts.prefix, 'server'),
      missing: "is missing: Argo CD reaches the spoke's API server there (module.eks.cluster_endpoint)",
      invalid: (v) => !rules.API_SERVER_ENDPOINT.test(v) && `"${v}" is not an https:// API server endpoint`,
      same: (a, b) => rules.serverKey(a) === rules.serverKey(b),
    },
    {
      field: 'caData',
      fact: facts.caData,
      key: `${config}.tlsClientConfig.caData`,
      missing: "is missing: Argo CD verifies the spoke's API server with it (module.eks.cluster_certificate_authority_data)",
      invalid: (v) => !rules.isBase64PemCertificate(v) && 'does not decode to a PEM certificate; output module.eks.cluster_certificate_authority_data as it is',
    },
    {
      field: 'argocdRoleArn',
      fact: facts.roleArn,
      key: `${config}.awsAuthConfig.roleARN`,
      missing: access === 'assume-role' && 'is missing: the IAM role Argo CD on the hub assumes to reach this spoke (the principal of its EKS access entry)',
      invalid: (v) => (access === 'own-role'
        ? `is set, but the hub's Argo CD runs with EKS Pod Identity in single-role mode: it reaches spokes with its own role (the EKS access entry in dist/${IacPaths.cluster(c.name)}), not by assuming one; remove roleARN from the config`
        : !rules.IAM_ROLE_ARN.test(v) && `"${v}" is not an IAM role ARN`),
    },
  ];
  for (const { field, fact: f, key, missing: why, invalid, same = (a: string, b: string) => a === b } of connection) {
    if (f === undefined) {
      if (why && c[field] === undefined) missing(key, why);
      continue;
    }
    const problem = invalid(f.value);
    if (problem) bad(f, problem);
    else if (c[field] !== undefined && !same(String(c[field]), f.value)) contradicts(field, c[field], f);
    else out[field] = f.value;
  }

  out.addons = addonFacts(c, facts, ctx, { bad, metadataKey, contradictsAt: (addon, typed, f, field = 'iamRoleArn') => contradicts(`addons.${addon}.${field}`, typed, f) });
  return out;
}

/** The add-on settings of a cluster with the IAM roles of the IaC; checks the IaC agrees on which add-ons run and where. */
/**
 * An add-on's facts of the IaC contract (`AddonDefinition.facts`) from the IaC file's annotations, over
 * what the cluster typed: a typed value must agree. Missing ones are left to validation, which names the
 * field and the contract file; undefined when there is nothing to set.
 */
function addonContractFacts(
  addon: AddonDefinition,
  setting: ClusterAddonSetting | undefined,
  facts: ClusterFacts,
  report: { bad: (f: Fact, message: string) => void; metadataKey: (key: string) => string; contradictsAt: (addon: string, typed: unknown, f: Fact, field?: string) => void },
  cluster: string,
): Record<string, string> | undefined {
  const typed = isRecord(setting?.facts) ? (setting.facts as Record<string, string>) : {};
  const out: Record<string, string> = { ...typed };
  let changed = false;
  for (const fact of addon.facts ?? []) {
    const f = facts.annotations.get(fact.key);
    if (f === undefined) {
      if (typed[fact.key] === undefined) {
        report.bad({ value: '', key: report.metadataKey(fact.key) }, `is missing: ${addon.name} runs on ${cluster} and needs ${factPhrase(fact)}; the IaC creates it and writes it here (dist/${IacPaths.cluster(cluster)} lists it under addonFacts)`);
      }
      continue;
    }
    const bad = factValueProblem(fact, f.value);
    if (bad) {
      report.bad(f, bad);
      continue;
    }
    if (typed[fact.key] !== undefined && typed[fact.key] !== f.value) {
      report.contradictsAt(addon.name, typed[fact.key], f, `facts.${fact.key}`);
      continue;
    }
    out[fact.key] = f.value;
    changed = true;
  }
  return changed ? out : undefined;
}

function addonFacts(
  c: ClusterSpec,
  facts: ClusterFacts,
  ctx: MergeContext,
  report: { bad: (f: Fact, message: string) => void; metadataKey: (key: string) => string; contradictsAt: (addon: string, typed: unknown, f: Fact, field?: string) => void },
): ClusterSpec['addons'] {
  const env = Array.isArray(ctx.spec.environments) ? ctx.spec.environments.find((e) => isRecord(e) && e.name === c.environment) : undefined;
  const addons: Record<string, boolean | ClusterAddonSetting> = { ...(isRecord(c.addons) ? c.addons : {}) };
  const known = new Set(ctx.catalog.map((a) => a.name));
  for (const [label, f] of facts.labels) {
    const name = label.startsWith('enable_') ? label.slice('enable_'.length).replace(/_/g, '-') : undefined;
    if (name !== undefined && !known.has(name) && f.value === 'true') {
      report.bad(f, `enables "${name}", which is not in the add-on catalog: the IaC may have created AWS resources for nothing; set it to false or add the add-on to the catalog`);
    }
  }
  for (const addon of ctx.catalog) {
    const enabled = isEnabled(c, env, addon.name);
    const label = facts.labels.get(enableLabel(addon.name));
    if (label && (label.value === 'true') !== enabled) {
      report.bad(label, `is ${label.value} but the fleet ${enabled ? 'enables' : 'does not enable'} ${addon.name} on ${c.name} (its environment "${c.environment}" and its addons): the IaC creates an add-on's AWS resources by this flag; make them agree`);
    }
    if (enabled && addon.facts?.length) {
      const factValues = addonContractFacts(addon, asSetting<ClusterAddonSetting>(addons[addon.name]), facts, report, c.name);
      if (factValues) addons[addon.name] = { ...(asSetting<ClusterAddonSetting>(addons[addon.name]) ?? {}), facts: factValues };
    }
    if (!enabled || !addon.iamRole) continue;
    const snake = snakeCase(addon.name);
    for (const [key, expected] of [[AddonAnnotation.namespace(addon.name), addon.namespace], [AddonAnnotation.serviceAccount(addon.name), addon.serviceAccount]] as const) {
      const f = facts.annotations.get(key);
      if (f && expected !== undefined && f.value !== expected) {
        report.bad(f, `is "${f.value}" but ${addon.name} runs as ${addon.namespace}/${addon.serviceAccount ?? '(chart default)'}: the IAM role the IaC made trusts that service account only, so AWS would refuse the add-on's credentials; make the IaC use "${expected}"`);
      }
    }
    const role = facts.annotations.get(AddonAnnotation.iamRoleArn(addon.name));
    const setting = asSetting<ClusterAddonSetting>(addons[addon.name]);
    if (role === undefined) {
      if (setting?.iamRoleArn === undefined) {
        report.bad({ value: '', key: report.metadataKey(`${snake}_iam_role_arn`) }, `is missing: ${addon.name} runs on ${c.name} and needs an IAM role; create it in the IaC (dist/${IacPaths.cluster(c.name)} lists it) and output its ARN`);
      }
      continue;
    }
    if (!rules.IAM_ROLE_ARN.test(role.value)) {
      report.bad(role, `"${role.value}" is not an IAM role ARN`);
      continue;
    }
    if (setting?.iamRoleArn !== undefined && setting.iamRoleArn !== role.value) {
      report.contradictsAt(addon.name, setting.iamRoleArn, role);
      continue;
    }
    addons[addon.name] = { ...(setting ?? {}), iamRoleArn: role.value };
  }
  return addons;
}
