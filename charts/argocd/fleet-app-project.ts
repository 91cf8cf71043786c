import { Construct } from 'constructs';
import { AppProject } from '../../imports/argocd-appproject-argoproj.io.js';
import { MANAGED_BY, syncWave } from './conventions.js';
import type { ProjectDestination } from './destination-patterns.js';

/** A kind of Kubernetes resource, as AppProject allow and deny lists name it. */
export interface GroupKind {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly kind: string;
}

export interface FleetAppProjectProps {
  /** AppProject name (DNS-1123). */
  readonly name: string;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** What the project is for. */
  readonly description: string;
  /** Repositories Applications of this project may read. At least one; no `*`. */
  readonly sourceRepos: readonly string[];
  /**
   * Clusters and namespaces Applications of this project may deploy to. At least one. A cluster by
   * `server`, or by `name`, which may be a glob that Argo CD 3.x matches against the name of the cluster
   * an Application deploys to, even one that gives only `server` (see `destination-patterns.ts`).
   */
  readonly destinations: readonly ProjectDestination[];
  /**
   * Cluster-scoped kinds the project may manage: `'all'` for platform add-ons that install CRDs.
   * @default - none
   */
  readonly clusterResources?: 'all' | readonly GroupKind[];
  /**
   * Namespaced kinds the project may manage.
   * @default - all namespaced kinds
   */
  readonly namespaceResources?: readonly GroupKind[];
  /**
   * Namespaced kinds the project may never manage (guardrails the platform owns).
   * @default - none
   */
  readonly namespaceResourcesDenied?: readonly GroupKind[];
  /**
   * Project roles: identity-provider groups and the Argo CD policies they get inside this project.
   * @default - none
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/#project-roles
   */
  readonly roles?: ReadonlyArray<{ readonly name: string; readonly description: string; readonly groups: readonly string[]; readonly policies: readonly string[] }>;
  /**
   * Sync wave of the AppProject itself.
   * @default - none
   */
  readonly syncWave?: number;
}

/**
 * An AppProject with least privilege by default: named source repositories (no wildcard), named
 * destinations, and no cluster-scoped resources unless asked for.
 */
export class FleetAppProject extends Construct {
  public readonly projectName: string;

  public constructor(scope: Construct, id: string, props: FleetAppProjectProps) {
    super(scope, id);
    if (props.sourceRepos.length === 0 || props.sourceRepos.includes('*')) {
      throw new Error(`${this.node.path}: sourceRepos must name at least one repository and may not be '*', got ${JSON.stringify(props.sourceRepos)}`);
    }
    if (props.destinations.length === 0) {
      throw new Error(`${this.node.path}: destinations must name at least one cluster and namespace`);
    }
    this.projectName = props.name;
    const clusterResources = props.clusterResources ?? [];
    new AppProject(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...MANAGED_BY },
        annotations: props.syncWave === undefined ? undefined : syncWave(props.syncWave),
      },
      spec: {
        description: props.description,
        sourceRepos: [...new Set(props.sourceRepos)].sort(),
        destinations: [...props.destinations]
          .sort((a, b) => ((a.server ?? a.name) + a.namespace < (b.server ?? b.name) + b.namespace ? -1 : 1))
          .map((d) => (d.server !== undefined ? { server: d.server, namespace: d.namespace } : { name: d.name, namespace: d.namespace })),
        clusterResourceWhitelist: clusterResources === 'all' ? [{ group: '*', kind: '*' }] : clusterResources.map((r) => ({ ...r })),
        namespaceResourceWhitelist: props.namespaceResources?.map((r) => ({ ...r })),
        namespaceResourceBlacklist: props.namespaceResourcesDenied?.map((r) => ({ ...r })),
        roles: props.roles?.map((r) => ({ name: r.name, description: r.description, groups: [...r.groups], policies: [...r.policies] })),
      },
    });
  }
}
