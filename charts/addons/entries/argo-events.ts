import type { AddonDefinition } from '../../model/addon.js';

export const argoEvents: AddonDefinition = {
  name: 'argo-events',
  description: 'Event-driven triggers for workflows.',
  chart: 'argo-events',
  repoUrl: 'https://argoproj.github.io/argo-helm',
  version: '2.4.22',
  pins: [
    {
      version: '2.4.22',
      appVersion: 'v1.9.10',
      // The chart has no kubeVersion; Argo Events' installation docs: "Kubernetes cluster >=v1.11".
      kubernetes: { min: '1.11' },
      checkedAgainst: 'argoproj/argo-helm@argo-events-2.4.22:charts/argo-events/Chart.yaml; argoproj/argo-events@v1.9.10:docs/installation.md',
    },
  ],
  homepage: 'https://github.com/argoproj/argo-events',
  namespace: 'argo-events',
  onDisable: 'orphan',
  // No serverSideApply: the chart's CRDs are about 1 kB each (schemaless, x-kubernetes-preserve-unknown-fields).
};
