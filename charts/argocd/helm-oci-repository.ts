import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { MANAGED_BY } from './conventions.js';

export interface HelmOciRepositoryProps {
  /** Argo CD's name for the repository (DNS-1123). */
  readonly name: string;
  /** Registry path without scheme, as used in `repoURL` (`public.ecr.aws/karpenter`). */
  readonly url: string;
  /** Argo CD's namespace. */
  readonly namespace: string;
}

/**
 * A credential-free Argo CD repository Secret registering a public OCI Helm registry (`enableOCI`).
 * Private registries get their credentials from External Secrets, never from git.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/helm/#helm-oci
 */
export class HelmOciRepository extends Construct {
  public constructor(scope: Construct, id: string, props: HelmOciRepositoryProps) {
    super(scope, id);
    new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: `repo-${props.name}`,
        namespace: props.namespace,
        labels: { ...MANAGED_BY, 'argocd.argoproj.io/secret-type': 'repository' },
      },
      type: 'Opaque',
      stringData: { name: props.name, type: 'helm', url: props.url, enableOCI: 'true' },
    });
  }
}
