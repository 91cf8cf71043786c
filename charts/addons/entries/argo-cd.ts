import type { AddonDefinition } from '../../model/addon.js';
import { IRSA_ROLE_ANNOTATION } from '../../model/cluster-metadata.js';
import { healthCheckConfig, hubHealthChecks } from '../../argocd/health-checks.js';
import { DATABASE_API_GROUP, POSTGRES_CLAIM } from '../../crossplane/postgres-api.js';

/** At most one pod of each Argo CD component away at a time during node drains and upgrades. */
const ONE_AT_A_TIME = { enabled: true, maxUnavailable: 1 };

/**
 * CPU and memory requests of the autoscaled API and repo servers: the HorizontalPodAutoscaler computes
 * utilization against requests, and without them scales nothing. A starting point of ours (the chart and
 * Argo CD set none), to be tuned from the metrics; no limits (a repo server rendering a large chart must
 * not be OOM-killed for a burst).
 */
const SERVER_REQUESTS = { requests: { cpu: '100m', memory: '128Mi' } };
const REPO_SERVER_REQUESTS = { requests: { cpu: '250m', memory: '256Mi' } };

/**
 * Argo CD on the hub, in the argo-cd chart's documented high-availability setup (its README, "HA mode
 * with autoscaling", at argo-cd-10.1.1): Redis HA (the `redis-ha` subchart: three Redis pods and three
 * HAProxy pods, each forced onto its own node, so the hub needs at least three nodes), the API server and
 * the repo server scaled by CPU and memory from two replicas (up to the chart's five; the autoscalers need
 * metrics-server on the hub, and without it stay at two), two ApplicationSet controllers (the chart
 * then turns on their leader election). The application controller stays one replica unless the fleet
 * shards it (`argocd.sharding`, which sets `controller.replicas` in the hub's cluster layer,
 * charts/outputs/addon-values.ts). Every component has a PodDisruptionBudget letting one pod go at a
 * time, and metrics Services; the ServiceMonitors, the controller's processors and its Kubernetes client
 * limits depend on the hub and are set per hub in the cluster layer.
 */
export const argoCd: AddonDefinition = {
  name: 'argo-cd',
  description: 'Argo CD on the hub, managing itself after bootstrap.',
  chart: 'argo-cd',
  repoUrl: 'https://argoproj.github.io/argo-helm',
  version: '10.1.1',
  pins: [
    {
      version: '10.1.1',
      appVersion: 'v3.4.4',
      kubernetes: { min: '1.25' },
      checkedAgainst: 'argoproj/argo-helm@argo-cd-10.1.1:charts/argo-cd/Chart.yaml',
    },
  ],
  homepage: 'https://argo-cd.readthedocs.io/',
  namespace: 'argocd',
  onDisable: 'orphan',
  serviceAccount: 'argocd-application-controller',
  iamRole: true,
  placement: 'hub',
  releaseName: 'argo-cd',
  serverSideApply: true,
  prune: false,
  values: {
    'redis-ha': { enabled: true },
    controller: { pdb: ONE_AT_A_TIME, metrics: { enabled: true } },
    server: { autoscaling: { enabled: true, minReplicas: 2 }, resources: SERVER_REQUESTS, pdb: ONE_AT_A_TIME, metrics: { enabled: true } },
    repoServer: { autoscaling: { enabled: true, minReplicas: 2 }, resources: REPO_SERVER_REQUESTS, pdb: ONE_AT_A_TIME, metrics: { enabled: true } },
    applicationSet: { replicas: 2, pdb: ONE_AT_A_TIME, metrics: { enabled: true } },
    configs: {
      params: { 'applicationsetcontroller.enable.progressive.syncs': true },
      // Health for the database claims, Crossplane packages, child Applications and Kyverno's cluster-wide
      // policies, so waves wait for them.
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
};
