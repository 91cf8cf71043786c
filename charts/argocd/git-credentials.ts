import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { namespaceStore, storeServiceAccount } from '../secrets/namespace-store.js';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy, ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/eso-externalsecret-external-secrets.io.js';
import { GitCredentialField, GitCredentialKind, GitCredentialSpec } from '../model/spec.js';
import { MANAGED_BY } from './conventions.js';

/** Labels of every object of the Git credentials. */
const GIT_CREDENTIALS_LABELS = { ...MANAGED_BY, 'app.kubernetes.io/component': 'git-credentials' };

/**
 * The fields of an Argo CD `repository` / `repo-creds` Secret each kind fills, and the JSON key of the
 * AWS secret each is read from unless `keys` says otherwise.
 */
export const GIT_CREDENTIAL_FIELDS: Readonly<Record<GitCredentialKind, Readonly<Partial<Record<GitCredentialField, string>>>>> = {
  'https-token': { username: 'username', password: 'token' },
  'ssh-key': { sshPrivateKey: 'sshPrivateKey' },
  'github-app': { githubAppID: 'githubAppID', githubAppInstallationID: 'githubAppInstallationID', githubAppPrivateKey: 'githubAppPrivateKey' },
};

/** A credential's fields and the AWS secret's JSON key of each, defaults applied, in Argo CD's field order. */
export function gitCredentialKeys(credential: GitCredentialSpec): Array<[GitCredentialField, string]> {
  const defaults = GIT_CREDENTIAL_FIELDS[credential.kind];
  return (Object.keys(defaults) as GitCredentialField[]).map((field) => [field, credential.keys?.[field] ?? defaults[field]!]);
}

/** Argo CD's Secret type label of a credential: `repository` for one URL, `repo-creds` for a URL prefix. */
export function gitCredentialSecretType(credential: GitCredentialSpec): 'repository' | 'repo-creds' {
  return credential.match === 'prefix' ? 'repo-creds' : 'repository';
}

/** Name of the ExternalSecret and of the Secret it makes: `repo-<name>` or `repo-creds-<name>`. */
export function gitCredentialSecretName(credential: GitCredentialSpec): string {
  return `${gitCredentialSecretType(credential)}-${credential.name}`;
}

export interface GitCredentialsStoreProps {
  /** Argo CD's namespace: the only one allowed to use the store, and the home of its service account. */
  readonly namespace: string;
  /** AWS region of the secrets (the hub's). */
  readonly region: string;
  /** The store's own IAM role (IRSA), which may read only the declared git credential secrets. */
  readonly roleArn: string;
}

/**
 * `fleet-git-credentials`: AWS Secrets Manager for Argo CD's namespace only, with an IAM role of its own.
 * As the team stores (`TeamSecretStore`), it authenticates with `auth.jwt.serviceAccountRef`: External
 * Secrets requests a token for the service account `fleet-git-credentials` in Argo CD's namespace and
 * assumes the role in its `eks.amazonaws.com/role-arn` annotation. `conditions` lets only ExternalSecrets
 * in Argo CD's namespace use it (a ClusterSecretStore because the pinned External Secrets CRDs are the
 * ones schema-checked here; no other namespace can read through it).
 */
export class GitCredentialsStore extends Construct {
  /** The store's name, and its service account's. */
  public static readonly NAME = 'fleet-git-credentials';

  public constructor(scope: Construct, id: string, props: GitCredentialsStoreProps) {
    super(scope, id);
    namespaceStore(this, 'Resource', {
      name: GitCredentialsStore.NAME, namespace: props.namespace, region: props.region, serviceAccount: GitCredentialsStore.NAME, labels: GIT_CREDENTIALS_LABELS,
    });
  }
}

/**
 * The store's service account `fleet-git-credentials` in Argo CD's namespace, annotated with the store's
 * IAM role; its own file, as every object here but the logical units.
 */
export class GitCredentialsServiceAccount extends Construct {
  public constructor(scope: Construct, id: string, props: GitCredentialsStoreProps) {
    super(scope, id);
    storeServiceAccount(this, 'Resource', {
      name: GitCredentialsStore.NAME, namespace: props.namespace, roleArn: props.roleArn, labels: GIT_CREDENTIALS_LABELS,
    });
  }
}

export interface GitCredentialExternalSecretProps {
  readonly credential: GitCredentialSpec;
  /** Argo CD's namespace. */
  readonly namespace: string;
}

/**
 * One declared git credential: an ExternalSecret in Argo CD's namespace whose target template makes the
 * Argo CD `repository` (one URL) or `repo-creds` (URL prefix) Secret: label
 * `argocd.argoproj.io/secret-type`, `type: git`, `url`, and the credential fields read from the AWS
 * secret (`username`/`password`, `sshPrivateKey`, or `githubAppID`/`githubAppInstallationID`/
 * `githubAppPrivateKey`). Git holds only the secret's name and keys.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#repositories
 */
export class GitCredentialExternalSecret extends Construct {
  /**
   * How often the AWS secret is read again: a rotated token reaches the Secret within this time, and Argo
   * CD reads repository Secrets on every use (it watches them), so no restart is needed.
   */
  public static readonly REFRESH_INTERVAL = '5m';

  public constructor(scope: Construct, id: string, props: GitCredentialExternalSecretProps) {
    super(scope, id);
    const { credential } = props;
    const name = gitCredentialSecretName(credential);
    const keys = gitCredentialKeys(credential);
    const type = gitCredentialSecretType(credential);
    new ExternalSecret(this, 'Resource', {
      metadata: { name, namespace: props.namespace, labels: { ...GIT_CREDENTIALS_LABELS } },
      spec: {
        refreshInterval: GitCredentialExternalSecret.REFRESH_INTERVAL,
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: GitCredentialsStore.NAME },
        target: {
          name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            type: 'Opaque',
            metadata: { labels: { ...MANAGED_BY, 'argocd.argoproj.io/secret-type': type } },
            data: {
              type: 'git',
              url: credential.url,
              ...Object.fromEntries(keys.map(([field]) => [field, `{{ .${field} }}`])),
            },
          },
        },
        data: keys.map(([field, key]) => ({ secretKey: field, remoteRef: { key: credential.secret, property: key } })),
      },
    });
  }
}

export interface CapabilityGitCredentialProps {
  readonly credential: GitCredentialSpec;
  /** The capability's Argo CD namespace. */
  readonly namespace: string;
}

/**
 * For the EKS Argo CD capability: a credential-free `repository` / `repo-creds` Secret that names the AWS
 * Secrets Manager secret by ARN (`secretArn`); the capability reads the secret itself with its IAM role
 * (`secretsmanager:GetSecretValue`), so no External Secrets and no value in the cluster. The secret holds
 * what the capability reads: `{"username", "token"}` for HTTPS, the private key as plain text for SSH,
 * `{"githubAppID", "githubAppInstallationID", "githubAppPrivateKeySecret"}` (key base64) for a GitHub App.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/argocd-configure-repositories.html
 */
export class CapabilityGitCredential extends Construct {
  public constructor(scope: Construct, id: string, props: CapabilityGitCredentialProps) {
    super(scope, id);
    const { credential } = props;
    new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: gitCredentialSecretName(credential),
        namespace: props.namespace,
        labels: { ...GIT_CREDENTIALS_LABELS, 'argocd.argoproj.io/secret-type': gitCredentialSecretType(credential) },
      },
      type: 'Opaque',
      stringData: { type: 'git', url: credential.url, secretArn: credential.secret },
    });
  }
}
