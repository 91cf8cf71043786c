import type { AddonDefinition } from '../../model/addon.js';
import { kyvernoCompanions } from '../companions/kyverno.js';

export const kyverno: AddonDefinition = {
  name: 'kyverno',
  description: 'Kubernetes-native policy engine.',
  // Not newer: the companion policies are validated against Kyverno v1.19.0's CRDs (../shared/crds/SOURCES.md).
  chart: 'kyverno',
  repoUrl: 'https://kyverno.github.io/kyverno',
  version: '3.9.0',
  pins: [
    {
      version: '3.9.0',
      appVersion: 'v1.19.0',
      // The chart's kubeVersion (>=1.25.0-0). Upstream's conformance tests at v1.19.0 run on 1.33 to 1.35 only.
      kubernetes: { min: '1.25' },
      checkedAgainst: 'kyverno/kyverno@v1.19.0:charts/kyverno/Chart.yaml',
    },
  ],
  homepage: 'https://kyverno.io',
  namespace: 'kyverno',
  onDisable: 'orphan',
  // ClusterPolicy and Policy CRDs are 1.4 MB each.
  serverSideApply: true,
  // No webhooks flag: the chart renders no webhook configuration; Kyverno's admission controller registers its
  // own at run time, outside the Application (the chart's Helm pre-delete hook, webhooksCleanup, removes them).
  companions: kyvernoCompanions,
};
