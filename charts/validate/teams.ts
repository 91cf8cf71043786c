/**
 * Rules of the teams: names, group, environments, quotas, access, their apps (apps.ts) or their own
 * repository (team-repo.ts). What only a
 * render can find (a patch that targets nothing) is reported by the app render with the same file and
 * field form.
 */
import { TeamSpec } from '../model/spec.js';
import { appProblems } from './apps.js';
import { teamRepoProblems } from './team-repo.js';
import { FleetContext, longestWorkloadClusterName } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { parseQuantity } from './quota-fit.js';
import { checkElements, checkItem, earlierWithSameKey, problem, records, Rule } from './rule-table.js';
import { applicationNameProblem, dnsLabelProblem, isRecord, kindOf, show } from './rules.js';

/** Names a team may not take: the platform's own AppProjects. */
export const RESERVED_PROJECTS = ['default', 'platform', 'addons', 'guardrails'];

export interface TeamsContext extends FleetContext {
  /** The environments where some cluster takes workloads. */
  readonly workloadEnvironments: ReadonlySet<unknown>;
  /** For a team whose name an earlier team has too: the index of the last such team. */
  readonly earlierSameTeam: ReadonlyMap<number, number>;
  /** The first team and environment of each team namespace. */
  readonly teamNamespaces: ReadonlyMap<string, { readonly team: string; readonly env: string }>;
}

/** The environments a team deploys to, as far as they are a list. */
export function teamEnvironments(team: TeamSpec): readonly string[] {
  return Array.isArray(team.environments) ? team.environments : [];
}

/** `teams[i]`: one team. */
const TEAM: readonly Rule<TeamSpec, TeamsContext>[] = [
  { field: 'name', check: (t) => dnsLabelProblem(t.name) },
  { field: 'name', check: (t) => RESERVED_PROJECTS.includes(t.name) && `"${t.name}" is reserved for a platform AppProject; pick another team name` },
  { field: 'name', check: (t, ctx, i) => ctx.earlierSameTeam.has(i) && `team "${t.name}" is already defined at teams[${ctx.earlierSameTeam.get(i)}]` },
  {
    field: 'name',
    check: (t, ctx) => {
      if (typeof t.name !== 'string') return false;
      const longest = teamEnvironments(t).map((env) => longestWorkloadClusterName(ctx, env)).filter((n): n is string => n !== undefined)
        .map((cluster) => `${t.name}-boundaries-${cluster}`).sort((a, b) => b.length - a.length)[0];
      return longest !== undefined && applicationNameProblem(longest, `team ${t.name}'s boundaries`);
    },
  },
  { field: 'group', check: (t) => (typeof t.group !== 'string' || t.group.trim() === '') && 'give the identity-provider group of the team' },
  { field: 'environments', check: (t) => (!Array.isArray(t.environments) || t.environments.length === 0) && 'list at least one environment the team deploys to' },
  (t, at, ctx) => teamEnvironments(t).flatMap((env, j) => [
    ...checkItem(env, `${at}.environments[${j}]`, TEAM_ENVIRONMENT, ctx),
    ...namespaceLength(t, env, at),
    ...namespaceTaken(t, env, at, ctx),
  ]),
  { field: 'quota', check: (t) => t.quota !== undefined && !isRecord(t.quota) && `must be an object of quotas by environment, got ${kindOf(t.quota)}` },
  (t, at, ctx) => Object.entries(isRecord(t.quota) ? t.quota : {}).flatMap(([env, quota]) => checkItem({ team: t, env, quota }, `${at}.quota.${env}`, QUOTA, ctx)),
  { field: 'access', check: (t) => t.access !== undefined && !isRecord(t.access) && `must be an object of access levels by environment, got ${kindOf(t.access)}` },
  (t, at, ctx) => Object.entries(isRecord(t.access) ? t.access : {}).flatMap(([env, level]) => checkItem({ team: t, env, level }, `${at}.access.${env}`, ACCESS, ctx)),
  {
    field: 'apps',
    check: (t) => !Array.isArray(t.apps) && (t.apps === undefined ? 'is missing; give the team\'s apps as a list ([] for none)' : `must be a list of apps, got ${kindOf(t.apps)}`),
  },
  (t, at, ctx) => appProblems(t, at, ctx),
  (t, at, ctx) => teamRepoProblems(t, at, ctx, teamEnvironments(t)),
];

/** `teams[i].environments[j]`: an environment with workload clusters. */
const TEAM_ENVIRONMENT: readonly Rule<string, TeamsContext>[] = [
  { field: '', check: (env, ctx) => !ctx.environments.byName.has(env) && `unknown environment "${env}"; known: ${[...ctx.environments.byName.keys()].join(', ')}` },
  { field: '', check: (env, ctx) => ctx.environments.byName.has(env) && !ctx.workloadEnvironments.has(env) && `no cluster takes workloads in environment "${env}"` },
];

