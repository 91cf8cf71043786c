/**
 * adot-collector (aws-observability/aws-otel-helm-charts, chart adot-exporter-for-eks-on-ec2 0.22.0): the AWS
 * managed policies its README names as prerequisites (charts/adot-exporter-for-eks-on-ec2/README.md at tag
 * adot-exporter-for-eks-on-ec2-0.22.0): the Container Insights prerequisites (CloudWatchAgentServerPolicy,
 * for the awsemf exporter) and the Prometheus remote write access (AmazonPrometheusRemoteWriteAccess, for the
 * default prometheusremotewrite pipeline). The chart's collector configuration has no trace pipeline, so no
 * X-Ray policy.
 */
import type { AddonPermissionContext, AddonPermissions } from './types.js';

export const adotCollectorPermissions = (_ctx: AddonPermissionContext): AddonPermissions => ({
  managedPolicyArns: [
    'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess',
    'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
  ],
  inputs: {},
});
