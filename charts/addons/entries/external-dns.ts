import type { AddonDefinition } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';

const EXTERNAL_DNS = 'kubernetes-sigs/external-dns';

export const externalDns: AddonDefinition = {
  name: 'external-dns',
  description: 'Publishes Service and Ingress host names to Route 53.',
  chart: 'external-dns',
  repoUrl: 'https://kubernetes-sigs.github.io/external-dns',
  version: '1.21.1',
  pins: [
    {
      version: '1.21.1',
      appVersion: '0.21.0',
      // README "Kubernetes version compatibility": ExternalDNS >= 0.18.x runs on Kubernetes 1.21 and later.
      kubernetes: { min: '1.21' },
      checkedAgainst: `${EXTERNAL_DNS}@external-dns-helm-chart-1.21.1:charts/external-dns/Chart.yaml; ${EXTERNAL_DNS}@external-dns-helm-chart-1.21.1:README.md`,
    },
  ],
  homepage: 'https://kubernetes-sigs.github.io/external-dns/',
  namespace: 'external-dns',
  onDisable: 'uninstall',
  serviceAccount: 'external-dns',
  iamRole: true,
  // --provider=aws, --policy=upsert-only (never deletes a record), and --txt-owner-id per cluster so that
  // clusters sharing a hosted zone leave each other's records alone.
  values: { provider: { name: 'aws' }, policy: 'upsert-only' },
  clusterValues: (t, a) => ({ serviceAccount: irsaServiceAccount(t, a), txtOwnerId: awsClusterValues(t).clusterName }),
};
