/** Rules of the clusters: identity, where they run, how Argo CD reaches them, and the add-ons they run. */
import { addonPin, addonVersionFor, minorNumber, pinsText, rangeHolds, rangeText } from '../model/addon-versions.js';
import { IacPaths } from '../layout/dist-layout.js';
import { AddonDefinition, factPhrase, factValueProblem } from '../model/addon.js';
import { ClusterAddonSetting, ClusterSpec, EnvironmentSpec } from '../model/spec.js';
import { asSetting, clusterArn, isEnabled } from '../model/resolve.js';
import { argoCdSpokeAccess } from '../model/hubs.js';
import { addonSettingProblems } from './addon-settings.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkEach, checkItem, earlierWithSameKey, listShape, problem, Rule } from './rule-table.js';
import * as rules from './rules.js';
import { dnsLabelProblem, isRecord, isString } from './rules.js';

const selfManagedSpoke = (c: ClusterSpec, ctx: FleetContext) => argoCdSpokeAccess(ctx.spec, c) !== 'none';

/** A fact the cluster lacks: typed here, or read from the cluster's IaC output. */
function missingFact(field: string): string {
  return `is required: type the cluster's ${field} here, or read the cluster's facts from its IaC output (FleetSource.iac, readIacOutputs('environments/clusters'))`;
}

/**
 * What Argo CD calls the cluster's API server, normalised (`rules.serverKey`), for the clusters whose
 * Secret carries one of their own: a self-managed spoke's endpoint, any cluster's ARN with the EKS
 * capability. The self-managed hub is `https://kubernetes.default.svc` of its own Argo CD.
 */
function serverOf(c: ClusterSpec, ctx: FleetContext): { key: string; field: string; server: string } | undefined {
  if (ctx.mode === 'eks-capability') {
    const account = ctx.accounts.byName.get(c.account);
    if (account === undefined || !isString(c.region)) return undefined;
    const server = clusterArn({ region: c.region, account, awsClusterName: c.awsClusterName ?? c.name });
    return { key: server, field: c.awsClusterName !== undefined ? 'awsClusterName' : 'name', server };
  }
  if (!selfManagedSpoke(c, ctx) || !isString(c.endpoint) || !rules.API_SERVER_ENDPOINT.test(c.endpoint)) return undefined;
  return { key: rules.serverKey(c.endpoint), field: 'endpoint', server: c.endpoint };
}

/** For a cluster whose API server an earlier cluster has too: that cluster's index. Once per fleet. */
const sameServer = new WeakMap<FleetContext, ReadonlyMap<number, number>>();
function earlierSameServer(ctx: FleetContext): ReadonlyMap<number, number> {
  let found = sameServer.get(ctx);
  if (found === undefined) {
    const keyed = ctx.clusters.items.filter(([c]) => serverOf(c, ctx) !== undefined);
    found = earlierWithSameKey(keyed, (c) => serverOf(c, ctx)!.key);
    sameServer.set(ctx, found);
  }
  return found;
}

/** A role ARN in an account the fleet does not list, as a message, or false. */
function foreignAccount(arn: unknown, ctx: FleetContext): string | false {
  const id = rules.roleArnAccount(arn);
  const ids = ctx.accounts.items.map(([a]) => a.id);
  return id !== undefined && !ids.includes(id)
    && `"${arn}" is in account ${id}, which is not one of the fleet's accounts (${ids.join(', ')})`;
}

