import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../argocd/conventions.js';
import { podSecurityLabels } from './pod-security.js';

export interface TeamNamespaceProps {
  readonly name: string;
  readonly team: string;
  readonly environment: string;
}

/**
 * A team's namespace in one environment, with Pod Security admission enforcing (and auditing, warning)
 * the "restricted" profile.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class TeamNamespace extends Construct {
  public constructor(scope: Construct, id: string, props: TeamNamespaceProps) {
    super(scope, id);
    const pss = podSecurityLabels('restricted');
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: props.name, labels: { ...MANAGED_BY, team: props.team, environment: props.environment, ...pss } },
    });
  }
}
