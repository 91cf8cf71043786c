import type { AddonDefinition } from '../../model/addon.js';
import { irsaServiceAccount } from '../values/cluster-values.js';
import { certManagerCompanions } from '../companions/cert-manager.js';

/** The chart's source: the release tool sets `version` and `appVersion` to the tag (Chart.yaml says v0.0.0). */
const CHART = 'cert-manager/cert-manager';
/** cert-manager's supported-releases table (Kubernetes ranges per release, current and end-of-life). */
const SUPPORTED_RELEASES = 'cert-manager/website@776e5dba56510fc9de84206b806b568447077f25:content/docs/releases/README.md';

/**
 * cert-manager, its controller's role for Route 53 DNS-01 (ambient credentials, which ClusterIssuers use by
 * default): the role annotation on the controller's service account (`serviceAccount.annotations`, read by
 * templates/serviceaccount.yaml), or under Pod Identity its fixed name. The CRDs come with the chart
 * (`crds.enabled`, read by every templates/crd-*.yaml; `crds.keep` stays true). Each release supports four
 * or five Kubernetes minors, so four pins cover 1.30 to 1.36: v1.21 (1.33+), v1.20 (1.32), v1.19 (1.31),
 * v1.18 (1.30, past its end of life: upgrade those clusters' Kubernetes).
 */
export const certManager: AddonDefinition = {
  name: 'cert-manager',
  description: 'Issues and renews TLS certificates.',
  homepage: 'https://cert-manager.io/',
  chart: 'cert-manager',
  repoUrl: 'https://charts.jetstack.io',
  version: 'v1.21.1',
  pins: [
    {
      version: 'v1.21.1',
      appVersion: 'v1.21.1',
      kubernetes: { min: '1.33', max: '1.36' },
      checkedAgainst: `${CHART}@v1.21.1:deploy/charts/cert-manager/Chart.yaml; ${SUPPORTED_RELEASES}`,
    },
    {
      version: 'v1.20.3',
      appVersion: 'v1.20.3',
      kubernetes: { min: '1.32', max: '1.35' },
      checkedAgainst: `${CHART}@v1.20.3:deploy/charts/cert-manager/Chart.template.yaml; ${SUPPORTED_RELEASES}`,
    },
    {
      version: 'v1.19.6',
      appVersion: 'v1.19.6',
      kubernetes: { min: '1.31', max: '1.35' },
      checkedAgainst: `${CHART}@v1.19.6:deploy/charts/cert-manager/Chart.template.yaml; ${SUPPORTED_RELEASES}`,
    },
    {
      version: 'v1.18.6',
      appVersion: 'v1.18.6',
      kubernetes: { min: '1.29', max: '1.33' },
      checkedAgainst: `${CHART}@v1.18.6:deploy/charts/cert-manager/Chart.template.yaml; ${SUPPORTED_RELEASES}`,
    },
  ],
  namespace: 'cert-manager',
  onDisable: 'orphan',
  serviceAccount: 'cert-manager',
  iamRole: true,
  webhooks: true,
  values: { crds: { enabled: true } },
  companions: certManagerCompanions,
  clusterValues: (t, a) => ({ serviceAccount: irsaServiceAccount(t, a) }),
};
