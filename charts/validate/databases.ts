import { hubNames, hubOf } from '../model/hubs.js';
import { FleetSpec } from '../model/spec.js';
import { isEnabled } from '../model/resolve.js';
import * as rules from './rules.js';
import { isRecord, kindOf } from './rules.js';
import type { Report } from './teams.js';
import { databaseSize } from '../crossplane/database-plan.js';
import { DATABASE_SIZES, databaseIdentifier } from '../crossplane/postgres-api.js';

const SUBNET = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;
const POSTGRES_VERSION = /^\d{2}(\.\d{1,2})?$/;

/** The elements of a list that are objects, with their index; wrong types are reported by validateFleet and validateTeams. */
const records = <T>(list: readonly T[] | undefined): Array<[T, number]> =>
  (Array.isArray(list) ? list : []).flatMap((v, i) => (isRecord(v) ? [[v as T, i] as [T, number]] : []));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Databases: each environment's settings, and each app's request against them (known size class, an
 * environment with database settings, Crossplane on the hub, External Secrets on the spokes, an account
 * Crossplane can reach).
 */
export function validateDatabases(spec: FleetSpec, report: Report): void {
  const accounts = new Map(records(spec.accounts).map(([a]) => [a.name, a]));
  const clusters = records(spec.clusters).map(([c]) => c);
  const hubs = hubNames(spec);
  const byName = new Map(clusters.map((c) => [c.name, c]));
  /** The hubs that manage an environment's workload spokes: the ones that would claim its databases. */
  const claimingHubs = (env: string) => [...new Set(clusters.filter((c) => c.environment === env && (c.workloads ?? c.role === 'spoke')).map((c) => hubOf(c, hubs)))]
    .flatMap((h) => (h !== undefined && byName.has(h) ? [byName.get(h)!] : []));
  const hubsOfEnv = (env: string) => (hubs.length === 1 ? [byName.get(hubs[0])!] : claimingHubs(env));
  const envs = new Map(records(spec.environments).map(([e]) => [e.name, e]));

  records(spec.environments).forEach(([env, i]) => {
    const d = env.databases;
    if (d === undefined) return;
    const at = `environments[${i}].databases`;
    if (!isRecord(d)) return report(at, `must be an object { account, region, vpcId, subnetIds, allowedCidr, ... }, got ${kindOf(d)}`);
    const account = accounts.get(d.account);
    if (!account) report(`${at}.account`, `unknown account "${d.account}"; known: ${[...accounts.keys()].join(', ')}`);
    else if (hubsOfEnv(env.name).some((hub) => account.name !== hub?.account) && !account.crossplaneRoleArn) {
      report(`${at}.account`, `Crossplane on the hub needs a role to assume in account "${account.name}": set accounts[${spec.accounts.indexOf(account)}].crossplaneRoleArn`);
    }
    if (account?.crossplaneRoleArn !== undefined && !rules.IAM_ROLE_ARN.test(account.crossplaneRoleArn)) {
      report(`accounts[${spec.accounts.indexOf(account)}].crossplaneRoleArn`, `"${account.crossplaneRoleArn}" is not an IAM role ARN`);
    }
    if (!rules.AWS_REGION.test(d.region)) report(`${at}.region`, `"${d.region}" is not an AWS region`);
    if (!rules.VPC_ID.test(d.vpcId)) report(`${at}.vpcId`, `"${d.vpcId}" is not a VPC id`);
    if (!Array.isArray(d.subnetIds) || d.subnetIds.length < 2) report(`${at}.subnetIds`, 'give at least two private subnets (RDS needs two availability zones)');
    (Array.isArray(d.subnetIds) ? d.subnetIds : []).forEach((s, j) => { if (typeof s !== 'string' || !SUBNET.test(s)) report(`${at}.subnetIds[${j}]`, `"${s}" is not a subnet id`); });
    if (typeof d.allowedCidr !== 'string' || !CIDR.test(d.allowedCidr)) report(`${at}.allowedCidr`, `"${d.allowedCidr}" is not an IPv4 CIDR`);
    else if (d.allowedCidr.endsWith('/0')) report(`${at}.allowedCidr`, 'a database is never open to 0.0.0.0/0; give the spoke VPC CIDR');
    if (typeof d.endpointDomain !== 'string' || !new RegExp(`^[a-z0-9]+\\.${escapeRegExp(String(d.region))}\\.rds\\.amazonaws\\.com$`).test(d.endpointDomain)) {
      report(`${at}.endpointDomain`, `"${d.endpointDomain}" is not an RDS endpoint domain of ${d.region} (<id>.${d.region}.rds.amazonaws.com)`);
    }
    for (const flag of ['multiAz', 'deletionProtection', 'finalSnapshot'] as const) {
      if (typeof d[flag] !== 'boolean') report(`${at}.${flag}`, `must be true or false, got ${JSON.stringify(d[flag])}`);
    }
    if (!Number.isInteger(d.backupRetentionDays) || d.backupRetentionDays < 0 || d.backupRetentionDays > 35) {
      report(`${at}.backupRetentionDays`, `must be a whole number of days from 0 to 35, got ${d.backupRetentionDays}`);
    }
    if (d.deletionProtection && d.backupRetentionDays < 7) {
      report(`${at}.backupRetentionDays`, `a protected environment keeps at least 7 days of backups, got ${d.backupRetentionDays}`);
    }
  });

  records(spec.teams).forEach(([team, i]) => {
    records(team.apps).forEach(([app, j]) => {
      if (app.database === undefined) return;
      const at = `teams[${i}].apps[${j}].database`;
      if (!isRecord(app.database)) return report(at, `must be { engine: "postgres", size }, got ${kindOf(app.database)}`);
      const overlays = isRecord(app.environments) ? app.environments : {};
      if (app.database.engine !== 'postgres') report(`${at}.engine`, `"${app.database.engine}" is not supported; use "postgres"`);
      if (app.database.engineVersion !== undefined && !POSTGRES_VERSION.test(app.database.engineVersion)) {
        report(`${at}.engineVersion`, `"${app.database.engineVersion}" is not a PostgreSQL version (like "16.4")`);
      }
      if (app.database.databaseName !== undefined && !/^[a-z][a-z0-9_]{0,62}$/.test(app.database.databaseName)) {
        report(`${at}.databaseName`, `"${app.database.databaseName}" must start with a letter and hold only a-z, 0-9 and '_'`);
      }
      if (isRecord(app.database.size)) {
        for (const env of Object.keys(app.database.size)) {
          if (overlays[env] === undefined) report(`${at}.size.${env}`, `the app does not run in environment "${env}"`);
        }
      }
      const withoutCrossplane = new Set<string>();
      for (const env of Object.keys(overlays)) {
        const claiming = hubsOfEnv(env);
        if (claiming.length > 1) {
          report(at, `the spokes of environment "${env}" are managed by ${claiming.length} hubs (${claiming.map((h) => h.name).join(', ')}); its databases are claimed from Crossplane on one hub: put them on one hub`);
        }
        for (const hub of claiming) if (hub && !isEnabled(hub, envs.get(hub.environment), 'crossplane')) withoutCrossplane.add(hub.name);
      }
      for (const hub of withoutCrossplane) {
        report(at, `databases are claimed from Crossplane on the hub: enable the crossplane add-on on ${hubs.length === 1 ? 'the hub' : `hub "${hub}"`}`);
      }
      for (const env of Object.keys(overlays)) {
        const size = databaseSize(app, env);
        if (size === undefined) report(`${at}.size`, `no size class for environment "${env}"; known size classes: ${Object.keys(DATABASE_SIZES).join(', ')}`);
        else if (!Object.hasOwn(DATABASE_SIZES, size)) report(`${at}.size`, `"${size}" is not a size class; known: ${Object.keys(DATABASE_SIZES).join(', ')}`);
        const environment = envs.get(env);
        if (!environment) continue;
        if (!environment.databases) {
          report(at, `environment "${env}" has no database settings; add environments[${spec.environments.indexOf(environment)}].databases`);
        }
        const id = databaseIdentifier(team.name, app.name, env);
        if (id.length > 63) report(`${at}`, `the RDS identifier "${id}" is ${id.length} characters; at most 63: shorten the team or app name`);
        for (const c of clusters.filter((c) => c.environment === env && (c.workloads ?? c.role === 'spoke'))) {
          if (!isEnabled(c, environment, 'external-secrets')) {
            report(at, `the app reads its database credentials with External Secrets: enable external-secrets on cluster "${c.name}"`);
          }
        }
      }
    });
  });
}
