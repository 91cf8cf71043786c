/**
 * What every IAM document in `dist/iam/` is made of: the policy types, role names within IAM's limit,
 * the `${oidc_provider_<cluster>}` tokens the IaC fills in, the IRSA trust statement, and the JSON text.
 * Used by the Crossplane roles, the team secret stores and the Git credentials store.
 */
import { createHash } from 'node:crypto';
import type { ResolvedCluster } from '../model/resolve.js';

/** One IAM policy statement. */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

/** An IAM policy document. */
export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamStatement[];
}

/** A policy document of these statements. */
export function iamPolicy(statements: readonly IamStatement[]): IamPolicy {
  return { Version: '2012-10-17', Statement: statements };
}

/** IAM's limit on role names. */
export const IAM_ROLE_NAME_MAX = 64;

/**
 * A role name within IAM's 64 characters: a longer name keeps its first 55 characters and ends in `-`
 * and the first 8 hex digits of the SHA-256 of the full name, so it stays unique and deterministic.
 */
export function iamRoleName(full: string): string {
  if (full.length <= IAM_ROLE_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, IAM_ROLE_NAME_MAX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** The token of a cluster's OIDC issuer in a trust policy: `oidc_provider_<cluster>` (written `${...}`). */
export function oidcToken(cluster: string): string {
  return `oidc_provider_${cluster.replace(/-/g, '_')}`;
}

/** What a cluster's OIDC token stands for, as the documents' `inputs` say. */
export function oidcInput(cluster: ResolvedCluster): string {
  return `OIDC issuer of the EKS cluster ${cluster.awsClusterName} (account ${cluster.account.id}, ${cluster.region}) without https://: oidc.eks.<region>.amazonaws.com/id/<id>`;
}

/** `my-hub` -> `MyHub`: a name as part of a statement id (letters and digits only). */
export function pascalCase(name: string): string {
  return name.split(/[^a-zA-Z0-9]+/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

/** A service account as the subject of its OIDC tokens: `system:serviceaccount:<namespace>:<name>` (a pattern may end in `*`). */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The service accounts a role trusts: exact subjects (`StringEquals`) or patterns (`StringLike`). */
export interface TrustedServiceAccounts {
  readonly operator: 'StringEquals' | 'StringLike';
  /** `system:serviceaccount:<namespace>:<name>` subjects (patterns with `StringLike`). */
  readonly subjects: readonly string[];
}

/**
 * IRSA: `AssumeRoleWithWebIdentity` through the OIDC provider of `cluster` (in `accountId`, whose token
 * the IaC replaces) for the given service accounts, audience `sts.amazonaws.com`.
 */
export function irsaTrustStatement(sid: string, cluster: string, accountId: string, accounts: TrustedServiceAccounts, partition = 'aws'): IamStatement {
  const issuer = `\${${oidcToken(cluster)}}`;
  const sub = accounts.subjects.length === 1 ? accounts.subjects[0] : [...accounts.subjects];
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Federated: `arn:${partition}:iam::${accountId}:oidc-provider/${issuer}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: accounts.operator === 'StringEquals'
      ? { StringEquals: { [`${issuer}:sub`]: sub, [`${issuer}:aud`]: 'sts.amazonaws.com' } }
      : { StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' }, [accounts.operator]: { [`${issuer}:sub`]: sub } },
  };
}


/** The service principal of EKS Pod Identity: a role it may hand to pods trusts it for these actions. */
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

/**
 * EKS Pod Identity: the trust of a role that associations hand to pods: `sts:AssumeRole` and
 * `sts:TagSession` by `pods.eks.amazonaws.com`, only for the session tags Pod Identity sets: these EKS
 * clusters, this namespace, these service accounts (without them any association in the account could
 * use the role).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html (the session tags)
 */
export function podIdentityTrustStatement(sid: string, clusters: readonly string[], namespace: string, serviceAccounts: readonly string[]): IamStatement {
  const one = (v: readonly string[]) => (v.length === 1 ? v[0] : [...v].sort());
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: POD_IDENTITY_PRINCIPAL },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: {
        'aws:RequestTag/eks-cluster-name': one(clusters),
        'aws:RequestTag/kubernetes-namespace': namespace,
        'aws:RequestTag/kubernetes-service-account': one(serviceAccounts),
      },
    },
  };
}
