import type { AddonDefinition } from '../../model/addon.js';

/** KEDA's compatibility matrix of one release line, in keda-docs (chart and app versions are the same). */
const matrix = (line: string) => `kedacore/keda-docs@a55c5d345e2cbd9923ab4936f1cabc2a17e9abac:content/docs/${line}/operate/cluster.md`;

export const keda: AddonDefinition = {
  name: 'keda',
  description: 'Event-driven pod autoscaling.',
  chart: 'keda',
  repoUrl: 'https://kedacore.github.io/charts',
  version: '2.20.2',
  // Ranges: the documented matrix of the Kubernetes versions each KEDA release is tested on ("N-2"); the
  // chart's kubeVersion (>=v1.23.0-0) is looser. One pin per release line, so 1.30 to 1.35 each get the newest.
  pins: [
    { version: '2.20.2', appVersion: '2.20.2', kubernetes: { min: '1.33', max: '1.35' }, checkedAgainst: `kedacore/charts@v2.20.2:keda/Chart.yaml; ${matrix('2.20')}` },
    { version: '2.19.0', appVersion: '2.19.0', kubernetes: { min: '1.32', max: '1.34' }, checkedAgainst: `kedacore/charts@v2.19.0:keda/Chart.yaml; ${matrix('2.19')}` },
    { version: '2.18.3', appVersion: '2.18.3', kubernetes: { min: '1.31', max: '1.33' }, checkedAgainst: `kedacore/charts@v2.18.3:keda/Chart.yaml; ${matrix('2.18')}` },
    { version: '2.17.2', appVersion: '2.17.2', kubernetes: { min: '1.30', max: '1.32' }, checkedAgainst: `kedacore/charts@v2.17.2:keda/Chart.yaml; ${matrix('2.17')}` },
  ],
  homepage: 'https://keda.sh',
  namespace: 'keda',
  onDisable: 'orphan',
  // The ScaledJob CRD is 668 kB (templates/crds/crd-scaledjobs.yaml at 2.20.2): over client-side apply's limit.
  serverSideApply: true,
  // Its admission webhooks' caBundle is filled in by the operator's own certificate rotation.
  webhooks: true,
};
