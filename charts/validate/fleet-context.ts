/**
 * What the rules of every section look up, gathered once from the input before any rule runs: the
 * add-ons, accounts, environments and clusters by name, the Argo CD mode, the hubs.
 */
import { AddonDefinition } from '../model/addon.js';
import { AccountSpec, ClusterSpec, EnvironmentSpec, FleetSpec } from '../model/spec.js';
import { earlierWithSameKey, records } from './rule-table.js';

/** The object elements of an input list, looked up by name. */
export interface NamedList<T> {
  /** The elements that are objects, with their index in the list. */
  readonly items: ReadonlyArray<readonly [T, number]>;
  /** By name; of two elements with one name, the later one (every name is listed once, in first-seen order). */
  readonly byName: ReadonlyMap<unknown, T>;
  /** For an element whose name an earlier element has too: the index of the last such element. */
  readonly earlierSameName: ReadonlyMap<number, number>;
}

function namedList<T extends { readonly name: unknown }>(items: Array<[T, number]>): NamedList<T> {
  return {
    items,
    byName: new Map(items.map(([item]) => [item.name, item])),
    earlierSameName: earlierWithSameKey(items, (item) => item.name),
  };
}

export interface FleetContext {
  readonly spec: FleetSpec;
  readonly catalog: readonly AddonDefinition[];
  /** The add-on catalog, every entry. */
  readonly addons: NamedList<AddonDefinition>;
  /** `argocd.mode`, defaulted to self-managed. */
  readonly mode: string;
  readonly accounts: NamedList<AccountSpec>;
  readonly environments: NamedList<EnvironmentSpec>;
  readonly clusters: NamedList<ClusterSpec>;
  /** The indexes of the clusters with role hub. */
  readonly hubs: readonly number[];
}

export function fleetContext(spec: FleetSpec, catalog: readonly AddonDefinition[]): FleetContext {
  const clusters = namedList(records(spec.clusters));
  return {
    spec,
    catalog,
    addons: namedList(catalog.map((a, i) => [a, i])),
    mode: spec.argocd?.mode ?? 'self-managed',
    accounts: namedList(records(spec.accounts)),
    environments: namedList(records(spec.environments)),
    clusters,
    hubs: clusters.items.filter(([c]) => c.role === 'hub').map(([, i]) => i),
  };
}

/** For each environment, the longest name of a cluster that takes workloads there. Once per fleet. */
const longestWorkloadNames = new WeakMap<FleetContext, ReadonlyMap<unknown, string>>();

/**
 * The longest name of a cluster that takes team workloads in an environment, or undefined when none does:
 * what makes the longest Application name of a team's apps and boundaries there.
 */
export function longestWorkloadClusterName(ctx: FleetContext, environment: unknown): string | undefined {
  let found = longestWorkloadNames.get(ctx);
  if (found === undefined) {
    const longest = new Map<unknown, string>();
    for (const [c] of ctx.clusters.items) {
      if (!(c.workloads ?? c.role === 'spoke') || typeof c.name !== 'string') continue;
      const current = longest.get(c.environment);
      if (current === undefined || c.name.length > current.length) longest.set(c.environment, c.name);
    }
    found = longest;
    longestWorkloadNames.set(ctx, found);
  }
  return found.get(environment);
}
