import type { AddonDefinition } from '../../model/addon.js';

export const kubePrometheusStack: AddonDefinition = {
  name: 'kube-prometheus-stack',
  description: 'Prometheus, Alertmanager, Grafana and the Prometheus Operator.',
  chart: 'kube-prometheus-stack',
  repoUrl: 'https://prometheus-community.github.io/helm-charts',
  version: '88.5.3',
  pins: [
    {
      version: '88.5.3',
      appVersion: 'v0.93.1',
      kubernetes: { min: '1.25' },
      checkedAgainst: 'prometheus-community/helm-charts@kube-prometheus-stack-88.5.3:charts/kube-prometheus-stack/Chart.yaml',
    },
    {
      // The release spoke-prod stays on (environments/clusters.ts).
      version: '65.8.1',
      appVersion: 'v0.77.2',
      kubernetes: { min: '1.19' },
      checkedAgainst: 'prometheus-community/helm-charts@kube-prometheus-stack-65.8.1:charts/kube-prometheus-stack/Chart.yaml',
    },
  ],
  homepage: 'https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack',
  namespace: 'monitoring',
  onDisable: 'orphan',
  // The CRDs (crds subchart) are up to 833 kB (prometheuses): far over the 256 KiB of client-side apply's annotation.
  serverSideApply: true,
  // prometheusOperator.admissionWebhooks: the caBundle is patched in by the chart's hook jobs.
  webhooks: true,
};
