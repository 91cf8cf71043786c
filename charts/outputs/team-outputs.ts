import { appManifestKey } from '../readme/image-matrix.js';
import type { WebServiceProps } from '../model/workload.js';
import type { AppSpec } from '../model/spec.js';
import { FleetAppProject } from '../argocd/fleet-app-project.js';
import { teamProjectDestinations } from '../argocd/destination-patterns.js';
import { TeamBoundariesApplicationSet } from '../argocd/team-boundaries-application-set.js';
import { WorkloadApplicationSet } from '../argocd/workload-application-set.js';
import { ResolvedFleet, ResolvedTeam } from '../model/resolve.js';
import { HubComponent } from './hub-outputs.js';
import { OutputFile } from './output-file.js';
import { appDir, joinPath, objectFileName, TeamBoundaryFile, teamDatabaseSecretFile, teamDir, teamFile } from '../layout/dist-layout.js';
import { TeamAccess } from '../teams/team-access.js';
import { teamRoleName, TeamRole } from '../teams/team-roles.js';
import { TeamLimits } from '../teams/team-limits.js';
import { TeamNamespace } from '../teams/team-namespace.js';
import { AppTraffic, TeamNetworkPolicies } from '../teams/team-network-policies.js';
import type { KubeObject } from '../../engines/kustomize/index.js';
import { databaseSecretName } from './app-manifests.js';
import { DatabaseExternalSecret } from '../apps/database-external-secret.js';
import { planDatabases } from '../crossplane/database-plan.js';
import { TeamSecretStore } from '../teams/team-secret-store.js';
import { TEAM_APP_KINDS } from '../teams/team-kinds.js';
import { GUARDRAILS_PROJECT } from '../argocd/conventions.js';
import { teamApplicationPolicies } from '../argocd/sso-rbac.js';
import { secretStoreRoleArn } from './iam-secret-stores.js';

/**
 * Kinds a team's AppProject may never manage: the guardrails and RBAC stay with the platform, and so does
 * access to AWS secrets (a team's own ExternalSecret or SecretStore could read what its store's role
 * reads, or more; ClusterSecretStore is cluster-scoped, which the project denies anyway), to KEDA's
 * credentials and to Kyverno's exceptions. The project's allow-list (`TEAM_APP_KINDS`) already leaves
 * them out; the deny-list says so explicitly, and holds should the allow-list ever grow.
 */
export const GUARDRAIL_KINDS = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'external-secrets.io', kind: 'ExternalSecret' },
  { group: 'external-secrets.io', kind: 'SecretStore' },
  { group: 'external-secrets.io', kind: 'PushSecret' },
  { group: 'generators.external-secrets.io', kind: '*' },
  { group: 'keda.sh', kind: 'TriggerAuthentication' },
  { group: 'kyverno.io', kind: 'PolicyException' },
];

/** What teams add to the hub and to dist/. */
export interface TeamOutputs {
  /** AppProjects: one per team plus `guardrails`, for the `projects` component. */
  readonly projects: OutputFile[];
  /** Hub components: `teams` (boundaries) and `workloads` (apps). */
  readonly components: HubComponent[];
  /** `teams/<team>/<env>/...` and `apps/<team>/<app>/<env>/...`; none when no app manifests were given. */
  readonly files: OutputFile[];
}

function traffic(team: ResolvedTeam, environment: string, databaseCidr?: string): AppTraffic[] {
  if (team.repo) {
    return team.repo.apps
      .filter((a) => a.environments.includes(environment))
      .map((a) => ({
        name: a.name,
        port: a.port,
        ingress: a.port !== undefined && (a.ingress ?? false),
        connectsTo: [...(a.connectsTo ?? [])].sort(),
        internetEgress: a.internetEgress ?? false,
        databaseCidr: a.database ? databaseCidr : undefined,
      }));
  }
  return team.apps
    .filter((a) => a.environments[environment] !== undefined)
    .map((a) => {
      const web: Omit<WebServiceProps, 'name'> | undefined = a.webService;
      return {
        name: a.name,
        port: web ? (web.port ?? 8080) : undefined,
        ingress: web?.ingress !== undefined,
        connectsTo: [...(a.connectsTo ?? [])].sort(),
        internetEgress: a.internetEgress ?? false,
        databaseCidr: a.database ? databaseCidr : undefined,
      };
    });
}

/**
 * An app's files: per environment of its team, one file per rendered object in
 * `apps/<team>/<app>/<env>/` (`manifests` keyed by `appManifestKey`).
 */
export function appFiles(team: ResolvedTeam, app: AppSpec, manifests: ReadonlyMap<string, readonly KubeObject[]>): OutputFile[] {
  return team.environments.flatMap((env) =>
    (manifests.get(appManifestKey(team.name, app.name, env.name)) ?? []).map((obj) => ({ path: joinPath(appDir(team.name, app.name, env.name), objectFileName(obj)), data: obj })),
  );
}

/**
 * Everything teams need: per team an AppProject of least privilege, per team and environment the
 * boundaries (namespace, quota and limits, network policies, access), the ApplicationSets that deliver
 * boundaries and apps, and the files of the apps' rendered manifests per environment.
 *
 * `apps` are the rendered app manifests (`renderFleetApps`); without them only the hub's part is built
 * (AppProjects and ApplicationSets): a fleet with several hubs builds the shared files once.
 */
