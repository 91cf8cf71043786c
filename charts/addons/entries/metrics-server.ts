import type { AddonDefinition } from '../../model/addon.js';

export const metricsServer: AddonDefinition = {
  name: 'metrics-server',
  description: 'Resource metrics for HPA and kubectl top.',
  chart: 'metrics-server',
  repoUrl: 'https://kubernetes-sigs.github.io/metrics-server',
  version: '3.13.1',
  // Ranges: the README's compatibility matrix (Metrics Server 0.8.x: 1.31+, 0.7.x: 1.27+); the chart has no kubeVersion.
  pins: [
    {
      version: '3.13.1',
      appVersion: '0.8.1',
      kubernetes: { min: '1.31' },
      checkedAgainst: 'kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.1:charts/metrics-server/Chart.yaml; kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.1:README.md',
    },
    {
      version: '3.12.2',
      appVersion: '0.7.2',
      kubernetes: { min: '1.27' },
      checkedAgainst: 'kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.12.2:charts/metrics-server/Chart.yaml; kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.1:README.md',
    },
  ],
  homepage: 'https://github.com/kubernetes-sigs/metrics-server',
  namespace: 'kube-system',
  onDisable: 'uninstall',
};
