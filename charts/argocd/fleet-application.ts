import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-application-argoproj.io.js';
import { MANAGED_BY, SYNC_RETRY, syncWave } from './conventions.js';

export interface FleetApplicationProps {
  /** Application name (DNS-1123). */
  readonly name: string;
  /** Argo CD's namespace, where the Application lives. */
  readonly namespace: string;
  /** AppProject of the Application. Never `default` by accident: it must be given. */
  readonly project: string;
  /** Git repository and revision. */
  readonly repoUrl: string;
  readonly revision: string;
  /** Folder in the repository. */
  readonly path: string;
  /**
   * Glob of the files to read, relative to `path` (Argo CD directory `include`).
   * @default - every manifest in the folder
   */
  readonly include?: string;
  /**
   * Read sub-folders too.
   * @default false
   */
  readonly recurse?: boolean;
  /** Where the manifests go. */
  readonly destination: { readonly server: string; readonly namespace: string };
  /**
   * Sync wave, among the Applications of the same parent.
   * @default - none
   */
  readonly syncWave?: number;
  /**
   * Let Argo CD delete what disappears from git. Off where deletion destroys data (database claims).
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Sync options, for example `SkipDryRunOnMissingResource=true` where CRDs arrive in the same sync.
   * @default []
   */
  readonly syncOptions?: readonly string[];
  /** Labels on the Application. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A plain directory Application on the hub (the root Application and the app-of-ApplicationSets
 * children), with automated, self-healing, pruning sync.
 */
export class FleetApplication extends Construct {
  public constructor(scope: Construct, id: string, props: FleetApplicationProps) {
    super(scope, id);
    new Application(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...MANAGED_BY, ...props.labels },
        annotations: props.syncWave === undefined ? undefined : syncWave(props.syncWave),
      },
      spec: {
        project: props.project,
        source: {
          repoUrl: props.repoUrl,
          targetRevision: props.revision,
          path: props.path,
          directory: props.recurse || props.include ? { recurse: props.recurse, include: props.include } : undefined,
        },
        destination: { server: props.destination.server, namespace: props.destination.namespace },
        syncPolicy: {
          automated: { prune: props.prune ?? true, selfHeal: true },
          syncOptions: props.syncOptions?.length ? [...props.syncOptions] : undefined,
          retry: SYNC_RETRY,
        },
      },
    });
  }
}
