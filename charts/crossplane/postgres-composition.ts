import { Construct } from 'constructs';
import { Composition, CompositionSpecMode } from '../../imports/crossplane-composition-apiextensions.crossplane.io.js';
import { MANAGED_BY } from '../argocd/conventions.js';
import { DATABASE_API_GROUP, DATABASE_API_VERSION, DATABASE_SIZES, POSTGRES_COMPOSITION, POSTGRES_XR } from './postgres-api.js';

/** Name of the function-patch-and-transform Function the pipeline calls. */
export const PATCH_AND_TRANSFORM_FUNCTION = 'function-patch-and-transform';

const from = (fromFieldPath: string, toFieldPath: string, transforms?: unknown[]) => ({
  type: 'FromCompositeFieldPath',
  fromFieldPath,
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});
const to = (fromFieldPath: string, toFieldPath: string) => ({ type: 'ToCompositeFieldPath', fromFieldPath, toFieldPath });
const map = (m: Record<string, unknown>) => ({ type: 'map', map: m });
const format = (fmt: string) => ({ type: 'string', string: { type: 'Format', fmt } });
const sizes = <K extends 'instanceClass' | 'storageGiB' | 'maxStorageGiB'>(key: K) =>
  Object.fromEntries(Object.entries(DATABASE_SIZES).map(([size, s]) => [size, s[key]]));

/** Patches every composed AWS resource shares: region, account (ProviderConfig) and tags. */
const common = [
  from('spec.parameters.region', 'spec.forProvider.region'),
  from('spec.parameters.providerConfigName', 'spec.providerConfigRef.name'),
  from('spec.parameters.tags', 'spec.forProvider.tags'),
];

/** The composed resources, each with its base (validated against the provider CRDs in the tests) and patches. */
export const POSTGRES_RESOURCES = [
  {
    name: 'subnet-group',
    base: {
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'SubnetGroup',
      spec: { forProvider: { description: 'Private subnets of a PostgreSQL instance, managed by cdk8s-fleet' } },
    },
    patches: [...common, from('spec.parameters.subnetIds', 'spec.forProvider.subnetIds')],
  },
  {
    name: 'security-group',
    base: {
      apiVersion: 'ec2.aws.upbound.io/v1beta1',
      kind: 'SecurityGroup',
      spec: { forProvider: { description: 'PostgreSQL from the spoke VPC only, managed by cdk8s-fleet', revokeRulesOnDelete: true } },
    },
    patches: [...common, from('spec.parameters.vpcId', 'spec.forProvider.vpcId'), from('spec.parameters.identifier', 'spec.forProvider.name', [format('%s-db')])],
  },
  {
    name: 'postgres-from-spokes',
    base: {
      apiVersion: 'ec2.aws.upbound.io/v1beta1',
      kind: 'SecurityGroupIngressRule',
      spec: {
        forProvider: {
          description: 'PostgreSQL from the spoke VPC',
          ipProtocol: 'tcp',
          fromPort: 5432,
          toPort: 5432,
          securityGroupIdSelector: { matchControllerRef: true },
        },
      },
    },
    patches: [...common, from('spec.parameters.allowedCidr', 'spec.forProvider.cidrIpv4')],
  },
  {
    name: 'instance',
    base: {
      apiVersion: 'rds.aws.upbound.io/v1beta3',
      kind: 'Instance',
      spec: {
        forProvider: {
          engine: 'postgres',
          storageType: 'gp3',
          storageEncrypted: true,
          publiclyAccessible: false,
          // RDS generates the master password and keeps it in AWS Secrets Manager: it never exists in git or on the hub.
          manageMasterUserPassword: true,
          username: 'app_admin',
          autoMinorVersionUpgrade: true,
          copyTagsToSnapshot: true,
          applyImmediately: false,
          dbSubnetGroupNameSelector: { matchControllerRef: true },
          vpcSecurityGroupIdSelector: { matchControllerRef: true },
        },
      },
    },
    patches: [
      ...common,
      from('spec.parameters.identifier', 'metadata.annotations[crossplane.io/external-name]'),
      from('spec.parameters.size', 'spec.forProvider.instanceClass', [map(sizes('instanceClass'))]),
      from('spec.parameters.size', 'spec.forProvider.allocatedStorage', [map(sizes('storageGiB'))]),
      from('spec.parameters.size', 'spec.forProvider.maxAllocatedStorage', [map(sizes('maxStorageGiB'))]),
      from('spec.parameters.engineVersion', 'spec.forProvider.engineVersion'),
      from('spec.parameters.databaseName', 'spec.forProvider.dbName'),
      from('spec.parameters.multiAz', 'spec.forProvider.multiAz'),
      from('spec.parameters.deletionProtection', 'spec.forProvider.deletionProtection'),
      from('spec.parameters.backupRetentionDays', 'spec.forProvider.backupRetentionPeriod'),
      from('spec.parameters.skipFinalSnapshot', 'spec.forProvider.skipFinalSnapshot'),
      from('spec.parameters.identifier', 'spec.forProvider.finalSnapshotIdentifier', [format('%s-final')]),
      to('status.atProvider.address', 'status.address'),
      to('status.atProvider.port', 'status.port'),
      to('status.atProvider.arn', 'status.instanceArn'),
      to('status.atProvider.masterUserSecret[0].secretArn', 'status.masterUserSecretArn'),
    ],
    connectionDetails: [
      { name: 'endpoint', type: 'FromFieldPath', fromFieldPath: 'status.atProvider.address' },
      { name: 'port', type: 'FromFieldPath', fromFieldPath: 'status.atProvider.port' },
      { name: 'username', type: 'FromFieldPath', fromFieldPath: 'spec.forProvider.username' },
    ],
  },
];

/**
 * The Composition (pipeline mode, function-patch-and-transform) of a PostgreSQL instance on Amazon
 * RDS: a DB subnet group, a security group with one ingress rule on 5432 from the spoke VPC, and the
 * instance (gp3, encrypted, private, RDS-managed password), with size class, multi-AZ, backups,
 * deletion protection and final snapshot from the claim, and status patched back.
 *
 * @see https://docs.crossplane.io/latest/guides/function-patch-and-transform/
 */
export class PostgresRdsComposition extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new Composition(this, 'Resource', {
      metadata: { name: POSTGRES_COMPOSITION, labels: { ...MANAGED_BY, provider: 'aws', engine: 'postgres' } },
      spec: {
        compositeTypeRef: { apiVersion: `${DATABASE_API_GROUP}/${DATABASE_API_VERSION}`, kind: POSTGRES_XR.kind },
        writeConnectionSecretsToNamespace: 'crossplane-system',
        mode: CompositionSpecMode.PIPELINE,
        pipeline: [
          {
            step: 'patch-and-transform',
            functionRef: { name: PATCH_AND_TRANSFORM_FUNCTION },
            input: { apiVersion: 'pt.fn.crossplane.io/v1beta1', kind: 'Resources', resources: POSTGRES_RESOURCES },
          },
        ],
      },
    });
  }
}
