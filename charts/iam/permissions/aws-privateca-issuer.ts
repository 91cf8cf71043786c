import type { AddonPermissionContext, AddonPermissions } from './types.js';
import { iamPolicy } from '../iam-documents.js';

/** A list input: the IaC replaces the Resource element that is exactly `${pca_certificate_authority_arns}` with one element per CA. */
export const PCA_CA_ARNS = 'pca_certificate_authority_arns';

/**
 * aws-privateca-issuer v1.9.0: the minimal policy of README.md of cert-manager/aws-privateca-issuer at tag
 * v1.9.0 (DescribeCertificateAuthority, GetCertificate, IssueCertificate), scoped as it is there to the
 * certificate authorities the issuers use: their ARNs are an input.
 */
export const awsPrivatecaIssuerPermissions = ({ accountId, region }: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: [],
  policy: iamPolicy([
    {
      Sid: 'IssueWithPrivateCa',
      Effect: 'Allow',
      Action: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:IssueCertificate'],
      Resource: [`\${${PCA_CA_ARNS}}`],
    },
  ]),
  inputs: {
    [PCA_CA_ARNS]: `List input: the ARNs of the AWS Private CA certificate authorities this cluster's AWSPCAIssuers and AWSPCAClusterIssuers name, arn:aws:acm-pca:${region}:${accountId}:certificate-authority/<id> (or another account's or region's); the IaC replaces the Resource element "\${${PCA_CA_ARNS}}" with one element per CA`,
  },
});
