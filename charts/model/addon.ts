import type { ClusterTemplate } from './contract.js';
import type { AddonCompanions } from './companions.js';

/**
 * What turning an add-on off on a cluster does to what it installed there, once Argo CD deletes its
 * Application: `uninstall` deletes the add-on's resources (the Application carries Argo CD's
 * `resources-finalizer.argocd.argoproj.io`; CRDs are never deleted by Argo CD), `orphan` leaves them
 * running, no longer managed by anyone (no finalizer). See docs/addon-removal.md.
 */
export type AddonOnDisable = 'uninstall' | 'orphan';

/** The catalog's default when an add-on does not say: keep what runs (the safe choice for CRD owners). */
export const DEFAULT_ON_DISABLE: AddonOnDisable = 'orphan';

/** Argo CD's finalizer on an Application that makes its deletion cascade to its resources (foreground). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * What disabling an add-on does on one cluster: the cluster's setting, else its environment's, else
 * the catalog's `onDisable`, else {@link DEFAULT_ON_DISABLE}.
 */
export function addonOnDisable(
  addon: Pick<AddonDefinition, 'onDisable'>,
  clusterSetting?: { readonly onDisable?: AddonOnDisable },
  environmentSetting?: { readonly onDisable?: AddonOnDisable },
): AddonOnDisable {
  return clusterSetting?.onDisable ?? environmentSetting?.onDisable ?? addon.onDisable ?? DEFAULT_ON_DISABLE;
}

/** An add-on setting as given (`true`, `false` or an object), as an object: booleans set nothing but `enabled`. */
const settingOf = (value: unknown): { readonly onDisable?: AddonOnDisable } | undefined => (typeof value === 'object' && value !== null ? value : undefined);

/** What the functions below read of a resolved cluster (`ResolvedCluster`; not imported, to keep the model free of cycles). */
interface ClusterAddons {
  readonly name: string;
  /** Enabled add-ons by name. */
  readonly addons: ReadonlyMap<string, unknown>;
  readonly spec: { readonly addons?: Readonly<Record<string, unknown>> };
  readonly environment: { readonly addons?: Readonly<Record<string, unknown>> };
}

/**
 * What disabling the add-on does on each cluster that runs it, by cluster name: the cluster's
 * `onDisable`, else its environment's, else the catalog's (docs/addon-removal.md).
 */
export function addonOnDisableByCluster(fleet: { readonly clusters: readonly ClusterAddons[] }, addon: AddonDefinition): Map<string, AddonOnDisable> {
  const out = new Map<string, AddonOnDisable>();
  for (const c of fleet.clusters) {
    if (!c.addons.has(addon.name)) continue;
    out.set(c.name, addonOnDisable(addon, settingOf(c.spec.addons?.[addon.name]), settingOf(c.environment.addons?.[addon.name])));
  }
  return out;
}

/**
 * The one `onDisable` of an add-on's ApplicationSet: its template's `metadata.finalizers` apply to every
 * Application it generates (a `templatePatch` could vary them per cluster, but Argo CD merges finalizers
 * in an order the offline plan does not reproduce), so all the clusters it renders must agree. Without clusters, the catalog's.
 * Throws when they do not agree (validation reports it first, at the settings).
 */
export function addonApplicationSetOnDisable(fleet: { readonly clusters: readonly ClusterAddons[] }, addon: AddonDefinition): AddonOnDisable {
  const byCluster = addonOnDisableByCluster(fleet, addon);
  const values = [...new Set(byCluster.values())].sort();
  if (values.length > 1) {
    const list = values.map((v) => `${v} on ${[...byCluster].filter(([, x]) => x === v).map(([c]) => c).join(', ')}`).join('; ');
    throw new Error(`add-on "${addon.name}": one ApplicationSet renders it for all of a hub's clusters, so they need one onDisable, got ${list}`);
  }
  const value = values[0] ?? addonOnDisable(addon);
  if (value !== 'uninstall' && value !== 'orphan') throw new Error(`add-on "${addon.name}": onDisable must be "uninstall" or "orphan", got ${JSON.stringify(value)}`);
  return value;
}

