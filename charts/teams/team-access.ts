import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../argocd/conventions.js';

export interface TeamAccessProps {
  readonly namespace: string;
  /** Identity-provider group of the team. */
  readonly group: string;
  /** Built-in ClusterRole to bind: `view` or `edit`. */
  readonly access: 'view' | 'edit';
}

/** Binds the team's group to the built-in `view` or `edit` ClusterRole in its namespace. */
export class TeamAccess extends Construct {
  public constructor(scope: Construct, id: string, props: TeamAccessProps) {
    super(scope, id);
    new k8s.KubeRoleBinding(this, 'Resource', {
      metadata: { name: `team-${props.access}`, namespace: props.namespace, labels: { ...MANAGED_BY } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.access },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: props.group }],
    });
  }
}
