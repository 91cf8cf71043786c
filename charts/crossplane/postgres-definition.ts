import { Construct } from 'constructs';
import { CompositeResourceDefinition } from '../../imports/crossplane-xrd-apiextensions.crossplane.io.js';
import { MANAGED_BY } from '../argocd/conventions.js';
import { KEEP_IN_CLUSTER, DATABASE_API_GROUP, DATABASE_API_VERSION, DATABASE_SIZES, POSTGRES_CLAIM, POSTGRES_COMPOSITION, POSTGRES_XR } from './postgres-api.js';

const str = { type: 'string' };

/**
 * The schema of a claim's parameters: the team's intent only (identifier, size class, version, database
 * name, tags). Account, region, network and safety are not parameters: the Composition reads them from
 * the environment of the claim's namespace, so no claim can weaken them. Unknown fields (`multiAz: false`)
 * are pruned by the API server (structural schema) and refused earlier by `npm run synth`.
 */
export const POSTGRES_PARAMETERS_SCHEMA = {
  type: 'object',
  required: ['identifier', 'size', 'engineVersion', 'databaseName'],
  properties: {
    identifier: {
      type: 'string',
      description: 'RDS instance identifier (<team>-<app>-<env>); immutable: a new identifier would be a new database.',
      pattern: '^[a-z](-?[a-z0-9])*$',
      maxLength: 63,
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'identifier is immutable' }],
    },
    size: { type: 'string', enum: Object.keys(DATABASE_SIZES), description: 'Size class: instance class and gp3 storage.' },
    engineVersion: { type: 'string', pattern: '^\\d{2}(\\.\\d{1,2})?$', description: 'PostgreSQL version.' },
    databaseName: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
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
      // Deleting the XRD deletes every claim and composite of its kind: Argo CD never prunes or deletes it.
      metadata: { name: `${POSTGRES_XR.plural}.${DATABASE_API_GROUP}`, labels: { ...MANAGED_BY }, annotations: { ...KEEP_IN_CLUSTER } },
      spec: {
        group: DATABASE_API_GROUP,
        names: { kind: POSTGRES_XR.kind, plural: POSTGRES_XR.plural },
        claimNames: { kind: POSTGRES_CLAIM.kind, plural: POSTGRES_CLAIM.plural },
        connectionSecretKeys: ['endpoint', 'port', 'username'],
        defaultCompositionRef: { name: POSTGRES_COMPOSITION },
        // A claim cannot pick another Composition (compositionRef/compositionSelector are ignored).
        enforcedCompositionRef: { name: POSTGRES_COMPOSITION },
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