/** `clusters[i]`: one cluster. */
const CLUSTER: readonly Rule<ClusterSpec, FleetContext>[] = [
  { field: 'name', check: (c) => dnsLabelProblem(c.name) },
  {
    field: 'name',
    check: (c, ctx, i) => ctx.clusters.earlierSameName.has(i)
      && `cluster "${c.name}" is already defined at clusters[${ctx.clusters.earlierSameName.get(i)}]; names must be unique`,
  },
  {
    field: 'name',
    check: (c) => c.name === rules.IN_CLUSTER_NAME && c.role !== 'hub'
      && `"${rules.IN_CLUSTER_NAME}" is Argo CD's name for its local cluster (the hub); give the spoke a name of its own`,
  },
  { field: 'role', check: (c) => c.role !== 'hub' && c.role !== 'spoke' && `"${c.role}" is not a role; use "hub" or "spoke"` },
  {
    field: 'account',
    check: (c, ctx) => !ctx.accounts.byName.has(c.account) && `unknown account "${c.account}"; known: ${[...ctx.accounts.byName.keys()].join(', ')}`,
  },
  {
    field: 'account',
    check: (c, ctx) => {
      const account = ctx.accounts.byName.get(c.account);
      return c.role === 'hub' && account !== undefined && account.kind !== 'central'
        && `the hub must run in a central account; "${c.account}" is a ${account.kind} account`;
    },
  },
  {
    field: 'environment',
    check: (c, ctx) => !ctx.environments.byName.has(c.environment)
      && `unknown environment "${c.environment}"; known: ${[...ctx.environments.byName.keys()].join(', ')}`,
  },
  { field: 'region', check: (c) => !(isString(c.region) && rules.AWS_REGION.test(c.region)) && (c.region === undefined ? missingFact('region') : `"${c.region}" is not an AWS region (like us-west-2)`) },
  {
    field: 'kubernetesVersion',
    check: (c) => !(isString(c.kubernetesVersion) && rules.KUBERNETES_MINOR.test(c.kubernetesVersion))
      && (c.kubernetesVersion === undefined ? missingFact('kubernetesVersion') : `"${c.kubernetesVersion}" is not a Kubernetes minor version (like "1.31")`),
  },
  { field: 'vpcId', check: (c) => !(isString(c.vpcId) && rules.VPC_ID.test(c.vpcId)) && (c.vpcId === undefined ? missingFact('vpcId') : `"${c.vpcId}" is not a VPC id (vpc- and 8 or 17 hex digits)`) },
  {
    field: 'identity',
    check: (c) => c.identity !== undefined && rules.identityProblem(c.identity),
  },
  {
    field: 'awsClusterName',
    check: (c) => c.awsClusterName !== undefined && !rules.EKS_CLUSTER_NAME.test(c.awsClusterName) && `"${c.awsClusterName}" is not a valid EKS cluster name`,
  },
  { field: 'tenant', check: (c) => c.tenant !== undefined && dnsLabelProblem(c.tenant) },
  {
    field: 'shard',
    check: (c, ctx) => c.shard !== undefined && ctx.spec.argocd?.sharding?.replicas === undefined && 'Argo CD is not sharded; set argocd.sharding or remove shard',
  },
  {
    field: 'shard',
    check: (c, ctx) => {
      const replicas = ctx.spec.argocd?.sharding?.replicas;
      return c.shard !== undefined && replicas !== undefined && !(Number.isInteger(c.shard) && c.shard >= 0 && c.shard < replicas)
        && `must be a shard from 0 to ${replicas - 1}, got ${JSON.stringify(c.shard)}`;
    },
  },
  {
    field: 'caData',
    check: (c) => c.caData !== undefined && !(isString(c.caData) && rules.BASE64.test(c.caData)) && 'must be the base64 CA bundle (public data), without line breaks',
  },
  {
    field: 'caData',
    check: (c) => isString(c.caData) && rules.BASE64.test(c.caData) && !rules.isBase64PemCertificate(c.caData)
      && 'does not decode to a PEM certificate (-----BEGIN CERTIFICATE-----); give certificateAuthority.data as aws eks describe-cluster prints it',
  },
  {
    field: 'caData',
    check: (c, ctx) => selfManagedSpoke(c, ctx) && c.caData === undefined
      && 'a spoke needs its cluster CA (aws eks describe-cluster --query cluster.certificateAuthority.data) when Argo CD is self-managed: Argo CD verifies the API server with it (tlsClientConfig.caData, never insecure)',
  },
  {
    field: 'insecure',
    check: (c) => isRecord(c) && 'insecure' in c && 'Argo CD always verifies the API server certificate (tlsClientConfig.insecure is false); remove insecure and give caData',
  },
  {
    field: 'endpoint',
    check: (c, ctx) => selfManagedSpoke(c, ctx) && !(isString(c.endpoint) && rules.API_SERVER_ENDPOINT.test(c.endpoint)) && (c.endpoint === undefined
      ? 'a spoke needs its API server endpoint (https://...eks.amazonaws.com) when Argo CD is self-managed'
      : `"${c.endpoint}" is not an https:// API server endpoint`),
  },
  (c, at, ctx, i) => {
    const earlier = earlierSameServer(ctx).get(i);
    if (earlier === undefined) return [];
    const mine = serverOf(c, ctx)!;
    const theirs = serverOf(ctx.clusters.items.find(([, j]) => j === earlier)![0], ctx)!;
    return [problem(`${at}.${mine.field}`, `"${mine.server}" is the API server of clusters[${earlier}] ("${theirs.server}"): Argo CD keys clusters by server URL (a trailing '/' and the host's case do not make another server); one cluster per API server`)];
  },
  {
    field: 'argocdRoleArn',
    check: (c, ctx) => c.argocdRoleArn !== undefined && argoCdSpokeAccess(ctx.spec, c) === 'own-role'
      && `the hub's Argo CD runs with EKS Pod Identity in single-role mode: it reaches spokes with its own role (an EKS access entry on the spoke, listed in dist/${IacPaths.cluster(c.name)}), not by assuming one; remove argocdRoleArn`,
  },
  {
    field: 'argocdRoleArn',
    check: (c, ctx) => argoCdSpokeAccess(ctx.spec, c) === 'assume-role' && !(isString(c.argocdRoleArn) && rules.IAM_ROLE_ARN.test(c.argocdRoleArn)) && (c.argocdRoleArn === undefined
      ? 'a spoke needs the IAM role Argo CD assumes to reach it (awsAuthConfig.roleARN) when Argo CD is self-managed'
      : `"${c.argocdRoleArn}" is not an IAM role ARN`),
  },
  { field: 'argocdRoleArn', check: (c, ctx) => foreignAccount(c.argocdRoleArn, ctx) },
  (c, at, ctx) => addonSettingProblems(c.addons, at, ctx, 'cluster'),
  (c, at, ctx) => (isRecord(c.addons) ? Object.entries(c.addons) : []).flatMap(([addon, raw]) => {
    const arn = isRecord(raw) ? raw.iamRoleArn : undefined;
    const bad = ctx.addons.byName.get(addon)?.iamRole && foreignAccount(arn, ctx);
    return bad ? [problem(`${at}.addons.${addon}.iamRoleArn`, bad)] : [];
  }),
  (c, at, ctx) => [...ctx.addons.byName.values()].flatMap((addon) => {
    const env = ctx.environments.byName.get(c.environment);
    if (!isEnabled(c, env, addon.name)) return [];
    const named = c.addons?.[addon.name] !== undefined;
    const enabled: EnabledAddon = {
      cluster: c,
      clusterAt: at,
      env,
      addon,
      setting: asSetting<ClusterAddonSetting>(c.addons?.[addon.name]),
      where: named ? '' : ` (enabled by environment "${c.environment}")`,
    };
    return checkItem(enabled, named ? `${at}.addons.${addon.name}` : `${at}.addons`, ENABLED_ADDON, ctx);
  }),
];

