/**
 * Rules of the databases: each environment's settings, and each app's request against them (a known
 * size class, an environment with database settings, Crossplane on the hub, External Secrets on the
 * spokes, an account Crossplane can reach).
 */
import { hubNames, hubOf } from '../model/hubs.js';
import { AppDatabase, AppSpec, ClusterSpec, EnvironmentDatabases, EnvironmentSpec, TeamRepoApp, TeamSpec } from '../model/spec.js';
import { isEnabled, repoAppAsSpec } from '../model/resolve.js';
import { databaseSize } from '../crossplane/database-plan.js';
import { DATABASE_SIZES, databaseIdentifier, TEAM_DATABASE_FIELDS } from '../crossplane/postgres-api.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkItem, problem, records, Rule } from './rule-table.js';
import * as rules from './rules.js';
import { isRecord, kindOf, show } from './rules.js';

const SUBNET = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;
const POSTGRES_VERSION = /^\d{2}(\.\d{1,2})?$/;
/** RDS instance identifiers: a letter first, letters, digits and single hyphens, no hyphen at the end. */
const RDS_IDENTIFIER = /^[a-z](-?[a-z0-9])*$/;
const DAY = '(mon|tue|wed|thu|fri|sat|sun)';
const TIME = '([01]\\d|2[0-3]):[0-5]\\d';
const MAINTENANCE_WINDOW = new RegExp(`^${DAY}:${TIME}-${DAY}:${TIME}$`);
const BACKUP_WINDOW = new RegExp(`^${TIME}-${TIME}$`);
const LOG_EXPORTS = ['postgresql', 'upgrade'];
/** What an environment decides about its databases (and the names of the same things on RDS and in the claim of old). */
const ENVIRONMENT_ONLY = new Set([
  'account', 'region', 'vpcId', 'subnetIds', 'allowedCidr', 'endpointDomain', 'multiAz', 'deletionProtection', 'backupRetentionDays', 'finalSnapshot',
  'maintenanceWindow', 'backupWindow', 'performanceInsights', 'cloudwatchLogExports',
  'backupRetentionPeriod', 'skipFinalSnapshot', 'providerConfigName', 'deletionPolicy', 'publiclyAccessible', 'storageEncrypted',
]);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface DatabasesContext extends FleetContext {
  /** The names of the hubs (`hubNames`). */
  readonly hubNames: readonly string[];
  /** The hubs that would claim an environment's databases: the only hub, or the hubs that manage its workload spokes. */
  readonly hubsOf: (environment: string) => ClusterSpec[];
}

const takesWorkloads = (c: ClusterSpec) => c.workloads ?? c.role === 'spoke';

