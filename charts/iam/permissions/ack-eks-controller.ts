import type { AddonPermissionContext, AddonPermissions } from './types.js';
import { iamPolicy } from '../iam-documents.js';

/**
 * ack-eks-controller 1.20.0: `config/iam/recommended-inline-policy` of aws-controllers-k8s/eks-controller at
 * tag v1.20.0, statement for statement, Sid added; no recommended managed policy at that tag. Upstream
 * grants `eks:*` and `iam:PassRole` on `*` (cluster and node roles are passed to EKS): kept as upstream has it.
 */
export const ackEksControllerPermissions = (_ctx: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: [],
  policy: iamPolicy([
    {
      Sid: 'ManageEksResources',
      Effect: 'Allow',
      Action: [
        'eks:*',
        'iam:GetRole',
        'iam:PassRole',
        'iam:ListAttachedRolePolicies',
        'ec2:DescribeSubnets',
      ],
      Resource: '*',
    },
  ]),
  inputs: {},
});
