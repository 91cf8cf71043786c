import { Construct } from 'constructs';
import { Composition, CompositionSpecMode } from '../../imports/crossplane-composition-apiextensions.crossplane.io.js';
import { MANAGED_BY } from '../argocd/conventions.js';
import { EnvironmentDatabases } from '../model/spec.js';
import {
  CLAIM_NAMESPACE_LABEL, DATABASE_API_GROUP, DATABASE_API_VERSION, DATABASE_SIZES, KEEP_IN_CLUSTER, POSTGRES_COMPOSITION, POSTGRES_XR,
} from './postgres-api.js';

/** Name of the function-patch-and-transform Function the pipeline calls. */
export const PATCH_AND_TRANSFORM_FUNCTION = 'function-patch-and-transform';

/** One environment that keeps databases: its settings, the ProviderConfig of its account and its claim namespaces. */
export interface DatabaseEnvironment {
  readonly name: string;
  readonly settings: EnvironmentDatabases;
  readonly providerConfigName: string;
  /** The namespaces on the hub its claims are filed in (`<team>-<env>`). */
  readonly claimNamespaces: readonly string[];
}

type Patch = Record<string, unknown>;
const from = (fromFieldPath: string, toFieldPath: string, transforms?: unknown[]): Patch => ({
  type: 'FromCompositeFieldPath',
  fromFieldPath,
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});
const to = (fromFieldPath: string, toFieldPath: string): Patch => ({ type: 'ToCompositeFieldPath', fromFieldPath, toFieldPath });
const map = (m: Record<string, unknown>) => ({ type: 'map', map: m });
const format = (fmt: string) => ({ type: 'string', string: { type: 'Format', fmt } });
const regexp = (match: string, group: number) => ({ type: 'string', string: { type: 'Regexp', regexp: { match, group } } });
const sizes = <K extends 'instanceClass' | 'storageGiB' | 'maxStorageGiB'>(key: K) =>
  Object.fromEntries(Object.entries(DATABASE_SIZES).map(([size, s]) => [size, s[key]]));

/** Names of the composed resources (P&T resource template names). */
export type ComposedName = 'subnet-group' | 'security-group' | 'postgres-from-spokes' | 'parameter-group' | 'instance';

/**
 * What each environment decides for each composed resource's `spec.forProvider`: region, network, and
 * for the instance the safety settings. Keys that an environment leaves unset are absent (RDS chooses).
 */
export function environmentForProvider(name: ComposedName, d: EnvironmentDatabases): Record<string, unknown> {
  const region = { region: d.region };
  switch (name) {
    case 'subnet-group': return { ...region, subnetIds: [...d.subnetIds].sort() };
    case 'security-group': return { ...region, vpcId: d.vpcId };
    case 'postgres-from-spokes': return { ...region, cidrIpv4: d.allowedCidr };
    case 'parameter-group': return region;
    case 'instance':
      return {
        ...region,
        multiAz: d.multiAz,
        deletionProtection: d.deletionProtection,
        backupRetentionPeriod: d.backupRetentionDays,
        skipFinalSnapshot: !d.finalSnapshot,
        // Automated backups outlive a deleted instance where the environment protects its databases.
        deleteAutomatedBackups: !d.deletionProtection,
        ...(d.maintenanceWindow !== undefined && { maintenanceWindow: d.maintenanceWindow }),
        ...(d.backupWindow !== undefined && { backupWindow: d.backupWindow }),
        performanceInsightsEnabled: d.performanceInsights === true,
        ...(d.performanceInsights === true && { performanceInsightsRetentionPeriod: 7 }),
        ...(d.cloudwatchLogExports?.length ? { enabledCloudwatchLogsExports: [...d.cloudwatchLogExports] } : {}),
      };
  }
}

/** `Orphan` where the environment protects its databases: deleting the XR leaves the AWS resources. */
export const deletionPolicyOf = (d: EnvironmentDatabases): 'Orphan' | 'Delete' => (d.deletionProtection ? 'Orphan' : 'Delete');

/**
 * The composed resources, each with its base (validated against the provider CRDs in the tests) and
 * patches. Everything an environment decides is read from the claim's namespace (the label Crossplane
 * sets on the composite resource), never from the claim's parameters: namespace -> environment -> value,
 * by two map transforms; a namespace the platform does not know fails the function (map key not found),
 * and a composite without the label (not made from a claim) gets no new resources (policy Required).
 */
