import { AddonDefinition } from './addon.js';
import { addonWaves } from './addon-order.js';
import { addonVersionFor } from './addon-versions.js';
import { ADDONS_DIR, APPS_DIR } from '../layout/dist-layout.js';
import { IN_CLUSTER_SERVER } from '../../engines/applicationset/clusters.js';
import { AccountSpec, AddonSetting, AwsIdentity, AppSpec, ClusterAddonSetting, ClusterSpec, EnvironmentSpec, FleetSpec, GitRepoSpec, TeamQuota, TeamRepoApp, TeamRepoSpec, TeamSpec } from './spec.js';

/** An add-on as it runs on one cluster. */
export interface ClusterAddon {
  readonly definition: AddonDefinition;
  /** The version this cluster runs: cluster pin, else environment pin, else the version set of its Kubernetes minor (`addonVersionFor`). */
  readonly version: string;
  readonly iamRoleArn?: string;
  /** The add-on's facts of the IaC contract on this cluster (annotation key -> value), sorted by key. */
  readonly facts: ReadonlyMap<string, string>;
  /** What gave `version`: the cluster's pin, its environment's, or the version set of its Kubernetes minor. */
  readonly versionFrom: 'cluster pin' | 'environment pin' | 'version set';
}

/** A cluster with every default applied. */
export interface ResolvedCluster {
  readonly spec: ClusterSpec;
  readonly name: string;
  readonly awsClusterName: string;
  readonly account: AccountSpec;
  readonly environment: EnvironmentSpec;
  /** AWS region (a fact: typed, or from the IaC output). */
  readonly region: string;
  /** VPC id. */
  readonly vpcId: string;
  /** Kubernetes minor version. */
  readonly kubernetesVersion: string;
  /** How the cluster's add-ons get AWS credentials: the cluster's `identity`, else the fleet's, else `irsa`. */
  readonly identity: AwsIdentity;
  readonly role: 'hub' | 'spoke';
  readonly tenant: string;
  readonly workloads: boolean;
  /** What Argo CD calls the cluster's API: in-cluster URL for the self-managed hub, cluster ARN in capability mode. */
  readonly server: string;
  /** Enabled add-ons, sorted by name. */
  readonly addons: ReadonlyMap<string, ClusterAddon>;
}

/** A team with every default applied. */
export interface ResolvedTeam {
  readonly spec: TeamSpec;
  readonly name: string;
  /** The team's environments, in promotion order. */
  readonly environments: readonly EnvironmentSpec[];
  /** Apps sorted by name (none for a team with its own repository). */
  readonly apps: readonly AppSpec[];
  /** The team's own repository (team repository mode), its apps sorted by name. */
  readonly repo?: TeamRepoSpec;
  /** The (app, environment) pairs the team runs, apps by name then environments in promotion order. */
  readonly deliveries: ReadonlyArray<{ readonly app: string; readonly environment: string }>;
  /** Namespace of the team in an environment: `<team>-<environment>`. */
  namespace(environment: string): string;
  quota(environment: string): TeamQuota;
  access(environment: string): 'view' | 'edit';
  /** The spokes that run the team's workloads in an environment. */
  clusters(environment: string): readonly ResolvedCluster[];
}

/**
 * An app of a team repository as the platform sees it, in the shape of an app of the platform: no base
 * (its manifests are in the team's repository), an empty overlay per environment it runs in, its
 * traffic and database. Tolerates unvalidated input (validation reads it too).
 */
export function repoAppAsSpec(app: TeamRepoApp): AppSpec {
  return {
    name: app.name,
    environments: Object.fromEntries((Array.isArray(app.environments) ? app.environments : []).map((env) => [env, {}])),
    connectsTo: app.connectsTo,
    internetEgress: app.internetEgress,
    database: app.database,
  };
}

/** Quota of a team in an environment when none is given. */
export const DEFAULT_TEAM_QUOTA: TeamQuota = { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 50 };

/** `<team>-<environment>`: the namespace of a team in an environment. */
export function teamNamespace(team: string, environment: string): string {
  return `${team}-${environment}`;
}

/** A valid fleet with every default applied and every list in a canonical order. */
export interface ResolvedFleet {
  readonly spec: FleetSpec;
  readonly name: string;
  readonly argocdNamespace: string;
  readonly mode: 'self-managed' | 'eks-capability';
  readonly progressiveSync: boolean;
  readonly repos: { readonly addons: Required<GitRepoSpec>; readonly workloads: Required<GitRepoSpec> };
  /** Environments in promotion order. */
  readonly environments: readonly EnvironmentSpec[];
  /** Clusters sorted by name. */
  readonly clusters: readonly ResolvedCluster[];
  readonly hub: ResolvedCluster;
  /** The catalog, sorted by name. */
  readonly catalog: readonly AddonDefinition[];
  /** Sync wave of each catalog add-on. */
  readonly addonWaves: ReadonlyMap<string, number>;
  /** Teams sorted by name. */
  readonly teams: readonly ResolvedTeam[];
}

/** A boolean-or-setting entry as a setting (`true` -> `{enabled: true}`). */
export function asSetting<T extends AddonSetting>(value: boolean | T | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return { enabled: value } as T;
  return value;
}

