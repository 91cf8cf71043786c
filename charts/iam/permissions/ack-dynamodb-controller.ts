import type { AddonPermissionContext, AddonPermissions } from './types.js';

/**
 * ack-dynamodb-controller 1.9.2: `config/iam/recommended-policy-arn` of aws-controllers-k8s/dynamodb-controller
 * at tag v1.9.2 (AmazonDynamoDBFullAccess); no recommended inline policy at that tag.
 */
export const ackDynamodbControllerPermissions = (_ctx: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'],
  inputs: {},
});
