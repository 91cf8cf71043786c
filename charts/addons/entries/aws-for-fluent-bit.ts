import type { AddonDefinition } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';

export const awsForFluentBit: AddonDefinition = {
  name: 'aws-for-fluent-bit',
  description: 'Ships container logs to CloudWatch Logs.',
  chart: 'aws-for-fluent-bit',
  repoUrl: 'https://aws.github.io/eks-charts',
  version: '0.2.0',
  pins: [
    {
      version: '0.2.0',
      appVersion: '3.2.1',
      // No range: neither the chart (no kubeVersion) nor its project states the Kubernetes versions it supports.
      checkedAgainst: 'aws/eks-charts@v0.0.242:stable/aws-for-fluent-bit/Chart.yaml',
    },
  ],
  homepage: 'https://github.com/aws/aws-for-fluent-bit',
  namespace: 'amazon-cloudwatch',
  onDisable: 'uninstall',
  serviceAccount: 'aws-for-fluent-bit',
  iamRole: true,
  // The chart's cloudWatchLogs output (enabled by default) into the cluster's log group, which it creates
  // (autoCreateGroup, default true): both within the role's /aws/eks/<cluster>/* scope.
  clusterValues: (t, a) => {
    const aws = awsClusterValues(t);
    return {
      serviceAccount: irsaServiceAccount(t, a),
      cloudWatchLogs: { region: aws.region, logGroupName: `/aws/eks/${aws.clusterName}/workloads` },
    };
  },
};
