import { Construct } from 'constructs';
import { ApplicationSet } from '../../imports/argocd-applicationset-argoproj.io.js';
import { TEAMS_DIR } from '../layout/dist-layout.js';
import { ClusterAnnotation, ClusterLabel, ClusterTemplate, TRUE } from '../model/contract.js';
import { ResolvedFleet, ResolvedTeam } from '../model/resolve.js';
import { APPLICATIONSET_DEFAULTS, GUARDRAILS_PROJECT, MANAGED_BY, SKIP_DRY_RUN_ON_MISSING_RESOURCE, SYNC_RETRY } from './conventions.js';

export interface TeamBoundariesApplicationSetProps {
  readonly fleet: ResolvedFleet;
  readonly team: ResolvedTeam;
}

/**
 * Delivers a team's boundaries to every spoke that takes workloads in the team's environments: one
 * Application per cluster, in the platform's `guardrails` project, so the team cannot change them.
 */
export class TeamBoundariesApplicationSet extends Construct {
  public readonly name: string;
  public readonly template: ClusterTemplate;

  public constructor(scope: Construct, id: string, props: TeamBoundariesApplicationSetProps) {
    super(scope, id);
    const { fleet, team } = props;
    const t = new ClusterTemplate();
    this.template = t;
    this.name = `team-${team.name}`;
    new ApplicationSet(this, 'Resource', {
      metadata: { name: this.name, namespace: fleet.argocdNamespace, labels: { ...MANAGED_BY, team: team.name } },
      spec: {
        // preserveResourcesOnDeletion: deleting the ApplicationSet never deletes a team's namespace.
        ...APPLICATIONSET_DEFAULTS,
        generators: [
          {
            clusters: {
              selector: {
                matchLabels: { [ClusterLabel.workloads]: TRUE },
                matchExpressions: [{ key: ClusterLabel.environment, operator: 'In', values: team.environments.map((e) => e.name) }],
              },
            },
          },
        ],
        template: {
          metadata: {
            name: `${team.name}-boundaries-${t.nameNormalized}`,
            labels: { ...MANAGED_BY, environment: t.label(ClusterLabel.environment), cluster: t.name, component: 'team-boundaries', team: team.name },
          },
          spec: {
            project: GUARDRAILS_PROJECT,
            source: {
              repoUrl: t.annotation(ClusterAnnotation.addonsRepoUrl),
              targetRevision: t.annotation(ClusterAnnotation.addonsRepoRevision),
              path: `${t.annotation(ClusterAnnotation.addonsRepoBasepath)}${TEAMS_DIR}/${team.name}/${t.label(ClusterLabel.environment)}`,
            },
            destination: { server: t.server, namespace: `${team.name}-${t.label(ClusterLabel.environment)}` },
            syncPolicy: {
              automated: { prune: false, selfHeal: true },
              retry: SYNC_RETRY,
              syncOptions: [SKIP_DRY_RUN_ON_MISSING_RESOURCE],
            },
          },
        },
      },
    });
  }
}
