/**
 * The IAM role of each hub's git credentials store (`fleet-git-credentials` in Argo CD's namespace),
 * rendered as JSON into `iam/git-credentials/<hub>.json` for the infrastructure code to create (no Argo CD
 * Application reads it): role name and ARN, trust policy (IRSA: the store's service account on the hub)
 * and permissions policy (`secretsmanager:GetSecretValue` on exactly the declared secrets).
 *
 * As in `iam/secret-stores/`, the hub's OIDC issuer is the token `${oidc_provider_<hub>}` that the IaC
 * replaces with the issuer without `https://`; `inputs` says what it stands for.
 */
import { GitCredentialsStore } from '../argocd/git-credentials.js';
import { ARGOCD_CAPABILITY_IAM_AREA, GIT_CREDENTIALS_IAM_AREA, iamFile } from '../layout/dist-layout.js';
import { capabilityConfiguration } from '../argocd/sso-rbac.js';
import { ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { GitCredentialSpec } from '../model/spec.js';
import { iamPolicy, iamRoleName, irsaTrustStatement, oidcInput, oidcToken, serviceAccountSubject } from '../iam/iam-documents.js';
import { jsonFile } from './output-file.js';
import { OutputFile } from './output-file.js';

/** The declared git credentials. */
export function gitCredentials(fleet: ResolvedFleet): readonly GitCredentialSpec[] {
  return fleet.spec.repos.credentials ?? [];
}

/** Whether the hub's External Secrets delivers the credentials (self-managed Argo CD) rather than the EKS capability reading them. */
export function gitCredentialsThroughExternalSecrets(fleet: ResolvedFleet): boolean {
  return fleet.mode === 'self-managed' && gitCredentials(fleet).length > 0;
}

/**
 * The region the hub's store reads: that of the secrets named by ARN (validation keeps them in one
 * region), else the hub's. A secret given by name is looked up in this region, in the hub's account.
 */
export function gitCredentialsRegion(fleet: ResolvedFleet, hub: ResolvedCluster): string {
  const arn = gitCredentials(fleet).map((c) => c.secret).find((s) => s.startsWith('arn:'));
  return arn ? arn.split(':')[3] : hub.region;
}

/** `<fleet>-git-credentials-<hub>`, shortened as the store roles are when over IAM's 64 characters. */
export function gitCredentialsRoleName(fleet: string, hub: string): string {
  return iamRoleName(`${fleet}-git-credentials-${hub}`);
}

/** The role's ARN, in the hub's account. */
export function gitCredentialsRoleArn(fleet: ResolvedFleet, hub: ResolvedCluster): string {
  return `arn:aws:iam::${hub.account.id}:role/${gitCredentialsRoleName(fleet.name, hub.name)}`;
}

/**
 * The ARN pattern of a declared secret: the ARN itself when one is given, else the secret's name in the
 * hub's account and region followed by `-??????` (the six characters Secrets Manager appends).
 */
export function gitCredentialSecretArn(secret: string, hub: ResolvedCluster, region: string): string {
  if (secret.startsWith('arn:')) return secret;
  return `arn:aws:secretsmanager:${region}:${hub.account.id}:secret:${secret}-??????`;
}

/** The ARNs (or ARN patterns) of every declared secret, once each, sorted. */
function gitCredentialSecretArns(fleet: ResolvedFleet, hub: ResolvedCluster): string[] {
  const region = gitCredentialsRegion(fleet, hub);
  return [...new Set(gitCredentials(fleet).map((c) => gitCredentialSecretArn(c.secret, hub, region)))].sort();
}

/** `GetSecretValue` on exactly the declared secrets: the store role's, or the capability role's, permissions. */
function readGitCredentialsPolicy(fleet: ResolvedFleet, hub: ResolvedCluster): object {
  return iamPolicy([{ Sid: 'ReadGitCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: gitCredentialSecretArns(fleet, hub) }]);
}

/** The IAM document of one hub's git credentials store role. */
export function gitCredentialsRoleDocument(fleet: ResolvedFleet, hub: ResolvedCluster): object {
  const subject = serviceAccountSubject(fleet.argocdNamespace, GitCredentialsStore.NAME);
  return {
    roleName: gitCredentialsRoleName(fleet.name, hub.name),
    roleArn: gitCredentialsRoleArn(fleet, hub),
    description: `External Secrets store of Argo CD's git credentials on hub ${hub.name}: reads only the declared repository credential secrets.`,
    serviceAccount: { namespace: fleet.argocdNamespace, name: GitCredentialsStore.NAME },
    region: gitCredentialsRegion(fleet, hub),
    inputs: { [oidcToken(hub.name)]: oidcInput(hub) },
    trustPolicy: iamPolicy([irsaTrustStatement('GitCredentialsStore', hub.name, hub.account.id, { operator: 'StringEquals', subjects: [subject] })]),
    permissionsPolicy: readGitCredentialsPolicy(fleet, hub),
  };
}

/**
 * With the EKS Argo CD capability there is no store role: the capability role reads the secrets. The
 * document holds the permissions to attach to it (`GetSecretValue` on exactly the declared secrets).
 */
export function capabilityGitCredentialsDocument(fleet: ResolvedFleet, hub: ResolvedCluster): object {
  return {
    description: `Attach to the IAM role of the EKS Argo CD capability of hub ${hub.name}: it reads the declared repository credential secrets (secretArn of the repository Secrets).`,
    permissionsPolicy: readGitCredentialsPolicy(fleet, hub),
  };
}

/** `iam/git-credentials/<hub>.json`: one document per hub, when the fleet declares git credentials. */
export function gitCredentialsIamOutputs(fleet: ResolvedFleet): OutputFile[] {
  if (gitCredentials(fleet).length === 0) return [];
  const document = fleet.mode === 'self-managed' ? gitCredentialsRoleDocument : capabilityGitCredentialsDocument;
  return fleet.clusters
    .filter((c) => c.role === 'hub')
    .map((hub) => jsonFile(iamFile(GIT_CREDENTIALS_IAM_AREA, hub.name), document(fleet, hub)));
}

/**
 * `iam/argocd-capability/<hub>.json`: with the EKS Argo CD capability and Identity Center, per hub the
 * capability's `configuration` (`argoCd.namespace`, `awsIdc`, `rbacRoleMappings`) for the IaC to pass to
 * `CreateCapability` / `UpdateCapability`.
 */
export function argoCdCapabilityOutputs(fleet: ResolvedFleet): OutputFile[] {
  const identityCenter = fleet.spec.argocd?.sso?.identityCenter;
  if (fleet.mode !== 'eks-capability' || !identityCenter) return [];
  return fleet.clusters
    .filter((c) => c.role === 'hub')
    .map((hub) => jsonFile(iamFile(ARGOCD_CAPABILITY_IAM_AREA, hub.name), {
      description: `Configuration of the EKS Argo CD capability of hub ${hub.name} (cluster ${hub.awsClusterName}, account ${hub.account.id}, ${hub.region}): pass it as configuration to CreateCapability / UpdateCapability (type ARGOCD). Team groups have no global role: their AppProject's developers role lets them see and sync their own Applications.`,
      clusterName: hub.awsClusterName,
      configuration: capabilityConfiguration(fleet.argocdNamespace, identityCenter, fleet.spec.argocd?.adminGroups ?? []),
    }));
}