/** Kubernetes minor versions, inclusive: `{ min: '1.29', max: '1.34' }`. */
export interface KubernetesRange {
  /** Oldest minor supported, like `1.29`. */
  readonly min: string;
  /**
   * Newest minor supported (known to work).
   * @default - no upper bound known
   */
  readonly max?: string;
}

/**
 * A chart version the catalog has checked against its upstream release, and the Kubernetes minors it
 * supports. A cluster gets the newest pin of an add-on whose range holds its `kubernetes_version`, unless
 * its environment or itself pins another version.
 */
export interface AddonPin {
  /** Chart version, exact (as in the chart's Chart.yaml `version`). */
  readonly version: string;
  /**
   * The Kubernetes minors this version supports: the chart's `kubeVersion`, or the project's compatibility
   * matrix (named in `checkedAgainst`).
   * @default - upstream states no range: any minor
   */
  readonly kubernetes?: KubernetesRange;
  /**
   * Where the version and its range were read, for a reviewer to open: `<owner>/<repo>@<tag>:<path>` of
   * the chart's Chart.yaml at that release, then `; ` and the compatibility document when the range
   * comes from one.
   */
  readonly checkedAgainst: string;
  /**
   * The version of the software the chart installs (Chart.yaml `appVersion`).
   * @default - not recorded
   */
  readonly appVersion?: string;
}

/**
 * A fact of the IaC contract an add-on needs beyond its IAM role, namespace and service account (the
 * Karpenter node role, its interruption queue, the Velero bucket): the IaC writes it as an annotation of
 * the cluster Secret, the fleet reads it from the IaC output (or the cluster's add-on setting `facts`),
 * and the add-on's values and companions read it from there.
 */
export interface AddonFact {
  /** Annotation key, snake_case, starting with the add-on's snake_case name: `karpenter_node_iam_role_name`. */
  readonly key: string;
  /** What the IaC must put there, one line (listed in the IaC contract). */
  readonly description: string;
  /**
   * Regular expression (source) the value must match in full.
   * @default - any non-empty string
   */
  readonly pattern?: string;
}

/**
 * Why a value cannot be a fact's, as `"x" is not <description> (must match <pattern>)`; undefined when
 * it can: a string its pattern matches in full (any non-empty string without a pattern).
 */
export function factValueProblem(fact: AddonFact, value: unknown): string | undefined {
  const pattern = fact.pattern ?? '.+';
  if (typeof value === 'string' && new RegExp(`^(?:${pattern})$`).test(value)) return undefined;
  return `${JSON.stringify(value)} is not ${fact.description} (must match ${fact.pattern ?? 'a non-empty string'})`;
}

