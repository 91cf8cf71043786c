import type { AddonDefinition } from '../../model/addon.js';
import { AddonAnnotation } from '../../model/contract.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

/**
 * AWS Private CA Issuer v1.9.0, a cert-manager external issuer: cert-manager/aws-privateca-issuer@v1.9.0,
 * charts/aws-pca-issuer/Chart.yaml (chart `aws-privateca-issuer`, version and appVersion v1.9.0, with the
 * `v`) and values.yaml; the Helm repository of its README. Its pin has no Kubernetes range: the chart has no `kubeVersion` and the
 * README states only "cert-manager 1.4+ and corresponding Kubernetes versions", no range of its own.
 * CRDs in crds/, no webhooks. IAM: the README's minimal policy (charts/iam/permissions/aws-privateca-issuer.ts).
 */
export const awsPrivatecaIssuer: AddonDefinition = {
  name: 'aws-privateca-issuer',
  description: 'cert-manager issuer that signs certificates with AWS Private CA (AWSPCAIssuer, AWSPCAClusterIssuer).',
  homepage: 'https://github.com/cert-manager/aws-privateca-issuer',
  chart: 'aws-privateca-issuer',
  repoUrl: 'https://cert-manager.github.io/aws-privateca-issuer',
  version: 'v1.9.0',
  pins: [{ version: 'v1.9.0', appVersion: 'v1.9.0', checkedAgainst: 'cert-manager/aws-privateca-issuer@v1.9.0:charts/aws-pca-issuer/Chart.yaml' }],
  namespace: 'aws-privateca-issuer',
  // The chart's default: its fullname, which is the release name (the add-on name).
  serviceAccount: 'aws-privateca-issuer',
  iamRole: true,
  dependsOn: ['cert-manager'],
  onDisable: 'orphan',
  clusterValues: (t, a) => ({
    serviceAccount: irsaServiceAccount(t, a),
    // The chart lets cert-manager's controller approve requests for these issuers (templates/rbac.yaml,
    // `approverRole`): point it at cert-manager's service account as this cluster runs it.
    approverRole: {
      serviceAccountName: t.annotation(AddonAnnotation.serviceAccount('cert-manager')),
      namespace: t.annotation(AddonAnnotation.namespace('cert-manager')),
    },
  }),
};
