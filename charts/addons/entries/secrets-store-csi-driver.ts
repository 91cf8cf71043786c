import type { AddonDefinition } from '../../model/addon.js';

/**
 * Secrets Store CSI Driver 1.6.0: kubernetes-sigs/secrets-store-csi-driver@v1.6.0,
 * charts/secrets-store-csi-driver/Chart.yaml (`kubeVersion: ">=1.30.0-0"`) and values.yaml.
 *
 * Left at the chart's defaults, on purpose:
 * - `syncSecret.enabled: false`: syncing mounted contents into Kubernetes Secrets would give the driver
 *   RBAC to write Secrets in every namespace, and the fleet already syncs Secrets through external-secrets;
 *   here secrets reach pods as mounted files only.
 * - `enableSecretRotation: false`: rotation is an alpha feature of the driver (docs/book/src/topics/
 *   secret-auto-rotation.md at the tag), and every poll calls Secrets Manager for every mount (the AWS
 *   provider's README warns of the cost): a team that rotates secrets restarts its pods or uses external-secrets.
 */
export const secretsStoreCsiDriver: AddonDefinition = {
  name: 'secrets-store-csi-driver',
  description: 'Mounts secrets from external stores (AWS Secrets Manager and Parameter Store with the AWS provider) into pods as files.',
  homepage: 'https://secrets-store-csi-driver.sigs.k8s.io/',
  chart: 'secrets-store-csi-driver',
  repoUrl: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts',
  version: '1.6.0',
  pins: [
    {
      version: '1.6.0',
      appVersion: '1.6.0',
      kubernetes: { min: '1.30' },
      checkedAgainst: 'kubernetes-sigs/secrets-store-csi-driver@v1.6.0:charts/secrets-store-csi-driver/Chart.yaml',
    },
  ],
  namespace: 'kube-system',
  // templates/serviceaccount.yaml names it so, not configurable.
  serviceAccount: 'secrets-store-csi-driver',
  // A storage driver: pods that mount its volumes break without it.
  onDisable: 'orphan',
  values: {
    // The service account tokens the AWS provider authenticates with (IRSA, EKS Pod Identity): what its
    // README (aws/secrets-store-csi-driver-provider-aws@3.1.1) requires of a driver installed separately.
    tokenRequests: [{ audience: 'sts.amazonaws.com' }, { audience: 'pods.eks.amazonaws.com' }],
  },
};