/** `environments[i].databases`: where an environment's databases are and how they are kept. */
const SETTINGS: readonly Rule<{ env: EnvironmentSpec; d: EnvironmentDatabases }, DatabasesContext>[] = [
  { field: 'account', check: ({ d }, ctx) => !ctx.accounts.byName.get(d.account) && `unknown account "${d.account}"; known: ${[...ctx.accounts.byName.keys()].join(', ')}` },
  {
    field: 'account',
    check: ({ env, d }, ctx) => {
      const account = ctx.accounts.byName.get(d.account);
      return !!account && ctx.hubsOf(env.name).some((hub) => account.name !== hub?.account) && !account.crossplaneRoleArn
        && `Crossplane on the hub needs a role to assume in account "${account.name}": set accounts[${ctx.spec.accounts.indexOf(account)}].crossplaneRoleArn`;
    },
  },
  // Reported at the account, once for each environment that keeps databases there.
  ({ d }, _at, ctx) => {
    const account = ctx.accounts.byName.get(d.account);
    return account?.crossplaneRoleArn !== undefined && !rules.IAM_ROLE_ARN.test(account.crossplaneRoleArn)
      ? [problem(`accounts[${ctx.spec.accounts.indexOf(account)}].crossplaneRoleArn`, `"${account.crossplaneRoleArn}" is not an IAM role ARN`)]
      : [];
  },
  { field: 'region', check: ({ d }) => !rules.AWS_REGION.test(d.region) && `"${d.region}" is not an AWS region` },
  { field: 'vpcId', check: ({ d }) => !rules.VPC_ID.test(d.vpcId) && `"${d.vpcId}" is not a VPC id` },
  { field: 'subnetIds', check: ({ d }) => (!Array.isArray(d.subnetIds) || d.subnetIds.length < 2) && 'give at least two private subnets (RDS needs two availability zones)' },
  ({ d }, at) => (Array.isArray(d.subnetIds) ? d.subnetIds : [])
    .flatMap((s, j) => (typeof s !== 'string' || !SUBNET.test(s) ? [problem(`${at}.subnetIds[${j}]`, `"${s}" is not a subnet id`)] : [])),
  { field: 'allowedCidr', check: ({ d }) => (typeof d.allowedCidr !== 'string' || !CIDR.test(d.allowedCidr)) && `"${d.allowedCidr}" is not an IPv4 CIDR` },
  {
    field: 'allowedCidr',
    check: ({ d }) => typeof d.allowedCidr === 'string' && CIDR.test(d.allowedCidr) && d.allowedCidr.endsWith('/0')
      && 'a database is never open to 0.0.0.0/0; give the spoke VPC CIDR',
  },
  {
    field: 'endpointDomain',
    check: ({ d }) => (typeof d.endpointDomain !== 'string' || !new RegExp(`^[a-z0-9]+\\.${escapeRegExp(String(d.region))}\\.rds\\.amazonaws\\.com$`).test(d.endpointDomain))
      && `"${d.endpointDomain}" is not an RDS endpoint domain of ${d.region} (<id>.${d.region}.rds.amazonaws.com)`,
  },
  ...(['multiAz', 'deletionProtection', 'finalSnapshot'] as const).map((flag) => ({
    field: flag,
    check: ({ d }: { d: EnvironmentDatabases }) => typeof d[flag] !== 'boolean' && `must be true or false, got ${JSON.stringify(d[flag])}`,
  })),
  {
    field: 'backupRetentionDays',
    check: ({ d }) => !(Number.isInteger(d.backupRetentionDays) && d.backupRetentionDays >= 0 && d.backupRetentionDays <= 35)
      && `must be a whole number of days from 0 to 35, got ${show(d.backupRetentionDays)}`,
  },
  {
    field: 'backupRetentionDays',
    check: ({ d }) => d.deletionProtection && d.backupRetentionDays < 7 && `a protected environment keeps at least 7 days of backups, got ${d.backupRetentionDays}`,
  },
  {
    field: 'maintenanceWindow',
    check: ({ d }) => d.maintenanceWindow !== undefined && !(typeof d.maintenanceWindow === 'string' && MAINTENANCE_WINDOW.test(d.maintenanceWindow))
      && `"${d.maintenanceWindow}" is not a weekly window in UTC (ddd:hh24:mi-ddd:hh24:mi, like "sun:05:00-sun:06:00")`,
  },
  {
    field: 'backupWindow',
    check: ({ d }) => d.backupWindow !== undefined && !(typeof d.backupWindow === 'string' && BACKUP_WINDOW.test(d.backupWindow))
      && `"${d.backupWindow}" is not a daily window in UTC (hh24:mi-hh24:mi, like "03:00-04:00")`,
  },
  {
    field: 'performanceInsights',
    check: ({ d }) => d.performanceInsights !== undefined && typeof d.performanceInsights !== 'boolean' && `must be true or false, got ${JSON.stringify(d.performanceInsights)}`,
  },
  ({ d }, at) => {
    const exports: unknown = d.cloudwatchLogExports;
    if (exports === undefined) return [];
    if (!Array.isArray(exports)) return [problem(`${at}.cloudwatchLogExports`, `must be a list of ${LOG_EXPORTS.map((l) => `"${l}"`).join(', ')}`)];
    return exports.flatMap((l, j) => (LOG_EXPORTS.includes(l) ? [] : [problem(`${at}.cloudwatchLogExports[${j}]`, `"${l}" is not a PostgreSQL log; use ${LOG_EXPORTS.map((x) => `"${x}"`).join(' or ')}`)]));
  },
];

interface Request {
  readonly team: TeamSpec;
  readonly app: AppSpec;
  readonly db: AppDatabase;
}

/** The app's overlays by environment: the environments it runs in. */
const overlaysOf = (app: AppSpec): Record<string, unknown> => (isRecord(app.environments) ? app.environments : {});
const appEnvironments = (app: AppSpec) => Object.keys(overlaysOf(app));