/** Whether an add-on runs on a cluster: the cluster's setting wins over the environment's. */
export function isEnabled(cluster: ClusterSpec, env: EnvironmentSpec | undefined, addon: string): boolean {
  const c = asSetting(cluster.addons?.[addon]);
  if (c) return c.enabled ?? true;
  const e = asSetting(env?.addons?.[addon]);
  return e ? (e.enabled ?? true) : false;
}

/** How a cluster's add-ons get AWS credentials: its own `identity`, else the fleet's, else IRSA. */
export function clusterIdentity(fleet: Pick<FleetSpec, 'identity'>, cluster: Pick<ClusterSpec, 'identity'>): AwsIdentity {
  return cluster.identity ?? fleet.identity ?? 'irsa';
}

/** The EKS cluster ARN, which the EKS Argo CD capability uses as `server`. */
export function clusterArn(c: { region: string; account: AccountSpec; awsClusterName: string }): string {
  return `arn:aws:eks:${c.region}:${c.account.id}:cluster/${c.awsClusterName}`;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function repo(spec: GitRepoSpec, defaultPath: string): Required<GitRepoSpec> {
  return { url: spec.url, revision: spec.revision, basePath: spec.basePath ?? '', path: spec.path ?? defaultPath };
}

/**
 * Applies defaults and sorts. Call only on a fleet that `validateFleet()` accepted: this function
 * trusts its input.
 */
export function resolveFleet(spec: FleetSpec, catalog: readonly AddonDefinition[]): ResolvedFleet {
  const mode = spec.argocd?.mode ?? 'self-managed';
  const sortedCatalog = [...catalog].sort(byName);
  const catalogByName = new Map(sortedCatalog.map((a) => [a.name, a]));
  const accounts = new Map(spec.accounts.map((a) => [a.name, a]));
  const envs = new Map(spec.environments.map((e) => [e.name, e]));

  const clusters = [...spec.clusters].sort(byName).map((c): ResolvedCluster => {
    const account = accounts.get(c.account)!;
    const environment = envs.get(c.environment)!;
    const awsClusterName = c.awsClusterName ?? c.name;
    const addons = new Map<string, ClusterAddon>();
    for (const definition of sortedCatalog) {
      if (!isEnabled(c, environment, definition.name)) continue;
      const cs = asSetting<ClusterAddonSetting>(c.addons?.[definition.name]);
      const es = asSetting(environment.addons?.[definition.name]);
      addons.set(definition.name, {
        definition,
        version: cs?.version ?? es?.version ?? addonVersionFor(definition, c.kubernetesVersion!) ?? definition.version,
        versionFrom: cs?.version !== undefined ? 'cluster pin' : es?.version !== undefined ? 'environment pin' : 'version set',
        iamRoleArn: cs?.iamRoleArn,
        facts: new Map(Object.entries(cs?.facts ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      });
    }
    let server: string;
    if (mode === 'eks-capability') server = clusterArn({ region: c.region!, account, awsClusterName });
    else server = c.role === 'hub' ? IN_CLUSTER_SERVER : c.endpoint!;
    return {
      spec: c,
      name: c.name,
      awsClusterName,
      account,
      environment,
      region: c.region!,
      vpcId: c.vpcId!,
      kubernetesVersion: c.kubernetesVersion!,
      identity: clusterIdentity(spec, c),
      role: c.role,
      tenant: c.tenant ?? c.account,
      workloads: c.workloads ?? c.role === 'spoke',
      server,
      addons,
    };
  });

  const environments = [...spec.environments].sort((a, b) => a.promotionOrder - b.promotionOrder || byName(a, b));
  const teams = [...(spec.teams ?? [])].sort(byName).map((t): ResolvedTeam => {
    const teamEnvironments = environments.filter((e) => t.environments.includes(e.name));
    const apps = [...t.apps].sort(byName);
    const repo = t.repo ? { ...t.repo, apps: [...t.repo.apps].sort(byName) } : undefined;
    const runs: ReadonlyArray<{ name: string; runsIn: (env: string) => boolean }> = repo
      ? repo.apps.map((a) => ({ name: a.name, runsIn: (env) => a.environments.includes(env) }))
      : apps.map((a) => ({ name: a.name, runsIn: (env) => a.environments[env] !== undefined }));
    return {
      spec: t,
      name: t.name,
      environments: teamEnvironments,
      apps,
      repo,
      deliveries: teamEnvironments.flatMap((env) => runs.filter((a) => a.runsIn(env.name)).map((a) => ({ app: a.name, environment: env.name }))),
      namespace: (env) => teamNamespace(t.name, env),
      quota: (env) => t.quota?.[env] ?? DEFAULT_TEAM_QUOTA,
      access: (env) => t.access?.[env] ?? 'view',
      clusters: (env) => clusters.filter((c) => c.workloads && c.environment.name === env),
    };
  });
  return {
    spec,
    name: spec.name,
    argocdNamespace: spec.argocd?.namespace ?? 'argocd',
    mode,
    progressiveSync: spec.argocd?.progressiveSync ?? false,
    repos: { addons: repo(spec.repos.addons, ADDONS_DIR), workloads: repo(spec.repos.workloads, APPS_DIR) },
    environments,
    clusters,
    hub: clusters.find((c) => c.role === 'hub')!,
    catalog: sortedCatalog,
    addonWaves: addonWaves([...catalogByName.values()]).waves,
    teams,
  };
}
