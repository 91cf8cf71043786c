import { ClusterAnnotation } from '../model/contract.js';
import { ResolvedFleet } from '../model/resolve.js';
import { PolicyContext } from './finding.js';
import { PLATFORM_PROJECTS } from '../argocd/conventions.js';
import { normalizeGitUrl } from '../argocd/git-url.js';

/** The policy context of a fleet: where dist/ is in the repository, environments, production. */
export function policyContext(fleet: ResolvedFleet): PolicyContext {
  const { addons, workloads } = fleet.repos;
  return {
    basePath: addons.basePath,
    annotations: {
      [ClusterAnnotation.addonsRepoBasepath]: addons.basePath,
      [ClusterAnnotation.addonsRepoPath]: addons.path,
      [ClusterAnnotation.workloadRepoBasepath]: workloads.basePath,
      [ClusterAnnotation.workloadRepoPath]: workloads.path,
    },
    environments: fleet.environments.map((e) => e.name),
    productionEnvironments: fleet.environments.length ? [fleet.environments[fleet.environments.length - 1].name] : [],
    platformProjects: PLATFORM_PROJECTS,
    platformRepos: [...new Set([addons.url, workloads.url].map(normalizeGitUrl))],
    teamAccounts: Object.fromEntries(
      fleet.teams.flatMap((t) => t.environments.map((e) => [`${t.name}/${e.name}`, [...new Set(t.clusters(e.name).map((c) => c.account.id))].sort()])),
    ),
  };
}
