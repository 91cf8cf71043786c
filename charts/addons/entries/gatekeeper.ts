import type { AddonDefinition } from '../../model/addon.js';

export const gatekeeper: AddonDefinition = {
  name: 'gatekeeper',
  description: 'OPA Gatekeeper admission policies.',
  chart: 'gatekeeper',
  repoUrl: 'https://open-policy-agent.github.io/gatekeeper/charts',
  version: '3.23.0',
  pins: [
    {
      version: '3.23.0',
      appVersion: 'v3.23.0',
      // The chart has no kubeVersion. The install docs: "Gatekeeper requires resources introduced in Kubernetes
      // v1.16", and support follows the Kubernetes releases upstream maintains (docs/Release_Management.md).
      kubernetes: { min: '1.16' },
      checkedAgainst: 'open-policy-agent/gatekeeper@v3.23.0:charts/gatekeeper/Chart.yaml; open-policy-agent/gatekeeper@v3.23.0:website/docs/install.md',
    },
  ],
  homepage: 'https://open-policy-agent.github.io/gatekeeper/website/',
  namespace: 'gatekeeper-system',
  onDisable: 'uninstall',
  // The chart's Validating/MutatingWebhookConfigurations get their caBundle from Gatekeeper's cert rotator.
  webhooks: true,
};