/** `teams[i].apps[j].database`: what an app asks for, against where it runs. */
const REQUEST: readonly Rule<Request, DatabasesContext>[] = [
  // A team asks for engine, size, version and name; safety, account and network are the environment's.
  ({ db }, at) => Object.keys(db).filter((k) => !(TEAM_DATABASE_FIELDS as readonly string[]).includes(k)).map((k) => problem(`${at}.${k}`, ENVIRONMENT_ONLY.has(k)
    ? `"${k}" is decided per environment (environments[].databases), not per app: a team cannot set it`
    : `unknown field; a database takes ${TEAM_DATABASE_FIELDS.join(', ')}`)),
  { field: 'engine', check: ({ db }) => db.engine !== 'postgres' && `"${db.engine}" is not supported; use "postgres"` },
  {
    field: 'engineVersion',
    check: ({ db }) => db.engineVersion !== undefined && !POSTGRES_VERSION.test(db.engineVersion) && `"${db.engineVersion}" is not a PostgreSQL version (like "16.4")`,
  },
  {
    field: 'databaseName',
    check: ({ db }) => db.databaseName !== undefined && !/^[a-z][a-z0-9_]{0,62}$/.test(db.databaseName)
      && `"${db.databaseName}" must start with a letter and hold only a-z, 0-9 and '_'`,
  },
  ({ app, db }, at) => (isRecord(db.size) ? Object.keys(db.size) : [])
    .filter((env) => overlaysOf(app)[env] === undefined)
    .map((env) => problem(`${at}.size.${env}`, `the app does not run in environment "${env}"`)),
  ({ app }, at, ctx) => appEnvironments(app).flatMap((env) => {
    const claiming = ctx.hubsOf(env);
    return claiming.length > 1
      ? [problem(at, `the spokes of environment "${env}" are managed by ${claiming.length} hubs (${claiming.map((h) => h.name).join(', ')}); its databases are claimed from Crossplane on one hub: put them on one hub`)]
      : [];
  }),
  ({ app }, at, ctx) => {
    const withoutCrossplane = new Set(appEnvironments(app).flatMap((env) => ctx.hubsOf(env))
      .filter((hub) => hub && !isEnabled(hub, ctx.environments.byName.get(hub.environment), 'crossplane'))
      .map((hub) => hub.name));
    const one = ctx.hubNames.length === 1;
    return [...withoutCrossplane].map((hub) => problem(at, `databases are claimed from Crossplane on the hub: enable the crossplane add-on on ${one ? 'the hub' : `hub "${hub}"`}`));
  },
  (request, at, ctx) => appEnvironments(request.app).flatMap((env) => checkItem({ ...request, env }, at, IN_ENVIRONMENT, ctx)),
];

/** `teams[i].apps[j].database`, in one environment the app runs in. */
const IN_ENVIRONMENT: readonly Rule<Request & { env: string }, DatabasesContext>[] = [
  {
    field: 'size',
    check: ({ app, env }) => databaseSize(app, env) === undefined
      && `no size class for environment "${env}"; known size classes: ${Object.keys(DATABASE_SIZES).join(', ')}`,
  },
  {
    field: 'size',
    check: ({ app, env }) => {
      const size = databaseSize(app, env);
      return size !== undefined && !Object.hasOwn(DATABASE_SIZES, size) && `"${size}" is not a size class; known: ${Object.keys(DATABASE_SIZES).join(', ')}`;
    },
  },
  {
    field: '',
    check: ({ env }, ctx) => {
      const environment = ctx.environments.byName.get(env);
      return !!environment && !environment.databases
        && `environment "${env}" has no database settings; add environments[${ctx.spec.environments.indexOf(environment)}].databases`;
    },
  },
  {
    field: '',
    check: ({ team, app, env }, ctx) => {
      const id = databaseIdentifier(team.name, app.name, env);
      return ctx.environments.byName.has(env) && id.length > 63 && `the RDS identifier "${id}" is ${id.length} characters; at most 63: shorten the team or app name`;
    },
  },
  {
    field: '',
    check: ({ team, app, env }, ctx) => {
      const id = databaseIdentifier(team.name, app.name, env);
      return ctx.environments.byName.has(env) && !RDS_IDENTIFIER.test(id)
        && `the RDS identifier "${id}" must start with a letter and hold only a-z, 0-9 and single '-': rename the team or app`;
    },
  },
  ({ env }, at, ctx) => {
    const environment = ctx.environments.byName.get(env);
    if (!environment) return [];
    return ctx.clusters.items
      .filter(([c]) => c.environment === env && takesWorkloads(c) && !isEnabled(c, environment, 'external-secrets'))
      .map(([c]) => problem(at, `the app reads its database credentials with External Secrets: enable external-secrets on cluster "${c.name}"`));
  },
];

