import { createHash } from 'node:crypto';
import { IRSA_ROLE_ANNOTATION } from '../model/cluster-metadata.js';
import { show } from '../../engines/util/index.js';
import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AppWorkloadProps, WorkloadProbes } from '../model/workload.js';
import { imageProblems, imageReference } from './container-image.js';

const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

/** Validation error of an app construct: names the construct path and the field. */
export class AppPropsError extends Error {
  public constructor(path: string, problems: readonly string[]) {
    super(problems.map((p) => `${path}: ${p}`).join('\n'));
    this.name = 'AppPropsError';
  }
}

/**
 * What a web service and a worker share: ServiceAccount, optional ConfigMap, a Deployment that meets
 * Pod Security "restricted" (non-root, no privilege escalation, all capabilities dropped, seccomp
 * RuntimeDefault, read-only root filesystem), resources, probes, optional HorizontalPodAutoscaler and a
 * PodDisruptionBudget. Built on cdk8s-plus-28 with explicit names (names are API).
 */
export abstract class AppWorkload extends Construct {
  /**
   * Reloader's annotation on a Deployment: a comma-separated list of Secret names (each matched as a
   * whole-name regular expression) whose change rolls the Deployment. Set to the Secrets the workload
   * reads through `envFromSecrets`.
   * @see https://github.com/stakater/Reloader
   */
  public static readonly RELOAD_SECRETS_ANNOTATION = 'secret.reloader.stakater.com/reload';

  /** The app name. */
  public readonly name: string;
  /** Labels that select the app's pods: `app.kubernetes.io/name`. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly deployment: kplus.Deployment;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly configMap?: kplus.ConfigMap;
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** The container port, where the workload serves one. */
  public readonly containerPort?: number;

  protected constructor(scope: Construct, id: string, props: AppWorkloadProps, component: string, probes: WorkloadProbes, port?: number) {
    super(scope, id);
    this.name = props.name ?? id;
    const problems = AppWorkload.workloadProblems(this.name, props);
    if (problems.length > 0) throw new AppPropsError(this.node.path, problems);

    this.selectorLabels = { 'app.kubernetes.io/name': this.name };
    const labels = { ...props.labels, ...this.selectorLabels, 'app.kubernetes.io/component': component };
    const uid = props.runAsUser ?? 10001;
    this.containerPort = port;

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: this.name,
        labels,
        annotations: props.serviceAccount?.iamRoleArn ? { [IRSA_ROLE_ANNOTATION]: props.serviceAccount.iamRoleArn } : undefined,
      },
      automountToken: false,
    });

    const envFrom: kplus.EnvFrom[] = [];
    const podAnnotations: Record<string, string> = {};
    if (props.config) {
      this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: { name: `${this.name}-config`, labels }, data: { ...props.config } });
      envFrom.push(kplus.Env.fromConfigMap(this.configMap));
      const sorted = Object.keys(props.config).sort().map((k) => [k, props.config![k]]);
      podAnnotations['fleet.cdk8s.io/config-hash'] = createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
    }
    for (const name of props.envFromSecrets ?? []) {
      envFrom.push(kplus.Env.fromSecret(kplus.Secret.fromSecretName(this, `EnvSecret-${name}`, name)));
    }

    const readOnlyRoot = props.readOnlyRootFilesystem ?? true;
    // Kubernetes never restarts pods when a Secret they read through envFrom changes (a rotated
    // database password): Reloader rolls the Deployment when one of the named Secrets' data change.
    const secrets = props.envFromSecrets ?? [];
    const reload = secrets.length > 0 ? { [AppWorkload.RELOAD_SECRETS_ANNOTATION]: secrets.join(',') } : undefined;
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: this.name, labels, annotations: reload },
      replicas: props.autoscaling ? undefined : (props.replicas ?? 2),
      select: false,
      spread: false,
      podMetadata: { labels, annotations: Object.keys(podAnnotations).length ? podAnnotations : undefined },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: uid, group: uid, fsGroup: uid },
      containers: [
        {
          name: 'app',
          image: imageReference(props.image),
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: props.command ? [...props.command] : undefined,
          args: props.args ? [...props.args] : undefined,
          ports: port === undefined ? undefined : [{ number: port, name: 'http' }],
          envVariables: Object.fromEntries(Object.entries(props.env ?? {}).sort().map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
          envFrom,
          resources: props.resources ?? DEFAULT_RESOURCES,
          readiness: probes.readiness,
          liveness: probes.liveness,
          startup: probes.startup,
          securityContext: {
            ensureNonRoot: true,
            user: uid,
            group: uid,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: readOnlyRoot,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          volumeMounts: readOnlyRoot ? [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp') }] : undefined,
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
    // Pod-level seccomp too, and no construct-path label: selectors stay the stable app name.
    const deployment = ApiObject.of(this.deployment);
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
    deployment.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));

    if (props.autoscaling) {
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: { name: this.name, labels },
        target: this.deployment,
        minReplicas: props.autoscaling.minReplicas,
        maxReplicas: props.autoscaling.maxReplicas,
        metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(props.autoscaling.cpuUtilization ?? 70))],
      });
    }

    new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: this.name, labels },
      spec: {
        maxUnavailable: kplus.k8s.IntOrString.fromNumber(props.maxUnavailable ?? 1),
        selector: { matchLabels: { ...this.selectorLabels } },
      },
    });
  }

  /**
   * What every app workload refuses in its props, each as `field: message`: the image
   * (`imageProblems`), the name, replicas, autoscaling, user and resources. `WebService.propsProblems`
   * and `Worker.propsProblems` add their own; fleet validation reports them with the app's field path
   * before anything renders, so the constructors' throws only guard library users.
   */
  public static workloadProblems(name: string, props: AppWorkloadProps): string[] {
    const out: string[] = imageProblems(props.image).slice();
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 52) {
      out.push(`name: "${name}" must be a DNS-1123 label of at most 52 characters (room for suffixes like -config)`);
    }
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) out.push(`replicas: must be a whole number >= 0, got ${show(props.replicas)}`);
    if (props.replicas !== undefined && props.autoscaling) out.push('replicas: give either replicas or autoscaling, not both (the autoscaler owns the replica count)');
    const a = props.autoscaling;
    if (a && !(Number.isInteger(a.minReplicas) && a.minReplicas >= 1 && Number.isInteger(a.maxReplicas) && a.maxReplicas >= a.minReplicas)) {
      out.push(`autoscaling: needs 1 <= minReplicas <= maxReplicas, got ${show(a.minReplicas)}..${show(a.maxReplicas)}`);
    }
    if (props.runAsUser !== undefined && !(Number.isInteger(props.runAsUser) && props.runAsUser > 0)) out.push(`runAsUser: must be a non-root user id (> 0), got ${show(props.runAsUser)}`);
    for (const field of ['env', 'config'] as const) {
      const map: unknown = props[field];
      if (map === undefined) continue;
      if (map === null || typeof map !== 'object' || Array.isArray(map)) {
        out.push(`${field}: must be a map of names to strings, got ${show(map)}`);
        continue;
      }
      for (const [k, v] of Object.entries(map)) {
        if (typeof v !== 'string') out.push(`${field}.${k}: must be a string (${field === 'env' ? 'an environment variable' : 'a ConfigMap value'} is text), got ${show(v)}`);
      }
    }
    if (props.resources && (!props.resources.cpu?.limit || !props.resources.memory?.limit || !props.resources.cpu?.request || !props.resources.memory?.request)) {
      out.push('resources: give cpu and memory, each with request and limit');
    }
    return out;
  }
}
