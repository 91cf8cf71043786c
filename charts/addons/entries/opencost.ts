import type { AddonDefinition } from '../../model/addon.js';
import { ClusterAnnotation } from '../../model/contract.js';
import { kubePrometheusStack } from './kube-prometheus-stack.js';

/** kube-prometheus-stack's release: the name of its Prometheus Service and the label its Prometheus selects ServiceMonitors by. */
const kpsRelease = kubePrometheusStack.releaseName ?? kubePrometheusStack.name;

export const opencost: AddonDefinition = {
  name: 'opencost',
  description: 'Kubernetes cost allocation (OpenCost and its UI), on the kube-prometheus-stack Prometheus.',
  homepage: 'https://opencost.io',
  chart: 'opencost',
  repoUrl: 'https://opencost.github.io/opencost-helm-chart',
  version: '2.5.17',
  pins: [
    {
      version: '2.5.17',
      appVersion: '1.120.1',
      // The chart has no kubeVersion; OpenCost's installation docs: "Users should be running Kubernetes 1.21+".
      kubernetes: { min: '1.21' },
      checkedAgainst:
        'opencost/opencost-helm-chart@opencost-2.5.17:charts/opencost/Chart.yaml; opencost/opencost-website@6bdcb9e70f4d598ce5d8787599e1d55f8f2195ca:docs/installation/install.mdx',
    },
  ],
  namespace: 'opencost',
  serviceAccount: 'opencost',
  dependsOn: ['kube-prometheus-stack'],
  onDisable: 'uninstall',
  values: {
    opencost: {
      // kube-prometheus-stack's Prometheus Service: <release>-prometheus, port 9090 (see prometheus-adapter.ts).
      prometheus: { internal: { serviceName: `${kpsRelease}-prometheus`, namespaceName: kubePrometheusStack.namespace, port: 9090 } },
      // kube-prometheus-stack's Prometheus selects ServiceMonitors labelled release=<its release>
      // (prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues: true, templates/prometheus/prometheus.yaml).
      metrics: { serviceMonitor: { enabled: true, additionalLabels: { release: kpsRelease } } },
    },
  },
  // The cluster's id in OpenCost's allocation data: the EKS cluster name.
  clusterValues: (t) => ({ opencost: { exporter: { defaultClusterId: t.annotation(ClusterAnnotation.awsClusterName) } } }),
};
