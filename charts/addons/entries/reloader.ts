import type { AddonDefinition } from '../../model/addon.js';

export const reloader: AddonDefinition = {
  name: 'reloader',
  description: 'Rolls Deployments when a Secret they read changes (rotated database passwords).',
  chart: 'reloader',
  repoUrl: 'https://stakater.github.io/stakater-charts',
  version: '2.2.16',
  pins: [
    {
      version: '2.2.16',
      appVersion: 'v1.4.21',
      // README "Compatibility": Kubernetes >= 1.19 (the chart has no kubeVersion).
      kubernetes: { min: '1.19' },
      checkedAgainst: 'stakater/Reloader@chart-v2.2.16:deployments/kubernetes/chart/reloader/Chart.yaml; stakater/Reloader@chart-v2.2.16:README.md',
    },
  ],
  homepage: 'https://github.com/stakater/Reloader',
  namespace: 'reloader',
  onDisable: 'uninstall',
  values: {
    reloader: {
      // --reload-strategy=annotations (templates/deployment.yaml passes it when not "default"): Reloader sets the
      // `reloader.stakater.com/last-reloaded-from` annotation on the pod template, which the rendered manifests never
      // set, where the default (env-vars) adds an env var to a container Argo CD owns and shows as drift. The
      // README recommends it for GitOps.
      reloadStrategy: 'annotations',
      // The container's securityContext.readOnlyRootFilesystem: true, with an emptyDir at /tmp (templates/deployment.yaml).
      readOnlyRootFileSystem: true,
    },
  },
};
