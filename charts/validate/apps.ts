/** Rules of a team's apps: name, base (web service, worker or chart), overlays, connections. */
import { WebService } from '../apps/web-service.js';
import { Worker } from '../apps/worker.js';
import { AppSpec, ClusterSpec, TeamSpec } from '../model/spec.js';
import { isEnabled } from '../model/resolve.js';
import { TeamSecretStore } from '../teams/team-secret-store.js';
import { FleetContext, longestWorkloadClusterName } from './fleet-context.js';
import { overlayProblems } from './overlays.js';
import { FieldProblem } from './problems.js';
import { checkElements, checkItem, earlierWithSameKey, problem, records, Rule } from './rule-table.js';
import { dnsLabelProblem, isRecord, kindOf, applicationNameProblem } from './rules.js';

/** What the app rules read: the fleet, the team, and its apps (declared in the platform, or in `repo.apps`). */
export interface AppsContext extends FleetContext {
  readonly team: TeamSpec;
  /** The team's path: `teams[0]`. */
  readonly teamAt: string;
  readonly teamEnvironments: readonly string[];
  /** The team's apps (or its repository's), every element. */
  readonly apps: readonly unknown[];
  /** For an app whose name an earlier app of the team has too: the index of the last such app. */
  readonly earlierSameApp: ReadonlyMap<number, number>;
}

/** The fields that may hold the app's base, as far as they are given. */
function bases(app: AppSpec): string[] {
  return [app.webService && 'webService', app.worker && 'worker', app.chart && 'chart'].filter((b): b is string => Boolean(b));
}

/** The environments the app has an overlay for. */
function overlayEnvironments(app: AppSpec): string[] {
  return Object.keys(isRecord(app.environments) ? app.environments : {});
}

/**
 * `teams[i].apps[j].webService...` or `.worker...`: what the WebService or Worker construct would
 * refuse (the image, replicas, autoscaling...), reported here so that it never stops a render. The
 * name's length is a rule of the app's name (`teams[i].apps[j].name`).
 */
function workloadProblems(app: AppSpec, at: string): FieldProblem[] {
  const name = String(app.name);
  const found = app.webService ? WebService.propsProblems(name, app.webService) : app.worker ? Worker.propsProblems(name, app.worker) : [];
  const baseField = bases(app)[0];
  return found.flatMap((p) => {
    const cut = p.indexOf(': ');
    const [field, message] = [p.slice(0, cut), p.slice(cut + 2)];
    if (field !== 'name') return [problem(`${at}.${baseField}.${field}`, message)];
    return dnsLabelProblem(app.name) ? [] : [problem(`${at}.name`, message)];
  });
}

/** The add-on that rolls a Deployment when the database Secret it reads changes. */
const RELOADER = 'reloader';

/**
 * `teams[i].apps[j].database`: RDS rotates the managed master password (every 7 days by default) and the
 * old one stops working; only Reloader restarts the pods that read it through envFrom. Every workload
 * spoke of every environment the app runs in needs the `reloader` add-on.
 */
export function reloaderProblems(app: AppSpec, at: string, ctx: FleetContext & { readonly teamEnvironments: readonly string[] }): FieldProblem[] {
  if (app.database === undefined) return [];
  const takesWorkloads = (c: ClusterSpec) => c.workloads ?? c.role === 'spoke';
  return overlayEnvironments(app).filter((env) => ctx.teamEnvironments.includes(env)).flatMap((env) => {
    const environment = ctx.environments.byName.get(env);
    if (!environment) return [];
    return ctx.clusters.items
      .filter(([c]) => c.environment === env && takesWorkloads(c) && !isEnabled(c, environment, RELOADER))
      .map(([c]) => problem(`${at}.database`,
        `RDS rotates the database password and only Reloader restarts the pods that read it: enable the ${RELOADER} add-on on cluster "${c.name}" (environment "${env}")`));
  });
}

