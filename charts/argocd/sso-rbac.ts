/**
 * Single sign-on and RBAC of Argo CD, generated from the fleet: default deny, the platform's admin groups
 * `role:admin`, and per team a role that may only see and sync the Applications of the team's own project.
 *
 * Self-managed Argo CD gets them as values of the hub's `argo-cd` add-on (`configs.cm` and `configs.rbac`
 * of the argo-helm chart, i.e. `argocd-cm` and `argocd-rbac-cm`); the EKS capability gets the
 * configuration its IaC passes to `CreateCapability` (`configuration.argoCd.awsIdc`, `rbacRoleMappings`).
 */
import { stringify } from 'yaml';
import type { ArgoCdIdentityCenter, ArgoCdOidc, ArgoCdSpec } from '../model/spec.js';

/** What a team's members may do on the Applications of their project: the global role and the AppProject role share it. */
export const TEAM_APPLICATION_ACTIONS = ['get', 'sync'] as const;

/** The scopes Argo CD requests from an OIDC provider unless told otherwise. */
export const DEFAULT_OIDC_SCOPES = ['openid', 'profile', 'email', 'groups'] as const;

/** The claim that holds a user's groups unless told otherwise. */
export const DEFAULT_GROUPS_CLAIM = 'groups';

/** A team as the RBAC sees it: its project (the team name) and its identity-provider group. */
export interface RbacTeam {
  readonly name: string;
  readonly group: string;
}

/** The global role of a team: `role:team-<team>`. */
export function teamRole(team: string): string {
  return `role:team-${team}`;
}

/** The policy lines of `subject` on the Applications of project `team` (`<team>/*`), one per allowed action. */
export function teamApplicationPolicies(subject: string, team: string): string[] {
  return TEAM_APPLICATION_ACTIONS.map((action) => `p, ${subject}, applications, ${action}, ${team}/*, allow`);
}

/**
 * `policy.csv`: per team its role's policies and its group's membership, then the admin groups'
 * `role:admin`; every line sorted, so the text depends on nothing but the set of teams and groups.
 * Everything not listed is denied (`policy.default: ''`).
 */
export function rbacPolicyCsv(adminGroups: readonly string[], teams: readonly RbacTeam[]): string {
  const lines = new Set<string>();
  for (const team of teams) {
    for (const line of teamApplicationPolicies(teamRole(team.name), team.name)) lines.add(line);
    lines.add(`g, ${team.group}, ${teamRole(team.name)}`);
  }
  for (const group of adminGroups) lines.add(`g, ${group}, role:admin`);
  return `${[...lines].sort().join('\n')}\n`;
}

/** `oidc.config` of argocd-cm: a YAML string, the client secret as Argo CD's `$...` reference. */
export function oidcConfig(oidc: ArgoCdOidc): string {
  const claim = oidc.groupsClaim ?? DEFAULT_GROUPS_CLAIM;
  return stringify({
    name: oidc.name ?? 'SSO',
    issuer: oidc.issuer,
    clientID: oidc.clientId,
    clientSecret: oidc.clientSecret,
    requestedScopes: [...(oidc.requestedScopes ?? DEFAULT_OIDC_SCOPES)],
    requestedIDTokenClaims: { [claim]: { essential: true } },
  });
}

/**
 * The hub's `argo-cd` values for single sign-on and RBAC (self-managed), or undefined without OIDC:
 * `configs.cm.url`, `configs.cm."oidc.config"`, and `configs.rbac` with `policy.default: ''` (deny),
 * the generated `policy.csv` and `scopes` naming the groups claim.
 */
export function argoCdSsoValues(argocd: ArgoCdSpec | undefined, teams: readonly RbacTeam[]): Record<string, unknown> | undefined {
  const oidc = argocd?.sso?.oidc;
  if (!oidc) return undefined;
  return {
    configs: {
      cm: { url: oidc.url, 'oidc.config': oidcConfig(oidc) },
      rbac: {
        'policy.default': '',
        'policy.csv': rbacPolicyCsv(argocd.adminGroups ?? [], teams),
        scopes: `[${oidc.groupsClaim ?? DEFAULT_GROUPS_CLAIM}]`,
      },
    },
  };
}

/**
 * The EKS Argo CD capability's configuration for the IaC (`CreateCapability` / `UpdateCapability`
 * `configuration.argoCd`): Identity Center and the `ADMIN` role mapping of the admin groups. Team groups
 * get no global role: their access is the `developers` role of their AppProject.
 */
export function capabilityConfiguration(namespace: string, identityCenter: ArgoCdIdentityCenter, adminGroups: readonly string[]): object {
  const admins = [...new Set(adminGroups)].sort();
  return {
    argoCd: {
      namespace,
      awsIdc: { idcInstanceArn: identityCenter.instanceArn, idcRegion: identityCenter.region },
      rbacRoleMappings: admins.length === 0 ? [] : [{ role: 'ADMIN', identities: admins.map((id) => ({ id, type: 'SSO_GROUP' })) }],
    },
  };
}
