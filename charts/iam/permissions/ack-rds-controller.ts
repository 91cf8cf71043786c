import type { AddonPermissionContext, AddonPermissions } from './types.js';

/**
 * ack-rds-controller 1.11.1: `config/iam/recommended-policy-arn` of aws-controllers-k8s/rds-controller at
 * tag v1.11.1 (AmazonRDSFullAccess); no recommended inline policy at that tag.
 */
export const ackRdsControllerPermissions = (_ctx: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonRDSFullAccess'],
  inputs: {},
});