/** A fact's description inside a sentence ("add-on X needs <this>"): its first letter lower-cased. */
export function factPhrase(fact: AddonFact): string {
  return fact.description.charAt(0).toLowerCase() + fact.description.slice(1);
}

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
  /**
   * Default chart version (exact, semver): with `pins`, one of them (the newest); clusters get the newest
   * pin that supports their Kubernetes version. Environments and clusters may pin another.
   */
  readonly version: string;
  /**
   * The chart versions checked against upstream, newest first, each with the Kubernetes minors it
   * supports: the version sets per Kubernetes release are made from them (`addonVersionFor`).
   * @default - only `version`, with no known Kubernetes range
   */
  readonly pins?: readonly AddonPin[];
  /**
   * What the software is and where it comes from, for the catalog listing: the project's home page.
   * @default - none
   */
  readonly homepage?: string;
  /**
   * Facts the IaC writes on the cluster Secret for this add-on (beyond role, namespace and service
   * account); every cluster that enables the add-on must have each.
   * @default []
   */
  readonly facts?: readonly AddonFact[];
  /**
   * Upstream no longer maintains the add-on: why, and what to use instead. Listed by `npm run catalog`;
   * synth prints it for every cluster that enables the add-on.
   * @default - maintained
   */
  readonly deprecated?: string;
  /**
   * The objects the add-on needs after install to do its job (Karpenter's NodePool and EC2NodeClass,
   * cert-manager's ClusterIssuers...), rendered per cluster and delivered as a further source of the
   * add-on's Application. See charts/model/companions.ts.
   * @default - none
   */
  readonly companions?: AddonCompanions;
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
   * What disabling the add-on on a cluster (its `enable_` label removed, or its ApplicationSet gone)
   * does: `uninstall` deletes what it installed, `orphan` leaves it running, unmanaged. Environments and
   * clusters may override it (`onDisable` of their add-on setting); all the clusters one ApplicationSet
   * renders (one hub's) must agree, since the finalizer is part of its one template.
   * Prefer `orphan` for add-ons whose removal breaks workloads (CRD owners, storage, ingress, nodes).
   * @default 'orphan'
   */
  readonly onDisable?: AddonOnDisable;
  /**
   * Escape hatch: Argo CD's ApplicationSet `spec.templatePatch`. A Go template (like the template:
   * `goTemplate` with `missingkey=error`, the parameters of the clusters generator: `.name`,
   * `.metadata.labels`, `.metadata.annotations`...) rendered per generated Application, read as YAML (or
   * JSON) and applied to it as a strategic merge patch: maps merge, lists are replaced, `null` deletes a
   * key. To vary what a template cannot (syncPolicy, annotations, value files) by a cluster's labels:
   * `{{ if eq .metadata.labels.environment "prod" }}spec: { syncPolicy: { automated: null } }{{ end }}`.
   * It must not set `spec.project`: Argo CD resets it to the template's after the patch. The plan
   * evaluates it per cluster, and refuses (unsupported) what it cannot reproduce exactly (`$patch`
   * directives...). See docs/addons.md, "Escape hatches".
   * @default - none
   */
  readonly templatePatch?: string;
  /**
   * Escape hatch: the ApplicationSet's `spec.ignoreApplicationDifferences`: fields of the generated
   * Applications the ApplicationSet controller leaves as they are in the cluster (changed by hand or by
   * another controller) instead of overwriting them, each entry by JSON pointers (`/spec/syncPolicy`) or
   * jq path expressions, for all Applications or those named `name`.
   * @default - none
   */
  readonly ignoreApplicationDifferences?: ReadonlyArray<{
    /** Only the Application of this name. @default - every Application of the ApplicationSet */
    readonly name?: string;
    /** RFC 6901 pointers, each starting with `/`. @default [] */
    readonly jsonPointers?: readonly string[];
    /** jq path expressions (`.spec.source.helm.valuesObject`). @default [] */
    readonly jqPathExpressions?: readonly string[];
  }>;
  /**
   * Escape hatch: further sources appended to the add-on's Application `sources`, after the values, the
   * chart and the companions: a Git path (`path`), a Helm chart (`chart`), or a `ref` for value files.
   * Their repositories are permitted in the add-ons AppProject. Same values for every cluster (vary them
   * with `templatePatch`).
   * @default - none
   */
  readonly extraSources?: ReadonlyArray<{
    /** Git repository (`https://...`), Helm repository (`https://...`) or OCI registry path without scheme. */
    readonly repoUrl: string;
    /** Git revision, or the exact chart version with `chart`. */
    readonly targetRevision: string;
    /** Folder in a Git repository. @default - none */
    readonly path?: string;
    /** Helm chart name (in a Helm or OCI repository). @default - none */
    readonly chart?: string;
    /** Name other sources use for this one's files (`$<ref>/...`). @default - none */
    readonly ref?: string;
    /** Source name (for the CLI and the UI). @default - none */
    readonly name?: string;
    /** Helm options of a chart, or of a Git path holding a chart. @default - none */
    readonly helm?: {
      readonly releaseName?: string;
      readonly namespace?: string;
      readonly valueFiles?: readonly string[];
      readonly ignoreMissingValueFiles?: boolean;
      readonly valuesObject?: Readonly<Record<string, unknown>>;
      readonly parameters?: ReadonlyArray<{ readonly name: string; readonly value: string; readonly forceString?: boolean }>;
      readonly skipCrds?: boolean;
    };
    /** Plain-manifest options of a Git path. @default - none */
    readonly directory?: { readonly recurse?: boolean; readonly include?: string; readonly exclude?: string };
    /** Kustomize options of a Git path. @default - none */
    readonly kustomize?: {
      readonly namePrefix?: string;
      readonly nameSuffix?: string;
      readonly namespace?: string;
      readonly images?: readonly string[];
      readonly commonLabels?: Readonly<Record<string, string>>;
      readonly commonAnnotations?: Readonly<Record<string, string>>;
    };
  }>;
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
