import { Construct } from 'constructs';
import { ProviderConfig, ProviderConfigSpecCredentialsSource } from '../../imports/aws-providerconfig-aws.upbound.io.js';
import { MANAGED_BY } from '../argocd/conventions.js';
import type { AwsIdentity } from '../model/spec.js';

export interface AwsProviderConfigProps {
  /** Account name: the ProviderConfig is `aws-<account>`. */
  readonly account: string;
  /**
   * Role to assume in that account; none for the hub's own account.
   * @default - the provider's own role (IRSA)
   */
  readonly assumeRoleArn?: string;
  /**
   * How the provider gets its own credentials on the hub.
   * @default 'irsa'
   */
  readonly identity?: AwsIdentity;
}

/** `aws-<account>`: how the AWS provider reaches one account, IRSA or Pod Identity then an assumed role, no static keys. */
export class AwsProviderConfig extends Construct {
  public static nameFor(account: string): string {
    return `aws-${account}`;
  }

  public constructor(scope: Construct, id: string, props: AwsProviderConfigProps) {
    super(scope, id);
    new ProviderConfig(this, 'Resource', {
      metadata: { name: AwsProviderConfig.nameFor(props.account), labels: { ...MANAGED_BY } },
      spec: {
        credentials: { source: props.identity === 'pod-identity' ? ProviderConfigSpecCredentialsSource.POD_IDENTITY : ProviderConfigSpecCredentialsSource.IRSA },
        assumeRoleChain: props.assumeRoleArn ? [{ roleArn: props.assumeRoleArn }] : undefined,
      },
    });
  }
}
