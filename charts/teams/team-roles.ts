/** The platform's team access levels (`view`, `edit`): Roles in the team's namespace. */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../argocd/conventions.js';

/** One RBAC rule: API group, resources, verbs. */
export interface AccessRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = [...READ, 'create', 'update', 'patch', 'delete'];

/**
 * What the `view` level may read in the team's namespace: the kinds a team's apps deploy, their pods,
 * logs and events, and the guardrails' quota and limits. No Secret (the namespace's Secrets are the
 * platform's database credentials, read by pods through `envFrom`, never by people), no RBAC, no
 * NetworkPolicy, no External Secrets, KEDA or Kyverno kinds.
 */
export const VIEW_RULES: readonly AccessRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'events', 'persistentvolumeclaims', 'pods', 'pods/log', 'limitranges', 'resourcequotas', 'serviceaccounts', 'services'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'replicasets', 'statefulsets', 'statefulsets/scale'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
];

/**
 * What the `edit` level may do in the team's namespace: everything `view` reads, plus write the kinds a
 * team's apps deploy (Deployments, StatefulSets, Jobs, CronJobs, Services, ConfigMaps, Ingresses,
 * autoscalers, disruption budgets), scale them, and delete pods so their controller replaces them.
 * Never: `pods/exec`, `pods/attach`, `pods/portforward`, `pods/proxy`, Secrets (not even read),
 * ServiceAccounts (read only: one carries the team store's IAM role), NetworkPolicies, Roles,
 * RoleBindings, ResourceQuotas and LimitRanges (read only), External Secrets, KEDA
 * TriggerAuthentications, Kyverno PolicyExceptions.
 */
export const EDIT_RULES: readonly AccessRule[] = [
  { apiGroups: [''], resources: ['endpoints', 'events', 'limitranges', 'persistentvolumeclaims', 'pods/log', 'resourcequotas', 'serviceaccounts'], verbs: READ },
  { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'delete'] },
  { apiGroups: [''], resources: ['configmaps', 'services'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
];

/** The platform's Role of an access level: `fleet-team-view` or `fleet-team-edit`. */
export function teamRoleName(access: 'view' | 'edit'): string {
  return `fleet-team-${access}`;
}

export interface TeamRoleProps {
  readonly namespace: string;
  readonly access: 'view' | 'edit';
}

/**
 * The access level as a Role the platform defines in the team's namespace: explicit rules, no
 * aggregation (Kubernetes' built-in `edit` would add `pods/exec`, Secrets, NetworkPolicies and, by
 * aggregation, every CRD's kinds).
 */
export class TeamRole extends Construct {
  public constructor(scope: Construct, id: string, props: TeamRoleProps) {
    super(scope, id);
    const rules = props.access === 'edit' ? EDIT_RULES : VIEW_RULES;
    new k8s.KubeRole(this, 'Resource', {
      metadata: { name: teamRoleName(props.access), namespace: props.namespace, labels: { ...MANAGED_BY } },
      rules: rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
  }
}
