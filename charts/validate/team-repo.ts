/**
 * Rules of a team's own repository (`teams[i].repo`, team repository mode): a URL Argo CD reads without
 * credentials in it, a revision, a relative path, the credential that covers a private repository, and
 * the apps it holds. A team's apps live in one place: a team with `repo` declares none in `apps`.
 */
import { AWS_GIT_HOST, GLOB_CHARACTERS, normalizeGitUrl } from '../argocd/git-url.js';
import { TeamRepoApp, TeamRepoSpec, TeamSpec } from '../model/spec.js';
import { repoAppAsSpec } from '../model/resolve.js';
import { reloaderProblems } from './apps.js';
import { TeamSecretStore } from '../teams/team-secret-store.js';
import { credentialsInUrl, gitRevisionProblem, gitUrlFormProblem } from './fleet-settings.js';
import { FleetContext, longestWorkloadClusterName } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import type { AppsContext } from './apps.js';
import { checkElements, checkItem, earlierWithSameKey, problem, records, Rule } from './rule-table.js';
import { applicationNameProblem, dnsLabelProblem, isRecord, isString, kindOf, show } from './rules.js';

/** The app rules' context, with the repository's apps (`repo.apps`) as the team's apps. */
type TeamRepoContext = AppsContext;

/** A relative folder without `.`, `..`, empty parts or a trailing '/'. */
const RELATIVE_FOLDER = /^[\w.-]+(\/[\w.-]+)*$/;

/**
 * Whether one of `repos.credentials` covers the URL as Argo CD matches them: a `repository` credential by
 * the same normalised URL, a `prefix` one (`repo-creds`) by normalised prefix.
 */
function credentialCovers(ctx: FleetContext, url: string): boolean {
  const list = Array.isArray(ctx.spec.repos?.credentials) ? ctx.spec.repos.credentials : [];
  const normal = normalizeGitUrl(url);
  return list.some((c) => isRecord(c) && isString(c.url)
    && (c.match === 'prefix' ? normal.startsWith(normalizeGitUrl(c.url)) : normalizeGitUrl(c.url) === normal));
}

/** `teams[i].repo`. */
const REPO: readonly Rule<TeamRepoSpec, TeamRepoContext>[] = [
  { field: 'url', check: (r) => gitUrlFormProblem(r.url) || credentialsInUrl(r.url) },
  {
    field: 'url',
    check: (r) => isString(r.url) && GLOB_CHARACTERS.test(r.url)
      && `"${r.url}" holds a character Argo CD reads as a glob in the AppProject's sourceRepos (* ? [ ] { } \\ !): the project would not match the repository; use its plain URL`,
  },
  {
    field: 'url',
    check: (r, ctx) => {
      if (r.public === true || !isString(r.url) || gitUrlFormProblem(r.url) || credentialsInUrl(r.url)) return false;
      if (ctx.mode === 'eks-capability' && AWS_GIT_HOST.test(r.url)) return false;
      return !credentialCovers(ctx, r.url)
        && `no credential of repos.credentials covers "${r.url}", so Argo CD cannot clone it: add one (match "repository" for this URL, or "prefix" for its organisation), or set repo.public: true when the repository is public`;
    },
  },
  { field: 'revision', check: (r) => gitRevisionProblem(r.revision) },
  {
    field: 'path',
    check: (r) => !(isString(r.path) && RELATIVE_FOLDER.test(r.path) && !r.path.split('/').some((p) => p === '.' || p === '..'))
      && `${isString(r.path) ? JSON.stringify(r.path) : kindOf(r.path)} must be the relative folder of the rendered apps in the repository (like "dist/apps"): not empty, not absolute, without '.', '..' or a trailing '/'`,
  },
  { field: 'public', check: (r) => r.public !== undefined && typeof r.public !== 'boolean' && `must be true or false, got ${JSON.stringify(r.public)}` },
  {
    field: 'apps',
    check: (r) => !Array.isArray(r.apps) && (r.apps === undefined ? 'is missing; list the apps the repository holds ([] for none yet)' : `must be a list of apps, got ${kindOf(r.apps)}`),
  },
  (r, at, ctx) => (Array.isArray(r.apps) ? checkElements(`${at}.apps`, r.apps, APP, ctx, 'an app { name, environments }') : []),
];

