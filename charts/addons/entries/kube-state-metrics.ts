import type { AddonDefinition, AddonPin } from '../../model/addon.js';

const CHART = 'prometheus-community/helm-charts';
const README = 'kubernetes/kube-state-metrics';

/**
 * kube-state-metrics documents one Kubernetes minor per release (README "Compatibility matrix": the
 * client-go minor it is built with; anything else "best effort"), so each pin holds exactly that minor:
 * the newest chart of each kube-state-metrics minor, its client-go checked in go.mod at the app tag.
 */
const pin = (version: string, appVersion: string, kubernetes: string, appTag: string): AddonPin => ({
  version,
  appVersion,
  kubernetes: { min: kubernetes, max: kubernetes },
  checkedAgainst: `${CHART}@kube-state-metrics-${version}:charts/kube-state-metrics/Chart.yaml; ${README}@${appTag}:README.md`,
});

export const kubeStateMetrics: AddonDefinition = {
  name: 'kube-state-metrics',
  description: 'Metrics on the state of Kubernetes objects, standalone (kube-prometheus-stack bundles its own: enable one of the two).',
  homepage: 'https://github.com/kubernetes/kube-state-metrics',
  chart: 'kube-state-metrics',
  repoUrl: 'https://prometheus-community.github.io/helm-charts',
  version: '8.4.0',
  pins: [
    pin('8.4.0', '2.20.0', '1.36', 'v2.20.0'),
    pin('8.3.1', '2.19.1', '1.35', 'v2.19.1'),
    pin('7.3.0', '2.18.0', '1.34', 'v2.18.0'),
    pin('7.0.1', '2.17.0', '1.33', 'v2.17.0'),
    pin('6.1.5', '2.16.0', '1.32', 'v2.16.0'),
    pin('5.29.0', '2.14.0', '1.31', 'v2.14.0'),
    pin('5.26.0', '2.13.0', '1.30', 'v2.13.0'),
  ],
  namespace: 'kube-system',
  // The chart's default: its fullname, the release name.
  serviceAccount: 'kube-state-metrics',
  onDisable: 'uninstall',
};
