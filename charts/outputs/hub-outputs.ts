import { AddonApplicationSet } from '../argocd/addon-application-set.js';
import { ClusterSecret } from '../argocd/cluster-secret.js';
import { FleetApplication } from '../argocd/fleet-application.js';
import { FleetAppProject } from '../argocd/fleet-app-project.js';
import { HelmOciRepository } from '../argocd/helm-oci-repository.js';
import { CapabilityGitCredential, GitCredentialExternalSecret, gitCredentialSecretName, GitCredentialsServiceAccount, GitCredentialsStore } from '../argocd/git-credentials.js';
import { gitCredentials, gitCredentialsRegion, gitCredentialsRoleArn, gitCredentialsThroughExternalSecrets } from './iam-git-credentials.js';
import { ResolvedFleet } from '../model/resolve.js';
import { OutputFile } from './output-file.js';
import { GitCredentialPaths, HubPaths, joinPath } from '../layout/dist-layout.js';
import { PLATFORM_PROJECT, ADDONS_PROJECT } from '../argocd/conventions.js';

/**
 * One child of the app-of-ApplicationSets: a folder under `hub/argocd/` and its sync wave. Later
 * parts of the fleet (workloads, Crossplane) add a component and their files; the root picks them up.
 */
export interface HubComponent {
  /** Folder name under `hub/argocd/`, also the child Application's name suffix. */
  readonly name: string;
  /** Sync wave: projects and cluster Secrets before the ApplicationSets that need them. */
  readonly syncWave: number;
  /** The component's files, paths relative to `hub/argocd/<name>/`. */
  readonly files: readonly OutputFile[];
}

/** The built-in components: projects, repositories, clusters, add-ons. */
export function coreHubComponents(fleet: ResolvedFleet): HubComponent[] {
  const ns = fleet.argocdNamespace;
  const running = fleet.catalog.filter((a) => fleet.clusters.some((c) => c.addons.has(a.name)));
  const capability = fleet.mode === 'eks-capability';

  const projects: OutputFile[] = [
    {
      path: `${ADDONS_PROJECT}.yaml`,
      build: (chart) =>
        new FleetAppProject(chart, 'addons', {
          name: ADDONS_PROJECT,
          namespace: ns,
          description: 'Platform add-ons on every cluster of the fleet (charts from the add-on catalog).',
          // Every source of an add-on's Applications: its chart repository and its extra sources' (IsSourcePermitted).
          sourceRepos: [fleet.repos.addons.url, ...running.flatMap((a) => [a.repoUrl, ...(a.extraSources ?? []).map((s) => s.repoUrl)])],
          destinations: fleet.clusters.map((c) => ({ server: c.server, namespace: '*' })),
          clusterResources: 'all',
        }),
    },
  ];

  // In capability mode the hub's own Secret is part of the bootstrap (the capability does not
  // register its local cluster), so it is not repeated here.
  const clusters: OutputFile[] = fleet.clusters
    .filter((c) => !(capability && c === fleet.hub))
    .map((cluster) => ({ path: `${cluster.name}.yaml`, build: (chart) => new ClusterSecret(chart, cluster.name, { fleet, cluster }) }));

  const ociRepos = new Map<string, string>();
  for (const a of running) if (a.oci) ociRepos.set(a.repoUrl, a.name);
  const repositories: OutputFile[] = [...ociRepos].map(([url, name]) => ({
    path: `${name}.yaml`,
    build: (chart) => new HelmOciRepository(chart, name, { name, url, namespace: ns }),
  }));

  // Git credentials, next to the repository Secrets; only references to AWS Secrets Manager are in git.
  // Self-managed Argo CD: the store, its service account and one ExternalSecret per declared credential.
  // The EKS capability: credential-free Secrets naming the AWS secret (`secretArn`), read by the capability's role.
  const credentials = gitCredentials(fleet);
  if (capability) {
    for (const credential of credentials) {
      repositories.push({
        path: GitCredentialPaths.capabilityCredential(gitCredentialSecretName(credential)),
        build: (chart) => new CapabilityGitCredential(chart, credential.name, { credential, namespace: ns }),
      });
    }
  } else if (credentials.length > 0) {
    const store = { namespace: ns, region: gitCredentialsRegion(fleet, fleet.hub), roleArn: gitCredentialsRoleArn(fleet, fleet.hub) };
    repositories.push(
      { path: GitCredentialPaths.store, build: (chart) => new GitCredentialsStore(chart, 'git-credentials', store) },
      { path: GitCredentialPaths.serviceAccount, build: (chart) => new GitCredentialsServiceAccount(chart, 'git-credentials', store) },
    );
    for (const credential of credentials) {
      repositories.push({
        path: GitCredentialPaths.credential(gitCredentialSecretName(credential)),
        build: (chart) => new GitCredentialExternalSecret(chart, credential.name, { credential, namespace: ns }),
      });
    }
  }

  const addons: OutputFile[] = running.map((addon) => ({
    path: `${addon.name}.yaml`,
    build: (chart) => new AddonApplicationSet(chart, addon.name, { fleet, addon }),
  }));

  return [
    { name: 'projects', syncWave: -3, files: projects },
    { name: 'repositories', syncWave: -2, files: repositories },
    { name: 'clusters', syncWave: -2, files: clusters },
    { name: 'addons', syncWave: 0, files: addons },
  ];
}

