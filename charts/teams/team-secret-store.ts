import { Construct } from 'constructs';
import { ClusterSecretStore, ClusterSecretStoreSpecProviderAwsService } from '../../imports/eso-clustersecretstore-external-secrets.io.js';
import { MANAGED_BY } from '../argocd/conventions.js';

export interface TeamSecretStoreProps {
  readonly team: string;
  /** The team's namespace: the only one allowed to use the store. */
  readonly namespace: string;
  /** AWS region of the secrets. */
  readonly region: string;
}

/**
 * `aws-secrets-manager-<namespace>`: AWS Secrets Manager for one team namespace only, with the External
 * Secrets controller's own IAM role (IRSA); no credentials in the store.
 */
export class TeamSecretStore extends Construct {
  public static nameFor(namespace: string): string {
    return `aws-secrets-manager-${namespace}`;
  }

  public constructor(scope: Construct, id: string, props: TeamSecretStoreProps) {
    super(scope, id);
    new ClusterSecretStore(this, 'Resource', {
      metadata: { name: TeamSecretStore.nameFor(props.namespace), labels: { ...MANAGED_BY, team: props.team } },
      spec: {
        conditions: [{ namespaces: [props.namespace] }],
        provider: { aws: { service: ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER, region: props.region } },
      },
    });
  }
}
