/**
 * The IAM roles of the team secret stores, one per team and environment with databases, rendered as
 * JSON documents into `iam/secret-stores/<team>-<env>.json` for the infrastructure code to create
 * (no Argo CD Application reads them). Each holds the role's name and ARN, its trust policy (IRSA: the
 * store's service account on the environment's workload spokes) and its permissions policy (read only
 * the RDS-managed master user secrets of the team's instances in that environment).
 *
 * The one value the fleet model does not know is each spoke's OIDC issuer: as in `iam/crossplane/`, the
 * trust policy holds the token `${oidc_provider_<cluster>}` (cluster name with `_` for `-`), to be
 * replaced by the issuer without `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>`), for example with
 * Terraform's `templatefile()`; `inputs` says which cluster each token stands for. The OIDC provider must
 * exist in the role's account (the account of the environment's databases).
 */
import { planDatabases, PlannedDatabase } from '../crossplane/database-plan.js';
import { iamFile, SECRET_STORES_IAM_AREA } from '../layout/dist-layout.js';
import { ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { TeamSecretStore } from '../teams/team-secret-store.js';
import { iamPolicy, iamRoleName, irsaTrustStatement, oidcInput, oidcToken, pascalCase, serviceAccountSubject } from '../iam/iam-documents.js';
import { jsonFile } from './output-file.js';
import { OutputFile } from './output-file.js';

/** The tag RDS puts on the secret it manages for an instance: the instance's ARN. */
export const RDS_SECRET_INSTANCE_TAG = 'aws:rds:primaryDBInstanceArn';

/**
 * The role name of a team's store in an environment: `<fleet>-secrets-<team>-<env>`, shortened with a
 * hash when over IAM's 64 characters (`iamRoleName`).
 */
export function secretStoreRoleName(fleet: string, team: string, environment: string): string {
  return iamRoleName(`${fleet}-secrets-${team}-${environment}`);
}

/** `arn:aws:iam::<account>:role/<name>`: the role lives in the account that holds the environment's databases and their secrets. */
export function secretStoreRoleArn(fleet: string, team: string, environment: string, accountId: string): string {
  return `arn:aws:iam::${accountId}:role/${secretStoreRoleName(fleet, team, environment)}`;
}

/** One team's store in one environment: its role and what it may read. */
export interface SecretStoreRole {
  readonly team: string;
  readonly environment: string;
  readonly namespace: string;
  readonly accountId: string;
  readonly region: string;
  readonly roleName: string;
  readonly roleArn: string;
  /** The workload spokes of the environment whose store may take the role. */
  readonly clusters: readonly ResolvedCluster[];
  /** ARNs of the team's RDS instances in the environment, sorted. */
  readonly instanceArns: readonly string[];
}

/** Every team store's role, team by team and environment by environment (only where the team has databases). */
export function secretStoreRoles(fleet: ResolvedFleet): SecretStoreRole[] {
  const groups = new Map<string, PlannedDatabase[]>();
  for (const db of planDatabases(fleet)) {
    const key = `${db.team.name}/${db.environment}`;
    groups.set(key, [...(groups.get(key) ?? []), db]);
  }
  return [...groups.values()].map((dbs) => {
    const { team, environment, account, settings } = dbs[0];
    return {
      team: team.name,
      environment,
      namespace: team.namespace(environment),
      accountId: account.id,
      region: settings.region,
      roleName: secretStoreRoleName(fleet.name, team.name, environment),
      roleArn: secretStoreRoleArn(fleet.name, team.name, environment, account.id),
      clusters: team.clusters(environment),
      instanceArns: dbs.map((d) => d.instanceArn).sort(),
    };
  });
}

/**
 * The trust policy: `AssumeRoleWithWebIdentity` for the store's service account
 * (`system:serviceaccount:<team>-<env>:fleet-secret-store`) with audience `sts.amazonaws.com`, on the OIDC
 * provider of each workload spoke of the environment, and nothing else (not the External Secrets
 * controller's role, so a store without `auth` never reaches these secrets).
 */
export function secretStoreTrustPolicy(role: SecretStoreRole): object {
  const subject = serviceAccountSubject(role.namespace, TeamSecretStore.SERVICE_ACCOUNT);
  return iamPolicy(role.clusters.map((c) => irsaTrustStatement(`StoreOn${pascalCase(c.name)}`, c.name, role.accountId, { operator: 'StringEquals', subjects: [subject] })));
}

/**
 * The permissions policy. External Secrets finds a secret by tags with `BatchGetSecretValue` and
 * filters, which needs `secretsmanager:BatchGetSecretValue` and `secretsmanager:ListSecrets` (neither
 * takes a resource) and `secretsmanager:GetSecretValue` on each secret returned: the last is allowed only
 * on RDS-managed secrets (`rds!db-...`) tagged with one of the team's instance ARNs in this environment.
 * The secrets use the AWS managed key `aws/secretsmanager`, which needs no `kms:Decrypt` grant.
 */
export function secretStorePermissionsPolicy(role: SecretStoreRole): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'FindSecretsByTag',
        Effect: 'Allow',
        Action: ['secretsmanager:BatchGetSecretValue', 'secretsmanager:ListSecrets'],
        Resource: '*',
      },
      {
        Sid: 'ReadTeamDatabaseSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: `arn:aws:secretsmanager:${role.region}:${role.accountId}:secret:rds!db-*`,
        Condition: { StringEquals: { [`secretsmanager:ResourceTag/${RDS_SECRET_INSTANCE_TAG}`]: [...role.instanceArns] } },
      },
    ],
  };
}

/** The IAM document of one store role, as the infrastructure code reads it. */
export function secretStoreRoleDocument(role: SecretStoreRole): object {
  return {
    roleName: role.roleName,
    roleArn: role.roleArn,
    description: `External Secrets store of team ${role.team} in ${role.environment}: reads only the team's RDS master user secrets there.`,
    serviceAccount: { namespace: role.namespace, name: TeamSecretStore.SERVICE_ACCOUNT },
    inputs: Object.fromEntries(role.clusters.map((c) => [oidcToken(c.name), oidcInput(c)])),
    trustPolicy: secretStoreTrustPolicy(role),
    permissionsPolicy: secretStorePermissionsPolicy(role),
  };
}

/** `iam/secret-stores/<team>-<env>.json`: one document per team store role. */
export function secretStoreIamOutputs(fleet: ResolvedFleet): OutputFile[] {
  return secretStoreRoles(fleet).map((role) => jsonFile(iamFile(SECRET_STORES_IAM_AREA, `${role.team}-${role.environment}`), secretStoreRoleDocument(role)));
}
