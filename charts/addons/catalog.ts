import type { AddonDefinition } from '../model/addon.js';
import { argoCd } from './entries/argo-cd.js';
import { awsLoadBalancerController } from './entries/aws-load-balancer-controller.js';
import { awsEbsCsiDriver } from './entries/aws-ebs-csi-driver.js';
import { awsEfsCsiDriver } from './entries/aws-efs-csi-driver.js';
import { awsForFluentBit } from './entries/aws-for-fluent-bit.js';
import { awsGatewayApiController } from './entries/aws-gateway-api-controller.js';
import { awsNodeTerminationHandler } from './entries/aws-node-termination-handler.js';
import { argoEvents } from './entries/argo-events.js';
import { argoRollouts } from './entries/argo-rollouts.js';
import { argoWorkflows } from './entries/argo-workflows.js';
import { certManager } from './entries/cert-manager.js';
import { clusterAutoscaler } from './entries/cluster-autoscaler.js';
import { crossplane } from './entries/crossplane.js';
import { externalDns } from './entries/external-dns.js';
import { externalSecrets } from './entries/external-secrets.js';
import { gatekeeper } from './entries/gatekeeper.js';
import { ingressNginx } from './entries/ingress-nginx.js';
import { karpenter } from './entries/karpenter.js';
import { keda } from './entries/keda.js';
import { kubePrometheusStack } from './entries/kube-prometheus-stack.js';
import { kyverno } from './entries/kyverno.js';
import { metricsServer } from './entries/metrics-server.js';
import { opentelemetryOperator } from './entries/opentelemetry-operator.js';
import { reloader } from './entries/reloader.js';
import { velero } from './entries/velero.js';
import { vpa } from './entries/vpa.js';
import { adotCollector } from './entries/adot-collector.js';
import { argocdImageUpdater } from './entries/argocd-image-updater.js';
import { descheduler } from './entries/descheduler.js';
import { kubeStateMetrics } from './entries/kube-state-metrics.js';
import { opencost } from './entries/opencost.js';
import { policyReporter } from './entries/policy-reporter.js';
import { prometheusAdapter } from './entries/prometheus-adapter.js';
import { trivyOperator } from './entries/trivy-operator.js';
import { ackDynamodbController } from './entries/ack-dynamodb-controller.js';
import { ackEksController } from './entries/ack-eks-controller.js';
import { ackIamController } from './entries/ack-iam-controller.js';
import { ackRdsController } from './entries/ack-rds-controller.js';
import { ackS3Controller } from './entries/ack-s3-controller.js';
import { amazonCloudwatchObservability } from './entries/amazon-cloudwatch-observability.js';
import { awsMountpointS3CsiDriver } from './entries/aws-mountpoint-s3-csi-driver.js';
import { awsPrivatecaIssuer } from './entries/aws-privateca-issuer.js';
import { secretsStoreCsiDriver } from './entries/secrets-store-csi-driver.js';
import { secretsStoreCsiDriverProviderAws } from './entries/secrets-store-csi-driver-provider-aws.js';

/**
 * The add-on catalog, after the EKS Blueprints / GitOps Bridge add-ons: one entry per add-on, each in its own
 * file under `entries/`, pinned. Versions here are the fleet-wide defaults; environments and clusters pin others as data.
 */
export const ADDON_CATALOG: readonly AddonDefinition[] = [
  argoCd,
  awsLoadBalancerController,
  awsEbsCsiDriver,
  awsEfsCsiDriver,
  awsForFluentBit,
  awsGatewayApiController,
  awsNodeTerminationHandler,
  argoEvents,
  argoRollouts,
  argoWorkflows,
  certManager,
  clusterAutoscaler,
  crossplane,
  externalDns,
  externalSecrets,
  gatekeeper,
  ingressNginx,
  karpenter,
  keda,
  kubePrometheusStack,
  kyverno,
  metricsServer,
  opentelemetryOperator,
  reloader,
  velero,
  vpa,
  adotCollector,
  argocdImageUpdater,
  descheduler,
  kubeStateMetrics,
  opencost,
  policyReporter,
  prometheusAdapter,
  trivyOperator,
  ackDynamodbController,
  ackEksController,
  ackIamController,
  ackRdsController,
  ackS3Controller,
  amazonCloudwatchObservability,
  awsMountpointS3CsiDriver,
  awsPrivatecaIssuer,
  secretsStoreCsiDriver,
  secretsStoreCsiDriverProviderAws,
];
