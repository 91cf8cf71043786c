import { AddonDefinition } from '../model/addon.js';
import { addonWaves } from '../model/addon-order.js';
import { clusterAnnotations, clusterLabels, requiredAddonAnnotations } from '../model/cluster-metadata.js';
import { AddonSetting, ClusterAddonSetting, FleetSource, GitRepoSpec } from '../model/spec.js';
import { Problem } from './problems.js';
import { asSetting, isEnabled, resolveFleet } from '../model/resolve.js';
import * as rules from './rules.js';
import { isRecord, kindOf } from './rules.js';
import { nonJsonAt, validateTeams } from './teams.js';
import { validateDatabases } from './databases.js';

/** Where the catalog's problems are reported. */
export const CATALOG_FILE = 'charts/addons/catalog.ts';

/**
 * Checks a fleet and the add-on catalog in one pass and returns every problem, each naming the file
 * and field to fix. An empty list means `resolveFleet()` may be called.
 */
export function validateFleet(source: FleetSource, catalog: readonly AddonDefinition[]): Problem[] {
  const problems: Problem[] = [];
  const spec = source.spec;
  const fileOf = (field: string) =>
    source.files[field as keyof FleetSource['files']] ?? source.files.default ?? 'environments/index.ts';
  const report = (path: string, message: string) => {
    const top = path.split(/[.[]/)[0];
    problems.push({ file: top === '<catalog>' ? CATALOG_FILE : fileOf(top), path: path.replace(/^<catalog>/, 'ADDON_CATALOG'), message });
  };
  const check = (path: string, ok: boolean, message: string) => {
    if (!ok) report(path, message);
  };
  const dns = (path: string, value: unknown) => {
    const p = rules.dnsLabelProblem(value);
    if (p) report(path, p);
  };
  const str = (v: unknown): v is string => typeof v === 'string';
  /** The elements of a required list that are objects; reports a missing list, a non-list and each non-object element. */
  const objectsOf = <T>(path: string, value: readonly T[] | undefined, what: string): Array<[T, number]> => {
    if (!Array.isArray(value)) {
      report(path, value === undefined ? `is missing; give a list of ${what}` : `must be a list of ${what}, got ${kindOf(value)}`);
      return [];
    }
    const out: Array<[T, number]> = [];
    value.forEach((v, i) => {
      if (isRecord(v)) out.push([v as T, i]);
      else report(`${path}[${i}]`, `must be an object, got ${kindOf(v)}`);
    });
    return out;
  };

  // --- the catalog -------------------------------------------------------------------------------
  const catalogByName = new Map<string, AddonDefinition>();
  catalog.forEach((a, i) => {
    const at = `<catalog>[${i}]`;
    dns(`${at}.name`, a.name);
    if (catalogByName.has(a.name)) report(`${at}.name`, `add-on "${a.name}" is defined twice; names must be unique`);
    catalogByName.set(a.name, a);
    check(`${at}.version`, str(a.version) && rules.CHART_VERSION.test(a.version), `"${a.version}" is not an exact chart version (semver such as 1.2.3 or v1.2.3)`);
    if (a.oci) {
      check(`${at}.repoUrl`, rules.OCI_REPO.test(a.repoUrl), `"${a.repoUrl}" is not an OCI registry path without scheme (like public.ecr.aws/karpenter)`);
    } else {
      check(`${at}.repoUrl`, rules.HELM_REPO_URL.test(a.repoUrl), `"${a.repoUrl}" is not an https:// Helm repository URL; set oci: true for OCI registries`);
    }
    dns(`${at}.namespace`, a.namespace);
    if (a.serviceAccount !== undefined) dns(`${at}.serviceAccount`, a.serviceAccount);
    check(`${at}.chart`, str(a.chart) && a.chart.length > 0, 'chart name is empty');
  });
  catalog.forEach((a, i) => {
    (a.dependsOn ?? []).forEach((d, j) => {
      check(`<catalog>[${i}].dependsOn[${j}]`, catalogByName.has(d), `"${a.name}" depends on unknown add-on "${d}"`);
    });
  });
  for (const cycle of addonWaves(catalog).cycles) {
    const i = catalog.findIndex((a) => a.name === cycle[0]);
    report(`<catalog>[${i}].dependsOn`, `dependency cycle between add-ons: ${cycle.join(' -> ')}; remove one of these dependencies`);
  }

  // --- fleet settings ----------------------------------------------------------------------------
  dns('name', spec.name);
  const mode = spec.argocd?.mode ?? 'self-managed';
  check('argocd.mode', mode === 'self-managed' || mode === 'eks-capability', `"${mode}" is not a mode; use "self-managed" or "eks-capability"`);
  if (spec.argocd?.namespace !== undefined) dns('argocd.namespace', spec.argocd.namespace);
  const sharding = spec.argocd?.sharding;
  if (sharding !== undefined) {
    check('argocd.sharding.replicas', Number.isInteger(sharding.replicas) && sharding.replicas >= 1 && sharding.replicas <= 100, `must be a whole number from 1 to 100, got ${JSON.stringify(sharding.replicas)}`);
    if (sharding.algorithm !== undefined) {
      check('argocd.sharding.algorithm', ['legacy', 'round-robin', 'consistent-hashing'].includes(sharding.algorithm), `"${sharding.algorithm}" is not a sharding algorithm; use legacy, round-robin or consistent-hashing`);
    }
    if (mode === 'eks-capability') report('argocd.sharding', 'the EKS Argo CD capability manages its own controllers; remove sharding or use mode "self-managed"');
  }
  if (spec.argocd?.progressiveSync !== undefined && typeof spec.argocd.progressiveSync !== 'boolean') {
    report('argocd.progressiveSync', `must be true or false, got ${JSON.stringify(spec.argocd.progressiveSync)}`);
  }
  const repo = (path: string, r: GitRepoSpec | undefined) => {
    if (!r) return report(path, 'is missing; give { url, revision }');
    check(`${path}.url`, str(r.url) && rules.GIT_URL.test(r.url), `"${r.url}" is not a git URL (https://host/org/repo.git or git@host:org/repo.git)`);
    check(`${path}.revision`, str(r.revision) && rules.GIT_REVISION.test(r.revision), `"${r.revision}" is not a branch, tag or commit (HEAD is not allowed: pin what Argo CD follows)`);
    if (r.basePath !== undefined) {
      check(`${path}.basePath`, r.basePath === '' || (str(r.basePath) && /^[\w.-]+(\/[\w.-]+)*\/$/.test(r.basePath)), `"${r.basePath}" must be empty or a relative folder ending in '/' (like "dist/")`);
    }
    if (r.path !== undefined) {
      check(`${path}.path`, str(r.path) && /^[\w.-]+(\/[\w.-]+)*$/.test(r.path) && !r.path.split('/').includes('..'), `"${r.path}" must be a relative folder without '..' or a trailing '/'`);
    }
  };
  repo('repos.addons', spec.repos?.addons);
  repo('repos.workloads', spec.repos?.workloads);

  // --- accounts ------------------------------------------------------------------------------------
  const accounts = new Map<string, (typeof spec.accounts)[number]>();
  const accountIds = new Map<string, number>();
  objectsOf('accounts', spec.accounts, 'accounts').forEach(([a, i]) => {
    const at = `accounts[${i}]`;
    dns(`${at}.name`, a.name);
    if (accounts.has(a.name)) report(`${at}.name`, `account "${a.name}" is defined twice`);
    accounts.set(a.name, a);
    check(`${at}.id`, str(a.id) && rules.AWS_ACCOUNT_ID.test(a.id), `"${a.id}" is not a 12-digit AWS account id`);
    if (accountIds.has(a.id)) report(`${at}.id`, `account id ${a.id} is already used by accounts[${accountIds.get(a.id)}]`);
    accountIds.set(a.id, i);
    check(`${at}.kind`, a.kind === 'central' || a.kind === 'tenant', `"${a.kind}" is not an account kind; use "central" or "tenant"`);
  });

  // --- environments --------------------------------------------------------------------------------
  const envs = new Map<string, (typeof spec.environments)[number]>();
  const addonSettings = (at: string, settings: Readonly<Record<string, boolean | AddonSetting>> | undefined, clusterLevel: boolean) => {
    if (settings !== undefined && !isRecord(settings)) return report(`${at}.addons`, `must be an object of add-on settings by add-on name, got ${kindOf(settings)}`);
    for (const [name, raw] of Object.entries(settings ?? {})) {
      const path = `${at}.addons.${name}`;
      if (!catalogByName.has(name)) {
        report(path, `unknown add-on "${name}"; known add-ons: ${[...catalogByName.keys()].sort().join(', ')}`);
        continue;
      }
      if (typeof raw !== 'boolean' && (raw === null || typeof raw !== 'object')) {
        report(path, `must be true, false or a setting object, got ${JSON.stringify(raw)}`);
        continue;
      }
      const s = asSetting<ClusterAddonSetting>(raw)!;
      if (s.version !== undefined) {
        check(`${path}.version`, str(s.version) && rules.CHART_VERSION.test(s.version), `"${s.version}" is not an exact chart version (semver such as 1.2.3)`);
      }
      if (s.values !== undefined) {
        check(`${path}.values`, typeof s.values === 'object' && s.values !== null && !Array.isArray(s.values), 'must be an object of Helm values');
        const bad = nonJsonAt(s.values);
        if (bad) report(`${path}.values`, `must be JSON data: ${bad.replace(/^\./, '')}`);
      }
      if (s.iamRoleArn !== undefined) {
        if (!clusterLevel) report(`${path}.iamRoleArn`, 'IAM roles are per cluster; set iamRoleArn on the cluster');
        else if (!catalogByName.get(name)!.iamRole) report(`${path}.iamRoleArn`, `add-on "${name}" does not use an IAM role; remove iamRoleArn`);
        else check(`${path}.iamRoleArn`, str(s.iamRoleArn) && rules.IAM_ROLE_ARN.test(s.iamRoleArn), `"${s.iamRoleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
      }
    }
  };
  objectsOf('environments', spec.environments, 'environments').forEach(([e, i]) => {
    const at = `environments[${i}]`;
    dns(`${at}.name`, e.name);
    if (envs.has(e.name)) report(`${at}.name`, `environment "${e.name}" is defined twice`);
    envs.set(e.name, e);
    check(`${at}.promotionOrder`, Number.isInteger(e.promotionOrder) && e.promotionOrder >= 0, `must be a whole number >= 0, got ${JSON.stringify(e.promotionOrder)}`);
    addonSettings(at, e.addons, false);
  });

  // --- clusters ------------------------------------------------------------------------------------
  const clusterNames = new Map<string, number>();
  const hubs: number[] = [];
  objectsOf('clusters', spec.clusters, 'clusters').forEach(([c, i]) => {
    const at = `clusters[${i}]`;
    dns(`${at}.name`, c.name);
    if (clusterNames.has(c.name)) report(`${at}.name`, `cluster "${c.name}" is already defined at clusters[${clusterNames.get(c.name)}]; names must be unique`);
    clusterNames.set(c.name, i);
    check(`${at}.role`, c.role === 'hub' || c.role === 'spoke', `"${c.role}" is not a role; use "hub" or "spoke"`);
    if (c.role === 'hub') hubs.push(i);
    const account = accounts.get(c.account);
    check(`${at}.account`, account !== undefined, `unknown account "${c.account}"; known: ${[...accounts.keys()].join(', ')}`);
    if (c.role === 'hub' && account) check(`${at}.account`, account.kind === 'central', `the hub must run in a central account; "${c.account}" is a ${account.kind} account`);
    const env = envs.get(c.environment);
    check(`${at}.environment`, env !== undefined, `unknown environment "${c.environment}"; known: ${[...envs.keys()].join(', ')}`);
    check(`${at}.region`, str(c.region) && rules.AWS_REGION.test(c.region), `"${c.region}" is not an AWS region (like us-west-2)`);
    check(`${at}.kubernetesVersion`, str(c.kubernetesVersion) && rules.KUBERNETES_MINOR.test(c.kubernetesVersion), `"${c.kubernetesVersion}" is not a Kubernetes minor version (like "1.31")`);
    check(`${at}.vpcId`, str(c.vpcId) && rules.VPC_ID.test(c.vpcId), `"${c.vpcId}" is not a VPC id (vpc- and 8 or 17 hex digits)`);
    if (c.awsClusterName !== undefined) check(`${at}.awsClusterName`, rules.EKS_CLUSTER_NAME.test(c.awsClusterName), `"${c.awsClusterName}" is not a valid EKS cluster name`);
    if (c.tenant !== undefined) dns(`${at}.tenant`, c.tenant);
    if (c.shard !== undefined) {
      const replicas = spec.argocd?.sharding?.replicas;
      if (replicas === undefined) report(`${at}.shard`, 'Argo CD is not sharded; set argocd.sharding or remove shard');
      else check(`${at}.shard`, Number.isInteger(c.shard) && c.shard >= 0 && c.shard < replicas, `must be a shard from 0 to ${replicas - 1}, got ${JSON.stringify(c.shard)}`);
    }
    if (c.caData !== undefined) check(`${at}.caData`, str(c.caData) && rules.BASE64.test(c.caData), 'must be the base64 CA bundle (public data), without line breaks');
    if (c.role === 'spoke' && mode === 'self-managed') {
      check(`${at}.endpoint`, str(c.endpoint) && /^https:\/\/[^\s/]+\/?$/.test(c.endpoint), c.endpoint === undefined
        ? 'a spoke needs its API server endpoint (https://...eks.amazonaws.com) when Argo CD is self-managed'
        : `"${c.endpoint}" is not an https:// API server endpoint`);
      check(`${at}.argocdRoleArn`, str(c.argocdRoleArn) && rules.IAM_ROLE_ARN.test(c.argocdRoleArn), c.argocdRoleArn === undefined
        ? 'a spoke needs the IAM role Argo CD assumes to reach it (awsAuthConfig.roleARN) when Argo CD is self-managed'
        : `"${c.argocdRoleArn}" is not an IAM role ARN`);
    }
    addonSettings(at, c.addons, true);

    // Per enabled add-on: placement, IAM role, dependencies.
    for (const a of catalogByName.values()) {
      if (!isEnabled(c, env, a.name)) continue;
      const path = c.addons?.[a.name] !== undefined ? `${at}.addons.${a.name}` : `${at}.addons`;
      const where = c.addons?.[a.name] !== undefined ? '' : ` (enabled by environment "${c.environment}")`;
      const placement = a.placement ?? 'any';
      if (placement === 'hub' && c.role !== 'hub') report(path, `add-on "${a.name}" runs on the hub only${where}; disable it for spoke "${c.name}"`);
      if (placement === 'spokes' && c.role !== 'spoke') report(path, `add-on "${a.name}" runs on spokes only${where}; disable it for the hub`);
      if (a.name === 'argo-cd' && mode === 'eks-capability') report(path, 'the EKS Argo CD capability manages Argo CD; disable the argo-cd add-on or use mode "self-managed"');
      const argocdNamespace = spec.argocd?.namespace ?? 'argocd';
      if (a.name === 'argo-cd' && a.namespace !== argocdNamespace) {
        report(path, `the argo-cd add-on installs into namespace "${a.namespace}" but argocd.namespace is "${argocdNamespace}"; make them the same`);
      }
      const setting = asSetting<ClusterAddonSetting>(c.addons?.[a.name]);
      if (a.iamRole && !setting?.iamRoleArn) {
        report(`${at}.addons.${a.name}.iamRoleArn`, `add-on "${a.name}" needs an IAM role${where}: give iamRoleArn, written as annotation ${a.name.replace(/-/g, '_')}_iam_role_arn`);
      }
      for (const dep of a.dependsOn ?? []) {
        if (catalogByName.has(dep) && !isEnabled(c, env, dep)) report(path, `add-on "${a.name}" needs "${dep}" on the same cluster${where}; enable ${dep} too`);
      }
    }
  });
  validateTeams(spec, report);
  validateDatabases(spec, report);
  if (hubs.length === 0) report('clusters', 'no hub: one cluster must have role "hub"');
  const hubNames = hubs.map((i) => spec.clusters[i].name);
  (Array.isArray(spec.clusters) ? spec.clusters : []).forEach((c, i) => {
    if (!isRecord(c) || c.hub === undefined && (c.role !== 'spoke' || hubs.length < 2)) return;
    const at = `clusters[${i}].hub`;
    if (c.hub === undefined) report(at, `the fleet has ${hubs.length} hubs (${hubNames.join(', ')}): name the hub whose Argo CD manages spoke "${c.name}"`);
    else if (c.role === 'hub') check(at, c.hub === c.name, `a hub manages itself; remove hub or set it to "${c.name}"`);
    else check(at, hubNames.includes(c.hub), `unknown hub "${c.hub}"; hubs: ${hubNames.join(', ')}`);
  });
  if (problems.length > 0) return problems;

  // --- the contract, on the resolved fleet: every value is a valid label, every key read is written --
  const fleet = resolveFleet(spec, catalog);
  const indexOf = new Map(spec.clusters.map((c, i) => [c, i]));
  for (const cluster of fleet.clusters) {
    const at = `clusters[${indexOf.get(cluster.spec)}]`;
    for (const [key, value] of Object.entries(clusterLabels(cluster))) {
      const p = rules.labelValueProblem(value);
      if (p) report(at, `cluster Secret label ${key}: ${p}`);
    }
    const annotations = clusterAnnotations(fleet, cluster);
    for (const [name, addon] of cluster.addons) {
      for (const key of requiredAddonAnnotations(addon.definition)) {
        if (!(key in annotations)) {
          const i = catalog.indexOf(addon.definition);
          report(`<catalog>[${i}]`, `the template of "${name}" reads annotation ${key}, which the contract does not write for cluster "${cluster.name}"`);
        }
      }
    }
  }
  return problems;
}
