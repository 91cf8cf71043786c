import type { AddonDefinition } from '../../model/addon.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

const ESO = 'external-secrets/external-secrets';

export const externalSecrets: AddonDefinition = {
  name: 'external-secrets',
  description: 'Syncs secrets from AWS Secrets Manager and Parameter Store.',
  // The newest release in the store; its CRDs are the v2.9.0 ones the fleet's bindings are generated from
  // (../shared/crds/SOURCES.md): the chart release (helm-chart-2.9.0) changes no CRD of tag v2.9.0.
  chart: 'external-secrets',
  repoUrl: 'https://charts.external-secrets.io',
  version: '2.9.0',
  pins: [
    {
      version: '2.9.0',
      appVersion: 'v2.9.0',
      kubernetes: { min: '1.19' },
      checkedAgainst: `${ESO}@helm-chart-2.9.0:deploy/charts/external-secrets/Chart.yaml`,
    },
  ],
  homepage: 'https://external-secrets.io/',
  namespace: 'external-secrets',
  onDisable: 'orphan',
  serviceAccount: 'external-secrets',
  iamRole: true,
  webhooks: true,
  serverSideApply: true,
  clusterValues: (t, a) => ({ serviceAccount: irsaServiceAccount(t, a) }),
};
