import { ConstructValidationError, ScratchChart, synthesizeScope } from './synthesize-scope.js';
import { AppSpec } from '../model/spec.js';
import { appManifestKey } from '../readme/image-matrix.js';
import { Problem } from '../validate/problems.js';
import { quotaFitProblems, renderedObjectProblems, sharedObjectProblems } from '../validate/rendered-apps.js';
import { FieldProblem } from '../validate/problems.js';
import { ResolvedFleet, ResolvedTeam, teamNamespace } from '../model/resolve.js';
import { FleetSource } from '../model/spec.js';
import { applyOverlay, KubeObject, Overlay, OverlayError } from '../../engines/kustomize/index.js';
import { AppPropsError } from '../apps/app-workload.js';
import { WebService } from '../apps/web-service.js';
import { Worker } from '../apps/worker.js';

/** The Secret (made by External Secrets on the spoke) an app's database connection is in: `<app>-database`. */
export function databaseSecretName(app: string): string {
  return `${app}-database`;
}

/** The base objects of an app, built once in a cdk8s App of their own. */
export function buildAppBase(app: AppSpec): KubeObject[] {
  const scope = new ScratchChart(app.name).scope('base');
  // An app with a database reads its connection from the Secret its ExternalSecret makes.
  const envFromSecrets = app.database ? [...(app.webService ?? app.worker)?.envFromSecrets ?? [], databaseSecretName(app.name)] : undefined;
  if (app.webService) new WebService(scope, app.name, { ...app.webService, name: app.name, ...(envFromSecrets && { envFromSecrets }) });
  else if (app.worker) new Worker(scope, app.name, { ...app.worker, name: app.name, ...(envFromSecrets && { envFromSecrets }) });
  else app.chart?.(scope);
  return synthesizeScope(scope) as KubeObject[];
}

/**
 * The overlay an environment gets: the team's own overlay plus what the platform sets: the team's
 * namespace and a `team` label on objects and pod templates (not on selectors, which stay stable).
 */
export function environmentOverlay(team: ResolvedTeam, environment: string, overlay: Overlay): Overlay {
  return platformOverlay(team.name, team.namespace(environment), overlay);
}

function platformOverlay(team: string, namespace: string, overlay: Overlay): Overlay {
  return {
    ...overlay,
    namespace,
    labels: [...(overlay.labels ?? []), { pairs: { team }, includeSelectors: false, includeTemplates: true }],
  };
}

/**
 * Everything an app's rendered objects depend on besides its own spec (and the code): its team's name
 * (the namespace `<team>-<env>` and the `team` label) and the team's environments in promotion order.
 * An app store keys an app by this and its spec, so a change anywhere else in the fleet (a cluster, an
 * add-on, another team, the team's quota) reuses the app as rendered. `renderAppManifests` reads the team
 * through this alone, so the type states what the key must cover.
 */
export interface AppRenderContext {
  /** The team's name. */
  readonly team: string;
  /** The team's environments, in promotion order. */
  readonly environments: readonly string[];
}

/** The part of a resolved team an app's rendered objects depend on. */
export function appRenderContext(team: ResolvedTeam): AppRenderContext {
  return { team: team.name, environments: team.environments.map((e) => e.name) };
}

/** Rendered objects of one app in every environment it runs in, or the problems that stop it. */
export interface AppManifests {
  readonly byEnvironment: ReadonlyMap<string, readonly KubeObject[]>;
  readonly problems: readonly Problem[];
}

/**
 * Errors that mean the input is wrong: an app construct's props, constructs of an app's chart that
 * fail their own validation, or an overlay kustomize would refuse.
 */
function isInputError(e: unknown): e is AppPropsError | ConstructValidationError | OverlayError {
  return e instanceof AppPropsError || e instanceof ConstructValidationError || e instanceof OverlayError;
}

/**
 * Renders an app for each of its environments: base once, then the environment overlay with
 * kustomize semantics. Input errors become problems naming the file and field (`teams[0].apps[1]...`);
 * any other error is a bug and propagates.
 */
export function renderAppManifests(team: ResolvedTeam, app: AppSpec, at: string, file: string): AppManifests {
  return renderAppIn(appRenderContext(team), app, at, file);
}

/** `renderAppManifests` with the team as its context: all of the team the objects depend on. */
function renderAppIn(context: AppRenderContext, app: AppSpec, at: string, file: string): AppManifests {
  const byEnvironment = new Map<string, KubeObject[]>();
  const problems: Problem[] = [];
  let base: KubeObject[];
  try {
    base = buildAppBase(app);
  } catch (e) {
    if (!isInputError(e)) throw e;
    return { byEnvironment, problems: [{ file, path: at, message: e.message }] };
  }
  for (const env of context.environments) {
    const overlay = app.environments[env];
    if (overlay === undefined) continue;
    const path = `${at}.environments.${env}`;
    try {
      const objects = applyOverlay(base, platformOverlay(context.team, teamNamespace(context.team, env), overlay));
      problems.push(...renderedObjectProblems(path, objects).map((p) => ({ file, ...p })));
      byEnvironment.set(env, objects);
    } catch (e) {
      if (!isInputError(e)) throw e;
      problems.push({ file, path, message: e.message });
    }
  }
  return { byEnvironment, problems };
}

