import { AddonDefinition } from '../model/addon.js';
import { IRSA_ROLE_ANNOTATION } from '../model/cluster-metadata.js';
import { awsClusterValues, irsaServiceAccount } from './cluster-values.js';
import { healthCheckConfig, hubHealthChecks } from '../argocd/health-checks.js';
import { DATABASE_API_GROUP, POSTGRES_CLAIM } from '../crossplane/postgres-api.js';

/**
 * The add-on catalog, after the EKS Blueprints / GitOps Bridge add-ons. One entry per add-on, pinned.
 * Versions here are the fleet-wide defaults; environments and clusters pin others as data.
 */
export const ADDON_CATALOG: readonly AddonDefinition[] = [
  {
    name: 'argo-cd',
    description: 'Argo CD on the hub, managing itself after bootstrap.',
    chart: 'argo-cd',
    repoUrl: 'https://argoproj.github.io/argo-helm',
    version: '9.1.4',
    namespace: 'argocd',
    onDisable: 'orphan',
    serviceAccount: 'argocd-application-controller',
    iamRole: true,
    placement: 'hub',
    releaseName: 'argo-cd',
    serverSideApply: true,
    prune: false,
    values: {
      configs: {
        params: { 'applicationsetcontroller.enable.progressive.syncs': true },
        // Health for the database claims, Crossplane packages and child Applications, so waves wait for them.
        cm: healthCheckConfig(hubHealthChecks([{ group: DATABASE_API_GROUP, kind: POSTGRES_CLAIM.kind }])),
      },
    },
    // The controller and the server call argocd-k8s-auth (EKS tokens for the spokes): both need the role.
    iamServiceAccounts: ['argocd-application-controller', 'argocd-server'],
    clusterValues: (t, a) => {
      const arn = t.irsaRoleArn(a.name);
      if (arn === undefined) return {};
      const roleArn = { [IRSA_ROLE_ANNOTATION]: arn };
      return {
        controller: { serviceAccount: { annotations: roleArn } },
        server: { serviceAccount: { annotations: roleArn } },
      };
    },
  },
  {
    name: 'aws-load-balancer-controller',
    description: 'Provisions ALBs and NLBs for Ingresses and Services.',
    chart: 'aws-load-balancer-controller',
    repoUrl: 'https://aws.github.io/eks-charts',
    version: '1.11.0',
    namespace: 'kube-system',
    onDisable: 'orphan',
    serviceAccount: 'aws-load-balancer-controller',
    iamRole: true,
    webhooks: true,
    // The webhook's certificate from cert-manager, its caBundle injected by cert-manager's cainjector: the
    // chart's own certificate is generated anew on every render (Argo CD's helm template has no `lookup`
    // for keepTLSSecret), so the served certificate and the ignored caBundle would drift apart.
    dependsOn: ['cert-manager'],
    values: { enableCertManager: true },
    clusterValues: (t, a) => {
      const aws = awsClusterValues(t);
      return { clusterName: aws.clusterName, region: aws.region, vpcId: aws.vpcId, serviceAccount: irsaServiceAccount(t, a) };
    },
  },
  {
    name: 'aws-ebs-csi-driver',
    description: 'EBS CSI driver with a default encrypted gp3 StorageClass.',
    chart: 'aws-ebs-csi-driver',
    repoUrl: 'https://kubernetes-sigs.github.io/aws-ebs-csi-driver',
    version: '2.37.0',
    namespace: 'kube-system',
    onDisable: 'orphan',
    serviceAccount: 'ebs-csi-controller-sa',
    iamRole: true,
    values: {
      storageClasses: [
        {
          name: 'gp3',
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
          volumeBindingMode: 'WaitForFirstConsumer',
          reclaimPolicy: 'Delete',
          allowVolumeExpansion: true,
          parameters: { type: 'gp3', encrypted: 'true' },
        },
      ],
    },
    clusterValues: (t, a) => ({ controller: { serviceAccount: irsaServiceAccount(t, a) } }),
  },
  {
    name: 'aws-efs-csi-driver',
    description: 'EFS CSI driver for shared ReadWriteMany volumes.',
    chart: 'aws-efs-csi-driver',
    repoUrl: 'https://kubernetes-sigs.github.io/aws-efs-csi-driver',
    version: '3.1.5',
    namespace: 'kube-system',
    onDisable: 'orphan',
    serviceAccount: 'efs-csi-controller-sa',
    iamRole: true,
    clusterValues: (t, a) => ({ controller: { serviceAccount: irsaServiceAccount(t, a) } }),
  },
  {
    name: 'aws-for-fluent-bit',
    description: 'Ships container logs to CloudWatch Logs.',
    chart: 'aws-for-fluent-bit',
    repoUrl: 'https://aws.github.io/eks-charts',
    version: '0.1.34',
    namespace: 'amazon-cloudwatch',
    onDisable: 'uninstall',
    serviceAccount: 'aws-for-fluent-bit',
    iamRole: true,
    clusterValues: (t, a) => {
      const aws = awsClusterValues(t);
      return {
        serviceAccount: irsaServiceAccount(t, a),
        cloudWatchLogs: { region: aws.region, logGroupName: `/aws/eks/${aws.clusterName}/workloads` },
      };
    },
  },
  {
    name: 'aws-gateway-api-controller',
    description: 'Amazon VPC Lattice controller for the Kubernetes Gateway API.',
    chart: 'aws-gateway-controller-chart',
    repoUrl: 'public.ecr.aws/aws-application-networking-k8s',
    oci: true,
    version: 'v1.0.7',
    namespace: 'aws-application-networking-system',
    onDisable: 'orphan',
    serviceAccount: 'gateway-api-controller',
    iamRole: true,
    clusterValues: (t, a) => {
      const aws = awsClusterValues(t);
      return { serviceAccount: irsaServiceAccount(t, a), awsRegion: aws.region, clusterVpcId: aws.vpcId, clusterName: aws.clusterName };
    },
  },
  {
    name: 'aws-node-termination-handler',
    description: 'Drains nodes on EC2 spot interruptions and maintenance events.',
    chart: 'aws-node-termination-handler',
    repoUrl: 'https://aws.github.io/eks-charts',
    version: '0.21.0',
    namespace: 'kube-system',
    onDisable: 'uninstall',
    serviceAccount: 'aws-node-termination-handler',
    iamRole: true,
    clusterValues: (t, a) => ({ serviceAccount: irsaServiceAccount(t, a), awsRegion: awsClusterValues(t).region }),
  },
  {
    name: 'argo-events',
    description: 'Event-driven triggers for workflows.',
    chart: 'argo-events',
    repoUrl: 'https://argoproj.github.io/argo-helm',
    version: '2.4.9',
    namespace: 'argo-events',
    onDisable: 'orphan',
    serverSideApply: true,
  },
  {
    name: 'argo-rollouts',
    description: 'Blue-green and canary deployments.',
    chart: 'argo-rollouts',
    repoUrl: 'https://argoproj.github.io/argo-helm',
    version: '2.38.0',
    namespace: 'argo-rollouts',
    onDisable: 'orphan',
  },
  {
    name: 'argo-workflows',
    description: 'Workflow engine for jobs and pipelines.',
    chart: 'argo-workflows',
    repoUrl: 'https://argoproj.github.io/argo-helm',
    version: '0.42.7',
    namespace: 'argo-workflows',
    onDisable: 'orphan',
    serverSideApply: true,
  },
  {
    name: 'cert-manager',
    description: 'Issues and renews TLS certificates.',
    chart: 'cert-manager',
    repoUrl: 'https://charts.jetstack.io',
    version: 'v1.16.2',
    namespace: 'cert-manager',
    onDisable: 'orphan',
    serviceAccount: 'cert-manager',
    iamRole: true,
    webhooks: true,
    values: { crds: { enabled: true } },
    clusterValues: (t, a) => ({ serviceAccount: irsaServiceAccount(t, a) }),
  },
  {
    name: 'cluster-autoscaler',
    description: 'Scales node groups to pending pods (for clusters not on Karpenter).',
    chart: 'cluster-autoscaler',
    repoUrl: 'https://kubernetes.github.io/autoscaler',
    version: '9.43.2',
    namespace: 'kube-system',
    onDisable: 'uninstall',
    serviceAccount: 'cluster-autoscaler',
    iamRole: true,
    clusterValues: (t, a) => {
      const aws = awsClusterValues(t);
      return {
        awsRegion: aws.region,
        autoDiscovery: { clusterName: aws.clusterName },
        rbac: { serviceAccount: irsaServiceAccount(t, a) },
      };
    },
  },
  {
    name: 'crossplane',
    description: 'Control plane for AWS services on the hub (providers come with the Crossplane issue).',
    chart: 'crossplane',
    repoUrl: 'https://charts.crossplane.io/stable',
    version: '2.3.4',
    namespace: 'crossplane-system',
    onDisable: 'orphan',
    serviceAccount: 'crossplane',
    iamRole: true,
    placement: 'hub',
    serverSideApply: true,
  },
  {
    name: 'external-dns',
    description: 'Publishes Service and Ingress host names to Route 53.',
    chart: 'external-dns',
    repoUrl: 'https://kubernetes-sigs.github.io/external-dns',
    version: '1.15.0',
    namespace: 'external-dns',
    onDisable: 'uninstall',
    serviceAccount: 'external-dns',
    iamRole: true,
    values: { provider: { name: 'aws' }, policy: 'upsert-only' },
    clusterValues: (t, a) => ({ serviceAccount: irsaServiceAccount(t, a), txtOwnerId: awsClusterValues(t).clusterName }),
  },
  {
    name: 'external-secrets',
    description: 'Syncs secrets from AWS Secrets Manager and Parameter Store.',
    chart: 'external-secrets',
    repoUrl: 'https://charts.external-secrets.io',
    version: '1.3.2',
    namespace: 'external-secrets',
    onDisable: 'orphan',
    serviceAccount: 'external-secrets',
    iamRole: true,
    webhooks: true,
    serverSideApply: true,
    clusterValues: (t, a) => ({ serviceAccount: irsaServiceAccount(t, a) }),
  },
  {
    name: 'gatekeeper',
    description: 'OPA Gatekeeper admission policies.',
    chart: 'gatekeeper',
    repoUrl: 'https://open-policy-agent.github.io/gatekeeper/charts',
    version: '3.18.0',
    namespace: 'gatekeeper-system',
    onDisable: 'uninstall',
    webhooks: true,
  },
  {
    name: 'ingress-nginx',
    description: 'NGINX ingress controller behind an NLB.',
    chart: 'ingress-nginx',
    repoUrl: 'https://kubernetes.github.io/ingress-nginx',
    version: '4.11.3',
    namespace: 'ingress-nginx',
    onDisable: 'orphan',
    webhooks: true,
    dependsOn: ['aws-load-balancer-controller'],
    values: {
      controller: {
        service: {
          annotations: {
            'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
            'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
          },
        },
      },
    },
  },
  {
    name: 'karpenter',
    description: 'Just-in-time node provisioning.',
    chart: 'karpenter',
    repoUrl: 'public.ecr.aws/karpenter',
    oci: true,
    version: '1.1.1',
    namespace: 'karpenter',
    onDisable: 'orphan',
    serviceAccount: 'karpenter',
    iamRole: true,
    serverSideApply: true,
    webhooks: true,
    clusterValues: (t, a) => {
      const aws = awsClusterValues(t);
      return {
        serviceAccount: irsaServiceAccount(t, a),
        settings: { clusterName: aws.clusterName, interruptionQueue: aws.clusterName },
      };
    },
  },
  {
    name: 'keda',
    description: 'Event-driven pod autoscaling.',
    chart: 'keda',
    repoUrl: 'https://kedacore.github.io/charts',
    version: '2.16.0',
    namespace: 'keda',
    onDisable: 'orphan',
    serverSideApply: true,
    webhooks: true,
  },
  {
    name: 'kube-prometheus-stack',
    description: 'Prometheus, Alertmanager, Grafana and the Prometheus Operator.',
    chart: 'kube-prometheus-stack',
    repoUrl: 'https://prometheus-community.github.io/helm-charts',
    version: '66.3.1',
    namespace: 'monitoring',
    onDisable: 'orphan',
    serverSideApply: true,
    webhooks: true,
  },
  {
    name: 'kyverno',
    description: 'Kubernetes-native policy engine.',
    chart: 'kyverno',
    repoUrl: 'https://kyverno.github.io/kyverno',
    version: '3.3.4',
    namespace: 'kyverno',
    onDisable: 'orphan',
    serverSideApply: true,
    webhooks: true,
  },
  {
    name: 'metrics-server',
    description: 'Resource metrics for HPA and kubectl top.',
    chart: 'metrics-server',
    repoUrl: 'https://kubernetes-sigs.github.io/metrics-server',
    version: '3.12.2',
    namespace: 'kube-system',
    onDisable: 'uninstall',
  },
  {
    name: 'opentelemetry-operator',
    description: 'Manages OpenTelemetry collectors and auto-instrumentation.',
    chart: 'opentelemetry-operator',
    repoUrl: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    version: '0.74.2',
    namespace: 'opentelemetry-operator-system',
    onDisable: 'orphan',
    webhooks: true,
    dependsOn: ['cert-manager'],
    values: { manager: { collectorImage: { repository: 'otel/opentelemetry-collector-k8s' } } },
  },
  {
    name: 'reloader',
    description: 'Rolls Deployments when a Secret they read changes (rotated database passwords).',
    chart: 'reloader',
    repoUrl: 'https://stakater.github.io/stakater-charts',
    version: '2.2.16',
    namespace: 'reloader',
    onDisable: 'uninstall',
    // annotations: Reloader marks the pod template with an annotation Argo CD does not manage, where the
    // default (env-vars) would add an env var to a container Argo CD owns and show as drift.
    values: { reloader: { reloadStrategy: 'annotations', readOnlyRootFileSystem: true } },
  },
  {
    name: 'velero',
    description: 'Backups of cluster resources and volumes to S3.',
    chart: 'velero',
    repoUrl: 'https://vmware-tanzu.github.io/helm-charts',
    version: '8.1.0',
    namespace: 'velero',
    onDisable: 'orphan',
    serviceAccount: 'velero',
    iamRole: true,
    clusterValues: (t, a) => ({ serviceAccount: { server: irsaServiceAccount(t, a) } }),
  },
  {
    name: 'vpa',
    description: 'Vertical Pod Autoscaler recommender, updater and admission controller.',
    chart: 'vpa',
    repoUrl: 'https://charts.fairwinds.com/stable',
    version: '4.7.1',
    namespace: 'vpa',
    onDisable: 'uninstall',
    dependsOn: ['metrics-server'],
  },
];
