import type { EnvironmentSpec } from '../charts/index.js';

/** Add-ons every workload spoke runs, whatever its environment. */
const spokeAddons = {
  'aws-load-balancer-controller': true,
  'aws-ebs-csi-driver': true,
  'cert-manager': true,
  'external-dns': true,
  'external-secrets': true,
  karpenter: true,
  'kube-prometheus-stack': true,
  kyverno: true,
  'metrics-server': true,
  'argo-rollouts': true,
  keda: true,
} as const;

/**
 * Environments in promotion order. Version pins live here as data, and only where an environment
 * runs something other than the catalog default: staging tries the next Karpenter first, prod keeps
 * cert-manager on the release it was certified with.
 */
export const environments: EnvironmentSpec[] = [
  { name: 'control-plane', promotionOrder: 0 },
  {
    name: 'staging',
    promotionOrder: 1,
    addons: {
      ...spokeAddons,
      karpenter: { version: '1.2.0' },
      'kube-prometheus-stack': { values: { prometheus: { prometheusSpec: { retention: '3d' } } } },
    },
  },
  {
    name: 'prod',
    promotionOrder: 2,
    addons: {
      ...spokeAddons,
      'cert-manager': { version: 'v1.15.3' },
      'kube-prometheus-stack': { values: { prometheus: { prometheusSpec: { retention: '15d', replicas: 2 } } } },
      velero: true,
      'aws-for-fluent-bit': true,
    },
  },
];
