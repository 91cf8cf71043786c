import { Construct } from 'constructs';
import { namespaceStore, storeServiceAccount } from '../secrets/namespace-store.js';
import { MANAGED_BY } from '../argocd/conventions.js';

export interface TeamSecretStoreProps {
  readonly team: string;
  /** The team's namespace: the only one allowed to use the store, and the home of its service account. */
  readonly namespace: string;
  /** AWS region of the secrets. */
  readonly region: string;
  /**
   * The store's own IAM role (IRSA), which may read only this team's database secrets in this
   * environment: written as `eks.amazonaws.com/role-arn` on the store's service account.
   */
  readonly roleArn: string;
}

/**
 * `aws-secrets-manager-<namespace>`: AWS Secrets Manager for one team namespace only, with an IAM role of
 * its own. The store authenticates with `auth.jwt.serviceAccountRef`: External Secrets requests a token
 * for the service account `fleet-secret-store` in the team namespace and calls
 * `AssumeRoleWithWebIdentity` on the role in the account's `eks.amazonaws.com/role-arn` annotation.
 * The controller's own role is never used for the team's secrets; no credentials in the store.
 *
 * A namespaced SecretStore can only name service accounts of its own namespace (External Secrets
 * ignores `serviceAccountRef.namespace` unless the store is cluster-scoped), so even a store a team
 * made by hand reaches nothing but its own role.
 */
export class TeamSecretStore extends Construct {
  /** The service account whose token the store exchanges for its IAM role; reserved: no app may take this name. */
  public static readonly SERVICE_ACCOUNT = 'fleet-secret-store';

  public static nameFor(namespace: string): string {
    return `aws-secrets-manager-${namespace}`;
  }

  public constructor(scope: Construct, id: string, props: TeamSecretStoreProps) {
    super(scope, id);
    const labels = { ...MANAGED_BY, team: props.team };
    storeServiceAccount(this, 'ServiceAccount', { name: TeamSecretStore.SERVICE_ACCOUNT, namespace: props.namespace, roleArn: props.roleArn, labels });
    namespaceStore(this, 'Resource', {
      name: TeamSecretStore.nameFor(props.namespace), namespace: props.namespace, region: props.region, serviceAccount: TeamSecretStore.SERVICE_ACCOUNT, labels,
    });
  }
}
