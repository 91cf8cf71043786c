/**
 * What `npm run catalog` reports, as data: every add-on of the catalog with its chart, namespace, the IAM
 * it needs, its dependencies and facts, its checked versions (each naming the upstream release it was
 * checked against), its version in each listed Kubernetes minor, and where the fleet enables it with the
 * version each cluster gets and why.
 */
import type { AddonDefinition } from '../../charts/model/addon.js';
import { addonPin, addonVersionFor, LISTED_KUBERNETES_MINORS, rangeHolds } from '../../charts/model/addon-versions.js';
import { addonPermissions } from '../../charts/iam/permissions/addon-permissions.js';
import type { ClusterAddon, ResolvedFleet } from '../../charts/model/resolve.js';

/** Why a cluster runs the version it runs. */
export type VersionSource = ClusterAddon['versionFrom'];

export interface CatalogEnabled {
  readonly cluster: string;
  readonly environment: string;
  readonly kubernetesVersion: string;
  readonly version: string;
  readonly from: VersionSource;
  /** The catalog checked this version and its range holds the cluster's Kubernetes minor; false for a pin the catalog does not know. */
  readonly checked: boolean;
}

export interface CatalogEntry {
  readonly name: string;
  readonly description: string;
  readonly homepage: string | null;
  readonly chart: string;
  readonly repoUrl: string;
  readonly oci: boolean;
  readonly version: string;
  readonly namespace: string;
  readonly serviceAccount: string | null;
  readonly placement: string;
  readonly onDisable: string;
  readonly dependsOn: readonly string[];
  readonly deprecated: string | null;
  /** The IAM role it needs (IRSA or Pod Identity): AWS managed policies and whether it has a policy of its own, with the inputs the IaC fills in. Null when it calls no AWS API. */
  readonly iam: { readonly managedPolicyArns: readonly string[]; readonly ownPolicy: boolean; readonly inputs: readonly string[] } | null;
  /** Annotations the IaC writes on the cluster Secret for it (beyond role, namespace, service account). */
  readonly facts: ReadonlyArray<{ readonly key: string; readonly description: string }>;
  readonly pins: ReadonlyArray<{ readonly version: string; readonly appVersion: string | null; readonly kubernetes: { readonly min: string; readonly max: string | null } | null; readonly checkedAgainst: string }>;
  /** The version each listed Kubernetes minor gets (null: no checked version supports it). */
  readonly versionSets: Readonly<Record<string, string | null>>;
  readonly enabledOn: readonly CatalogEnabled[];
}

export interface CatalogReport {
  readonly kubernetesMinors: readonly string[];
  readonly addons: readonly CatalogEntry[];
}

/** The catalog report of `catalog`, with where `fleet` (when given) enables each add-on. */
export function catalogReport(catalog: readonly AddonDefinition[], fleet?: ResolvedFleet): CatalogReport {
  const minors = [...new Set([...LISTED_KUBERNETES_MINORS, ...(fleet?.clusters.map((c) => c.kubernetesVersion) ?? [])])]
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  const addons = [...catalog].sort((a, b) => (a.name < b.name ? -1 : 1)).map((a): CatalogEntry => {
    const perms = a.iamRole ? addonPermissions(a.name, { accountId: '<account>', region: '<region>', clusterName: '<cluster>' }) : undefined;
    const enabledOn = (fleet?.clusters ?? []).flatMap((c): CatalogEnabled[] => {
      const running = c.addons.get(a.name);
      if (!running) return [];
      const pin = addonPin(a, running.version);
      const checked = a.pins === undefined ? running.version === a.version : pin !== undefined && rangeHolds(pin.kubernetes, c.kubernetesVersion);
      return [{ cluster: c.name, environment: c.environment.name, kubernetesVersion: c.kubernetesVersion, version: running.version, from: running.versionFrom, checked }];
    });
    return {
      name: a.name,
      description: a.description,
      homepage: a.homepage ?? null,
      chart: a.chart,
      repoUrl: a.repoUrl,
      oci: a.oci ?? false,
      version: a.version,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount ?? null,
      placement: a.placement ?? 'any',
      onDisable: a.onDisable ?? 'orphan',
      dependsOn: [...(a.dependsOn ?? [])].sort(),
      deprecated: a.deprecated ?? null,
      iam: a.iamRole
        ? { managedPolicyArns: perms?.managedPolicyArns ?? [], ownPolicy: perms?.policy !== undefined, inputs: Object.keys(perms?.inputs ?? {}).sort() }
        : null,
      facts: (a.facts ?? []).map((f) => ({ key: f.key, description: f.description })),
      pins: (a.pins ?? []).map((p) => ({
        version: p.version,
        appVersion: p.appVersion ?? null,
        kubernetes: p.kubernetes ? { min: p.kubernetes.min, max: p.kubernetes.max ?? null } : null,
        checkedAgainst: p.checkedAgainst,
      })),
      versionSets: Object.fromEntries(minors.map((m) => [m, addonVersionFor(a, m) ?? null])),
      enabledOn,
    };
  });
  return { kubernetesMinors: minors, addons };
}
