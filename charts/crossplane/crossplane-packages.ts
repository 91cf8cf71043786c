import { Construct } from 'constructs';
import { IRSA_ROLE_ANNOTATION } from '../model/cluster-metadata.js';
import { Function as CrossplaneFunction } from '../../imports/crossplane-function-pkg.crossplane.io.js';
import { Provider } from '../../imports/crossplane-provider-pkg.crossplane.io.js';
import { DeploymentRuntimeConfig } from '../../imports/crossplane-runtimeconfig-pkg.crossplane.io.js';
import { MANAGED_BY, syncWave } from '../argocd/conventions.js';
import { PATCH_AND_TRANSFORM_FUNCTION } from './postgres-composition.js';
import type { AwsIdentity } from '../model/spec.js';

/** Pinned Crossplane packages: the AWS provider family members the Composition uses, and the function. */
export const CROSSPLANE_PACKAGES = {
  providers: {
    'provider-aws-rds': 'xpkg.crossplane.io/crossplane-contrib/provider-aws-rds:v2.6.0',
    'provider-aws-ec2': 'xpkg.crossplane.io/crossplane-contrib/provider-aws-ec2:v2.6.0',
  },
  // The version whose input schema the tests validate the Composition against (../shared/crds/crossplane/functions).
  function: 'xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.10.8',
} as const;

/** Name of the runtime config that gives the providers their IAM role (kept for both identities: it is referenced by name). */
export const AWS_RUNTIME_CONFIG = 'aws-irsa';

/**
 * The one service account every AWS provider runs as under EKS Pod Identity: an association needs an
 * exact name, and Crossplane otherwise names each provider's account after its revision.
 */
export const CROSSPLANE_PROVIDER_SERVICE_ACCOUNT = 'provider-aws';

export interface CrossplanePackagesProps {
  /** IAM role of the providers on the hub, the hub's `crossplane_iam_role_arn`. */
  readonly iamRoleArn: string;
  /**
   * How the providers get it: `irsa` annotates their service accounts with the role; `pod-identity`
   * names their service account `provider-aws`, which the IaC associates with the role.
   * @default 'irsa'
   */
  readonly identity?: AwsIdentity;
}

/**
 * Crossplane packages on the hub: a DeploymentRuntimeConfig giving the providers' service account its
 * IAM role (IRSA annotation, or the fixed name of a Pod Identity association), the AWS provider family
 * members for RDS and EC2, and function-patch-and-transform.
 */
export class CrossplanePackages extends Construct {
  public constructor(scope: Construct, id: string, props: CrossplanePackagesProps) {
    super(scope, id);
    new DeploymentRuntimeConfig(this, 'RuntimeConfig', {
      metadata: { name: AWS_RUNTIME_CONFIG, labels: { ...MANAGED_BY }, annotations: syncWave(0) },
      spec: {
        serviceAccountTemplate: {
          metadata: props.identity === 'pod-identity'
            ? { name: CROSSPLANE_PROVIDER_SERVICE_ACCOUNT }
            : { annotations: { [IRSA_ROLE_ANNOTATION]: props.iamRoleArn } },
        },
      },
    });
    for (const [name, pkg] of Object.entries(CROSSPLANE_PACKAGES.providers)) {
      new Provider(this, name, {
        metadata: { name, labels: { ...MANAGED_BY }, annotations: syncWave(1) },
        spec: { package: pkg, runtimeConfigRef: { name: AWS_RUNTIME_CONFIG } },
      });
    }
    new CrossplaneFunction(this, 'PatchAndTransform', {
      metadata: { name: PATCH_AND_TRANSFORM_FUNCTION, labels: { ...MANAGED_BY }, annotations: syncWave(1) },
      spec: { package: CROSSPLANE_PACKAGES.function },
    });
  }
}
