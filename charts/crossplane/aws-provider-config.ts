import { Construct } from 'constructs';
import { ProviderConfig, ProviderConfigSpecCredentialsSource } from '../../imports/aws-providerconfig-aws.upbound.io.js';
import { MANAGED_BY } from '../argocd/conventions.js';

export interface AwsProviderConfigProps {
  /** Account name: the ProviderConfig is `aws-<account>`. */
  readonly account: string;
  /**
   * Role to assume in that account; none for the hub's own account.
   * @default - the provider's own role (IRSA)
   */
  readonly assumeRoleArn?: string;
}

/** `aws-<account>`: how the AWS provider reaches one account, IRSA then an assumed role, no static keys. */
export class AwsProviderConfig extends Construct {
  public static nameFor(account: string): string {
    return `aws-${account}`;
  }

  public constructor(scope: Construct, id: string, props: AwsProviderConfigProps) {
    super(scope, id);
    new ProviderConfig(this, 'Resource', {
      metadata: { name: AwsProviderConfig.nameFor(props.account), labels: { ...MANAGED_BY } },
      spec: {
        credentials: { source: ProviderConfigSpecCredentialsSource.IRSA },
        assumeRoleChain: props.assumeRoleArn ? [{ roleArn: props.assumeRoleArn }] : undefined,
      },
    });
  }
}
