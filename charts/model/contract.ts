/**
 * The GitOps Bridge contract: the labels and annotations of each Argo CD cluster Secret, and the
 * Go-template references ApplicationSets use to read them.
 *
 * Both sides use these names: `clusterLabels()`/`clusterAnnotations()` (cluster-metadata.ts) write the
 * values, and `ClusterTemplate` is the only way a template reads them. A template that reads a key records it,
 * so tests and validation can prove every key a template reads is written for every selected cluster.
 *
 * @see https://github.com/gitops-bridge-dev/gitops-bridge
 */

/** Label keys written on every cluster Secret (label values are strings). */
export const ClusterLabel = {
  environment: 'environment',
  fleetMember: 'fleet_member',
  tenant: 'tenant',
  clusterName: 'cluster_name',
  kubernetesVersion: 'kubernetes_version',
  workloads: 'workloads',
  /** How the cluster's add-ons get AWS credentials: `irsa` or `pod-identity`. */
  awsIdentity: 'aws_identity',
} as const;
export type ClusterLabelKey = (typeof ClusterLabel)[keyof typeof ClusterLabel] | `enable_${string}`;

/** Annotation keys written on every cluster Secret. */
export const ClusterAnnotation = {
  awsClusterName: 'aws_cluster_name',
  awsRegion: 'aws_region',
  awsAccountId: 'aws_account_id',
  awsVpcId: 'aws_vpc_id',
  addonsRepoUrl: 'addons_repo_url',
  addonsRepoBasepath: 'addons_repo_basepath',
  addonsRepoPath: 'addons_repo_path',
  addonsRepoRevision: 'addons_repo_revision',
  workloadRepoUrl: 'workload_repo_url',
  workloadRepoBasepath: 'workload_repo_basepath',
  workloadRepoPath: 'workload_repo_path',
  workloadRepoRevision: 'workload_repo_revision',
} as const;

/** `cert-manager` -> `cert_manager`: how add-on names appear in label and annotation keys. */
export function snakeCase(name: string): string {
  return name.replace(/-/g, '_');
}

/** Label that turns an add-on on for a cluster: `enable_<addon>: "true"`. */
export function enableLabel(addon: string): `enable_${string}` {
  return `enable_${snakeCase(addon)}`;
}

/** Per-add-on annotation keys. */
export const AddonAnnotation = {
  iamRoleArn: (addon: string) => `${snakeCase(addon)}_iam_role_arn`,
  namespace: (addon: string) => `${snakeCase(addon)}_namespace`,
  serviceAccount: (addon: string) => `${snakeCase(addon)}_service_account`,
};

/** The label value for booleans in the contract. */
export const TRUE = 'true';
export const FALSE = 'false';

/**
 * Go-template references to the parameters of Argo CD's clusters generator, for templates rendered
 * with `goTemplate: true` and `missingkey=error`. Every key read is recorded in `labelsRead` and
 * `annotationsRead`.
 */
export class ClusterTemplate {
  /**
   * How the clusters this template renders for get AWS credentials (`irsa`, `pod-identity`, or both).
   * @default - IRSA only
   */
  public readonly identities: ReadonlySet<'irsa' | 'pod-identity'>;
  /** Label keys this template reads. */
  public readonly labelsRead = new Set<string>();
  /** Annotation keys this template reads. */
  public readonly annotationsRead = new Set<string>();
  /** Generator `values` keys this template reads. */
  public readonly valuesRead = new Set<string>();

  public constructor(options: { readonly identities?: Iterable<'irsa' | 'pod-identity'> } = {}) {
    const identities = new Set(options.identities ?? []);
    this.identities = identities.size > 0 ? identities : new Set(['irsa']);
  }

  /**
   * The value of an add-on's service-account annotation `eks.amazonaws.com/role-arn`, or undefined when
   * no cluster needs one: the role (`<addon>_iam_role_arn`) where every cluster uses IRSA; nothing where
   * every cluster uses EKS Pod Identity (the association gives the pods their role; an IRSA annotation
   * would win over it in the SDKs' credential chain); where both kinds run it, the role on IRSA clusters
   * and `""` on the others, which the EKS pod identity webhook ignores (it mutates only for a non-empty ARN).
   * @see https://github.com/aws/amazon-eks-pod-identity-webhook/blob/master/pkg/cache/cache.go
   */
  public irsaRoleArn(addon: string): string | undefined {
    if (!this.identities.has('irsa')) return undefined;
    const arn = this.annotation(AddonAnnotation.iamRoleArn(addon));
    if (!this.identities.has('pod-identity')) return arn;
    this.labelsRead.add(ClusterLabel.awsIdentity);
    return `{{if eq .metadata.labels.${ClusterLabel.awsIdentity} "irsa"}}${arn}{{end}}`;
  }

  /** `{{.metadata.labels.<key>}}` */
  public label(key: ClusterLabelKey): string {
    this.labelsRead.add(key);
    return `{{.metadata.labels.${key}}}`;
  }

  /** `{{.metadata.annotations.<key>}}` */
  public annotation(key: string): string {
    if (!/^[a-z][a-z0-9_]*$/.test(key)) {
      throw new Error(`annotation key "${key}" is not snake_case; the contract only uses snake_case keys`);
    }
    this.annotationsRead.add(key);
    return `{{.metadata.annotations.${key}}}`;
  }

  /** `{{.values.<key>}}`: a value set by the generator (version pins). */
  public value(key: string): string {
    this.valuesRead.add(key);
    return `{{.values.${key}}}`;
  }

  /** The cluster's Argo CD name, `{{.name}}`. */
  public get name(): string {
    return '{{.name}}';
  }

  /** The cluster name normalized for use in object names, `{{.nameNormalized}}`. */
  public get nameNormalized(): string {
    return '{{.nameNormalized}}';
  }

  /** The cluster's API server (or cluster ARN in `eks-capability` mode), `{{.server}}`. */
  public get server(): string {
    return '{{.server}}';
  }
}
