/**
 * Companion resources of an add-on: the objects it needs after install to do its job (Karpenter's
 * NodePool and EC2NodeClass, cert-manager's ClusterIssuers, Kyverno's policies, a default StorageClass),
 * layered like values (catalog default -> environment -> cluster) and rendered per cluster to
 * `addons/companions/<cluster>/<addon>/<kind>-<name>.yaml`, a further source of the add-on's Application.
 *
 * Layering: the catalog's builder gives the default objects by name; an environment's, then a cluster's
 * `companions` setting gives, by the same names, an object deep-merged over the one below (maps merge
 * key by key; a list of objects that all have a `name` merges by name, like Kubernetes' strategic merge
 * of containers, so one Kyverno rule's `failureAction` can change; any other list, and every scalar,
 * replaces), a new object under a new name, or `false` to remove the one below.
 */
import type { AddonSetting, ClusterAddonSetting } from './spec.js';

/** A Kubernetes object as data: `apiVersion`, `kind`, `metadata.name`, the rest. Never a Secret. */
export type CompanionObject = Readonly<Record<string, unknown>>;

/**
 * What the companions code reads of an add-on's catalog entry (`AddonDefinition`, structurally: addon.ts
 * imports this file's types, so this file does not import it back).
 */
export interface CompanionAddon {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount?: string;
  readonly companions?: AddonCompanions;
}

/** What a companion builder knows of the cluster it renders for. */
export interface CompanionContext {
  readonly addon: CompanionAddon;
  readonly cluster: {
    readonly name: string;
    readonly awsClusterName: string;
    readonly region: string;
    readonly accountId: string;
    readonly vpcId: string;
    readonly kubernetesVersion: string;
    readonly environment: string;
    /** The add-on's IAM role on this cluster (its `<addon>_iam_role_arn`), when it has one. */
    readonly iamRoleArn?: string;
  };
  /** The add-on's facts of the IaC contract on this cluster (annotation key -> value). */
  readonly facts: ReadonlyMap<string, string>;
}

/** An add-on's default companions on one cluster, by name (the name settings use to change or remove one). */
export type AddonCompanions = (ctx: CompanionContext) => Readonly<Record<string, CompanionObject>>;

/** A layer of companion settings: by name, an object to merge (or add), or `false` to remove. */
export type CompanionLayer = Readonly<Record<string, CompanionObject | false>>;

/** Where a merged companion's last word came from: the catalog's builder, or an environment's or cluster's setting. */
export type CompanionSource = 'catalog' | 'environment' | 'cluster';

/** One companion of an add-on on a cluster, after layering. */
export interface ResolvedCompanion {
  /** Its name in the layers (the key settings use). */
  readonly name: string;
  readonly object: CompanionObject;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list whose every element is an object with a string `name`: merged by name. */
const isNamedList = (v: unknown): v is Array<Record<string, unknown>> =>
  Array.isArray(v) && v.length > 0 && v.every((e) => isPlainObject(e) && typeof e.name === 'string');

/**
 * `over` deep-merged over `base`: maps key by key, lists of named objects by name (base order, new names
 * appended), anything else replaced by `over`'s.
 */
export function mergeCompanion(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeCompanion(out[k], v) : v;
    return out;
  }
  if (isNamedList(base) && isNamedList(over)) {
    const byName = new Map(over.map((e) => [e.name as string, e]));
    const merged = base.map((e) => (byName.has(e.name as string) ? mergeCompanion(e, byName.get(e.name as string)) : e));
    const known = new Set(base.map((e) => e.name));
    return [...merged, ...over.filter((e) => !known.has(e.name))];
  }
  return over;
}

/** The `companions` of an add-on setting (`true`, `false` or an object), when it gives any. */
export function companionLayer(setting: boolean | AddonSetting | undefined): CompanionLayer | undefined {
  return typeof setting === 'object' && setting !== null ? setting.companions : undefined;
}

