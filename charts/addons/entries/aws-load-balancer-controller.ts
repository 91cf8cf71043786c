import type { AddonDefinition } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';

const LBC = 'kubernetes-sigs/aws-load-balancer-controller';

export const awsLoadBalancerController: AddonDefinition = {
  name: 'aws-load-balancer-controller',
  description: 'Provisions ALBs and NLBs for Ingresses and Services.',
  chart: 'aws-load-balancer-controller',
  repoUrl: 'https://aws.github.io/eks-charts',
  version: '3.5.0',
  pins: [
    {
      version: '3.5.0',
      appVersion: 'v3.5.0',
      // "v2.5.0+ requires Kubernetes 1.22+" (Supported Kubernetes versions); the chart has no kubeVersion.
      kubernetes: { min: '1.22' },
      checkedAgainst: `${LBC}@v3.5.0:helm/aws-load-balancer-controller/Chart.yaml; ${LBC}@v3.5.0:docs/deploy/installation.md`,
    },
  ],
  homepage: 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/',
  namespace: 'kube-system',
  onDisable: 'orphan',
  serviceAccount: 'aws-load-balancer-controller',
  iamRole: true,
  webhooks: true,
  // The webhook's certificate from cert-manager, its caBundle injected by cert-manager's cainjector: the
  // chart's own certificate is generated anew on every render (Argo CD's helm template has no `lookup`
  // for keepTLSSecret), so the served certificate and the ignored caBundle would drift apart. Upstream
  // recommends cert-manager for Argo CD users (docs/deploy/installation.md at v3.5.0, "ArgoCD users").
  dependsOn: ['cert-manager'],
  values: { enableCertManager: true },
  // clusterName is required by the chart (--cluster-name); region and vpcId spare the controller IMDS,
  // which pods cannot reach on nodes with an IMDSv2 hop limit of 1.
  clusterValues: (t, a) => {
    const aws = awsClusterValues(t);
    return { clusterName: aws.clusterName, region: aws.region, vpcId: aws.vpcId, serviceAccount: irsaServiceAccount(t, a) };
  },
};
