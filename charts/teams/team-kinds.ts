import type { GroupKind } from '../argocd/fleet-app-project.js';

/**
 * The kinds a team's apps may deploy (`apps/<team>/<app>/<env>/`), all namespaced: the allow-list of the
 * team's AppProject (`namespaceResourceWhitelist`) and of the render-time policy `team-kind`.
 * Workloads, their configuration, networking and scaling; no RBAC, no NetworkPolicy, no secret access
 * (Secret, External Secrets, KEDA TriggerAuthentication), no policy exceptions, no Argo CD objects and
 * no Crossplane claims (databases are claimed by the platform on the hub, from the app's `database`).
 */
export const TEAM_APP_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'batch', kind: 'Job' },
  { group: 'networking.k8s.io', kind: 'Ingress' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
];

/** `group/kind` (`/Service` for the core group), as the allow-list is compared. */
export function groupKindKey(gk: GroupKind): string {
  return `${gk.group}/${gk.kind}`;
}

/** The group and kind of an object from its `apiVersion` and `kind`. */
export function groupKindOf(o: { apiVersion?: unknown; kind?: unknown }): GroupKind {
  const apiVersion = String(o?.apiVersion ?? '');
  return { group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '', kind: String(o?.kind ?? '') };
}

/** Whether a team's apps may deploy objects of this group and kind. */
export function isTeamAppKind(gk: GroupKind): boolean {
  return TEAM_APP_KINDS.some((a) => a.group === gk.group && a.kind === gk.kind);
}
