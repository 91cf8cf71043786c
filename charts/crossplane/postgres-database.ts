import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../argocd/conventions.js';
import { DatabaseSize, EnvironmentDatabases } from '../model/spec.js';
import { DATABASE_API_GROUP, DATABASE_API_VERSION, DATABASE_SIZES, POSTGRES_CLAIM } from './postgres-api.js';

export interface PostgresDatabaseProps {
  /** Claim name (the app name). */
  readonly name: string;
  /** Namespace of the claim on the hub (`<team>-<environment>`). */
  readonly namespace: string;
  /** RDS instance identifier, unique in the account and region. */
  readonly identifier: string;
  /** Size class. */
  readonly size: DatabaseSize;
  /** PostgreSQL version. */
  readonly engineVersion: string;
  /** Database name inside the instance. */
  readonly databaseName: string;
  /** The environment's network and safety policy. */
  readonly environment: EnvironmentDatabases;
  /** ProviderConfig of the account the database lives in. */
  readonly providerConfigName: string;
  /** Tags on every AWS resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A claim for a PostgreSQL instance on Amazon RDS, filed on the hub in the team's namespace. The
 * environment decides multi-AZ, deletion protection, backups and the final snapshot; the Composition
 * turns the size class into an instance class and gp3 storage. The claim's connection secret holds the
 * endpoint, port and user name (no password: RDS keeps it in AWS Secrets Manager).
 */
export class PostgresDatabase extends Construct {
  public readonly claim: ApiObject;

  public constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    if (!(props.size in DATABASE_SIZES)) {
      throw new Error(`${this.node.path}: size "${props.size}" is not a size class; use one of ${Object.keys(DATABASE_SIZES).join(', ')}`);
    }
    const env = props.environment;
    this.claim = new ApiObject(this, 'Resource', {
      apiVersion: `${DATABASE_API_GROUP}/${DATABASE_API_VERSION}`,
      kind: POSTGRES_CLAIM.kind,
      metadata: { name: props.name, namespace: props.namespace, labels: { ...MANAGED_BY } },
      spec: {
        parameters: {
          identifier: props.identifier,
          region: env.region,
          providerConfigName: props.providerConfigName,
          size: props.size,
          engineVersion: props.engineVersion,
          databaseName: props.databaseName,
          vpcId: env.vpcId,
          subnetIds: [...env.subnetIds].sort(),
          allowedCidr: env.allowedCidr,
          multiAz: env.multiAz,
          deletionProtection: env.deletionProtection,
          backupRetentionDays: env.backupRetentionDays,
          skipFinalSnapshot: !env.finalSnapshot,
          tags: { ...props.tags },
        },
        writeConnectionSecretToRef: { name: `${props.name}-database-endpoint` },
      },
    });
  }
}
