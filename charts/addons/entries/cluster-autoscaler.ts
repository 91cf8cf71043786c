import type { AddonDefinition, AddonPin } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';

/**
 * Cluster Autoscaler is released per Kubernetes minor and meant to run with that minor only ("We recommend
 * using Cluster Autoscaler with the Kubernetes control plane version for which it was meant",
 * cluster-autoscaler/README.md, Releases): one pin per minor, the newest chart whose appVersion (the image
 * it runs) is that minor. The chart moved from charts/ to cluster-autoscaler/charts/ after 9.51.0.
 */
const pin = (version: string, appVersion: string, chartDir: string): AddonPin => {
  const minor = appVersion.split('.').slice(0, 2).join('.');
  const tag = `cluster-autoscaler-chart-${version}`;
  return {
    version,
    appVersion,
    kubernetes: { min: minor, max: minor },
    checkedAgainst: `kubernetes/autoscaler@${tag}:${chartDir}/Chart.yaml; kubernetes/autoscaler@${tag}:cluster-autoscaler/README.md`,
  };
};

export const clusterAutoscaler: AddonDefinition = {
  name: 'cluster-autoscaler',
  description: 'Scales node groups to pending pods (for clusters not on Karpenter).',
  chart: 'cluster-autoscaler',
  repoUrl: 'https://kubernetes.github.io/autoscaler',
  version: '9.59.0',
  pins: [
    pin('9.59.0', '1.35.0', 'cluster-autoscaler/charts/cluster-autoscaler'),
    pin('9.53.0', '1.34.2', 'cluster-autoscaler/charts/cluster-autoscaler'),
    pin('9.51.0', '1.33.0', 'charts/cluster-autoscaler'),
    pin('9.46.6', '1.32.0', 'charts/cluster-autoscaler'),
    pin('9.44.0', '1.31.0', 'charts/cluster-autoscaler'),
    pin('9.37.0', '1.30.0', 'charts/cluster-autoscaler'),
  ],
  homepage: 'https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler',
  namespace: 'kube-system',
  onDisable: 'uninstall',
  serviceAccount: 'cluster-autoscaler',
  iamRole: true,
  // cloudProvider is aws by default; autoDiscovery.clusterName turns on ASG auto-discovery by the tags
  // k8s.io/cluster-autoscaler/enabled and k8s.io/cluster-autoscaler/<cluster> (the chart's default
  // autoDiscovery.tags), which EKS managed node groups carry; awsRegion becomes AWS_REGION.
  clusterValues: (t, a) => {
    const aws = awsClusterValues(t);
    return {
      awsRegion: aws.region,
      autoDiscovery: { clusterName: aws.clusterName },
      rbac: { serviceAccount: irsaServiceAccount(t, a) },
    };
  },
};
