import { Construct } from 'constructs';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy, ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/eso-externalsecret-external-secrets.io.js';
import { MANAGED_BY } from '../argocd/conventions.js';

export interface DatabaseExternalSecretProps {
  /** Name of the ExternalSecret and of the Secret it makes (`<app>-database`). */
  readonly name: string;
  readonly namespace: string;
  /** ClusterSecretStore that reads AWS Secrets Manager. */
  readonly storeName: string;
  /** ARN of the RDS instance: RDS tags the secret it manages with it (`aws:rds:primaryDBInstanceArn`). */
  readonly instanceArn: string;
  /** Host name of the instance. */
  readonly host: string;
  /** Database name. */
  readonly databaseName: string;
  /**
   * Port.
   * @default 5432
   */
  readonly port?: number;
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Key the RDS-managed secret's JSON lands under before the template reads it. */
const MASTER = 'master';

/**
 * On the spoke: syncs the RDS-managed master user secret from AWS Secrets Manager into the app's
 * namespace as `DB_HOST`, `DB_PORT`, `DB_NAME`, `DB_USER`, `DB_PASSWORD`. The secret is found by the
 * tag RDS puts on it, so no generated secret name has to be known in git.
 *
 * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
 */
export class DatabaseExternalSecret extends Construct {
  /**
   * How often the secret is read again: one minute. RDS rotates the managed master password (every 7
   * days by default) and the old one stops working at once; the Secret changes at most this long after a
   * rotation, and Reloader then rolls the Deployments that read it (`secret.reloader.stakater.com/reload`).
   * Reloader compares a hash of the Secret's data, so a refresh that finds the same password restarts nothing.
   */
  public static readonly REFRESH_INTERVAL = '1m';

  public constructor(scope: Construct, id: string, props: DatabaseExternalSecretProps) {
    super(scope, id);
    const field = (key: string) => `{{ (get . "${MASTER}" | fromJson).${key} }}`;
    new ExternalSecret(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...MANAGED_BY, ...props.labels } },
      spec: {
        refreshInterval: DatabaseExternalSecret.REFRESH_INTERVAL,
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.storeName },
        target: {
          name: props.name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            data: {
              DB_HOST: props.host,
              DB_PORT: String(props.port ?? 5432),
              DB_NAME: props.databaseName,
              DB_USER: field('username'),
              DB_PASSWORD: field('password'),
            },
          },
        },
        dataFrom: [
          {
            find: { tags: { 'aws:rds:primaryDBInstanceArn': props.instanceArn } },
            rewrite: [{ regexp: { source: '.*', target: MASTER } }],
          },
        ],
      },
    });
  }
}
