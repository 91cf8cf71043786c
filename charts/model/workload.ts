/**
 * What an app team writes for a workload: the props of the WebService and Worker constructs, as plain
 * typed data (the fleet model's `AppSpec` holds them; the constructs in charts/apps/ build them).
 */
import type * as kplus from 'cdk8s-plus-28';

/**
 * A container image pinned by tag or digest: repository, tag, optional digest. `latest` and missing
 * tags are refused, so what runs is what the manifest says.
 */
export interface ContainerImage {
  /** Registry and repository, for example `public.ecr.aws/acme/frontend`. No tag or digest here. */
  readonly repository: string;
  /**
   * Image tag, for example `v1.4.2`. Required unless `digest` is given; never `latest`, in any letter case.
   * @default - none; then `digest` is required
   */
  readonly tag?: string;
  /**
   * Image digest, `sha256:<64 hex>`. Wins over the tag at pull time (both are written).
   * @default - none
   */
  readonly digest?: string;
}

/** Horizontal autoscaling on CPU. */
export interface AutoscalingProps {
  /** At least this many pods. */
  readonly minReplicas: number;
  /** At most this many pods. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilization, percent of the request.
   * @default 70
   */
  readonly cpuUtilization?: number;
}

/** The pod's identity in AWS. */
export interface WorkloadServiceAccountProps {
  /**
   * IAM role for the service account (IRSA): written as the `eks.amazonaws.com/role-arn` annotation.
   * Leave it out with EKS Pod Identity, where the association lives in AWS, not in the manifest.
   * @default - no AWS role
   */
  readonly iamRoleArn?: string;
}

/** Props every app workload shares. */
export interface AppWorkloadProps {
  /**
   * Name of the app: the Deployment, Service, ServiceAccount and label `app.kubernetes.io/name`.
   * @default - the construct id
   */
  readonly name?: string;
  /** The container image, pinned by tag or digest. */
  readonly image: ContainerImage;
  /**
   * Pods when not autoscaled.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Scale on CPU with a HorizontalPodAutoscaler (then `replicas` is not rendered).
   * @default - no autoscaling
   */
  readonly autoscaling?: AutoscalingProps;
  /**
   * CPU and memory requests and limits of the container.
   * @default - cpu 100m / 500m, memory 128Mi / 256Mi
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Plain environment variables (never secrets: read those from a Secret that External Secrets makes).
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Configuration rendered as a ConfigMap `<name>-config` and read with `envFrom`. A change rolls the
   * pods (the pod template carries a hash of it).
   * @default - no ConfigMap
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Secrets read whole as environment variables (`envFrom`), for example the Secret an ExternalSecret
   * makes from AWS Secrets Manager. The Secrets themselves are never rendered here.
   * @default []
   */
  readonly envFromSecrets?: readonly string[];
  /**
   * Container command and arguments.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /**
   * The service account and its AWS role.
   * @default - a service account without an AWS role and without an automounted token
   */
  readonly serviceAccount?: WorkloadServiceAccountProps;
  /**
   * Read-only root filesystem (Pod Security "restricted" does not require it, we do by default);
   * an emptyDir is mounted at `/tmp`.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Pods that may be down at once during voluntary disruptions (PodDisruptionBudget).
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * User and group id the container runs as (never 0).
   * @default 10001
   */
  readonly runAsUser?: number;
  /** Extra labels on every object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** How the kubelet checks the container. */
export interface WorkloadProbes {
  readonly readiness?: kplus.Probe;
  readonly liveness: kplus.Probe;
  readonly startup?: kplus.Probe;
}

/** Expose the service outside the cluster through the AWS Load Balancer Controller (ALB). */
export interface WebIngressProps {
  /** Host name, for example `shop.example.com`. */
  readonly host: string;
  /**
   * Path prefix.
   * @default '/'
   */
  readonly path?: string;
  /**
   * `internet-facing` or `internal`.
   * @default 'internal'
   */
  readonly scheme?: 'internet-facing' | 'internal';
  /**
   * ACM certificate for HTTPS; without it the ALB listens on HTTP only.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * ALB group to share one load balancer between Ingresses.
   * @default - an ALB of its own
   */
  readonly groupName?: string;
}

export interface WebServiceProps extends AppWorkloadProps {
  /**
   * Port the container listens on.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Port of the Service.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * HTTP path for readiness and liveness probes.
   * @default '/healthz'
   */
  readonly healthCheckPath?: string;
  /**
   * Ingress through an ALB.
   * @default - no Ingress
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
   */
  readonly ingress?: WebIngressProps;
}

/** A background worker: the shared workload props plus a liveness command. */
export interface WorkerProps extends AppWorkloadProps {
  /**
   * Liveness check: a command that exits 0 while the worker is healthy, for example
   * `['/bin/healthcheck']`. Required: a worker without a probe is never restarted when it hangs.
   */
  readonly livenessCommand: readonly string[];
}
