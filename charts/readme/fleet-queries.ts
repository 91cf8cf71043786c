/**
 * What the sections of the generated README ask of a resolved fleet: the reading order of clusters,
 * which apps run where, the hubs, which hub manages a cluster and where a hub's files are in `dist/`.
 */
import { AppSpec, EnvironmentSpec } from '../model/spec.js';
import { hubNames, hubOf } from '../model/hubs.js';
import { hubDir } from '../layout/dist-layout.js';
import { ResolvedCluster, ResolvedFleet, ResolvedTeam } from '../model/resolve.js';
import { compareStrings } from '../../engines/util/index.js';

/** Clusters in reading order: hubs first, then by environment promotion order, then by name. */
export function clusterOrder(fleet: ResolvedFleet): (a: ResolvedCluster, b: ResolvedCluster) => number {
  const rank = new Map(fleet.environments.map((e, i) => [e.name, i]));
  return (a, b) =>
    Number(b.role === 'hub') - Number(a.role === 'hub') ||
    (rank.get(a.environment.name) ?? 0) - (rank.get(b.environment.name) ?? 0) ||
    compareStrings(a.name, b.name);
}

/** Apps of a team that run in an environment (the team deploys there and the app has an overlay for it). */
export function appsIn(team: ResolvedTeam, environment: string): AppSpec[] {
  if (!team.environments.some((e) => e.name === environment)) return [];
  return team.apps.filter((a) => a.environments[environment] !== undefined);
}

/** The fleet's hubs, sorted by name. */
export function hubsOf(fleet: ResolvedFleet): ResolvedCluster[] {
  return fleet.clusters.filter((c) => c.role === 'hub');
}

/** The name of the hub whose Argo CD manages a cluster (a hub manages itself). */
export function managerOf(fleet: ResolvedFleet): (c: ResolvedCluster) => string {
  const names = hubNames(fleet.spec);
  return (c) => hubOf(c.spec, names) ?? fleet.hub.name;
}

/** The `dist/` folder of a hub's own files: `hub`, or `hubs/<hub>` in a fleet with several hubs. */
export function hubFolder(fleet: ResolvedFleet, hub: string): string {
  return hubDir(hub, hubNames(fleet.spec));
}

/** Spoke environments teams deploy to, in promotion order. */
export function appEnvironments(fleet: ResolvedFleet): EnvironmentSpec[] {
  return fleet.environments.filter((e) => fleet.teams.some((t) => appsIn(t, e.name).length > 0));
}
