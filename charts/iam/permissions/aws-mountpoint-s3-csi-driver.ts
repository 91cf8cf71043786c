import type { AddonPermissionContext, AddonPermissions } from './types.js';
import { iamPolicy } from '../iam-documents.js';

/** List inputs: the IaC replaces each Resource element that is exactly the token with one element per bucket. */
export const MOUNTPOINT_BUCKET_ARNS = 'mountpoint_s3_bucket_arns';
export const MOUNTPOINT_OBJECT_ARNS = 'mountpoint_s3_object_arns';

/**
 * aws-mountpoint-s3-csi-driver 2.7.0, driver-level credentials: docs/CONFIGURATION.md of
 * awslabs/mountpoint-s3-csi-driver at tag v2.7.0 recommends Mountpoint's policy over AmazonS3FullAccess;
 * that is the example least-privilege policy of doc/CONFIGURATION.md ("IAM permissions") of
 * awslabs/mountpoint-s3 at tag mountpoint-s3-1.23.0, statement for statement, the buckets inputs.
 * Buckets under SSE-KMS also need kms:Decrypt and kms:GenerateDataKey on their keys (not granted here);
 * S3 Express directory buckets need s3express:CreateSession instead (not granted here).
 */
export const awsMountpointS3CsiDriverPermissions = (_ctx: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: [],
  policy: iamPolicy([
    {
      Sid: 'MountpointFullBucketAccess',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [`\${${MOUNTPOINT_BUCKET_ARNS}}`],
    },
    {
      Sid: 'MountpointFullObjectAccess',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
      Resource: [`\${${MOUNTPOINT_OBJECT_ARNS}}`],
    },
  ]),
  inputs: {
    [MOUNTPOINT_BUCKET_ARNS]: `List input: the ARNs of the S3 buckets this cluster mounts, arn:aws:s3:::<bucket>; the IaC replaces the Resource element "\${${MOUNTPOINT_BUCKET_ARNS}}" with one element per bucket`,
    [MOUNTPOINT_OBJECT_ARNS]: `List input: the objects of the same buckets, arn:aws:s3:::<bucket>/* (or a mounted prefix, <bucket>/<prefix>/*); the IaC replaces the Resource element "\${${MOUNTPOINT_OBJECT_ARNS}}" with one element per bucket`,
  },
});
