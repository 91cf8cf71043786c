/**
 * cdk8s-fleet: the public library. Import from here; everything else is internal layout.
 */
export * from './fleet/model.js';
export * from './fleet/contract.js';
export * from './fleet/problems.js';
export * from './fleet/resolve.js';
export * from './fleet/validate.js';
export * from './addons/addon.js';
export * from './addons/catalog.js';
export * from './addons/order.js';
export * from './addons/values-files.js';
export * from './argocd/addon-application-set.js';
export * from './argocd/cluster-secret.js';
export * from './argocd/fleet-application.js';
export * from './argocd/fleet-app-project.js';
export * from './argocd/helm-oci-repository.js';
export * from './argocd/label-selector.js';
export * from './argocd/conventions.js';
export * from './hub/hub-outputs.js';
export * from './output.js';
export * from './fleet-outputs.js';
export * from './apps/container-image.js';
export * from './apps/app-workload.js';
export * from './apps/web-service.js';
export * from './apps/worker.js';
export * from './apps/app-manifests.js';
export * from './apps/overlay/index.js';
export * from './argocd/rolling-sync.js';
export * from './argocd/team-boundaries-application-set.js';
export * from './argocd/workload-application-set.js';
export * from './teams/team-namespace.js';
export * from './teams/team-limits.js';
export * from './teams/team-access.js';
export * from './teams/team-network-policies.js';
export * from './teams/team-outputs.js';
export * from './teams/validate-teams.js';
export * from './teams/quota-fit.js';