/**
 * Every file of the hub (under `dir`, its folder in `dist/`): the bootstrap (the platform AppProject and the one root
 * Application a human applies once), one child Application per component (app-of-ApplicationSets),
 * and the components' files.
 */
export function hubOutputs(fleet: ResolvedFleet, components: readonly HubComponent[], dir: string): OutputFile[] {
  const ns = fleet.argocdNamespace;
  const repo = fleet.repos.addons;
  const hubPath = `${repo.basePath}${dir}`;
  const hubDestination = { server: fleet.hub.server, namespace: ns };
  const capability = fleet.mode === 'eks-capability';
  const out: OutputFile[] = [];

  out.push({
    path: HubPaths.bootstrap(dir),
    build: (chart) => {
      if (capability) new ClusterSecret(chart, 'hub-cluster', { fleet, cluster: fleet.hub });
      new FleetAppProject(chart, 'platform', {
        name: PLATFORM_PROJECT,
        namespace: ns,
        description: `The hub's own Argo CD objects of fleet ${fleet.name}: root, children, projects, cluster and repository Secrets${gitCredentialsThroughExternalSecrets(fleet) ? ', git credentials (ExternalSecrets and their store)' : ''}.`,
        sourceRepos: [repo.url],
        destinations: [hubDestination],
        namespaceResources: [
          { group: 'argoproj.io', kind: 'Application' },
          { group: 'argoproj.io', kind: 'ApplicationSet' },
          { group: 'argoproj.io', kind: 'AppProject' },
          { group: '', kind: 'Secret' },
          // The git credentials store's service account and the ExternalSecrets that make repository Secrets.
          ...(gitCredentialsThroughExternalSecrets(fleet) ? [{ group: '', kind: 'ServiceAccount' }, { group: 'external-secrets.io', kind: 'ExternalSecret' }] : []),
        ],
        // The store is a ClusterSecretStore that only Argo CD's namespace may use (`conditions`).
        clusterResources: gitCredentialsThroughExternalSecrets(fleet) ? [{ group: 'external-secrets.io', kind: 'ClusterSecretStore' }] : undefined,
      });
      new FleetApplication(chart, 'root', {
        name: `${fleet.name}-root`,
        namespace: ns,
        project: PLATFORM_PROJECT,
        repoUrl: repo.url,
        revision: repo.revision,
        path: hubPath,
        recurse: true,
        include: HubPaths.rootInclude,
        destination: hubDestination,
      });
    },
  });

  for (const component of components) {
    if (component.files.length === 0) continue;
    out.push({
      path: HubPaths.child(dir, component.name),
      build: (chart) =>
        new FleetApplication(chart, component.name, {
          name: `${fleet.name}-${component.name}`,
          namespace: ns,
          project: PLATFORM_PROJECT,
          repoUrl: repo.url,
          revision: repo.revision,
          path: `${repo.basePath}${HubPaths.component(dir, component.name)}`,
          destination: hubDestination,
          syncWave: component.syncWave,
          labels: { component: component.name },
        }),
    });
    for (const f of component.files) out.push({ ...f, path: joinPath(HubPaths.component(dir, component.name), f.path) } as OutputFile);
  }

  return out;
}
