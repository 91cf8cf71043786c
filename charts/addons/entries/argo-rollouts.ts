import type { AddonDefinition } from '../../model/addon.js';

/** Argo Rollouts' "Supported versions" (docs/installation.md) are the Kubernetes versions its e2e workflow tests at that tag. */
const tested = (tag: string) => `argoproj/argo-rollouts@${tag}:docs/installation.md; argoproj/argo-rollouts@${tag}:.github/workflows/testing.yaml`;

export const argoRollouts: AddonDefinition = {
  name: 'argo-rollouts',
  description: 'Blue-green and canary deployments.',
  chart: 'argo-rollouts',
  repoUrl: 'https://argoproj.github.io/argo-helm',
  version: '2.41.0',
  pins: [
    {
      version: '2.41.0',
      appVersion: 'v1.9.0',
      kubernetes: { min: '1.31', max: '1.34' },
      checkedAgainst: `argoproj/argo-helm@argo-rollouts-2.41.0:charts/argo-rollouts/Chart.yaml; ${tested('v1.9.0')}`,
    },
    {
      version: '2.40.7',
      appVersion: 'v1.8.4',
      kubernetes: { min: '1.28', max: '1.31' },
      checkedAgainst: `argoproj/argo-helm@argo-rollouts-2.40.7:charts/argo-rollouts/Chart.yaml; ${tested('v1.8.4')}`,
    },
  ],
  homepage: 'https://github.com/argoproj/argo-rollouts',
  namespace: 'argo-rollouts',
  onDisable: 'orphan',
  // No serverSideApply: its largest CRD (AnalysisRun) is about 60 kB as JSON, under client-side apply's limit.
};
