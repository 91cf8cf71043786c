/**
 * The part of a render that a change to some apps' own fields makes (an image tag promoted, replicas,
 * env, resources, an overlay's patches): those apps' manifests and their lines of the README's image
 * matrix. Everything else a render makes reads of apps only their platform view (`appPlatformView`), so
 * when no view changed, the rest of the output is that of the last render and need not be made again.
 *
 * The update checks what a complete render checks of these apps: the rules of their teams' apps
 * (`appProblems`), the rendered objects' rules, and the rules of each team's apps together (the quota at their
 * maximum scale, no object rendered by two apps). Any problem means "render in full": the complete render reports it the usual way.
 */
import { AddonDefinition } from '../model/addon.js';
import { ADDON_CATALOG } from '../addons/catalog.js';
import { AppSpec, FleetSource } from '../model/spec.js';
import { resolveFleet } from '../model/resolve.js';
import { applyIacOutputs } from '../iac/apply-iac-outputs.js';
import { splitPending } from '../iac/pending-clusters.js';
import { fleetContext } from '../validate/fleet-context.js';
import { appProblems } from '../validate/apps.js';
import type { KubeObject } from '../../engines/kustomize/index.js';
import { appManifestKey, imageMatrixLine } from '../readme/image-matrix.js';
import { PolicyContext } from '../policy/finding.js';
import { policyContext } from '../policy/policy-context.js';
import { APPS_DIR, joinPath, teamDir } from '../layout/dist-layout.js';
import { AppManifestStore, appPath, AppRenderContext, appRenderContext, renderAppManifests, TeamAppObjects, teamAppsProblems } from './app-manifests.js';
import { appFiles } from './team-outputs.js';
import { OutputFile } from './output-file.js';

/** An app by its place in the input: `spec.teams[team].apps[app]`. */
export interface AppRef {
  readonly team: number;
  readonly app: number;
}

/** What changing some apps' own fields makes of the output. */
export interface AppUpdate {
  /** Every file of the changed apps (`apps/<team>/<app>/<env>/...`). */
  readonly files: OutputFile[];
  /** The folders these files replace whole: `apps/<team>/<app>`, one per changed app. */
  readonly replaces: string[];
  /** Per changed app, its line of the README's image matrix: the line's start (`| <team>/<app> |`) and the whole line. */
  readonly readmeLines: ReadonlyArray<{ readonly start: string; readonly line: string }>;
  /** The team boundary folders (`teams/<team>/<env>`) the changed apps run beside, for policies that read them. */
  readonly boundaries: string[];
  /** What the policies check the files in. */
  readonly context: PolicyContext;
  /** The changed apps' objects per environment, for the app store. */
  readonly rendered: ReadonlyArray<{ readonly context: AppRenderContext; readonly app: AppSpec; readonly byEnvironment: ReadonlyMap<string, readonly KubeObject[]> }>;
}

/**
 * The output of `changed` apps after a change to their own fields only, or undefined when that cannot be
 * made without a complete render: a problem anywhere on the way (the complete render reports it), or an
 * app of a changed team the store no longer holds (the quota needs every app of the team).
 */
export function appUpdate(input: FleetSource, changed: readonly AppRef[], store: AppManifestStore, catalog: readonly AddonDefinition[] = ADDON_CATALOG): AppUpdate | undefined {
  const split = splitPending(input, catalog);
  if (split.problems.length > 0) return undefined;
  const iac = applyIacOutputs(split.source, catalog, split.pending);
  if (iac.problems.length > 0) return undefined;
  const source = iac.source;
  const specTeams = source.spec.teams ?? [];
  const ctx = fleetContext(source.spec, catalog);
  const teamIndexes = [...new Set(changed.map((c) => c.team))];
  // The rules of every app of a changed team: an app's rules read its teammates (names, connections).
  if (teamIndexes.some((ti) => appProblems(specTeams[ti], `teams[${ti}]`, ctx).length > 0)) return undefined;

  const fleet = resolveFleet(source.spec, catalog);
  const file = source.files.teams ?? source.files.default ?? 'environments/index.ts';
  const manifests = new Map<string, readonly KubeObject[]>();
  const files: OutputFile[] = [];
  const replaces: string[] = [];
  const readmeLines: Array<{ start: string; line: string }> = [];
  const boundaries: string[] = [];
  const renderedApps: Array<AppUpdate['rendered'][number]> = [];
  for (const ti of teamIndexes) {
    const team = fleet.teams.find((t) => t.spec === specTeams[ti]);
    if (!team) return undefined;
    const fresh = new Set(changed.filter((c) => c.team === ti).map((c) => specTeams[ti].apps[c.app]));
    const teamApps: TeamAppObjects[] = [];
    const context = appRenderContext(team);
    for (const app of team.apps) {
      let byEnvironment: ReadonlyMap<string, readonly KubeObject[]> | undefined;
      if (fresh.has(app)) {
        const rendered = renderAppManifests(team, app, appPath(team, ti, app), file);
        if (rendered.problems.length > 0) return undefined;
        byEnvironment = rendered.byEnvironment;
        renderedApps.push({ context, app, byEnvironment });
      } else {
        byEnvironment = store.get(context, app);
        if (byEnvironment === undefined) return undefined;
      }
      teamApps.push({ app, byEnvironment });
      if (fresh.has(app)) for (const [env, objects] of byEnvironment) manifests.set(appManifestKey(team.name, app.name, env), objects);
    }
    // The team's quota with every app, and no object two apps render: what the app stage checks.
    if (teamAppsProblems(team, ti, teamApps).length > 0) return undefined;
    for (const app of team.apps) {
      if (!fresh.has(app)) continue;
      files.push(...appFiles(team, app, manifests));
      replaces.push(joinPath(APPS_DIR, team.name, app.name));
      const line = imageMatrixLine(fleet, team, app, manifests);
      if (line === undefined) return undefined;
      readmeLines.push({ start: `| ${team.name}/${app.name} |`, line });
    }
    boundaries.push(...team.environments.map((e) => teamDir(team.name, e.name)));
  }
  return { files, replaces, readmeLines, boundaries, context: policyContext(fleet), rendered: renderedApps };
}
