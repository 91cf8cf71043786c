/** Conventions every Argo CD object this project renders follows. */

/** Argo CD sync-wave annotation: lower waves are applied (and must be healthy) before higher ones. */
export function syncWave(wave: number): Record<string, string> {
  return { 'argocd.argoproj.io/sync-wave': String(wave) };
}

/** Labels on every object this project renders for Argo CD. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'cdk8s-fleet' } as const;

/**
 * Retry of every automated sync: 30 tries, backing off from 10 s to at most 3 min, about 80 minutes in
 * all. On a fresh fleet many Applications fail until an add-on serves the kinds they use (a CRD, a
 * provider's ProviderConfig), and Argo CD does not retry an automated sync on the same commit once the
 * retries are spent: the budget must outlast the slowest install (Crossplane providers take minutes),
 * and 3 minutes between tries keeps a recovered dependency from waiting long.
 */
export const SYNC_RETRY = { limit: 30, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } };

/**
 * Sync options of Applications whose objects are of kinds an add-on installs (External Secrets' stores,
 * Crossplane's packages and claims): without it an unknown kind fails the dry-run of the whole sync, so
 * not even the objects of known kinds (the team's Namespace) are applied; with it those are applied and
 * the rest is retried until the add-on serves its kinds.
 */
export const SKIP_DRY_RUN_ON_MISSING_RESOURCE = 'SkipDryRunOnMissingResource=true';

/**
 * What every ApplicationSet here sets: Go templates that fail on a missing key instead of rendering an
 * empty string, and Applications' resources kept when the ApplicationSet is deleted.
 */
export const APPLICATIONSET_DEFAULTS = {
  goTemplate: true,
  goTemplateOptions: ['missingkey=error'],
  syncPolicy: { preserveResourcesOnDeletion: true },
};

/** AppProject of the hub's own Argo CD objects: the root, its children, projects, cluster and repository Secrets. */
export const PLATFORM_PROJECT = 'platform';
/** AppProject of the add-on ApplicationSets and the Applications they generate. */
export const ADDONS_PROJECT = 'addons';
/** AppProject of the platform-owned team boundaries (namespaces, quotas, network policies, RBAC). */
export const GUARDRAILS_PROJECT = 'guardrails';
/** AppProject of Crossplane's packages, configuration and claims on the hub. */
export const CROSSPLANE_PROJECT = 'crossplane';
/** AppProjects the platform owns; every other AppProject is a team's and held to least privilege. */
export const PLATFORM_PROJECTS: readonly string[] = [PLATFORM_PROJECT, ADDONS_PROJECT, GUARDRAILS_PROJECT, CROSSPLANE_PROJECT];
