import type { AddonPermissionContext, AddonPermissions } from './types.js';

/**
 * amazon-cloudwatch-observability: the AWS managed policies the EKS User Guide names for the add-on's
 * `cloudwatch-agent` service account in `amazon-cloudwatch` (awsdocs/amazon-eks-user-guide,
 * doc_source/amazon-cloudwatch-observability.md, "Required IAM permissions"): AWSXrayWriteOnlyAccess and
 * CloudWatchAgentServerPolicy.
 */
export const amazonCloudwatchObservabilityPermissions = (_ctx: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: ['arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'],
  inputs: {},
});
