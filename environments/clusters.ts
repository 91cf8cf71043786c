import type { ClusterSpec } from '../charts/index.js';

/**
 * The clusters, as intent: which hub manages them, their environment, their add-ons. The facts (region,
 * account, VPC, Kubernetes version, API server, CA, every IAM role) come from what the IaC wrote for
 * each cluster in `environments/clusters/<cluster>.json` (see `index.ts`): `hub.json` and
 * `spoke-staging.json` are `terraform output -json` with the GitOps Bridge cluster object,
 * `spoke-prod.json` is the fleet workshop's Secrets Manager secret. A fact typed here must agree with it.
 * What the IaC had to create for each cluster is in `dist/iac/clusters/<cluster>.json`.
 */
export const clusters: ClusterSpec[] = [
  {
    name: 'hub',
    account: 'central',
    environment: 'control-plane',
    role: 'hub',
    addons: {
      'argo-cd': true,
      crossplane: true,
      'external-secrets': true,
      'metrics-server': true,
      'aws-load-balancer-controller': true,
      'cert-manager': true,
    },
  },
  {
    name: 'spoke-staging',
    account: 'tenant1',
    environment: 'staging',
    role: 'spoke',
  },
  {
    name: 'spoke-prod',
    account: 'tenant1',
    environment: 'prod',
    role: 'spoke',
    addons: {
      // This cluster stays on the previous Prometheus stack until its dashboards are migrated.
      'kube-prometheus-stack': { version: '65.8.1', values: { grafana: { replicas: 2 } } },
    },
  },
];
