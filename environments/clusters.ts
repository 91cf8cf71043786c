import type { ClusterAddonSetting, ClusterSpec } from '../charts/index.js';

/**
 * IAM roles for service accounts, by the naming convention of the Terraform that creates them:
 * `arn:aws:iam::<account>:role/<cluster>-<addon>`.
 */
function irsa(accountId: string, cluster: string, addons: readonly string[]): Record<string, ClusterAddonSetting> {
  return Object.fromEntries(addons.map((a) => [a, { iamRoleArn: `arn:aws:iam::${accountId}:role/${cluster}-${a}` }]));
}

/** Add-ons on spokes that call AWS APIs (see `iamRole` in the catalog). */
const spokeIrsa = ['aws-load-balancer-controller', 'aws-ebs-csi-driver', 'cert-manager', 'external-dns', 'external-secrets', 'karpenter'];

export const clusters: ClusterSpec[] = [
  {
    name: 'hub',
    account: 'central',
    region: 'us-west-2',
    environment: 'control-plane',
    role: 'hub',
    kubernetesVersion: '1.31',
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    addons: {
      'argo-cd': true,
      crossplane: true,
      'external-secrets': true,
      'metrics-server': true,
      'aws-load-balancer-controller': true,
      ...irsa('111122223333', 'hub', ['argo-cd', 'crossplane', 'external-secrets', 'aws-load-balancer-controller']),
    },
  },
  {
    name: 'spoke-staging',
    account: 'tenant1',
    region: 'us-west-2',
    environment: 'staging',
    role: 'spoke',
    kubernetesVersion: '1.31',
    vpcId: 'vpc-0b2c3d4e5f6071829',
    endpoint: 'https://0A1B2C3D4E5F60718293A4B5C6D7E8F9.gr7.us-west-2.eks.amazonaws.com',
    argocdRoleArn: 'arn:aws:iam::444455556666:role/spoke-staging-argocd-spoke',
    addons: { ...irsa('444455556666', 'spoke-staging', spokeIrsa) },
  },
  {
    name: 'spoke-prod',
    account: 'tenant1',
    region: 'us-west-2',
    environment: 'prod',
    role: 'spoke',
    kubernetesVersion: '1.30',
    vpcId: 'vpc-0c3d4e5f607182930',
    endpoint: 'https://1B2C3D4E5F60718293A4B5C6D7E8F90A.gr7.us-west-2.eks.amazonaws.com',
    argocdRoleArn: 'arn:aws:iam::444455556666:role/spoke-prod-argocd-spoke',
    addons: {
      ...irsa('444455556666', 'spoke-prod', [...spokeIrsa, 'velero', 'aws-for-fluent-bit']),
      // This cluster stays on the previous Prometheus stack until its dashboards are migrated.
      'kube-prometheus-stack': { version: '65.8.1', values: { grafana: { replicas: 2 } } },
    },
  },
];
