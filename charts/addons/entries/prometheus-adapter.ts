import type { AddonDefinition } from '../../model/addon.js';
import { kubePrometheusStack } from './kube-prometheus-stack.js';

/**
 * The Prometheus that kube-prometheus-stack runs: its chart names the Service
 * `<kube-prometheus-stack.fullname>-prometheus` (templates/prometheus/service.yaml), the fullname being the
 * release name when it contains the chart name (templates/_helpers.tpl), in the release namespace, on
 * `prometheus.service.port` 9090; the same at kube-prometheus-stack 66.3.1 and 88.5.3. Holds while that
 * add-on sets no fullnameOverride, nameOverride or namespaceOverride.
 */
const kubePrometheusStackPrometheus = `http://${kubePrometheusStack.releaseName ?? kubePrometheusStack.name}-prometheus.${kubePrometheusStack.namespace}.svc`;

export const prometheusAdapter: AddonDefinition = {
  name: 'prometheus-adapter',
  description: 'Custom metrics API (custom.metrics.k8s.io) from the kube-prometheus-stack Prometheus, for HPAs on application metrics.',
  homepage: 'https://github.com/kubernetes-sigs/prometheus-adapter',
  chart: 'prometheus-adapter',
  repoUrl: 'https://prometheus-community.github.io/helm-charts',
  version: '5.3.0',
  pins: [
    {
      version: '5.3.0',
      appVersion: 'v0.12.0',
      // The chart's README, "Prerequisites: Kubernetes 1.21+".
      kubernetes: { min: '1.21' },
      checkedAgainst:
        'prometheus-community/helm-charts@prometheus-adapter-5.3.0:charts/prometheus-adapter/Chart.yaml; prometheus-community/helm-charts@prometheus-adapter-5.3.0:charts/prometheus-adapter/README.md',
    },
  ],
  namespace: 'monitoring',
  serviceAccount: 'prometheus-adapter',
  dependsOn: ['kube-prometheus-stack'],
  onDisable: 'uninstall',
  values: {
    // The chart passes --prometheus-url=<url>:<port><path> (templates/deployment.yaml).
    prometheus: { url: kubePrometheusStackPrometheus, port: 9090 },
  },
};