/**
 * The chart version a cluster gets must support its Kubernetes minor: a pin the catalog checked (the
 * cluster's, else its environment's) whose range does not hold the minor is an error at that pin; with
 * no pin, an add-on whose every checked version misses the minor is an error where it is enabled. A pin
 * the catalog does not know has no known range and passes (`npm run catalog` lists it as unchecked).
 */
function addonVersionProblems({ addon: a, cluster: c, env, setting, where, clusterAt }: EnabledAddon, ctx: FleetContext): FieldProblem[] {
  const minor = c.kubernetesVersion;
  if (!isString(minor) || minorNumber(minor) === undefined) return [];
  const envSetting = asSetting(env?.addons?.[a.name]);
  const envIndex = ctx.environments.items.find(([e]) => e === env)?.[1];
  const envAt = envIndex === undefined ? undefined : `environments[${envIndex}].addons.${a.name}`;
  const pinned = setting?.version !== undefined
    ? { version: setting.version, at: `${clusterAt}.addons.${a.name}.version`, who: `cluster "${c.name}"`, fix: '' }
    : envSetting?.version !== undefined && envAt !== undefined
      ? { version: envSetting.version, at: `${envAt}.version`, who: `cluster "${c.name}" of environment "${c.environment}"`, fix: ' (or pin that cluster on its own)' }
      : undefined;
  if (pinned !== undefined) {
    const pin = isString(pinned.version) ? addonPin(a, pinned.version) : undefined;
    if (pin === undefined || rangeHolds(pin.kubernetes, minor)) return [];
    return [problem(pinned.at, `${a.name} ${pin.version} supports Kubernetes ${rangeText(pin.kubernetes)} (${pin.checkedAgainst.split(';')[0]}), but ${pinned.who} runs ${minor}: pin a version whose range holds ${minor}${pinned.fix}; the catalog's checked versions: ${pinsText(a)}`)];
  }
  if (addonVersionFor(a, minor) !== undefined) return [];
  const at = setting !== undefined ? `${clusterAt}.addons.${a.name}` : envAt ?? `${clusterAt}.addons`;
  return [problem(at, `no version of ${a.name} the catalog checked supports Kubernetes ${minor}, which cluster "${c.name}" runs${where}: the catalog's checked versions are ${pinsText(a)}; pin a version known to work, or disable ${a.name} there`)];
}

