import { DatabaseSize } from '../model/spec.js';

/** API group of the platform's database composite resources and claims. */
export const DATABASE_API_GROUP = 'database.platform.example.org';
export const DATABASE_API_VERSION = 'v1alpha1';
/** Composite resource (cluster-scoped, made by Crossplane) and claim (namespaced, what teams get). */
export const POSTGRES_XR = { kind: 'XPostgreSQLInstance', plural: 'xpostgresqlinstances' } as const;
export const POSTGRES_CLAIM = { kind: 'PostgreSQLInstance', plural: 'postgresqlinstances' } as const;
/** Name of the Composition that makes a PostgreSQL instance on Amazon RDS. */
export const POSTGRES_COMPOSITION = 'postgresql-rds';

/** What a size class means on RDS: instance class, gp3 storage and its autoscaling ceiling (GiB). */
export const DATABASE_SIZES: Readonly<Record<DatabaseSize, { instanceClass: string; storageGiB: number; maxStorageGiB: number }>> = {
  small: { instanceClass: 'db.t4g.micro', storageGiB: 20, maxStorageGiB: 100 },
  medium: { instanceClass: 'db.t4g.medium', storageGiB: 50, maxStorageGiB: 250 },
  large: { instanceClass: 'db.r6g.large', storageGiB: 200, maxStorageGiB: 1000 },
};

/** Default PostgreSQL version of new databases. */
export const DEFAULT_POSTGRES_VERSION = '16.4';

/** The RDS instance identifier of an app's database in an environment: `<team>-<app>-<env>`. */
export function databaseIdentifier(team: string, app: string, environment: string): string {
  return `${team}-${app}-${environment}`;
}

/** The instance's ARN, which RDS writes as tag `aws:rds:primaryDBInstanceArn` on the secret it manages. */
export function databaseInstanceArn(region: string, accountId: string, identifier: string): string {
  return `arn:aws:rds:${region}:${accountId}:db:${identifier}`;
}

/**
 * Argo CD never prunes these objects (removed from git) and never deletes them with their Application:
 * deleting a claim, the XRD or a claim namespace deletes databases.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 */
export const KEEP_IN_CLUSTER = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } as const;

/** Label Crossplane puts on the composite resource of a claim: the claim's namespace (`<team>-<env>`). */
export const CLAIM_NAMESPACE_LABEL = 'crossplane.io/claim-namespace';

/** What a team may ask for in `teams[].apps[].database`; everything else is the environment's. */
export const TEAM_DATABASE_FIELDS = ['engine', 'size', 'engineVersion', 'databaseName'] as const;
