/**
 * The GitOps Bridge contract's values for one cluster: the labels and annotations its Argo CD cluster
 * Secret carries, and the annotations an add-on needs. The names are in contract.ts.
 */
import type { AddonDefinition } from './addon.js';
import { AddonAnnotation, ClusterAnnotation, ClusterLabel, ClusterTemplate, enableLabel, FALSE, TRUE } from './contract.js';
import type { ResolvedCluster, ResolvedFleet } from './resolve.js';
import { sortedEntries } from '../../engines/util/index.js';

/**
 * The service-account annotation that gives a pod its IAM role under IRSA (read by the EKS pod identity
 * webhook, which mutates pods only when its value is a non-empty ARN).
 */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The labels of a cluster's Secret: what ApplicationSets select on. Sorted by key. */
export function clusterLabels(cluster: ResolvedCluster): Record<string, string> {
  const labels: Record<string, string> = {
    [ClusterLabel.environment]: cluster.environment.name,
    [ClusterLabel.fleetMember]: cluster.role,
    [ClusterLabel.tenant]: cluster.tenant,
    [ClusterLabel.clusterName]: cluster.name,
    [ClusterLabel.kubernetesVersion]: cluster.kubernetesVersion,
    [ClusterLabel.workloads]: cluster.workloads ? TRUE : FALSE,
    [ClusterLabel.awsIdentity]: cluster.identity,
  };
  for (const name of cluster.addons.keys()) labels[enableLabel(name)] = TRUE;
  return sortKeys(labels);
}

/** The annotations of a cluster's Secret: the values templates read. Sorted by key. */
export function clusterAnnotations(fleet: ResolvedFleet, cluster: ResolvedCluster): Record<string, string> {
  const { addons, workloads } = fleet.repos;
  const annotations: Record<string, string> = {
    [ClusterAnnotation.awsClusterName]: cluster.awsClusterName,
    [ClusterAnnotation.awsRegion]: cluster.region,
    [ClusterAnnotation.awsAccountId]: cluster.account.id,
    [ClusterAnnotation.awsVpcId]: cluster.vpcId,
    [ClusterAnnotation.addonsRepoUrl]: addons.url,
    [ClusterAnnotation.addonsRepoBasepath]: addons.basePath,
    [ClusterAnnotation.addonsRepoPath]: addons.path,
    [ClusterAnnotation.addonsRepoRevision]: addons.revision,
    [ClusterAnnotation.workloadRepoUrl]: workloads.url,
    [ClusterAnnotation.workloadRepoBasepath]: workloads.basePath,
    [ClusterAnnotation.workloadRepoPath]: workloads.path,
    [ClusterAnnotation.workloadRepoRevision]: workloads.revision,
  };
  for (const [name, addon] of cluster.addons) {
    annotations[AddonAnnotation.namespace(name)] = addon.definition.namespace;
    if (addon.definition.serviceAccount) annotations[AddonAnnotation.serviceAccount(name)] = addon.definition.serviceAccount;
    if (addon.iamRoleArn) annotations[AddonAnnotation.iamRoleArn(name)] = addon.iamRoleArn;
    for (const [key, value] of addon.facts) annotations[key] = value;
  }
  return sortKeys(annotations);
}

/**
 * Annotation keys a cluster must carry for an add-on: what its template reads, plus its IAM role
 * when the catalog says it needs one (later templates, such as Crossplane providers, read it).
 */
export function requiredAddonAnnotations(addon: AddonDefinition): string[] {
  const t = new ClusterTemplate();
  addon.clusterValues?.(t, addon);
  t.annotation(AddonAnnotation.namespace(addon.name));
  if (addon.iamRole) t.annotation(AddonAnnotation.iamRoleArn(addon.name));
  return [...t.annotationsRead].sort();
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(sortedEntries(o));
}
