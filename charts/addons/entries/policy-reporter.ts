import type { AddonDefinition } from '../../model/addon.js';

export const policyReporter: AddonDefinition = {
  name: 'policy-reporter',
  description: 'Policy Reporter: metrics, UI and notifications for the PolicyReports Kyverno writes.',
  homepage: 'https://kyverno.github.io/policy-reporter',
  chart: 'policy-reporter',
  repoUrl: 'https://kyverno.github.io/policy-reporter',
  version: '3.9.1',
  // Neither the chart (no kubeVersion) nor the project's documentation states a Kubernetes range: the pin has none.
  pins: [{ version: '3.9.1', checkedAgainst: 'kyverno/policy-reporter@policy-reporter-chart-v3.9.1:charts/policy-reporter/Chart.yaml' }],
  namespace: 'policy-reporter',
  // values.yaml sets fullnameOverride "policy-reporter"; the service account takes the fullname.
  serviceAccount: 'policy-reporter',
  dependsOn: ['kyverno'],
  onDisable: 'uninstall',
  values: {
    ui: { enabled: true },
    plugin: { kyverno: { enabled: true } },
  },
};
