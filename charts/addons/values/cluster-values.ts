/** Helm values blocks that many catalog add-ons share, templated from the cluster Secret. */
import { IRSA_ROLE_ANNOTATION } from '../../model/cluster-metadata.js';
import type { AddonDefinition } from '../../model/addon.js';
import { AddonAnnotation, ClusterAnnotation, ClusterTemplate } from '../../model/contract.js';

/**
 * The `serviceAccount` values block most charts share: name from the cluster Secret, and the IRSA role
 * annotation where the clusters use IRSA (none under EKS Pod Identity: see `ClusterTemplate.irsaRoleArn`).
 */
export function irsaServiceAccount(t: ClusterTemplate, addon: AddonDefinition): Record<string, unknown> {
  const serviceAccount: Record<string, unknown> = {
    name: t.annotation(AddonAnnotation.serviceAccount(addon.name)),
  };
  const roleArn = addon.iamRole ? t.irsaRoleArn(addon.name) : undefined;
  if (roleArn !== undefined) serviceAccount.annotations = { [IRSA_ROLE_ANNOTATION]: roleArn };
  return { create: true, ...serviceAccount };
}

/** Cluster name and region, which many AWS add-ons need. */
export function awsClusterValues(t: ClusterTemplate): { clusterName: string; region: string; vpcId: string } {
  return {
    clusterName: t.annotation(ClusterAnnotation.awsClusterName),
    region: t.annotation(ClusterAnnotation.awsRegion),
    vpcId: t.annotation(ClusterAnnotation.awsVpcId),
  };
}
