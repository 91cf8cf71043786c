/**
 * The IAM role of each hub's git credentials store (`fleet-git-credentials` in Argo CD's namespace),
 * rendered as JSON into `iam/git-credentials/<hub>.json` for the infrastructure code to create (no Argo CD
 * Application reads it): role name and ARN, trust policy (IRSA: the store's service account on the hub)
 * and permissions policy (`secretsmanager:GetSecretValue` on exactly the declared secrets).
 *
 * As in `iam/secret-stores/`, the hub's OIDC issuer is the token `${oidc_provider_<hub>}` that the IaC
 * replaces with the issuer without `https://`; `inputs` says what it stands for.
 */
import { createHash } from 'node:crypto';
import { GitCredentialsStore } from '../argocd/git-credentials.js';
import { ARGOCD_CAPABILITY_IAM_AREA, GIT_CREDENTIALS_IAM_AREA, iamFile } from '../layout/dist-layout.js';
import { capabilityConfiguration } from '../argocd/sso-rbac.js';
import { ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { GitCredentialSpec } from '../model/spec.js';
import { oidcToken } from './iam-crossplane.js';
import { IAM_ROLE_NAME_MAX } from './iam-secret-stores.js';
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
  return arn ? arn.split(':')[3] : hub.spec.region;
}

/** `<fleet>-git-credentials-<hub>`, shortened as the store roles are when over IAM's 64 characters. */
export function gitCredentialsRoleName(fleet: string, hub: string): string {
  const full = `${fleet}-git-credentials-${hub}`;
  if (full.length <= IAM_ROLE_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, IAM_ROLE_NAME_MAX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
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

/** The IAM document of one hub's git credentials store role. */
export function gitCredentialsRoleDocument(fleet: ResolvedFleet, hub: ResolvedCluster): object {
  const issuer = `\${${oidcToken(hub.name)}}`;
  const subject = `system:serviceaccount:${fleet.argocdNamespace}:${GitCredentialsStore.NAME}`;
  const secrets = [...new Set(gitCredentials(fleet).map((c) => gitCredentialSecretArn(c.secret, hub, gitCredentialsRegion(fleet, hub))))].sort();
  return {
    roleName: gitCredentialsRoleName(fleet.name, hub.name),
    roleArn: gitCredentialsRoleArn(fleet, hub),
    description: `External Secrets store of Argo CD's git credentials on hub ${hub.name}: reads only the declared repository credential secrets.`,
    serviceAccount: { namespace: fleet.argocdNamespace, name: GitCredentialsStore.NAME },
    region: gitCredentialsRegion(fleet, hub),
    inputs: {
      [oidcToken(hub.name)]: `OIDC issuer of the EKS cluster ${hub.awsClusterName} (account ${hub.account.id}, ${hub.spec.region}) without https://: oidc.eks.<region>.amazonaws.com/id/<id>`,
    },
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GitCredentialsStore',
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${hub.account.id}:oidc-provider/${issuer}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
        },
      ],
    },
    permissionsPolicy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'ReadGitCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secrets }],
    },
  };
}

/**
 * With the EKS Argo CD capability there is no store role: the capability role reads the secrets. The
 * document holds the permissions to attach to it (`GetSecretValue` on exactly the declared secrets).
 */
export function capabilityGitCredentialsDocument(fleet: ResolvedFleet, hub: ResolvedCluster): object {
  const secrets = [...new Set(gitCredentials(fleet).map((c) => gitCredentialSecretArn(c.secret, hub, gitCredentialsRegion(fleet, hub))))].sort();
  return {
    description: `Attach to the IAM role of the EKS Argo CD capability of hub ${hub.name}: it reads the declared repository credential secrets (secretArn of the repository Secrets).`,
    permissionsPolicy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'ReadGitCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secrets }],
    },
  };
}

/** `iam/git-credentials/<hub>.json`: one document per hub, when the fleet declares git credentials. */
export function gitCredentialsIamOutputs(fleet: ResolvedFleet): OutputFile[] {
  if (gitCredentials(fleet).length === 0) return [];
  const document = fleet.mode === 'self-managed' ? gitCredentialsRoleDocument : capabilityGitCredentialsDocument;
  return fleet.clusters
    .filter((c) => c.role === 'hub')
    .map((hub) => ({ path: iamFile(GIT_CREDENTIALS_IAM_AREA, hub.name), text: `${JSON.stringify(document(fleet, hub), null, 2)}\n` }));
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
    .map((hub) => ({
      path: iamFile(ARGOCD_CAPABILITY_IAM_AREA, hub.name),
      text: `${JSON.stringify({
        description: `Configuration of the EKS Argo CD capability of hub ${hub.name} (cluster ${hub.awsClusterName}, account ${hub.account.id}, ${hub.spec.region}): pass it as configuration to CreateCapability / UpdateCapability (type ARGOCD). Team groups have no global role: their AppProject's developers role lets them see and sync their own Applications.`,
        clusterName: hub.awsClusterName,
        configuration: capabilityConfiguration(fleet.argocdNamespace, identityCenter, fleet.spec.argocd?.adminGroups ?? []),
      }, null, 2)}\n`,
    }));
}
