import type { AddonPermissionContext, AddonPermissions } from './types.js';
import { iamPolicy } from '../iam-documents.js';

/**
 * ack-s3-controller 1.10.0: both files of aws-controllers-k8s/s3-controller at tag v1.10.0:
 * `config/iam/recommended-policy-arn` (AmazonS3FullAccess) and `config/iam/recommended-inline-policy`,
 * statement for statement (S3, S3 Object Lambda and S3 Express on `*`; passing a replication role to S3).
 */
export const ackS3ControllerPermissions = (_ctx: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'],
  policy: iamPolicy([
    {
      Sid: 'S3AllPermission',
      Effect: 'Allow',
      Action: ['s3:*', 's3-object-lambda:*', 's3express:*'],
      Resource: '*',
    },
    {
      Sid: 'S3ReplicationPassRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': 's3.amazonaws.com' } },
    },
  ]),
  inputs: {},
});
