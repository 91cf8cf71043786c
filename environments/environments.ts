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
  // Rolls the Deployments that read a database Secret when RDS rotates its password.
  reloader: true,
  // Its version follows the cluster's Kubernetes minor: staging (1.34) and prod (1.33) run different ones.
  descheduler: true,
} as const;

/**
 * Environments in promotion order. A cluster gets each add-on's version from the version set of its
 * Kubernetes minor (`npm run catalog`); pins live here as data, only where an environment must run
 * something else: prod keeps cert-manager on the release it was certified with, until
 * `npm run promote -- addon:cert-manager staging prod` gives it what staging runs.
 */
export const environments: EnvironmentSpec[] = [
  { name: 'control-plane', promotionOrder: 0 },
  {
    name: 'staging',
    promotionOrder: 1,
    // Databases: single-AZ, no deletion protection, one day of backups, no final snapshot.
    databases: {
      account: 'tenant1',
      region: 'us-west-2',
      vpcId: 'vpc-0b2c3d4e5f6071829',
      subnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60722'],
      allowedCidr: '10.1.0.0/16',
      endpointDomain: 'c8xq2z1kqj5r.us-west-2.rds.amazonaws.com',
      multiAz: false,
      deletionProtection: false,
      backupRetentionDays: 1,
      finalSnapshot: false,
    },
    addons: {
      ...spokeAddons,
      'kube-prometheus-stack': { values: { prometheus: { prometheusSpec: { retention: '3d' } } } },
    },
  },
  {
    name: 'prod',
    promotionOrder: 2,
    // Databases: multi-AZ, deletion protection, two weeks of backups, a final snapshot on deletion.
    databases: {
      account: 'tenant1',
      region: 'us-west-2',
      vpcId: 'vpc-0c3d4e5f607182930',
      subnetIds: ['subnet-0c3d4e5f607182911', 'subnet-0c3d4e5f607182922', 'subnet-0c3d4e5f607182933'],
      allowedCidr: '10.2.0.0/16',
      endpointDomain: 'c8xq2z1kqj5r.us-west-2.rds.amazonaws.com',
      multiAz: true,
      deletionProtection: true,
      backupRetentionDays: 14,
      finalSnapshot: true,
      maintenanceWindow: 'sun:05:00-sun:06:00',
      backupWindow: '03:00-04:00',
      performanceInsights: true,
      cloudwatchLogExports: ['postgresql', 'upgrade'],
    },
    addons: {
      ...spokeAddons,
      'cert-manager': { version: 'v1.20.3' },
      'kube-prometheus-stack': { values: { prometheus: { prometheusSpec: { retention: '15d', replicas: 2 } } } },
      velero: true,
      'aws-for-fluent-bit': true,
    },
  },
];
