import { Finding, objectId, PolicyContext, RenderedObjects } from './finding.js';
import { groupKindKey, isTeamAppKind } from '../teams/team-kinds.js';

const GUARDRAILS = ['ResourceQuota', 'LimitRange', 'NetworkPolicy'];
/** External Secrets kinds a team may not manage: access to AWS secrets is the platform's. */
const SECRET_ACCESS = ['ExternalSecret', 'SecretStore'];

/**
 * `project-least-privilege`: a team's AppProject names its repositories and destinations (no `*`),
 * allows no cluster-scoped resources, allows only the kinds a team's apps may deploy (a
 * `namespaceResourceWhitelist` within `TEAM_APP_KINDS`), and denies the guardrail kinds and External
 * Secrets' ExternalSecret and SecretStore.
 */
export function projectFindings(rendered: RenderedObjects, ctx: PolicyContext): Finding[] {
  const out: Finding[] = [];
  for (const [file, objects] of rendered) {
    for (const o of objects) {
      if (o?.kind !== 'AppProject' || ctx.platformProjects.includes(o.metadata?.name)) continue;
      const add = (message: string) => out.push({ rule: 'project-least-privilege', file, object: objectId(o), message });
      const spec = o.spec ?? {};
      if (!spec.sourceRepos?.length || spec.sourceRepos.some((r: string) => r.includes('*'))) add('source repositories must be named, without wildcards');
      for (const d of spec.destinations ?? []) {
        if (String(d.server ?? d.name ?? '').includes('*') || String(d.namespace ?? '').includes('*')) add(`destination ${d.server ?? d.name}/${d.namespace} has a wildcard`);
      }
      if (!spec.destinations?.length) add('has no destinations');
      if ((spec.clusterResourceWhitelist ?? []).length > 0) add('allows cluster-scoped resources; teams get none');
      const allowed: Array<{ group: string; kind: string }> = spec.namespaceResourceWhitelist ?? [];
      if (allowed.length === 0) add('has no namespaceResourceWhitelist: every namespaced kind would be allowed; list the kinds a team\'s apps may deploy');
      for (const gk of allowed) {
        if (!isTeamAppKind({ group: gk.group ?? '', kind: gk.kind })) add(`allows ${groupKindKey({ group: gk.group ?? '', kind: gk.kind })}, which is not a kind a team's app may deploy`);
      }
      const denied = (spec.namespaceResourceBlacklist ?? []).map((r: any) => r.kind);
      for (const kind of GUARDRAILS) if (!denied.includes(kind)) add(`does not deny ${kind}, a platform guardrail`);
      for (const kind of SECRET_ACCESS) if (!denied.includes(kind)) add(`does not deny ${kind}: a team's own ${kind} could read AWS secrets that are not its own`);
    }
  }
  return out;
}
