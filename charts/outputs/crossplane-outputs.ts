import { k8s } from 'cdk8s-plus-28';
import { FleetApplication } from '../argocd/fleet-application.js';
import { FleetAppProject } from '../argocd/fleet-app-project.js';
import { CROSSPLANE_PROJECT, MANAGED_BY, SKIP_DRY_RUN_ON_MISSING_RESOURCE } from '../argocd/conventions.js';
import { ResolvedFleet } from '../model/resolve.js';
import { HubComponent } from './hub-outputs.js';
import { OutputFile } from './output-file.js';
import { CrossplanePaths } from '../layout/dist-layout.js';
import { AwsProviderConfig } from '../crossplane/aws-provider-config.js';
import { CrossplanePackages } from '../crossplane/crossplane-packages.js';
import { planDatabases } from '../crossplane/database-plan.js';
import { DATABASE_API_GROUP, KEEP_IN_CLUSTER, POSTGRES_CLAIM } from '../crossplane/postgres-api.js';
import { DatabaseEnvironment, PostgresRdsComposition } from '../crossplane/postgres-composition.js';
import { PostgresDatabase } from '../crossplane/postgres-database.js';
import { PostgresDefinition } from '../crossplane/postgres-definition.js';
import { podSecurityLabels } from '../teams/pod-security.js';

/** What Crossplane adds: its project, its hub component (three Applications) and its files. */
export interface CrossplaneOutputs {
  readonly projects: OutputFile[];
  readonly components: HubComponent[];
  readonly files: OutputFile[];
}

/**
 * Crossplane on the hub, when the hub runs the `crossplane` add-on: packages (providers, function,
 * runtime config with the IAM role), configuration (ProviderConfig per account, XRD, Composition), and a
 * claim per app database and environment in the team's namespace on the hub, each delivered by its own
 * Application in waves so CRDs exist before what uses them.
 */
