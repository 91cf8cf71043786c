/** Rules of the fleet's own settings: its name, Argo CD, and the git repositories. */
import { FleetSpec, GitRepoSpec } from '../model/spec.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkItem, problem, Rule } from './rule-table.js';
import { dnsLabelProblem, GIT_REVISION, GIT_URL, isString } from './rules.js';

const SHARDING_ALGORITHMS = ['legacy', 'round-robin', 'consistent-hashing'];

/** The top of the spec: `name` and `argocd`. */
const SETTINGS: readonly Rule<FleetSpec, FleetContext>[] = [
  { field: 'name', check: (s) => dnsLabelProblem(s.name) },
  {
    field: 'argocd.mode',
    check: (_, { mode }) => mode !== 'self-managed' && mode !== 'eks-capability' && `"${mode}" is not a mode; use "self-managed" or "eks-capability"`,
  },
  { field: 'argocd.namespace', check: (s) => s.argocd?.namespace !== undefined && dnsLabelProblem(s.argocd.namespace) },
  {
    field: 'argocd.sharding.replicas',
    check: ({ argocd }) => {
      const replicas = argocd?.sharding?.replicas;
      return argocd?.sharding !== undefined && !(Number.isInteger(replicas) && replicas! >= 1 && replicas! <= 100)
        && `must be a whole number from 1 to 100, got ${JSON.stringify(replicas)}`;
    },
  },
  {
    field: 'argocd.sharding.algorithm',
    check: ({ argocd }) => argocd?.sharding?.algorithm !== undefined && !SHARDING_ALGORITHMS.includes(argocd.sharding.algorithm)
      && `"${argocd.sharding.algorithm}" is not a sharding algorithm; use legacy, round-robin or consistent-hashing`,
  },
  {
    field: 'argocd.sharding',
    check: (s, { mode }) => s.argocd?.sharding !== undefined && mode === 'eks-capability'
      && 'the EKS Argo CD capability manages its own controllers; remove sharding or use mode "self-managed"',
  },
  {
    field: 'argocd.progressiveSync',
    check: ({ argocd }) => argocd?.progressiveSync !== undefined && typeof argocd.progressiveSync !== 'boolean'
      && `must be true or false, got ${JSON.stringify(argocd.progressiveSync)}`,
  },
];

/** `repos.addons`, `repos.workloads`: what Argo CD reads. */
const REPO: readonly Rule<GitRepoSpec, FleetContext>[] = [
  { field: 'url', check: (r) => !(isString(r.url) && GIT_URL.test(r.url)) && `"${r.url}" is not a git URL (https://host/org/repo.git or git@host:org/repo.git)` },
  {
    field: 'revision',
    check: (r) => !(isString(r.revision) && GIT_REVISION.test(r.revision)) && `"${r.revision}" is not a branch, tag or commit (HEAD is not allowed: pin what Argo CD follows)`,
  },
  {
    field: 'basePath',
    check: (r) => r.basePath !== undefined && !(r.basePath === '' || (isString(r.basePath) && /^[\w.-]+(\/[\w.-]+)*\/$/.test(r.basePath)))
      && `"${r.basePath}" must be empty or a relative folder ending in '/' (like "dist/")`,
  },
  {
    field: 'path',
    check: (r) => r.path !== undefined && !(isString(r.path) && /^[\w.-]+(\/[\w.-]+)*$/.test(r.path) && !r.path.split('/').includes('..'))
      && `"${r.path}" must be a relative folder without '..' or a trailing '/'`,
  },
];

function repoProblems(path: string, repo: GitRepoSpec | undefined, ctx: FleetContext): FieldProblem[] {
  return repo ? checkItem(repo, path, REPO, ctx) : [problem(path, 'is missing; give { url, revision }')];
}

export function fleetSettingProblems(ctx: FleetContext): FieldProblem[] {
  return [
    ...checkItem(ctx.spec, '', SETTINGS, ctx),
    ...repoProblems('repos.addons', ctx.spec.repos?.addons, ctx),
    ...repoProblems('repos.workloads', ctx.spec.repos?.workloads, ctx),
  ];
}
