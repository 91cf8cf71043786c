import type { AddonDefinition } from '../../model/addon.js';
import { ClusterAnnotation } from '../../model/contract.js';

/**
 * AWS Secrets and Configuration Provider (ASCP) 3.1.1 for the Secrets Store CSI Driver:
 * aws/secrets-store-csi-driver-provider-aws@3.1.1, charts/secrets-store-csi-driver-provider-aws/Chart.yaml
 * (`kubeVersion: ">=1.17.0-0"`, no appVersion; the image tag in values.yaml is 3.1.1) and values.yaml; the
 * Helm repository and namespace of its README. The chart would install the driver as a subchart: the
 * fleet installs it as its own add-on instead (with the `tokenRequests` this README asks of a driver
 * installed separately), so the subchart is off. No IAM role: each pod reads secrets with its own
 * service account's role.
 */
export const secretsStoreCsiDriverProviderAws: AddonDefinition = {
  name: 'secrets-store-csi-driver-provider-aws',
  description: 'AWS provider of the Secrets Store CSI Driver: mounts Secrets Manager secrets and Parameter Store parameters with the pod\'s own IAM role.',
  homepage: 'https://github.com/aws/secrets-store-csi-driver-provider-aws',
  chart: 'secrets-store-csi-driver-provider-aws',
  repoUrl: 'https://aws.github.io/secrets-store-csi-driver-provider-aws',
  version: '3.1.1',
  pins: [
    {
      version: '3.1.1',
      kubernetes: { min: '1.17' },
      checkedAgainst: 'aws/secrets-store-csi-driver-provider-aws@3.1.1:charts/secrets-store-csi-driver-provider-aws/Chart.yaml',
    },
  ],
  namespace: 'kube-system',
  // The chart's default (templates/_helpers.tpl provider.serviceAccountName): its fullname, the release name.
  serviceAccount: 'secrets-store-csi-driver-provider-aws',
  dependsOn: ['secrets-store-csi-driver'],
  onDisable: 'orphan',
  values: { 'secrets-store-csi-driver': { install: false } },
  // AWS_REGION for the provider (daemonset.yaml): without it the region comes from the instance metadata,
  // which pods cannot reach where IMDSv2's hop limit is 1.
  clusterValues: (t) => ({ awsRegion: t.annotation(ClusterAnnotation.awsRegion) }),
};