/** `teams[i].apps[j]`: one app. */
const APP: readonly Rule<AppSpec, AppsContext>[] = [
  { field: 'name', check: (app) => dnsLabelProblem(app.name) },
  {
    field: 'name',
    check: (app) => app.name === TeamSecretStore.SERVICE_ACCOUNT
      && `"${app.name}" is reserved: the team's secret store uses a service account of that name in the team namespace; choose another name`,
  },
  {
    field: 'name',
    check: (app, ctx, j) => ctx.earlierSameApp.has(j) && `app "${app.name}" is already defined at ${ctx.teamAt}.apps[${ctx.earlierSameApp.get(j)}]`,
  },
  {
    field: 'name',
    check: (app, ctx) => {
      if (typeof app.name !== 'string' || typeof ctx.team.name !== 'string') return false;
      const longest = overlayEnvironments(app).filter((env) => ctx.teamEnvironments.includes(env))
        .map((env) => longestWorkloadClusterName(ctx, env)).filter((n): n is string => n !== undefined)
        .map((cluster) => `${ctx.team.name}-${app.name}-${cluster}`).sort((a, b) => b.length - a.length)[0];
      return longest !== undefined && applicationNameProblem(longest, `app ${app.name} of team ${ctx.team.name}`);
    },
  },
  {
    field: 'internetEgress',
    check: (app) => app.internetEgress !== undefined && typeof app.internetEgress !== 'boolean' && `must be true or false, got ${JSON.stringify(app.internetEgress)}`,
  },
  {
    field: '',
    check: (app) => bases(app).length !== 1 && `give exactly one of webService, worker or chart, got ${bases(app).length ? bases(app).join(' and ') : 'none'}`,
  },
  (app, at) => workloadProblems(app, at),
  {
    field: 'environments',
    check: (app) => app.environments != null && !isRecord(app.environments) && `must be an object of overlays by environment, got ${kindOf(app.environments)}`,
  },
  {
    field: 'environments',
    check: (app) => !(app.environments != null && !isRecord(app.environments)) && overlayEnvironments(app).length === 0
      && 'give an overlay for at least one environment (an empty {} is fine)',
  },
  (app, at, ctx) => overlayEnvironments(app).flatMap((env) => [
    ...(ctx.teamEnvironments.includes(env)
      ? []
      : [problem(`${at}.environments.${env}`, `the team does not deploy to "${env}"; its environments are ${ctx.teamEnvironments.join(', ')}`)]),
    ...overlayProblems(app.environments[env], `${at}.environments.${env}`),
  ]),
  { field: 'connectsTo', check: (app) => app.connectsTo !== undefined && !Array.isArray(app.connectsTo) && `must be a list of app names, got ${kindOf(app.connectsTo)}` },
  (app, at, ctx) => (Array.isArray(app.connectsTo) ? app.connectsTo : []).flatMap((target, k) => checkItem({ app, target }, `${at}.connectsTo[${k}]`, CONNECTION, ctx)),
  (app, at, ctx) => reloaderProblems(app, at, ctx),
];

/** The app another app of the team is named by, if any. */
const appNamed = (ctx: AppsContext, name: string) => ctx.apps.find((a): a is AppSpec => isRecord(a) && a.name === name);

/** `teams[i].apps[j].connectsTo[k]`: another app of the team, running wherever this one runs. */
const CONNECTION: readonly Rule<{ app: AppSpec; target: string }, AppsContext>[] = [
  { field: '', check: ({ app, target }) => target === app.name && 'an app does not need a policy to reach itself' },
  { field: '', check: ({ app, target }, ctx) => target !== app.name && !appNamed(ctx, target) && `unknown app "${target}" in team "${ctx.team.name}"` },
  {
    field: '',
    check: ({ app, target }, ctx) => {
      const other = target !== app.name && appNamed(ctx, target);
      if (!other) return false;
      // The network policies of an environment can only name apps that run there.
      const missing = overlayEnvironments(app).filter((env) => ctx.teamEnvironments.includes(env) && !(isRecord(other.environments) && other.environments[env] !== undefined));
      return missing.length > 0
        && `app "${target}" does not run in ${missing.map((e) => `"${e}"`).join(', ')}, where "${app.name}" runs; give "${target}" an overlay there or remove the connection`;
    },
  },
];

/** `teams[i].apps`: each app of a team. */
export function appProblems(team: TeamSpec, teamAt: string, ctx: FleetContext): FieldProblem[] {
  const apps: readonly unknown[] = Array.isArray(team.apps) ? team.apps : [];
  const teamEnvironments: readonly string[] = Array.isArray(team.environments) ? team.environments : [];
  const earlierSameApp = earlierWithSameKey(records(apps as AppSpec[]), (a) => a.name);
  return checkElements(`${teamAt}.apps`, apps, APP, { ...ctx, team, teamAt, teamEnvironments, apps, earlierSameApp });
}
