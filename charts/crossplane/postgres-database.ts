import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../argocd/conventions.js';
import { DatabaseSize } from '../model/spec.js';
import { DATABASE_API_GROUP, DATABASE_API_VERSION, DATABASE_SIZES, KEEP_IN_CLUSTER, POSTGRES_CLAIM } from './postgres-api.js';

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
  /** Tags on every AWS resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A claim for a PostgreSQL instance on Amazon RDS, filed on the hub in the team's namespace. It carries
 * the team's intent only; the Composition takes account, region, network and safety from the environment
 * of the claim's namespace and turns the size class into an instance class and gp3 storage. Argo CD never
 * prunes or deletes a claim. The claim's connection secret holds the endpoint, port and user name (no
 * password: RDS keeps it in AWS Secrets Manager).
 */
export class PostgresDatabase extends Construct {
  public readonly claim: ApiObject;

  public constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    if (!(props.size in DATABASE_SIZES)) {
      throw new Error(`${this.node.path}: size "${props.size}" is not a size class; use one of ${Object.keys(DATABASE_SIZES).join(', ')}`);
    }
    this.claim = new ApiObject(this, 'Resource', {
      apiVersion: `${DATABASE_API_GROUP}/${DATABASE_API_VERSION}`,
      kind: POSTGRES_CLAIM.kind,
      metadata: { name: props.name, namespace: props.namespace, labels: { ...MANAGED_BY }, annotations: { ...KEEP_IN_CLUSTER } },
      spec: {
        parameters: {
          identifier: props.identifier,
          size: props.size,
          engineVersion: props.engineVersion,
          databaseName: props.databaseName,
          tags: { ...props.tags },
        },
        writeConnectionSecretToRef: { name: `${props.name}-database-endpoint` },
      },
    });
  }
}
