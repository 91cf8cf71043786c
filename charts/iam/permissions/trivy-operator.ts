/**
 * trivy-operator (aquasecurity/trivy-operator v0.32.0, chart 0.34.0): pulling the scanned images from ECR,
 * the AWS managed policy its documentation attaches to the operator's service account
 * (docs/docs/vulnerability-scanning/managed-registries.md at tag v0.32.0).
 */
import type { AddonPermissionContext, AddonPermissions } from './types.js';

export const trivyOperatorPermissions = (_ctx: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'],
  inputs: {},
});
