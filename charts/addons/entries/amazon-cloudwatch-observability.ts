import type { AddonDefinition } from '../../model/addon.js';
import { AddonAnnotation, ClusterAnnotation } from '../../model/contract.js';

/**
 * Amazon CloudWatch Observability 6.4.0 (CloudWatch agent operator, agent, Fluent Bit: Container Insights
 * and Application Signals): aws-observability/helm-charts@amazon-cloudwatch-observability-6.4.0,
 * charts/amazon-cloudwatch-observability/Chart.yaml (appVersion 1.0.0) and values.yaml; Helm repository
 * and namespace of the chart's README. Its pin has no Kubernetes range: the chart has no `kubeVersion` and the repository
 * documents no Kubernetes range.
 *
 * - Its CRDs are up to 623 KB (amazoncloudwatchagents): server-side apply.
 * - Its webhook certificates and the agent's TLS certificates from cert-manager: the chart's own are made
 *   with `genCA` on every render (Argo CD's helm template has no `lookup`), so they would change on every
 *   sync; with cert-manager, its cainjector fills the webhooks' caBundle.
 * - The agent's service account has no annotations in the chart (templates/cloudwatch-agent-serviceaccount.yaml):
 *   the role reaches the agent and Fluent Bit through EKS Pod Identity only; an IRSA-only cluster gets
 *   no role there (they fall back to the node role).
 */
export const amazonCloudwatchObservability: AddonDefinition = {
  name: 'amazon-cloudwatch-observability',
  description: 'CloudWatch agent and Fluent Bit: Container Insights metrics, container logs and Application Signals.',
  homepage: 'https://github.com/aws-observability/helm-charts',
  chart: 'amazon-cloudwatch-observability',
  repoUrl: 'https://aws-observability.github.io/helm-charts',
  version: '6.4.0',
  pins: [{ version: '6.4.0', appVersion: '1.0.0', checkedAgainst: 'aws-observability/helm-charts@amazon-cloudwatch-observability-6.4.0:charts/amazon-cloudwatch-observability/Chart.yaml' }],
  namespace: 'amazon-cloudwatch',
  // templates/_helpers.tpl cloudwatch-agent.serviceAccountName: `agent.name`, default cloudwatch-agent (the
  // agent and Fluent Bit both run as it).
  serviceAccount: 'cloudwatch-agent',
  iamRole: true,
  serverSideApply: true,
  webhooks: true,
  dependsOn: ['cert-manager'],
  onDisable: 'orphan',
  values: {
    admissionWebhooks: { certManager: { enabled: true } },
    agent: { certManager: { enabled: true } },
  },
  clusterValues: (t, a) => ({
    clusterName: t.annotation(ClusterAnnotation.awsClusterName),
    region: t.annotation(ClusterAnnotation.awsRegion),
    agent: { serviceAccount: { name: t.annotation(AddonAnnotation.serviceAccount(a.name)) } },
  }),
};
