import type { AddonDefinition } from '../../model/addon.js';

export const argoWorkflows: AddonDefinition = {
  name: 'argo-workflows',
  description: 'Workflow engine for jobs and pipelines.',
  chart: 'argo-workflows',
  repoUrl: 'https://argoproj.github.io/argo-helm',
  version: '1.0.18',
  // Ranges: the Kubernetes versions each release is tested on (docs/tested-kubernetes-versions.md, two minors); the
  // release docs add that newer Kubernetes versions are generally supported, so no upper bound.
  pins: [
    {
      version: '1.0.18',
      appVersion: 'v4.0.6',
      kubernetes: { min: '1.31' },
      checkedAgainst: 'argoproj/argo-helm@argo-workflows-1.0.18:charts/argo-workflows/Chart.yaml; argoproj/argo-workflows@v4.0.6:docs/tested-kubernetes-versions.md; argoproj/argo-workflows@v4.0.6:docs/releases.md',
    },
    {
      version: '0.45.20',
      appVersion: 'v3.6.10',
      kubernetes: { min: '1.28' },
      checkedAgainst: 'argoproj/argo-helm@argo-workflows-0.45.20:charts/argo-workflows/Chart.yaml; argoproj/argo-workflows@v3.6.10:docs/tested-kubernetes-versions.md; argoproj/argo-workflows@v3.6.10:docs/releases.md',
    },
  ],
  homepage: 'https://github.com/argoproj/argo-workflows',
  namespace: 'argo-workflows',
  onDisable: 'orphan',
  // 1.0.x installs the full CRDs (crds.full, 2.6 MB) from a hook Job with kubectl apply --server-side; with
  // crds.full false the chart renders them itself, the WorkflowTaskSet one 643 kB: over client-side apply's limit.
  serverSideApply: true,
};
