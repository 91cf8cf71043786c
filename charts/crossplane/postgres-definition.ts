import { Construct } from 'constructs';
import { CompositeResourceDefinition } from '../../imports/crossplane-xrd-apiextensions.crossplane.io.js';
import { MANAGED_BY } from '../argocd/conventions.js';
import { DATABASE_API_GROUP, DATABASE_API_VERSION, DATABASE_SIZES, POSTGRES_CLAIM, POSTGRES_COMPOSITION, POSTGRES_XR } from './postgres-api.js';

const str = { type: 'string' };

/** The schema of a claim's parameters: everything the Composition needs, set by the platform per environment. */
export const POSTGRES_PARAMETERS_SCHEMA = {
  type: 'object',
  required: ['identifier', 'region', 'providerConfigName', 'size', 'engineVersion', 'databaseName', 'vpcId', 'subnetIds', 'allowedCidr',
    'multiAz', 'deletionProtection', 'backupRetentionDays', 'skipFinalSnapshot'],
  properties: {
    identifier: { type: 'string', description: 'RDS instance identifier.', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    region: { ...str, description: 'AWS region.' },
    providerConfigName: { ...str, description: 'ProviderConfig of the account the database lives in.' },
    size: { type: 'string', enum: Object.keys(DATABASE_SIZES), description: 'Size class: instance class and gp3 storage.' },
    engineVersion: { ...str, description: 'PostgreSQL version.' },
    databaseName: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
    vpcId: str,
    subnetIds: { type: 'array', items: str, minItems: 2, description: 'Private subnets in at least two availability zones.' },
    allowedCidr: { ...str, description: 'The only CIDR allowed to reach port 5432.' },
    multiAz: { type: 'boolean' },
    deletionProtection: { type: 'boolean' },
    backupRetentionDays: { type: 'integer', minimum: 0, maximum: 35 },
    skipFinalSnapshot: { type: 'boolean' },
    tags: { type: 'object', additionalProperties: str },
  },
};

/**
 * The CompositeResourceDefinition (apiextensions.crossplane.io/v1, with claim names, so teams file
 * namespaced claims) of a PostgreSQL instance. Status carries the endpoint, port, instance ARN and the
 * ARN of the RDS-managed master user secret.
 */
export class PostgresDefinition extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new CompositeResourceDefinition(this, 'Resource', {
      metadata: { name: `${POSTGRES_XR.plural}.${DATABASE_API_GROUP}`, labels: { ...MANAGED_BY } },
      spec: {
        group: DATABASE_API_GROUP,
        names: { kind: POSTGRES_XR.kind, plural: POSTGRES_XR.plural },
        claimNames: { kind: POSTGRES_CLAIM.kind, plural: POSTGRES_CLAIM.plural },
        connectionSecretKeys: ['endpoint', 'port', 'username'],
        defaultCompositionRef: { name: POSTGRES_COMPOSITION },
        versions: [
          {
            name: DATABASE_API_VERSION,
            served: true,
            referenceable: true,
            schema: {
              openApiv3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', required: ['parameters'], properties: { parameters: POSTGRES_PARAMETERS_SCHEMA } },
                  status: {
                    type: 'object',
                    properties: { address: str, port: { type: 'integer' }, instanceArn: str, masterUserSecretArn: str },
                  },
                },
              },
            },
          },
        ],
      },
    });
  }
}
