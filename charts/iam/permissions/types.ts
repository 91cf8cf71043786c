/** What an add-on's IAM role needs, per add-on builder (`addon-permissions.ts` maps add-ons to builders). */
import type { IamPolicy } from '../iam-documents.js';

/** Where a role's permissions apply. */
export interface AddonPermissionContext {
  readonly accountId: string; // 12 digits
  readonly region: string; // us-west-2
  readonly clusterName: string; // the EKS cluster name
}

/** What an add-on's role needs. */
export interface AddonPermissions {
  /** AWS managed policies to attach (full ARNs, sorted). [] when none. */
  readonly managedPolicyArns: readonly string[];
  /** Our own permissions policy; undefined when managed policies cover everything. */
  readonly policy?: IamPolicy;
  /** Values the IaC fills in, as `${token}` inside `policy`: token -> one-line description (e.g. the Route 53 hosted zone ARNs, the Velero bucket). {} when none. */
  readonly inputs: Readonly<Record<string, string>>;
}