export function teamOutputs(fleet: ResolvedFleet, apps?: ReadonlyMap<string, readonly KubeObject[]>): TeamOutputs {
  const projects: OutputFile[] = [];
  const boundaries: OutputFile[] = [];
  const workloads: OutputFile[] = [];
  const files: OutputFile[] = [];
  const ns = fleet.argocdNamespace;
  const databases = planDatabases(fleet);

  for (const team of fleet.teams) {
    // Per environment, the team's namespace on that environment's spokes: by an exact cluster-name pattern
    // (`dev-????`) when Argo CD matches names and the fleet's names allow one, else each spoke by server.
    const destinations = teamProjectDestinations(fleet, team);
    projects.push({
      path: `${team.name}.yaml`,
      build: (chart) =>
        new FleetAppProject(chart, team.name, {
          name: team.name,
          namespace: ns,
          description: `Apps of team ${team.name}: its namespaces on the spokes of ${team.environments.map((e) => e.name).join(', ')}.`,
          // Only where the team's apps come from: its own repository, or the platform's workloads repository.
          // Its boundaries come from the platform's repository through the `guardrails` project, not this one.
          sourceRepos: [team.repo ? team.repo.url : fleet.repos.workloads.url],
          destinations,
          clusterResources: [],
          namespaceResources: TEAM_APP_KINDS,
          namespaceResourcesDenied: GUARDRAIL_KINDS,
          roles: [
            {
              name: 'developers',
              description: `Members of ${team.spec.group}: see and sync the team's Applications.`,
              groups: [team.spec.group],
              // The same actions as the team's global role in Argo CD's policy.csv (charts/argocd/sso-rbac.ts).
              policies: teamApplicationPolicies(`proj:${team.name}:developers`, team.name),
            },
          ],
        }),
    });
    boundaries.push({ path: `${team.name}.yaml`, build: (chart) => new TeamBoundariesApplicationSet(chart, team.name, { fleet, team }) });
    // A team without apps yet gets its boundaries but no workloads ApplicationSet (it would generate nothing).
    if (team.deliveries.length > 0) {
      workloads.push({ path: `${team.name}.yaml`, build: (chart) => new WorkloadApplicationSet(chart, team.name, { fleet, team }) });
    }

    if (!apps) continue;
    for (const env of team.environments) {
      const namespace = team.namespace(env.name);
      const at = (part: TeamBoundaryFile) => teamFile(team.name, env.name, part);
      files.push(
        { path: at('namespace'), build: (c) => new TeamNamespace(c, 'ns', { name: namespace, team: team.name, environment: env.name }) },
        { path: at('limits'), build: (c) => new TeamLimits(c, 'limits', { namespace, quota: team.quota(env.name) }) },
        {
          path: at('network-policies'),
          build: (c) => new TeamNetworkPolicies(c, 'netpol', { namespace, apps: traffic(team, env.name, env.databases?.allowedCidr) }),
        },
        { path: at('access'), build: (c) => new TeamAccess(c, 'access', { namespace, group: team.spec.group, access: team.access(env.name) }) },
        {
          path: joinPath(teamDir(team.name, env.name), objectFileName({ kind: 'Role', metadata: { name: teamRoleName(team.access(env.name)) } })),
          build: (c) => new TeamRole(c, 'role', { namespace, access: team.access(env.name) }),
        },
      );
      const teamDatabases = databases.filter((d) => d.team === team && d.environment === env.name);
      if (teamDatabases.length > 0) {
        const { settings, account } = teamDatabases[0];
        const roleArn = secretStoreRoleArn(fleet.name, team.name, env.name, account.id);
        files.push({ path: at('secret-store'), build: (c) => new TeamSecretStore(c, 'store', { team: team.name, namespace, region: settings.region, roleArn }) });
      }
      // The platform's ExternalSecrets live with the boundaries (project guardrails): the team's project denies the kind.
      for (const db of teamDatabases) {
        files.push({
          path: teamDatabaseSecretFile(team.name, env.name, databaseSecretName(db.app.name)),
          build: (c) =>
            new DatabaseExternalSecret(c, 'db', {
              name: databaseSecretName(db.app.name),
              namespace,
              storeName: TeamSecretStore.nameFor(namespace),
              instanceArn: db.instanceArn,
              host: db.host,
              databaseName: db.databaseName,
              labels: { team: team.name, 'app.kubernetes.io/name': db.app.name },
            }),
        });
      }
    }

    for (const app of team.apps) files.push(...appFiles(team, app, apps));
  }

  if (fleet.teams.length > 0) {
    // One destination per team namespace on any server, not per namespace and spoke: the list grows with
    // teams x environments, not x clusters (at L the per-spoke list made a 2.9 MB object, which etcd
    // refuses). Only the platform's boundaries ApplicationSet uses this project, and it selects the
    // workload spokes itself.
    const spokes = fleet.teams.flatMap((t) => t.environments.filter((e) => t.clusters(e.name).length > 0).map((e) => ({ server: '*', namespace: t.namespace(e.name) })));
    projects.push({
      path: `${GUARDRAILS_PROJECT}.yaml`,
      build: (chart) =>
        new FleetAppProject(chart, 'guardrails', {
          name: GUARDRAILS_PROJECT,
          namespace: ns,
          description: 'Team boundaries owned by the platform: namespaces, quotas, limit ranges, network policies, access, database secrets.',
          sourceRepos: [fleet.repos.addons.url],
          destinations: spokes,
          clusterResources: [{ group: '', kind: 'Namespace' }, { group: 'external-secrets.io', kind: 'ClusterSecretStore' }],
          namespaceResources: [
            { group: '', kind: 'ResourceQuota' },
            { group: '', kind: 'LimitRange' },
            { group: '', kind: 'ServiceAccount' },
            { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
            { group: 'rbac.authorization.k8s.io', kind: 'Role' },
            { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
            { group: 'external-secrets.io', kind: 'ExternalSecret' },
          ],
        }),
    });
  }
  return {
    projects,
    components: [
      { name: 'teams', syncWave: 1, files: boundaries },
      { name: 'workloads', syncWave: 2, files: workloads },
    ],
    files,
  };
}