/** `teams[i].repo.apps[j]`: an app of the team's repository. */
const APP: readonly Rule<TeamRepoApp, TeamRepoContext>[] = [
  { field: 'name', check: (a) => dnsLabelProblem(a.name) },
  {
    field: 'name',
    check: (a) => a.name === TeamSecretStore.SERVICE_ACCOUNT
      && `"${a.name}" is reserved: the team's secret store uses a service account of that name in the team namespace; choose another name`,
  },
  { field: 'name', check: (a, ctx, j) => ctx.earlierSameApp.has(j) && `app "${a.name}" is already defined at ${ctx.teamAt}.repo.apps[${ctx.earlierSameApp.get(j)}]` },
  {
    field: 'name',
    check: (a, ctx) => {
      if (!isString(a.name) || !isString(ctx.team.name) || !Array.isArray(a.environments)) return false;
      const longest = a.environments.filter((env) => ctx.teamEnvironments.includes(env))
        .map((env) => longestWorkloadClusterName(ctx, env)).filter((n): n is string => n !== undefined)
        .map((cluster) => `${ctx.team.name}-${a.name}-${cluster}`).sort((x, y) => y.length - x.length)[0];
      return longest !== undefined && applicationNameProblem(longest, `app ${a.name} of team ${ctx.team.name}`);
    },
  },
  {
    field: 'environments',
    check: (a) => (!Array.isArray(a.environments) || a.environments.length === 0) && 'list at least one of the team\'s environments the app runs in',
  },
  (a, at, ctx) => (Array.isArray(a.environments) ? a.environments : []).flatMap((env, k) => (ctx.teamEnvironments.includes(env)
    ? [] : [problem(`${at}.environments[${k}]`, `the team does not deploy to ${show(env)}; its environments are ${ctx.teamEnvironments.join(', ')}`)])),
  { field: 'port', check: (a) => a.port !== undefined && !(Number.isInteger(a.port) && a.port >= 1 && a.port <= 65535) && `must be a port from 1 to 65535, got ${show(a.port)}` },
  { field: 'ingress', check: (a) => a.ingress !== undefined && typeof a.ingress !== 'boolean' && `must be true or false, got ${JSON.stringify(a.ingress)}` },
  { field: 'ingress', check: (a) => a.ingress === true && a.port === undefined && 'an app with an Ingress serves on a port: give port' },
  { field: 'internetEgress', check: (a) => a.internetEgress !== undefined && typeof a.internetEgress !== 'boolean' && `must be true or false, got ${JSON.stringify(a.internetEgress)}` },
  { field: 'connectsTo', check: (a) => a.connectsTo !== undefined && !Array.isArray(a.connectsTo) && `must be a list of app names, got ${kindOf(a.connectsTo)}` },
  (a, at, ctx) => (Array.isArray(a.connectsTo) ? a.connectsTo : []).flatMap((target, k) => {
    const where = `${at}.connectsTo[${k}]`;
    if (target === a.name) return [problem(where, 'an app does not need a policy to reach itself')];
    const other = ctx.apps.find((o): o is TeamRepoApp => isRecord(o) && o.name === target);
    if (!other) return [problem(where, `unknown app ${show(target)} in team "${ctx.team.name}"'s repository`)];
    const envs = Array.isArray(a.environments) ? a.environments : [];
    const missing = envs.filter((env) => ctx.teamEnvironments.includes(env) && !(Array.isArray(other.environments) && other.environments.includes(env)));
    return missing.length > 0
      ? [problem(where, `app "${target}" does not run in ${missing.map((e) => `"${e}"`).join(', ')}, where "${a.name}" runs; add it there or remove the connection`)] : [];
  }),
  // The database request itself is checked with the platform's apps' (databases.ts), at teams[i].repo.apps[j].database.
  (a, at, ctx) => (isRecord(a.database) ? reloaderProblems(repoAppAsSpec(a), at, ctx) : []),
  {
    field: 'port',
    check: (a, ctx) => a.port === undefined && ctx.apps.some((o) => isRecord(o) && Array.isArray(o.connectsTo) && o.connectsTo.includes(a.name))
      && `other apps connect to "${a.name}": give the port it serves on`,
  },
];

/** `teams[i].repo` and `teams[i].apps` of a team with its own repository. */
export function teamRepoProblems(team: TeamSpec, at: string, ctx: FleetContext, teamEnvironments: readonly string[]): FieldProblem[] {
  if (team.repo === undefined) return [];
  const repo: unknown = team.repo;
  if (!isRecord(repo)) return [problem(`${at}.repo`, `must be the team's repository { url, revision, path, apps }, got ${kindOf(repo)}`)];
  const out: FieldProblem[] = [];
  if (Array.isArray(team.apps) && team.apps.length > 0) {
    out.push(problem(`${at}.apps`, `the team renders its apps in its own repository (${at}.repo): declare them there (repo.apps) and leave apps empty ([]); a team's apps live in one place`));
  }
  const apps = Array.isArray(team.repo.apps) ? team.repo.apps : [];
  const earlierSameApp = earlierWithSameKey(records(apps), (a) => a.name);
  return [...out, ...checkItem(team.repo, `${at}.repo`, REPO, { ...ctx, team, teamAt: at, teamEnvironments, apps, earlierSameApp })];
}
