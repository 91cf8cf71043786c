import { Construct } from 'constructs';
import { ApplicationSet } from '../../imports/argocd-applicationset-argoproj.io.js';
import { ClusterAnnotation, ClusterLabel, ClusterTemplate, TRUE } from '../model/contract.js';
import { ResolvedFleet, ResolvedTeam } from '../model/resolve.js';
import { rollingSyncStrategy } from './rolling-sync.js';
import { APPLICATIONSET_DEFAULTS, MANAGED_BY, SKIP_DRY_RUN_ON_MISSING_RESOURCE, SYNC_RETRY } from './conventions.js';

export interface WorkloadApplicationSetProps {
  readonly fleet: ResolvedFleet;
  readonly team: ResolvedTeam;
}

/**
 * Delivers a team's apps: a matrix of the (app, environment) pairs the team runs and the spokes of
 * that environment that take workloads, so there is one Application per app and cluster, reading the
 * app's rendered folder for that environment, in the team's project and namespace: in the platform's
 * workloads repository (`apps/<team>/<app>/<env>`), or, for a team with its own repository, in that
 * repository at its revision (`<path>/<app>/<env>`).
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Matrix/
 */
export class WorkloadApplicationSet extends Construct {
  public readonly name: string;
  public readonly template: ClusterTemplate;

  public constructor(scope: Construct, id: string, props: WorkloadApplicationSetProps) {
    super(scope, id);
    const { fleet, team } = props;
    const t = new ClusterTemplate();
    this.template = t;
    this.name = `workloads-${team.name}`;
    const elements = team.deliveries.map((d) => ({ app: d.app, environment: d.environment }));
    // Team repository mode: the team's own repository, `<path>/<app>/<env>`, the same URL string as the
    // team's AppProject `sourceRepos` (Argo CD compares both normalised, as a glob: validation keeps glob
    // characters out of the URL). Else the platform's workloads repository, from the cluster's annotations.
    const source = team.repo
      ? { repoUrl: team.repo.url, targetRevision: team.repo.revision, path: `${team.repo.path}/{{.app}}/{{.environment}}` }
      : {
        repoUrl: t.annotation(ClusterAnnotation.workloadRepoUrl),
        targetRevision: t.annotation(ClusterAnnotation.workloadRepoRevision),
        path: `${t.annotation(ClusterAnnotation.workloadRepoBasepath)}${t.annotation(ClusterAnnotation.workloadRepoPath)}/${team.name}/{{.app}}/{{.environment}}`,
      };

    new ApplicationSet(this, 'Resource', {
      metadata: { name: this.name, namespace: fleet.argocdNamespace, labels: { ...MANAGED_BY, team: team.name } },
      spec: {
        ...APPLICATIONSET_DEFAULTS,
        generators: [
          {
            matrix: {
              generators: [
                { list: { elements } },
                { clusters: { selector: { matchLabels: { [ClusterLabel.workloads]: TRUE, [ClusterLabel.environment]: '{{.environment}}' } } } },
              ],
            },
          },
        ],
        strategy: fleet.progressiveSync ? rollingSyncStrategy(fleet) : undefined,
        template: {
          metadata: {
            name: `${team.name}-{{.app}}-${t.nameNormalized}`,
            labels: { ...MANAGED_BY, environment: t.label(ClusterLabel.environment), cluster: t.name, component: '{{.app}}', team: team.name },
          },
          spec: {
            project: team.name,
            source,
            destination: { server: t.server, namespace: `${team.name}-{{.environment}}` },
            syncPolicy: {
              automated: { prune: true, selfHeal: true },
              retry: SYNC_RETRY,
              syncOptions: [SKIP_DRY_RUN_ON_MISSING_RESOURCE],
            },
          },
        },
      },
    });
  }
}
