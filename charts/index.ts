/**
 * cdk8s-fleet, the library: the fleet model, the constructs, and the overlay types app teams write.
 * Every name exported here is a semver promise (test/architecture.test.ts pins the list). The engines
 * (kustomize, ApplicationSet, Go templates, YAML) and the render internals are not part of it; the
 * kustomize engine is reachable as `cdk8s-fleet/kustomize` for its documented use.
 */

// The fleet model: what environments/ is written in, and what it resolves to.
export * from './model/spec.js';
export * from './model/workload.js';
export type { AddonDefinition, AddonFact, AddonPin, AddonPlacement, KubernetesRange } from './model/addon.js';
export type { AddonCompanions, CompanionContext, CompanionObject } from './model/companions.js';
export { addonVersionFor, versionSet } from './model/addon-versions.js';
export * from './model/contract.js';
export { clusterAnnotations, clusterLabels } from './model/cluster-metadata.js';
export type { ClusterAddon, ResolvedCluster, ResolvedFleet, ResolvedTeam } from './model/resolve.js';
export { DEFAULT_TEAM_QUOTA, resolveFleet, teamNamespace } from './model/resolve.js';
export { hubNames, hubSpec } from './model/hubs.js';

// Cluster facts from the IaC's outputs (terraform output -json, the GitOps Bridge cluster object, the fleet secret).
export { readIacOutputs } from './iac/read-iac-outputs.js';
export { applyIacOutputs } from './iac/apply-iac-outputs.js';
export type { AppliedIacOutputs } from './iac/apply-iac-outputs.js';

// The add-on catalog and the values blocks its entries share.
export { ADDON_CATALOG } from './addons/catalog.js';
export { awsClusterValues, irsaServiceAccount } from './addons/values/cluster-values.js';

// Validation: every problem at once, each with file and field.
export type { Problem } from './validate/problems.js';
export { FleetValidationError, formatProblem } from './validate/problems.js';
export { validateFleet } from './validate/validate-fleet.js';

// Constructs: Argo CD.
export { ADDONS_PROJECT, CROSSPLANE_PROJECT, GUARDRAILS_PROJECT, MANAGED_BY, PLATFORM_PROJECT, syncWave } from './argocd/conventions.js';
export * from './argocd/addon-application-set.js';
export * from './argocd/cluster-secret.js';
export * from './argocd/fleet-application.js';
export * from './argocd/fleet-app-project.js';
export * from './argocd/helm-oci-repository.js';
export * from './argocd/team-boundaries-application-set.js';
export * from './argocd/workload-application-set.js';

// Constructs: apps.
export { AppPropsError, AppWorkload } from './apps/app-workload.js';
export { imageReference } from './apps/container-image.js';
export * from './apps/web-service.js';
export * from './apps/worker.js';
export * from './apps/database-external-secret.js';

// Constructs: team boundaries.
export * from './teams/team-namespace.js';
export * from './teams/team-limits.js';
export * from './teams/team-access.js';
export * from './teams/team-network-policies.js';
export * from './teams/team-secret-store.js';

// Constructs: Crossplane databases.
export { DATABASE_API_GROUP, DATABASE_API_VERSION, DATABASE_SIZES, DEFAULT_POSTGRES_VERSION, POSTGRES_CLAIM } from './crossplane/postgres-api.js';
export { PostgresDefinition } from './crossplane/postgres-definition.js';
export { PostgresRdsComposition } from './crossplane/postgres-composition.js';
export * from './crossplane/postgres-database.js';
export * from './crossplane/crossplane-packages.js';
export * from './crossplane/aws-provider-config.js';

// The overlay types app teams write per environment (kustomize semantics).
export type {
  ContainerChange, ContainerResources, Generator, GeneratorOptions, ImageRule, JsonPatchOperation, KubeObject, LabelSet, Overlay, Patch, PatchTarget,
  Replicas, SecretGenerator, WorkloadRef,
} from '../engines/kustomize/index.js';
export { containerPatch } from '../engines/kustomize/index.js';

// The whole fleet as files, for a platform repository with its own render step.
export type { OutputFile } from './outputs/output-file.js';
export type { FleetOutputsOptions } from './outputs/fleet-outputs.js';
export { fleetOutputs } from './outputs/fleet-outputs.js';
export { buildAppBase, environmentOverlay } from './outputs/app-manifests.js';
export { appPolicyFindings } from './policy/app-policies.js';
export { formatFinding } from './policy/finding.js';
export type { Finding } from './policy/finding.js';
