import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../argocd/conventions.js';
import { teamRoleName } from './team-roles.js';

export interface TeamAccessProps {
  readonly namespace: string;
  /** Identity-provider group of the team. */
  readonly group: string;
  /** Access level: `view` or `edit` (the platform's Roles, never Kubernetes' built-in ClusterRoles). */
  readonly access: 'view' | 'edit';
}

/**
 * Binds the team's group to the platform's Role of its access level (`fleet-team-view` or
 * `fleet-team-edit`, rendered beside it by `TeamRole`) in its namespace; never to Kubernetes' built-in
 * `view` or `edit` ClusterRoles.
 */
export class TeamAccess extends Construct {
  public constructor(scope: Construct, id: string, props: TeamAccessProps) {
    super(scope, id);
    const role = teamRoleName(props.access);
    new k8s.KubeRoleBinding(this, 'Resource', {
      metadata: { name: `team-${props.access}`, namespace: props.namespace, labels: { ...MANAGED_BY } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: props.group }],
    });
  }
}
