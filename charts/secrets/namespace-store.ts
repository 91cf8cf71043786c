/**
 * The one way this fleet reads AWS Secrets Manager: a store that only one namespace may use, which
 * authenticates as a service account of that namespace with an IAM role of its own (IRSA). External
 * Secrets requests a token for the service account (TokenRequest) and assumes the role in its
 * `eks.amazonaws.com/role-arn` annotation, so each store reads exactly what its role allows; `conditions`
 * keeps ExternalSecrets of every other namespace out. A ClusterSecretStore because the pinned External
 * Secrets CRDs (checked in the tests) serve it; no other namespace can read through it.
 *
 * Used by the team stores (charts/teams/team-secret-store.ts) and Argo CD's Git credentials
 * (charts/argocd/git-credentials.ts).
 */
import { IRSA_ROLE_ANNOTATION } from '../model/cluster-metadata.js';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterSecretStore, ClusterSecretStoreSpecProviderAwsService } from '../../imports/eso-clustersecretstore-external-secrets.io.js';

export interface NamespaceStoreProps {
  /** The store's name. */
  readonly name: string;
  /** The only namespace allowed to use the store, and the home of its service account. */
  readonly namespace: string;
  /** AWS region of the secrets. */
  readonly region: string;
  /** The service account the store authenticates as. */
  readonly serviceAccount: string;
  /** Labels of the store. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The ClusterSecretStore for one namespace, authenticating with `auth.jwt.serviceAccountRef`. */
export function namespaceStore(scope: Construct, id: string, props: NamespaceStoreProps): ClusterSecretStore {
  return new ClusterSecretStore(scope, id, {
    metadata: { name: props.name, labels: { ...props.labels } },
    spec: {
      conditions: [{ namespaces: [props.namespace] }],
      provider: {
        aws: {
          service: ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER,
          region: props.region,
          auth: { jwt: { serviceAccountRef: { name: props.serviceAccount, namespace: props.namespace } } },
        },
      },
    },
  });
}

/** The store's service account, annotated with its IAM role; no pod mounts its token. */
export function storeServiceAccount(scope: Construct, id: string, props: { name: string; namespace: string; roleArn: string; labels: Readonly<Record<string, string>> }): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels }, annotations: { [IRSA_ROLE_ANNOTATION]: props.roleArn } },
    // External Secrets asks the API server for tokens (TokenRequest); no pod mounts this account's token.
    automountServiceAccountToken: false,
  });
}