/**
 * The apps of a team that may ask for a database, with their place in the input: `teams[i].apps[j]`, or
 * for a team with its own repository `teams[i].repo.apps[j]` (as an app of the platform: `repoAppAsSpec`).
 */
function databaseApps(team: TeamSpec, i: number): Array<{ app: AppSpec; at: string }> {
  const own = records(team.apps).map(([app, j]) => ({ app, at: `teams[${i}].apps[${j}]` }));
  const repo: unknown = team.repo;
  const repoApps = isRecord(repo) && Array.isArray(repo.apps) ? records(repo.apps as TeamRepoApp[]) : [];
  return [...own, ...repoApps.map(([app, j]) => ({ app: repoAppAsSpec(app), at: `teams[${i}].repo.apps[${j}]` }))];
}

export function databaseProblems(ctx: FleetContext): FieldProblem[] {
  const hubs = hubNames(ctx.spec);
  const byName = ctx.clusters.byName as ReadonlyMap<unknown, ClusterSpec>;
  const claimingHubs = (env: string) => [...new Set(ctx.clusters.items.filter(([c]) => c.environment === env && takesWorkloads(c)).map(([c]) => hubOf(c, hubs)))]
    .flatMap((h) => (h !== undefined && byName.has(h) ? [byName.get(h)!] : []));
  const dctx: DatabasesContext = { ...ctx, hubNames: hubs, hubsOf: (env) => (hubs.length === 1 ? [byName.get(hubs[0])!] : claimingHubs(env)) };

  const settings = ctx.environments.items.flatMap(([env, i]) => {
    const d = env.databases;
    const at = `environments[${i}].databases`;
    if (d === undefined) return [];
    if (!isRecord(d)) return [problem(at, `must be an object { account, region, vpcId, subnetIds, allowedCidr, ... }, got ${kindOf(d)}`)];
    return checkItem({ env, d }, at, SETTINGS, dctx);
  });
  const requests = records(ctx.spec.teams).flatMap(([team, i]) => databaseApps(team, i).flatMap(({ app, at: appAt }) => {
    const at = `${appAt}.database`;
    if (app.database === undefined) return [];
    if (!isRecord(app.database)) return [problem(at, `must be { engine: "postgres", size }, got ${kindOf(app.database)}`)];
    return checkItem({ team, app, db: app.database }, at, REQUEST, dctx);
  }));
  return [...settings, ...requests, ...identifierPrefixes(ctx)];
}

/**
 * External Secrets finds an RDS secret by the tag `aws:rds:primaryDBInstanceArn`, and Secrets Manager
 * matches tag values by prefix: in one account and region, no identifier may start with another.
 */
function identifierPrefixes(ctx: FleetContext): FieldProblem[] {
  const ids: Array<{ id: string; where: string; at: string }> = [];
  for (const [team, i] of records(ctx.spec.teams)) {
    for (const { app, at } of databaseApps(team, i)) {
      if (!isRecord(app.database)) continue;
      for (const env of appEnvironments(app)) {
        const d = ctx.environments.byName.get(env)?.databases;
        if (!isRecord(d)) continue;
        ids.push({ id: databaseIdentifier(team.name, app.name, env), where: `${d.account}/${d.region}`, at: `${at}.database` });
      }
    }
  }
  return ids.flatMap((b) => ids.filter((a) => a !== b && a.where === b.where && b.id.startsWith(a.id) && b.id !== a.id).slice(0, 1)
    .map((a) => problem(b.at, `the RDS identifier "${b.id}" starts with "${a.id}" (${a.at}) in the same account and region; `
      + `External Secrets finds a database's secret by a tag prefix, so "${a.id}" would also find this one: rename one of the apps`)));
}
