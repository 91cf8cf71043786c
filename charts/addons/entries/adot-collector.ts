import type { AddonDefinition } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';

/** The fact the collector needs: where it remote-writes (the chart's default pipeline is Prometheus -> AMP). */
const AMP_REMOTE_WRITE_URL = 'adot_collector_amp_remote_write_url';

export const adotCollector: AddonDefinition = {
  name: 'adot-collector',
  description: 'AWS Distro for OpenTelemetry collector as a DaemonSet: scrapes annotated pods and remote-writes to Amazon Managed Service for Prometheus.',
  homepage: 'https://github.com/aws-observability/aws-otel-helm-charts',
  deprecated:
    'AWS deprecated the ADOT Helm charts (README of aws-observability/aws-otel-helm-charts, October 2024; no release since 0.22.0 of January 2024): use the ADOT EKS add-on, or the opentelemetry-operator add-on with an OpenTelemetryCollector.',
  chart: 'adot-exporter-for-eks-on-ec2',
  repoUrl: 'https://aws-observability.github.io/aws-otel-helm-charts',
  version: '0.22.0',
  pins: [
    {
      version: '0.22.0',
      appVersion: '0.37.0',
      // Chart.yaml kubeVersion ">=1.19.0-0".
      kubernetes: { min: '1.19' },
      checkedAgainst: 'aws-observability/aws-otel-helm-charts@adot-exporter-for-eks-on-ec2-0.22.0:charts/adot-exporter-for-eks-on-ec2/Chart.yaml',
    },
  ],
  facts: [
    {
      key: AMP_REMOTE_WRITE_URL,
      description: 'the remote write URL of the Amazon Managed Service for Prometheus workspace the collector writes to',
      pattern: 'https://aps-workspaces\\.[a-z0-9-]+\\.amazonaws\\.com/workspaces/[-.A-Za-z0-9_]+/api/v1/remote_write',
    },
  ],
  // The chart puts its DaemonSet, ConfigMap and ServiceAccount in adotCollector.daemonSet.namespace
  // (default amazon-metrics), not in the release namespace: the two must stay the same.
  namespace: 'amazon-metrics',
  serviceAccount: 'adot-collector-sa',
  iamRole: true,
  onDisable: 'uninstall',
  values: {
    // Argo CD creates the namespace (CreateNamespace=true); the chart would template it too.
    adotCollector: { daemonSet: { createNamespace: false } },
  },
  clusterValues: (t, a) => {
    const aws = awsClusterValues(t);
    return {
      // templates/adot-collector/configmap.yaml: the awsemf log group and the sigv4auth / awsemf region.
      clusterName: aws.clusterName,
      awsRegion: aws.region,
      adotCollector: {
        daemonSet: {
          serviceAccount: irsaServiceAccount(t, a),
          ampexporters: { endpoint: t.annotation(AMP_REMOTE_WRITE_URL) },
        },
      },
    };
  },
};
