import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { clusterAnnotations, clusterLabels } from '../model/cluster-metadata.js';
import { ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { MANAGED_BY } from './conventions.js';
import { argoCdSpokeAccess } from '../model/hubs.js';

export interface ClusterSecretProps {
  readonly fleet: ResolvedFleet;
  readonly cluster: ResolvedCluster;
}

/**
 * The Argo CD cluster Secret of one cluster, carrying the GitOps Bridge labels and annotations.
 * It holds no credentials: Argo CD reaches a spoke by assuming `argocdRoleArn` (`awsAuthConfig`), or with
 * its own role when the hub runs on EKS Pod Identity (single-role mode, no `roleARN`: argo-cd #17064), and
 * verifies its API server with the cluster CA (`tlsClientConfig.caData`, never `insecure`); the hub is
 * Argo CD's own cluster, and the EKS Argo CD capability uses the cluster ARN as `server` with no `config`.
 * Argo CD looks clusters up by `server` (trailing '/' trimmed): validation refuses two clusters on one.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#eks
 */
export class ClusterSecret extends Construct {
  /** Secret name: `cluster-<name>`. */
  public readonly secretName: string;

  public constructor(scope: Construct, id: string, props: ClusterSecretProps) {
    super(scope, id);
    const { fleet, cluster } = props;
    this.secretName = `cluster-${cluster.name}`;

    const stringData: Record<string, string> = { name: cluster.name, server: cluster.server };
    if (cluster.spec.shard !== undefined) stringData.shard = String(cluster.spec.shard);
    if (fleet.mode === 'self-managed') {
      const config: Record<string, unknown> = {};
      if (cluster.role === 'spoke') {
        // Single-role mode (hub on EKS Pod Identity): Argo CD's own role is in the spoke's access entry.
        config.awsAuthConfig = argoCdSpokeAccess(fleet.spec, cluster.spec) === 'own-role'
          ? { clusterName: cluster.awsClusterName }
          : { clusterName: cluster.awsClusterName, roleARN: cluster.spec.argocdRoleArn };
      }
      config.tlsClientConfig = cluster.spec.caData ? { insecure: false, caData: cluster.spec.caData } : { insecure: false };
      stringData.config = JSON.stringify(config);
    }

    new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: this.secretName,
        namespace: fleet.argocdNamespace,
        labels: { ...MANAGED_BY, 'argocd.argoproj.io/secret-type': 'cluster', ...clusterLabels(cluster) },
        annotations: clusterAnnotations(fleet, cluster),
      },
      type: 'Opaque',
      stringData,
    });
  }
}