/**
 * An add-on a cluster runs, by its own setting or by its environment's. Its problems are reported at
 * its setting on the cluster, or at the cluster's `addons` when the environment enabled it (`where` says so).
 */
interface EnabledAddon {
  readonly cluster: ClusterSpec;
  readonly clusterAt: string;
  readonly env: EnvironmentSpec | undefined;
  readonly addon: AddonDefinition;
  readonly setting: ClusterAddonSetting | undefined;
  /** ` (enabled by environment "prod")` when the cluster does not name the add-on, else empty. */
  readonly where: string;
}

/** Each add-on a cluster runs: placement, Argo CD, IAM role, dependencies. */
const ENABLED_ADDON: readonly Rule<EnabledAddon, FleetContext>[] = [
  {
    field: '',
    check: ({ addon: a, cluster: c }) => typeof c.name === 'string' && rules.applicationNameProblem(`${a.name}-${c.name}`, `add-on ${a.name} on cluster ${c.name}`),
  },
  {
    field: '',
    check: ({ addon: a, cluster: c, where }) => (a.placement ?? 'any') === 'hub' && c.role !== 'hub'
      && `add-on "${a.name}" runs on the hub only${where}; disable it for spoke "${c.name}"`,
  },
  {
    field: '',
    check: ({ addon: a, cluster: c, where }) => (a.placement ?? 'any') === 'spokes' && c.role !== 'spoke'
      && `add-on "${a.name}" runs on spokes only${where}; disable it for the hub`,
  },
  {
    field: '',
    check: ({ addon: a }, ctx) => a.name === 'argo-cd' && ctx.mode === 'eks-capability'
      && 'the EKS Argo CD capability manages Argo CD; disable the argo-cd add-on or use mode "self-managed"',
  },
  {
    field: '',
    check: ({ addon: a }, ctx) => {
      const argocdNamespace = ctx.spec.argocd?.namespace ?? 'argocd';
      return a.name === 'argo-cd' && a.namespace !== argocdNamespace
        && `the argo-cd add-on installs into namespace "${a.namespace}" but argocd.namespace is "${argocdNamespace}"; make them the same`;
    },
  },
  ({ addon: a, setting, where, clusterAt }) => (a.iamRole && !setting?.iamRoleArn
    ? [problem(`${clusterAt}.addons.${a.name}.iamRoleArn`, `add-on "${a.name}" needs an IAM role${where}: give iamRoleArn, written as annotation ${a.name.replace(/-/g, '_')}_iam_role_arn`)]
    : []),
  ({ addon: a, cluster: c, setting, where, clusterAt }) => (a.facts ?? []).flatMap((f) => {
    const value = isRecord(setting?.facts) ? setting.facts[f.key] : undefined;
    const at = `${clusterAt}.addons.${a.name}.facts.${f.key}`;
    if (value === undefined) {
      return [problem(at, `add-on "${a.name}" needs ${factPhrase(f)}${where}: the IaC writes it as annotation ${f.key} (dist/${IacPaths.cluster(String(c.name))} lists it); give it in the cluster's IaC output or here`)];
    }
    const bad = factValueProblem(f, value);
    return bad ? [problem(at, bad)] : [];
  }),
  (enabled, _at, ctx) => addonVersionProblems(enabled, ctx),
  ({ addon: a, cluster: c, env, where }, at, ctx) => (a.dependsOn ?? [])
    .filter((dep) => ctx.addons.byName.has(dep) && !isEnabled(c, env, dep))
    .map((dep) => problem(at, `add-on "${a.name}" needs "${dep}" on the same cluster${where}; enable ${dep} too`)),
];

export function clusterProblems(ctx: FleetContext): FieldProblem[] {
  return [...listShape('clusters', ctx.spec.clusters, 'clusters'), ...checkEach('clusters', ctx.clusters.items, CLUSTER, ctx)];
}
