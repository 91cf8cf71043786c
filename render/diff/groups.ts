/**
 * Where a file of dist/ belongs in a review: the hub, one cluster, one environment, every cluster, one
 * team, one app, or the docs. A pure function of the path, so the grouping of a diff is stable.
 */
import { ADDONS_DIR, APPS_DIR, CROSSPLANE_DIR, HUB_DIR, HUBS_DIR, TEAMS_DIR } from '../../charts/layout/dist-layout.js';
import { compareStrings } from '../../engines/util/index.js';

/** The kinds of group, in the order a diff lists them. */
export const GROUP_ORDER = ['hub', 'cluster', 'environment', 'all-clusters', 'team', 'app', 'docs', 'other'] as const;

/** One kind of group. */
export type GroupKind = (typeof GROUP_ORDER)[number];

/** The group of a file, and the environment it is for when its path says so. */
export interface FileGroup {
  /** Kind of group; decides the order of groups. */
  readonly kind: GroupKind;
  /** The hub (of several), cluster, environment, team or `<team>/<app>` the group is about; '' for the only hub, all clusters, docs, other. */
  readonly name: string;
  /** Stable key of the group: kind and name. */
  readonly key: string;
  /** Heading of the group: `hub`, `hub eu-hub`, `cluster spoke-prod`, `environment prod`, `all clusters`, `team webstore`, `app webstore/backend`, `docs`, `other`. */
  readonly label: string;
  /**
   * The environment of an app's or a team's file (`apps/<team>/<app>/<env>/...`, `teams/<team>/<env>/...`,
   * `hub/crossplane/claims/<env>/<team>/...`).
   * @default - none: the file is not for one environment
   */
  readonly environment?: string;
}

const LABEL_PREFIX: Record<GroupKind, string> = {
  'hub': 'hub',
  'cluster': 'cluster',
  'environment': 'environment',
  'all-clusters': 'all clusters',
  'team': 'team',
  'app': 'app',
  'docs': 'docs',
  'other': 'other',
};

function group(kind: GroupKind, name = '', environment?: string): FileGroup {
  const label = name === '' ? LABEL_PREFIX[kind] : `${LABEL_PREFIX[kind]} ${name}`;
  return { kind, name, key: `${kind}:${name}`, label, ...(environment === undefined ? {} : { environment }) };
}

const YAML = /\.ya?ml$/;

/**
 * The group of a dist/ path (relative to dist/, '/'-separated), following the layout of
 * charts/layout/dist-layout.ts. `<hub-dir>` is `hub` (a fleet with one hub) or `hubs/<hub>` (one of several):
 *
 * - `<hub-dir>/argocd/clusters/<cluster>.yaml` (the cluster Secret) and `addons/values/clusters/<cluster>/**`: cluster `<cluster>`
 * - `<hub-dir>/crossplane/claims/<env>/<team>/**` and `teams/<team>/**`: team `<team>`
 * - the rest of `hub/**`: hub; of `hubs/<hub>/**`: hub `<hub>`
 * - `addons/values/environments/<env>/**`: environment `<env>`
 * - `addons/values/default/**`: all clusters
 * - `apps/<team>/<app>/<env>/**`: app `<team>/<app>`
 * - other files that are not YAML (README.md): docs; anything else: other
 */
export function groupOf(distPath: string): FileGroup {
  const all = distPath.split('/');
  const hubRoot = all[0] === HUB_DIR ? 1 : all[0] === HUBS_DIR && all.length >= 3 ? 2 : 0;
  if (hubRoot > 0) {
    const p = all.slice(hubRoot);
    if (p[0] === 'argocd' && p[1] === 'clusters' && p.length === 3 && YAML.test(p[2])) return group('cluster', p[2].replace(YAML, ''));
    if (p[0] === CROSSPLANE_DIR && p[1] === 'claims' && p.length >= 5) return group('team', p[3], p[2]);
    return group('hub', hubRoot === 2 ? all[1] : '');
  }
  const p = all;
  if (p[0] === ADDONS_DIR && p[1] === 'values' && p.length >= 4) {
    if (p[2] === 'clusters' && p.length >= 5) return group('cluster', p[3]);
    if (p[2] === 'environments' && p.length >= 5) return group('environment', p[3]);
    if (p[2] === 'default') return group('all-clusters');
  }
  if (p[0] === TEAMS_DIR && p.length >= 3) return group('team', p[1], p.length >= 4 ? p[2] : undefined);
  if (p[0] === APPS_DIR && p.length >= 5) return group('app', `${p[1]}/${p[2]}`, p[3]);
  return YAML.test(distPath) ? group('other') : group('docs');
}

/** Orders groups: hub, clusters, environments, all clusters, teams, apps, docs, other; by name within a kind. */
export function compareGroups(a: FileGroup, b: FileGroup): number {
  const byKind = GROUP_ORDER.indexOf(a.kind) - GROUP_ORDER.indexOf(b.kind);
  if (byKind !== 0) return byKind;
  return compareStrings(a.name, b.name);
}