/** `teams[i].name`: the team's namespace in an environment, `<team>-<environment>`, is a DNS-1123 label. */
function namespaceLength(team: TeamSpec, env: string, at: string): FieldProblem[] {
  const ns = `${team.name}-${env}`;
  return ns.length > 63 ? [problem(`${at}.name`, `namespace "${ns}" is ${ns.length} characters; at most 63 are allowed: shorten the team name`)] : [];
}

/** Namespaces of Kubernetes itself: never a team's. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * `teams[i].name`: the team's namespace in an environment must be its own: not a namespace of Kubernetes,
 * Argo CD or an add-on (the team would get edit rights, default-deny policies and restricted pods there),
 * and not another team's (`a-b` in `c` and `a` in `b-c` are both `a-b-c`).
 */
function namespaceTaken(team: TeamSpec, env: string, at: string, ctx: TeamsContext): FieldProblem[] {
  if (typeof team.name !== 'string' || typeof env !== 'string') return [];
  const ns = `${team.name}-${env}`;
  const argocd = ctx.spec.argocd?.namespace ?? 'argocd';
  const addon = ctx.catalog.find((a) => a.namespace === ns);
  const owner = SYSTEM_NAMESPACES.includes(ns) ? 'Kubernetes' : ns === argocd ? 'Argo CD' : addon ? `the ${addon.name} add-on` : undefined;
  if (owner) return [problem(`${at}.name`, `the team's namespace in ${env}, "${ns}", belongs to ${owner}; a team may not own it: rename the team`)];
  const other = ctx.teamNamespaces.get(ns);
  if (other && other.team !== team.name) {
    return [problem(`${at}.name`, `the team's namespace in ${env}, "${ns}", is also team "${other.team}"'s namespace in ${other.env}; rename one of the teams`)];
  }
  return [];
}

/** `teams[i].quota.<env>`: a quota of one of the team's environments. */
const QUOTA: readonly Rule<{ team: TeamSpec; env: string; quota: unknown }, TeamsContext>[] = [
  { field: '', check: ({ team, env }) => !teamEnvironments(team).includes(env) && `environment "${env}" is not one of the team's environments` },
  {
    field: '',
    check: ({ quota }) => !isRecord(quota) && `must be a quota { requestsCpu, requestsMemory, limitsCpu, limitsMemory, pods }, got ${kindOf(quota)}`,
  },
  ...(['requestsCpu', 'requestsMemory', 'limitsCpu', 'limitsMemory'] as const).map((key) => ({
    field: key,
    check: ({ quota: q }: { quota: unknown }) => isRecord(q) && Number.isNaN(parseQuantity(q[key])) && `"${q[key]}" is not a Kubernetes quantity (like 500m, 2, 4Gi)`,
  })),
  { field: 'pods', check: ({ quota: q }) => isRecord(q) && !(Number.isInteger(q.pods) && q.pods >= 1) && `must be a whole number >= 1, got ${show(q.pods)}` },
];

/** `teams[i].access.<env>`: view or edit, in one of the team's environments. */
const ACCESS: readonly Rule<{ team: TeamSpec; env: string; level: unknown }, TeamsContext>[] = [
  { field: '', check: ({ team, env }) => !teamEnvironments(team).includes(env) && `environment "${env}" is not one of the team's environments` },
  { field: '', check: ({ level }) => level !== 'view' && level !== 'edit' && `"${level}" is not an access level; use "view" or "edit"` },
];

export function teamProblems(ctx: FleetContext): FieldProblem[] {
  const teams = ctx.spec.teams;
  if (teams !== undefined && !Array.isArray(teams)) return [problem('teams', `must be a list of teams, got ${kindOf(teams)}`)];
  const workloadEnvironments = new Set(ctx.clusters.items.filter(([c]) => c.workloads ?? c.role === 'spoke').map(([c]) => c.environment));
  const earlierSameTeam = earlierWithSameKey(records(teams), (t) => t.name);
  const teamNamespaces = new Map<string, { team: string; env: string }>();
  for (const [t] of records(teams)) {
    for (const env of teamEnvironments(t)) {
      const ns = `${t.name}-${env}`;
      if (!teamNamespaces.has(ns)) teamNamespaces.set(ns, { team: t.name, env });
    }
  }
  return checkElements('teams', teams ?? [], TEAM, { ...ctx, workloadEnvironments, earlierSameTeam, teamNamespaces });
}
