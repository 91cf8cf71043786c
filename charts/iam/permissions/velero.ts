/**
 * velero: the policy of the velero-plugin-for-aws README ("Set permissions for Velero", velero-policy.json)
 * at v1.14.0-rc.1 (vmware-tanzu/velero-plugin-for-aws; the plugin line v1.14.x pairs with Velero 1.18, the
 * chart's app version), statement for statement, Sids added. The bucket is an input: its ARN, from the
 * cluster's `velero_backup_s3_bucket_name` fact. Upstream notes that `s3:PutObjectTagging` is only needed
 * with the BackupStorageLocation's `config.tagging`; kept as upstream has it. The EC2 snapshot actions are
 * on `*` upstream (the snapshotter creates and reads volumes and snapshots of any id).
 */
import type { AddonPermissionContext, AddonPermissions } from './types.js';
import { iamPolicy } from '../iam-documents.js';

/** `${name}`: a value the IaC fills in. */
const token = (name: string): string => `\${${name}}`;

export function veleroPermissions({ accountId }: AddonPermissionContext): AddonPermissions {
  const bucket = token('velero_bucket_arn');
  return {
    managedPolicyArns: [],
    policy: iamPolicy([
      {
        Sid: 'ManageVolumeSnapshots',
        Effect: 'Allow',
        Action: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:CreateSnapshot', 'ec2:DeleteSnapshot'],
        Resource: '*',
      },
      {
        Sid: 'ReadWriteBackups',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: `${bucket}/*`,
      },
      { Sid: 'ListBackupBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket },
    ]),
    inputs: {
      velero_bucket_arn: `ARN of the S3 bucket of the cluster's backups, arn:aws:s3:::<bucket> with <bucket> the velero_backup_s3_bucket_name fact (in account ${accountId} or shared with it)`,
    },
  };
}
