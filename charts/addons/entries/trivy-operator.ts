import type { AddonDefinition } from '../../model/addon.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

export const trivyOperator: AddonDefinition = {
  name: 'trivy-operator',
  description: 'Trivy Operator: vulnerability, misconfiguration, exposed-secret and RBAC reports of the workloads, as custom resources.',
  homepage: 'https://github.com/aquasecurity/trivy-operator',
  chart: 'trivy-operator',
  repoUrl: 'https://aquasecurity.github.io/helm-charts/',
  version: '0.34.0',
  // Neither the chart (no kubeVersion) nor the project's documentation states a Kubernetes range: the pin has none.
  pins: [{ version: '0.34.0', appVersion: '0.32.0', checkedAgainst: 'aquasecurity/trivy-operator@v0.32.0:deploy/helm/Chart.yaml' }],
  namespace: 'trivy-system',
  serviceAccount: 'trivy-operator',
  // Scan jobs run with the operator's service account (pkg/operator/operator.go) and pull the scanned
  // images themselves: ECR images need AmazonEC2ContainerRegistryReadOnly on that account
  // (docs/docs/vulnerability-scanning/managed-registries.md).
  iamRole: true,
  // Owns the report CRDs: removing them deletes every report.
  onDisable: 'orphan',
  clusterValues: (t, a) => ({ serviceAccount: irsaServiceAccount(t, a) }),
};