/** Applies one layer: merges, adds or removes by name. Tolerates unvalidated input (non-objects are skipped). */
export function applyCompanionLayer(objects: Readonly<Record<string, CompanionObject>>, layer: CompanionLayer | undefined): Record<string, CompanionObject> {
  const out: Record<string, CompanionObject> = { ...objects };
  if (!isPlainObject(layer)) return out;
  for (const [name, value] of Object.entries(layer)) {
    if (value === false) delete out[name];
    else if (isPlainObject(value)) out[name] = (name in out ? mergeCompanion(out[name], value) : value) as CompanionObject;
  }
  return out;
}

/** What `clusterCompanions` reads of a resolved cluster (kept structural: the model has no cycle through resolve.ts). */
export interface CompanionCluster {
  readonly name: string;
  readonly awsClusterName: string;
  readonly region: string;
  readonly vpcId: string;
  readonly kubernetesVersion: string;
  readonly account: { readonly id: string };
  readonly environment: { readonly name: string; readonly addons?: Readonly<Record<string, boolean | AddonSetting>> };
  readonly spec: { readonly addons?: Readonly<Record<string, boolean | ClusterAddonSetting>> };
  readonly addons: ReadonlyMap<string, { readonly iamRoleArn?: string; readonly facts: ReadonlyMap<string, string> }>;
}

/** The builder's context for an add-on on a cluster that runs it. */
export function companionContext(addon: CompanionAddon, cluster: CompanionCluster): CompanionContext {
  const running = cluster.addons.get(addon.name);
  return {
    addon,
    cluster: {
      name: cluster.name,
      awsClusterName: cluster.awsClusterName,
      region: cluster.region,
      accountId: cluster.account.id,
      vpcId: cluster.vpcId,
      kubernetesVersion: cluster.kubernetesVersion,
      environment: cluster.environment.name,
      iamRoleArn: running?.iamRoleArn,
    },
    facts: running?.facts ?? new Map(),
  };
}

/**
 * The companions of an add-on on a cluster, layered (catalog default -> environment -> cluster), by name,
 * sorted by name. Empty when the add-on has none there.
 */
export function clusterCompanions(addon: CompanionAddon, cluster: CompanionCluster): ResolvedCompanion[] {
  let objects: Record<string, CompanionObject> = { ...(addon.companions?.(companionContext(addon, cluster)) ?? {}) };
  objects = applyCompanionLayer(objects, companionLayer(cluster.environment.addons?.[addon.name]));
  objects = applyCompanionLayer(objects, companionLayer(cluster.spec.addons?.[addon.name]));
  return Object.keys(objects).sort().map((name) => ({ name, object: objects[name] }));
}

/** Which layer gave the value at `path` (keys and list indexes) of a merged companion: the highest that sets it (a layer that sets a list is taken to give all of it). */
export function companionSourceOf(addon: string, cluster: CompanionCluster, name: string, path: readonly string[]): CompanionSource {
  const sets = (layer: CompanionLayer | undefined): boolean => {
    if (!isPlainObject(layer) || !(name in layer)) return false;
    let v: unknown = layer[name];
    for (const key of path) {
      if (Array.isArray(v)) return true; // a list: this layer gave it (or, merged by name, part of it)
      if (isPlainObject(v)) v = v[key];
      else return false;
      if (v === undefined) return false;
    }
    return true;
  };
  if (sets(companionLayer(cluster.spec.addons?.[addon]))) return 'cluster';
  if (sets(companionLayer(cluster.environment.addons?.[addon]))) return 'environment';
  return 'catalog';
}

/**
 * Whether an add-on's Application gets its companions source on the clusters of one ApplicationSet:
 * when the catalog gives companions, or a setting of one of those clusters (or of their environment)
 * adds one. Then every one of them must have at least one companion (git keeps no empty folder, and
 * Argo CD fails on a missing path).
 */
export function deliversCompanions(addon: CompanionAddon, clusters: readonly CompanionCluster[]): boolean {
  if (addon.companions) return true;
  return clusters.some((c) => c.addons.has(addon.name) && clusterCompanions(addon, c).length > 0);
}
