import { AccountSpec, AppSpec, DatabaseSize, EnvironmentDatabases } from '../model/spec.js';
import { repoAppAsSpec, ResolvedFleet, ResolvedTeam } from '../model/resolve.js';
import { AwsProviderConfig } from './aws-provider-config.js';
import { DEFAULT_POSTGRES_VERSION, databaseIdentifier, databaseInstanceArn } from './postgres-api.js';

/** One database of one app in one environment, with everything both the hub and the spoke need. */
export interface PlannedDatabase {
  readonly team: ResolvedTeam;
  readonly app: AppSpec;
  readonly environment: string;
  readonly settings: EnvironmentDatabases;
  readonly account: AccountSpec;
  readonly identifier: string;
  readonly size: DatabaseSize;
  readonly engineVersion: string;
  readonly databaseName: string;
  readonly providerConfigName: string;
  readonly instanceArn: string;
  readonly host: string;
}

/** The size class of an app's database in an environment (undefined when a per-environment map lacks it). */
export function databaseSize(app: AppSpec, environment: string): DatabaseSize | undefined {
  const size = app.database?.size;
  return typeof size === 'string' ? size : size?.[environment];
}

const planned = new WeakMap<ResolvedFleet, readonly PlannedDatabase[]>();

/**
 * Every database the fleet's apps ask for, in a stable order. Call on a validated fleet. Planned once
 * per resolved fleet (which never changes): the outputs, the IAM documents and the README all read it.
 */
export function planDatabases(fleet: ResolvedFleet): readonly PlannedDatabase[] {
  let out = planned.get(fleet);
  if (!out) {
    out = plan(fleet);
    planned.set(fleet, out);
  }
  return out;
}

function plan(fleet: ResolvedFleet): PlannedDatabase[] {
  const accounts = new Map(fleet.spec.accounts.map((a) => [a.name, a]));
  const out: PlannedDatabase[] = [];
  for (const team of fleet.teams) {
    // A team repository's apps ask for databases as the platform's apps do.
    const apps = team.repo ? team.repo.apps.map(repoAppAsSpec) : team.apps;
    for (const env of team.environments) {
      for (const app of apps) {
        if (!app.database || app.environments[env.name] === undefined) continue;
        const settings = env.databases!;
        const account = accounts.get(settings.account)!;
        const identifier = databaseIdentifier(team.name, app.name, env.name);
        out.push({
          team,
          app,
          environment: env.name,
          settings,
          account,
          identifier,
          size: databaseSize(app, env.name)!,
          engineVersion: app.database.engineVersion ?? DEFAULT_POSTGRES_VERSION,
          databaseName: app.database.databaseName ?? app.name.replace(/-/g, '_'),
          providerConfigName: AwsProviderConfig.nameFor(account.name),
          instanceArn: databaseInstanceArn(settings.region, account.id, identifier),
          host: `${identifier}.${settings.endpointDomain}`,
        });
      }
    }
  }
  return out;
}
