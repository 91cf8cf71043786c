import type { AddonDefinition, AddonPin } from '../../model/addon.js';

const REPO = 'kubernetes-sigs/descheduler';

/**
 * The descheduler's minor follows the Kubernetes minor it supports (README "Compatibility Matrix": v0.N
 * supports v1.N; the rows of v0.30 and v0.31 appear in the README from chart 0.32.0 on, so every pin
 * names the README of the newest chart tag). One pin per minor: the newest chart of that minor.
 */
const pin = (version: string): AddonPin => {
  const minor = `1.${version.split('.')[1]}`;
  return {
    version,
    appVersion: version,
    kubernetes: { min: minor, max: minor },
    checkedAgainst: `${REPO}@descheduler-helm-chart-${version}:charts/descheduler/Chart.yaml; ${REPO}@descheduler-helm-chart-0.36.0:README.md`,
  };
};

export const descheduler: AddonDefinition = {
  name: 'descheduler',
  description: 'Evicts pods that violate spread, affinity or utilization policies so the scheduler places them better (a CronJob by default).',
  homepage: 'https://github.com/kubernetes-sigs/descheduler',
  chart: 'descheduler',
  repoUrl: 'https://kubernetes-sigs.github.io/descheduler/',
  version: '0.36.0',
  pins: ['0.36.0', '0.35.1', '0.34.0', '0.33.0', '0.32.2', '0.31.0', '0.30.2'].map(pin),
  namespace: 'kube-system',
  serviceAccount: 'descheduler',
  onDisable: 'uninstall',
};