export function crossplaneOutputs(fleet: ResolvedFleet, hubDir: string): CrossplaneOutputs {
  const crossplane = fleet.hub.addons.get('crossplane');
  if (!crossplane) return { projects: [], components: [], files: [] };
  const ns = fleet.argocdNamespace;
  const repo = fleet.repos.addons;
  const hubServer = fleet.hub.server;
  const databases = planDatabases(fleet);
  const root = CrossplanePaths.dir(hubDir);
  const files: OutputFile[] = [];

  files.push({ path: CrossplanePaths.packages(root), build: (c) => new CrossplanePackages(c, 'packages', { iamRoleArn: crossplane.iamRoleArn!, identity: fleet.hub.identity }) });
  const accounts = new Map(databases.map((d) => [d.account.name, d.account]));
  for (const account of accounts.values()) {
    const own = account.name === fleet.hub.account.name;
    files.push({
      path: CrossplanePaths.providerConfig(root, account.name),
      build: (c) => new AwsProviderConfig(c, account.name, { account: account.name, assumeRoleArn: own ? undefined : account.crossplaneRoleArn, identity: fleet.hub.identity }),
    });
  }
  // Each environment with databases, its account's ProviderConfig and the namespaces its claims are filed in.
  const environments = new Map<string, DatabaseEnvironment & { claimNamespaces: string[] }>();
  for (const db of databases) {
    const e = environments.get(db.environment)
      ?? environments.set(db.environment, { name: db.environment, settings: db.settings, providerConfigName: db.providerConfigName, claimNamespaces: [] }).get(db.environment)!;
    const namespace = db.team.namespace(db.environment);
    if (!e.claimNamespaces.includes(namespace)) e.claimNamespaces.push(namespace);
  }
  files.push(
    { path: CrossplanePaths.definition(root), build: (c) => new PostgresDefinition(c, 'xrd') },
    {
      path: CrossplanePaths.composition(root),
      build: (c) => new PostgresRdsComposition(c, 'composition', { environments: [...environments.values()].sort((a, b) => a.name.localeCompare(b.name)) }),
    },
  );
  const claimNamespaces = new Set<string>();
  for (const db of databases) {
    const namespace = db.team.namespace(db.environment);
    const dir = CrossplanePaths.claims(root, db.environment, db.team.name);
    if (!claimNamespaces.has(namespace)) {
      claimNamespaces.add(namespace);
      files.push({
        path: CrossplanePaths.claimNamespace(dir),
        // Deleting the namespace would delete its claims, and with them the databases. It holds only
        // claims, never pods: Pod Security "restricted".
        build: (c) => new k8s.KubeNamespace(c, 'ns', {
          metadata: {
            name: namespace,
            labels: { ...MANAGED_BY, team: db.team.name, environment: db.environment, ...podSecurityLabels('restricted') },
            annotations: { ...KEEP_IN_CLUSTER },
          },
        }),
      });
    }
    files.push({
      path: CrossplanePaths.claim(dir, db.app.name),
      build: (c) =>
        new PostgresDatabase(c, db.app.name, {
          name: db.app.name,
          namespace,
          identifier: db.identifier,
          size: db.size,
          engineVersion: db.engineVersion,
          databaseName: db.databaseName,
          tags: { 'fleet/team': db.team.name, 'fleet/app': db.app.name, 'fleet/environment': db.environment },
        }),
    });
  }

  const app = (name: 'packages' | 'config' | 'claims', wave: number, options: { prune?: boolean; recurse?: boolean } = {}): OutputFile => ({
    path: `${name}.yaml`,
    build: (c) =>
      new FleetApplication(c, name, {
        name: `crossplane-${name}`,
        namespace: ns,
        project: CROSSPLANE_PROJECT,
        repoUrl: repo.url,
        revision: repo.revision,
        path: `${repo.basePath}${CrossplanePaths.stage(root, name)}`,
        recurse: options.recurse,
        destination: { server: hubServer, namespace: 'crossplane-system' },
        syncWave: wave,
        prune: options.prune,
        // The providers and the XRD install the CRDs the next waves use.
        syncOptions: [SKIP_DRY_RUN_ON_MISSING_RESOURCE],
        labels: { component: 'crossplane' },
      }),
  });
  // The XRD is in config: pruning it would delete every claim of its kind, so config never prunes either
  // (and the XRD, Composition, claims and their namespaces carry Prune=false,Delete=false themselves).
  const applications = [app('packages', 0), app('config', 1, { prune: false })];
  // Removing a claim from git must not delete a database: claims are never pruned.
  if (databases.length > 0) applications.push(app('claims', 2, { prune: false, recurse: true }));

  const projects: OutputFile[] = [
    {
      path: `${CROSSPLANE_PROJECT}.yaml`,
      build: (c) =>
        new FleetAppProject(c, 'crossplane', {
          name: CROSSPLANE_PROJECT,
          namespace: ns,
          description: 'Crossplane on the hub: packages, provider configuration, definitions and database claims.',
          sourceRepos: [repo.url],
          destinations: [{ server: hubServer, namespace: 'crossplane-system' }, ...[...claimNamespaces].sort().map((n) => ({ server: hubServer, namespace: n }))],
          clusterResources: [
            { group: '', kind: 'Namespace' },
            { group: 'pkg.crossplane.io', kind: 'Provider' },
            { group: 'pkg.crossplane.io', kind: 'Function' },
            { group: 'pkg.crossplane.io', kind: 'DeploymentRuntimeConfig' },
            { group: 'aws.upbound.io', kind: 'ProviderConfig' },
            { group: 'apiextensions.crossplane.io', kind: 'CompositeResourceDefinition' },
            { group: 'apiextensions.crossplane.io', kind: 'Composition' },
          ],
          namespaceResources: [{ group: DATABASE_API_GROUP, kind: POSTGRES_CLAIM.kind }],
        }),
    },
  ];
  return { projects, components: [{ name: 'crossplane', syncWave: 1, files: applications }], files };
}
