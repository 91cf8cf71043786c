import { Finding, objectId, PolicyContext, RenderedObjects } from './finding.js';
import { groupKindKey, isTeamAppKind } from '../teams/team-kinds.js';
import { ClusterLabel, TRUE } from '../model/contract.js';
import { argoGlobMatch, IN_CLUSTER_NAME, isGlobPattern, namesMatched } from '../argocd/destination-patterns.js';
import { isClusterSecret, secretData } from '../../engines/applicationset/clusters.js';

const GUARDRAILS = ['ResourceQuota', 'LimitRange', 'NetworkPolicy'];
/** External Secrets kinds a team may not manage: access to AWS secrets is the platform's. */
const SECRET_ACCESS = ['ExternalSecret', 'SecretStore'];

/** A cluster as its rendered Argo CD cluster Secret describes it. */
interface KnownCluster {
  readonly name: string;
  readonly environment?: string;
  readonly workloads: boolean;
}

/** The hub folder of a dist/ path: `hub` (one hub) or `hubs/<hub>` (several). */
function hubFolder(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'hubs' ? parts.slice(0, 2).join('/') : parts[0];
}

/** The rendered cluster Secrets (what Argo CD knows as clusters), by hub folder. */
function clusterSecrets(rendered: RenderedObjects): Map<string, KnownCluster[]> {
  const out = new Map<string, KnownCluster[]>();
  for (const [file, objects] of rendered) {
    for (const o of objects) {
      if (!isClusterSecret(o)) continue;
      const name = secretData(o).name;
      if (name === undefined) continue;
      const labels = o.metadata.labels;
      const list = out.get(hubFolder(file)) ?? [];
      list.push({ name, environment: labels[ClusterLabel.environment], workloads: labels[ClusterLabel.workloads] === TRUE });
      out.set(hubFolder(file), list);
    }
  }
  return out;
}

/**
 * Why a cluster-name pattern in a team project's destination is too wide, or undefined when it is exact:
 * it must be of the shape Argo CD's glob is emulated for (`<literal><* or ?...><literal>`, no `!`), have a
 * literal part, go with a namespace `<team>-<environment>` of the team, and match, among the names of the
 * cluster Secrets of the project's hub and `in-cluster`, only workload spokes of that environment.
 */
function namePatternProblem(pattern: string, namespace: string, team: string, known: readonly KnownCluster[], ctx: PolicyContext): string | undefined {
  const at = `destination name pattern ${JSON.stringify(pattern)} (namespace ${namespace})`;
  if (pattern.startsWith('!') || argoGlobMatch(pattern, '') === undefined) return `${at} is not of the form <literal><* or ?...><literal>: other globs are not checked; list the clusters`;
  if (/^[*?]*$/.test(pattern)) return `${at} matches any cluster; name the team's clusters`;
  const env = namespace.startsWith(`${team}-`) ? namespace.slice(team.length + 1) : undefined;
  if (env === undefined || !ctx.environments.includes(env) || ctx.teamAccounts[`${team}/${env}`] === undefined) {
    return `${at}: ${namespace} is not the namespace of an environment of team ${team}, so the clusters the pattern may match are unknown`;
  }
  if (known.length === 0) return `${at}: no cluster Secrets were rendered to check it against`;
  const names = [...new Set([...known.map((c) => c.name), IN_CLUSTER_NAME])].sort();
  const matched = namesMatched(pattern, names) ?? [];
  if (matched.length === 0) return `${at} matches no cluster`;
  const allowed = new Set(known.filter((c) => c.workloads && c.environment === env).map((c) => c.name));
  const outside = matched.filter((n) => !allowed.has(n));
  if (outside.length > 0) return `${at} also matches ${outside.join(', ')}, not workload spokes of environment ${env}`;
  return undefined;
}

/**
 * `project-least-privilege`: a team's AppProject names its repositories and destinations (no `*`; a
 * cluster may be named by a pattern only when it matches, among the rendered cluster Secrets of its hub
 * and `in-cluster`, nothing but workload spokes of the destination's environment: see
 * `charts/argocd/destination-patterns.ts`), allows no cluster-scoped resources, allows only the kinds a
 * team's apps may deploy (a `namespaceResourceWhitelist` within `TEAM_APP_KINDS`), and denies the
 * guardrail kinds and External Secrets' ExternalSecret and SecretStore.
 */
export function projectFindings(rendered: RenderedObjects, ctx: PolicyContext): Finding[] {
  const out: Finding[] = [];
  let secrets: Map<string, KnownCluster[]> | undefined;
  for (const [file, objects] of rendered) {
    for (const o of objects) {
      if (o?.kind !== 'AppProject' || ctx.platformProjects.includes(o.metadata?.name)) continue;
      const add = (message: string) => out.push({ rule: 'project-least-privilege', file, object: objectId(o), message });
      const spec = o.spec ?? {};
      if (!spec.sourceRepos?.length || spec.sourceRepos.some((r: string) => r.includes('*'))) add('source repositories must be named, without wildcards');
      for (const d of spec.destinations ?? []) {
        const server = String(d.server ?? '');
        const namespace = String(d.namespace ?? '');
        if (isGlobPattern(server) || isGlobPattern(namespace)) {
          add(`destination ${d.server ?? d.name}/${d.namespace} has a wildcard`);
          continue;
        }
        if (d.name !== undefined && isGlobPattern(String(d.name))) {
          secrets ??= clusterSecrets(rendered);
          const known = secrets.get(hubFolder(file)) ?? [...secrets.values()].flat();
          const problem = namePatternProblem(String(d.name), namespace, String(o.metadata?.name), known, ctx);
          if (problem) add(problem);
        }
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
