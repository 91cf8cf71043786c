import type { AppSpec, FleetSource, TeamSpec } from '../../charts/model/spec.js';
import { appPlatformView } from '../../charts/model/app-platform-view.js';
import { sha256 } from '../../engines/util/index.js';
import { renderKey, stableJson } from './run-key.js';

/**
 * What an index records so that a change to some apps' own fields can be rendered alone
 * (render/app-only.ts): the key of the fleet with every app reduced to what the rest of the fleet reads
 * of it (`appPlatformView`), and each app's own key.
 */
export interface AppKeys {
  /** `renderKey` of the source with each app replaced by its platform view. */
  readonly platform: string;
  /** Per app, `<team>/<app>`, the key of its whole spec (`appKey`). */
  readonly apps: Readonly<Record<string, string>>;
}

/** The key of an app's whole spec in its team, or undefined when it is not plain data. */
export function appKey(team: TeamSpec, app: AppSpec): string | undefined {
  const json = stableJson(app);
  return json === undefined ? undefined : sha256(`${team.name}\0${json}`);
}

/**
 * The keys of a fleet's apps, or undefined when they cannot be stated (an app that is not plain data,
 * a team or app without a string name, two apps with one `<team>/<app>`).
 */
export function appKeys(source: FleetSource): AppKeys | undefined {
  const teams = source.spec.teams;
  if (teams !== undefined && !Array.isArray(teams)) return undefined;
  const apps: Record<string, string> = Object.create(null);
  const viewTeams: unknown[] = [];
  for (const team of teams ?? []) {
    if (!team || typeof team.name !== 'string' || !Array.isArray(team.apps)) return undefined;
    const views: unknown[] = [];
    for (const app of team.apps) {
      if (!app || typeof app.name !== 'string') return undefined;
      const id = `${team.name}/${app.name}`;
      const key = appKey(team, app);
      if (key === undefined || id in apps) return undefined;
      apps[id] = key;
      views.push(appPlatformView(app));
    }
    viewTeams.push({ ...team, apps: views });
  }
  const platform = renderKey({ ...source, spec: { ...source.spec, teams: teams === undefined ? undefined : viewTeams } });
  return platform === undefined ? undefined : { platform, apps };
}

/**
 * The apps whose own key changed between two fleets with the same platform key, as `<team>/<app>`; undefined
 * when the fleets differ in more than that (another platform key, or another set of apps).
 */
export function changedApps(before: AppKeys, now: AppKeys): string[] | undefined {
  if (before.platform !== now.platform) return undefined;
  const ids = Object.keys(now.apps);
  if (ids.length !== Object.keys(before.apps).length) return undefined;
  const changed: string[] = [];
  for (const id of ids) {
    if (!Object.prototype.hasOwnProperty.call(before.apps, id)) return undefined;
    if (before.apps[id] !== now.apps[id]) changed.push(id);
  }
  return changed;
}

/**
 * The render key of a fleet (what the index of its output folder records): its platform key and every
 * app's key, which together state the whole source (the platform key holds each app's place and name).
 * Computed from the app keys, so a render that needs both states the source once.
 */
export function fleetKey(keys: AppKeys): string {
  return sha256(`${keys.platform}\0${stableJson(keys.apps)}`);
}

/** `fleetKey` of a source, or undefined when its apps cannot be keyed (see `appKeys`). */
export function sourceKey(source: FleetSource): string | undefined {
  const keys = appKeys(source);
  return keys && fleetKey(keys);
}
