import type { AddonDefinition } from '../../model/addon.js';

export const argocdImageUpdater: AddonDefinition = {
  name: 'argocd-image-updater',
  description: 'Argo CD Image Updater: updates the images of Argo CD Applications named by ImageUpdater resources.',
  homepage: 'https://github.com/argoproj-labs/argocd-image-updater',
  chart: 'argocd-image-updater',
  repoUrl: 'https://argoproj.github.io/argo-helm',
  version: '1.2.4',
  // Neither the chart (no kubeVersion) nor the project's documentation states a Kubernetes range: the pin has none.
  pins: [{ version: '1.2.4', checkedAgainst: 'argoproj/argo-helm@argocd-image-updater-1.2.4:charts/argocd-image-updater/Chart.yaml' }],
  // It must run where the Applications are (the chart's README): the hub, beside Argo CD.
  placement: 'hub',
  namespace: 'argocd',
  serviceAccount: 'argocd-image-updater',
  dependsOn: ['argo-cd'],
  // No IAM role: upstream names no policy; private ECR needs an auth script (authScripts) and a
  // registries entry (config.registries), per the chart's README, given as values.
  // Owns the ImageUpdater CRD (kept by Helm: crds.keep).
  onDisable: 'orphan',
};
