import type { ClusterTemplate } from './contract.js';

/** Where an add-on may run. */
export type AddonPlacement = 'any' | 'hub' | 'spokes';

/**
 * One add-on of the catalog: a pinned Helm chart and what the fleet needs to know to run it.
 * Adding an add-on is adding one of these to `catalog.ts`.
 */
export interface AddonDefinition {
  /** Add-on name, DNS-1123 label; `enable_<snake_case name>` turns it on for a cluster. */
  readonly name: string;
  /** One line on what it does. */
  readonly description: string;
  /** Helm chart name. */
  readonly chart: string;
  /**
   * Chart repository: an `https://` Helm repository, or for OCI charts the registry path without
   * a scheme (`public.ecr.aws/karpenter`), with `oci: true`.
   */
  readonly repoUrl: string;
  /**
   * The chart lives in an OCI registry; Argo CD gets a credential-free repository entry with `enableOCI`.
   * @default false
   */
  readonly oci?: boolean;
  /** Default chart version (exact, semver). Environments and clusters may pin another. */
  readonly version: string;
  /** Namespace the chart installs into (the `<addon>_namespace` annotation). */
  readonly namespace: string;
  /**
   * Kubernetes service account of the add-on (the `<addon>_service_account` annotation).
   * @default - none
   */
  readonly serviceAccount?: string;
  /**
   * The add-on calls AWS APIs and needs an IAM role (IRSA): every cluster that enables it must give
   * `iamRoleArn`, written as the `<addon>_iam_role_arn` annotation.
   * @default false
   */
  readonly iamRole?: boolean;
  /**
   * The service accounts that use the IAM role: what its IRSA trust names and what gets a Pod Identity
   * association, all in `namespace`.
   * @default - [serviceAccount]
   */
  readonly iamServiceAccounts?: readonly string[];
  /**
   * Add-ons that must be installed first on the same cluster. Rendered as sync waves; a cycle is an error.
   * @default []
   */
  readonly dependsOn?: readonly string[];
  /**
   * Where the add-on may be enabled.
   * @default 'any'
   */
  readonly placement?: AddonPlacement;
  /**
   * Helm release name.
   * @default - the add-on name
   */
  readonly releaseName?: string;
  /**
   * Apply with `ServerSideApply=true` (charts whose CRDs exceed the client-side annotation limit).
   * @default false
   */
  readonly serverSideApply?: boolean;
  /**
   * The chart installs admission webhooks whose `caBundle` is injected at run time; Argo CD ignores
   * differences there.
   * @default false
   */
  readonly webhooks?: boolean;
  /**
   * Let Argo CD prune resources removed from the chart. Off for add-ons that manage Argo CD itself.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Default Helm values, the lowest layer (rendered to `addons/values/default/<addon>/values.yaml`).
   * @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * Helm values templated per cluster from the cluster Secret (IAM role, cluster name, region...).
   * They go to the Application's `valuesObject` and win over the values files.
   * @default - none
   */
  readonly clusterValues?: (t: ClusterTemplate, addon: AddonDefinition) => Record<string, unknown>;
}