/**
 * Rendered app manifests a render may reuse instead of rendering the app again (the command line keeps
 * one on disk: render/cache/app-cache.ts). A store answers only for an app whose spec and context
 * (`AppRenderContext`) are exactly those it was rendered with, by the same code; it is given only apps
 * that rendered without a problem.
 */
export interface AppManifestStore {
  /** The app's objects per environment as rendered before, or undefined. */
  get(context: AppRenderContext, app: AppSpec): ReadonlyMap<string, readonly KubeObject[]> | undefined;
  /** Remembers the app's objects per environment. */
  set(context: AppRenderContext, app: AppSpec, byEnvironment: ReadonlyMap<string, readonly KubeObject[]>): void;
  /** Told when the render will ask for no more apps: what the store read to answer may be let go. */
  asked?(): void;
}

/** Every app's objects per environment (keyed by `appManifestKey`), or the problems that stop them. */
export interface FleetApps {
  readonly manifests: ReadonlyMap<string, readonly KubeObject[]>;
  readonly problems: readonly Problem[];
}

/**
 * The app stage of a render: every team's apps in every environment, then the rules that need the
 * rendered objects (no Secret, the team's quota fits). Problems are returned, team by team, in input
 * order; nothing is placed in `dist/` until they are none.
 */
export function renderFleetApps(fleet: ResolvedFleet, source: FleetSource, store?: AppManifestStore): FleetApps {
  const file = source.files.teams ?? source.files.default ?? 'environments/index.ts';
  const specTeams = fleet.spec.teams ?? [];
  const manifests = new Map<string, readonly KubeObject[]>();
  const problems: Problem[] = [];
  for (const team of fleet.teams) {
    const ti = specTeams.indexOf(team.spec);
    const teamApps: TeamAppObjects[] = [];
    const context = appRenderContext(team);
    for (const app of team.apps) {
      const stored = store?.get(context, app);
      const rendered = stored ? { byEnvironment: stored, problems: [] } : renderAppIn(context, app, appPath(team, ti, app), file);
      problems.push(...rendered.problems);
      if (!stored && rendered.problems.length === 0) store?.set(context, app, rendered.byEnvironment);
      teamApps.push({ app, byEnvironment: rendered.byEnvironment });
      for (const [env, objects] of rendered.byEnvironment) manifests.set(appManifestKey(team.name, app.name, env), objects);
    }
    problems.push(...teamAppsProblems(team, ti, teamApps).map((p) => ({ file, ...p })));
  }
  store?.asked?.();
  return { manifests, problems };
}

/** Where an app is in the input, for problems: `teams[<ti>].apps[<j>]` (the team is `spec.teams[ti]`). */
export function appPath(team: ResolvedTeam, ti: number, app: AppSpec): string {
  return `teams[${ti}].apps[${team.spec.apps.indexOf(app)}]`;
}

/** One app of a team with its rendered objects per environment. */
export interface TeamAppObjects {
  readonly app: AppSpec;
  readonly byEnvironment: ReadonlyMap<string, readonly KubeObject[]>;
}

/**
 * The rules that need every app of a team rendered, per environment: the apps fit the team's quota at
 * their maximum scale (or Argo CD would sync pods that never start), and no two apps render one object.
 * `apps` in the team's order (`ResolvedTeam.apps`).
 */
export function teamAppsProblems(team: ResolvedTeam, ti: number, apps: readonly TeamAppObjects[]): FieldProblem[] {
  const perEnvironment = new Map<string, KubeObject[]>();
  const byApp = new Map<string, Array<{ at: string; name: string; objects: readonly KubeObject[] }>>();
  for (const { app, byEnvironment } of apps) {
    const at = appPath(team, ti, app);
    for (const [env, objects] of byEnvironment) {
      let all = perEnvironment.get(env);
      if (!all) perEnvironment.set(env, (all = []));
      for (const o of objects) all.push(o);
      let list = byApp.get(env);
      if (!list) byApp.set(env, (list = []));
      list.push({ at, name: app.name, objects });
    }
  }
  return [
    ...[...perEnvironment].flatMap(([env, objects]) => quotaFitProblems(`teams[${ti}].quota.${env}`, objects, team.quota(env))),
    ...[...byApp].flatMap(([env, list]) => sharedObjectProblems(env, list)),
  ];
}
