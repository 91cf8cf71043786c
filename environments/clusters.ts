import type { ClusterAddonSetting, ClusterSpec } from '../charts/index.js';

/**
 * IAM roles for service accounts, by the naming convention of the Terraform that creates them:
 * `arn:aws:iam::<account>:role/<cluster>-<addon>`.
 */
function irsa(accountId: string, cluster: string, addons: readonly string[]): Record<string, ClusterAddonSetting> {
  return Object.fromEntries(addons.map((a) => [a, { iamRoleArn: `arn:aws:iam::${accountId}:role/${cluster}-${a}` }]));
}

/**
 * Each spoke's cluster CA: `aws eks describe-cluster --name <cluster> --query cluster.certificateAuthority.data`
 * (base64 of the PEM certificate; public data). Argo CD verifies the spoke's API server with it. These two
 * are made-up self-signed certificates (CN=kubernetes) standing in for what the IaC outputs.
 */
const ca = {
  'spoke-staging':
    'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmekNDQVNXZ0F3SUJBZ0lVTXB0Yy9lR0hNcUpqNFZ1RHR1RGdZNDBFUTcwd0NnWUlLb1pJemowRUF3SXcKRlRFVE1CRUdBMVVFQXd3S2EzVmlaWEp1WlhSbGN6QWVGdzB5TmpFeU1ERXhPREV3TkRWYUZ3MHpOakV4TWpneApPREV3TkRWYU1CVXhFekFSQmdOVkJBTU1DbXQxWW1WeWJtVjBaWE13V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPClBRTUJCd05DQUFUZGtubmVPVldFek4xR3JWUUFEQUdaT1pONmw1aVpheHNGWTdNQTVmWHBDbEpyTi9RemsvRVYKNGtsRGRvZXdjcUVUczY2UjF6Y0s0aU51dzdwRUtaUFVvMU13VVRBZEJnTlZIUTRFRmdRVWM0WnljU2ZOeW9VKwpSUEduZ1JXS1NVeU9JOFF3SHdZRFZSMGpCQmd3Rm9BVWM0WnljU2ZOeW9VK1JQR25nUldLU1V5T0k4UXdEd1lEClZSMFRBUUgvQkFVd0F3RUIvekFLQmdncWhrak9QUVFEQWdOSUFEQkZBaUVBN2xiMkNjeVBseDFLUXVUbkQrMFkKdkFxeXhiTzNJWXVEQlFhYnZpV0Y3RHdDSUcxVUN1SUtPQVRFcXNZZ0c1NHVQRGtWVVRiTXladWhsSlIxeU1JYQoycVVSCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K',
  'spoke-prod':
    'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmekNDQVNXZ0F3SUJBZ0lVQmFVbE5TQ0lISVJqZE15Lzl3VXRoTFFtVTdBd0NnWUlLb1pJemowRUF3SXcKRlRFVE1CRUdBMVVFQXd3S2EzVmlaWEp1WlhSbGN6QWVGdzB5TmpFeU1ERXhPREV3TkRWYUZ3MHpOakV4TWpneApPREV3TkRWYU1CVXhFekFSQmdOVkJBTU1DbXQxWW1WeWJtVjBaWE13V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPClBRTUJCd05DQUFSMFc2ZmJJT1hsaEdHUWd1RFl6NFpqdU5SaEhRdWEreGp6YnIwb3MrV25HZGxTVW1ubFIyUXgKZFpwNWFMbUprbDBVU2RuMG9MWHdNYjFnRUlFNW5nNUpvMU13VVRBZEJnTlZIUTRFRmdRVUd1Mkx2UDdaUTlCMwpQSENBMTNkRExJUndHSzh3SHdZRFZSMGpCQmd3Rm9BVUd1Mkx2UDdaUTlCM1BIQ0ExM2RETElSd0dLOHdEd1lEClZSMFRBUUgvQkFVd0F3RUIvekFLQmdncWhrak9QUVFEQWdOSUFEQkZBaUVBN0Izb1VTelVtWUZMNDBMNEZ1M0EKUFlKbC92a1JBOXdsaFVlZ3YxT3h0NkVDSUdBbDBaK0hKbWc1bGthbWl6cEhxaE14UUdnOHhDeUJwOVFDSmxOTwpVdTdnCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K',
};

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
    caData: ca['spoke-staging'],
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
    caData: ca['spoke-prod'],
    argocdRoleArn: 'arn:aws:iam::444455556666:role/spoke-prod-argocd-spoke',
    addons: {
      ...irsa('444455556666', 'spoke-prod', [...spokeIrsa, 'velero', 'aws-for-fluent-bit']),
      // This cluster stays on the previous Prometheus stack until its dashboards are migrated.
      'kube-prometheus-stack': { version: '65.8.1', values: { grafana: { replicas: 2 } } },
    },
  },
];