export function postgresResources(environments: readonly DatabaseEnvironment[]): Array<Record<string, any>> {
  const envOfNamespace = map(Object.fromEntries(environments.flatMap((e) => [...e.claimNamespaces].sort().map((ns) => [ns, e.name]))));
  const byEnvironment = (value: (e: DatabaseEnvironment) => unknown, toFieldPath: string, policy?: Record<string, string>): Patch => ({
    type: 'FromCompositeFieldPath',
    fromFieldPath: `metadata.labels[${CLAIM_NAMESPACE_LABEL}]`,
    toFieldPath,
    transforms: [envOfNamespace, map(Object.fromEntries(environments.map((e) => [e.name, value(e)])))],
    policy: { fromFieldPath: 'Required', ...policy },
  });
  /** The environment's account, deletion policy and `forProvider` settings of one composed resource. */
  const environment = (name: ComposedName): Patch[] => [
    byEnvironment((e) => e.providerConfigName, 'spec.providerConfigRef.name'),
    byEnvironment((e) => deletionPolicyOf(e.settings), 'spec.deletionPolicy'),
    // Merged into forProvider, keeping what the base sets (MergeObjects keeps existing keys).
    byEnvironment((e) => environmentForProvider(name, e.settings), 'spec.forProvider', { toFieldPath: 'MergeObjects' }),
  ];
  const tags = from('spec.parameters.tags', 'spec.forProvider.tags');

  return [
    {
      name: 'subnet-group',
      base: {
        apiVersion: 'rds.aws.upbound.io/v1beta1',
        kind: 'SubnetGroup',
        spec: { forProvider: { description: 'Private subnets of a PostgreSQL instance, managed by cdk8s-fleet' } },
      },
      patches: [...environment('subnet-group'), tags],
    },
    {
      name: 'security-group',
      base: {
        apiVersion: 'ec2.aws.upbound.io/v1beta1',
        kind: 'SecurityGroup',
        spec: { forProvider: { description: 'PostgreSQL from the spoke VPC only, managed by cdk8s-fleet', revokeRulesOnDelete: true } },
      },
      patches: [...environment('security-group'), tags, from('spec.parameters.identifier', 'spec.forProvider.name', [format('%s-db')])],
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
      patches: [...environment('postgres-from-spokes'), tags],
    },
    {
      name: 'parameter-group',
      base: {
        apiVersion: 'rds.aws.upbound.io/v1beta1',
        kind: 'ParameterGroup',
        spec: {
          forProvider: {
            description: 'PostgreSQL parameters, managed by cdk8s-fleet',
            parameter: [{ name: 'rds.force_ssl', value: '1', applyMethod: 'immediate' }],
          },
        },
      },
      // The family follows the major version: 16.4 -> postgres16.
      patches: [...environment('parameter-group'), tags, from('spec.parameters.engineVersion', 'spec.forProvider.family', [regexp('^(\\d+)(\\.\\d+)?$', 1), format('postgres%s')])],
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
            parameterGroupNameSelector: { matchControllerRef: true },
          },
        },
      },
      patches: [
        ...environment('instance'),
        tags,
        // The RDS identifier is a forProvider field: the provider's external name of aws_db_instance is
        // the ID RDS returns (config.IdentifierFromProvider), an instance to import, not a name to create.
        from('spec.parameters.identifier', 'spec.forProvider.identifier'),
        from('spec.parameters.size', 'spec.forProvider.instanceClass', [map(sizes('instanceClass'))]),
        from('spec.parameters.size', 'spec.forProvider.allocatedStorage', [map(sizes('storageGiB'))]),
        from('spec.parameters.size', 'spec.forProvider.maxAllocatedStorage', [map(sizes('maxStorageGiB'))]),
        from('spec.parameters.engineVersion', 'spec.forProvider.engineVersion'),
        from('spec.parameters.databaseName', 'spec.forProvider.dbName'),
        // Unique per composite: a database created again under the same identifier gets a new final snapshot name.
        {
          type: 'CombineFromComposite',
          combine: { variables: [{ fromFieldPath: 'spec.parameters.identifier' }, { fromFieldPath: 'metadata.uid' }], strategy: 'string', string: { fmt: '%s-final-%s' } },
          toFieldPath: 'spec.forProvider.finalSnapshotIdentifier',
        },
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
}

export interface PostgresRdsCompositionProps {
  /** The environments that keep databases, with their claim namespaces. */
  readonly environments: readonly DatabaseEnvironment[];
}

/**
 * The Composition (pipeline mode, function-patch-and-transform) of a PostgreSQL instance on Amazon
 * RDS: a DB subnet group, a security group with one ingress rule on 5432 from the spoke VPC, a
 * parameter group and the instance (gp3, encrypted, private, RDS-managed password). The claim gives
 * identifier, size class, version and database name; the environment of the claim's namespace gives
 * account, region, network and safety (multi-AZ, deletion protection, backups, final snapshot, windows,
 * deletion policy). Status is patched back.
 *
 * @see https://docs.crossplane.io/latest/guides/function-patch-and-transform/
 */
export class PostgresRdsComposition extends Construct {
  public constructor(scope: Construct, id: string, props: PostgresRdsCompositionProps) {
    super(scope, id);
    new Composition(this, 'Resource', {
      metadata: {
        name: POSTGRES_COMPOSITION,
        labels: { ...MANAGED_BY, provider: 'aws', engine: 'postgres' },
        annotations: { ...KEEP_IN_CLUSTER },
      },
      spec: {
        compositeTypeRef: { apiVersion: `${DATABASE_API_GROUP}/${DATABASE_API_VERSION}`, kind: POSTGRES_XR.kind },
        writeConnectionSecretsToNamespace: 'crossplane-system',
        mode: CompositionSpecMode.PIPELINE,
        pipeline: [
          {
            step: 'patch-and-transform',
            functionRef: { name: PATCH_AND_TRANSFORM_FUNCTION },
            input: { apiVersion: 'pt.fn.crossplane.io/v1beta1', kind: 'Resources', resources: postgresResources(props.environments) },
          },
        ],
      },
    });
  }
}
