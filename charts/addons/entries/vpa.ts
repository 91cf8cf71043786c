import type { AddonDefinition } from '../../model/addon.js';

export const vpa: AddonDefinition = {
  name: 'vpa',
  description: 'Vertical Pod Autoscaler recommender, updater and admission controller.',
  chart: 'vpa',
  repoUrl: 'https://charts.fairwinds.com/stable',
  version: '5.0.0',
  pins: [
    {
      // FairwindsOps/charts has no release tags in the store: the commit that released 5.0.0 ("[stable/vpa] update VPA to 1.7.1").
      version: '5.0.0',
      appVersion: '1.7.1',
      kubernetes: { min: '1.28' },
      checkedAgainst: 'FairwindsOps/charts@5f478fcec32f69a0818a7f78f4be5cbe7a1719c4:stable/vpa/Chart.yaml',
    },
  ],
  homepage: 'https://github.com/kubernetes/autoscaler/tree/master/vertical-pod-autoscaler',
  namespace: 'vpa',
  onDisable: 'uninstall',
  // The chart renders the admission controller's MutatingWebhookConfiguration without a caBundle; its certgen
  // post-install/post-upgrade hook job patches it in (templates/webhooks/jobs/certgen-patch.yaml).
  webhooks: true,
  // The chart's own metrics-server subchart stays off (metrics-server.enabled: false); the catalog's is used.
  dependsOn: ['metrics-server'],
};
