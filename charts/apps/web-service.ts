import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { WebServiceProps } from '../model/workload.js';
import { AppPropsError, AppWorkload } from './app-workload.js';

/**
 * An HTTP service: the shared workload (restricted security context, probes, resources, PDB, optional
 * HPA and ConfigMap) plus a ClusterIP Service and an optional ALB Ingress.
 */
export class WebService extends AppWorkload {
  public readonly service: kplus.Service;
  public readonly ingress?: kplus.Ingress;

  /**
   * Everything a WebService named `name` refuses in its props, each as `field: message`: the image, the
   * shared workload rules and the service's own (port, health check path, ingress). Fleet validation
   * reports these with the app's field path before anything renders; the constructor throws them for
   * library users who build a WebService directly.
   */
  public static propsProblems(name: string, props: WebServiceProps): string[] {
    return [...AppWorkload.workloadProblems(name, props), ...WebService.serviceProblems(props)];
  }

  /** The service's own rules: port, health check path, ingress. */
  private static serviceProblems(props: WebServiceProps): string[] {
    const port = props.port ?? 8080;
    const health = props.healthCheckPath ?? '/healthz';
    const problems: string[] = [];
    if (!Number.isInteger(port) || port < 1024 || port > 65535) problems.push(`port: ${port} must be 1024..65535 (non-root containers cannot bind lower ports)`);
    if (typeof health !== 'string' || !health.startsWith('/')) problems.push(`healthCheckPath: "${health}" must start with '/'`);
    if (props.ingress && !(typeof props.ingress.host === 'string' && /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(props.ingress.host))) {
      problems.push(`ingress.host: "${props.ingress.host}" is not a host name`);
    }
    if (props.ingress?.scheme !== undefined && !['internet-facing', 'internal'].includes(props.ingress.scheme)) {
      problems.push(`ingress.scheme: "${props.ingress.scheme}" is not an ALB scheme; use "internet-facing" or "internal"`);
    }
    return problems;
  }

  public constructor(scope: Construct, id: string, props: WebServiceProps) {
    const port = props.port ?? 8080;
    const health = props.healthCheckPath ?? '/healthz';
    super(scope, id, props, 'web', {
      readiness: kplus.Probe.fromHttpGet(health, { port }),
      liveness: kplus.Probe.fromHttpGet(health, { port }),
      startup: kplus.Probe.fromHttpGet(health, { port, failureThreshold: 30 }),
    }, port);
    const problems = WebService.serviceProblems(props);
    if (problems.length > 0) throw new AppPropsError(this.node.path, problems);

    const labels = { ...props.labels, ...this.selectorLabels, 'app.kubernetes.io/component': 'web' };
    this.service = new kplus.Service(this, 'Service', {
      metadata: { name: this.name, labels },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: props.servicePort ?? 80, targetPort: port }],
    });
    this.service.selectLabel('app.kubernetes.io/name', this.name);

    if (props.ingress) {
      const i = props.ingress;
      const annotations: Record<string, string> = {
        'alb.ingress.kubernetes.io/scheme': i.scheme ?? 'internal',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': health,
        'alb.ingress.kubernetes.io/listen-ports': i.certificateArn ? '[{"HTTPS":443}]' : '[{"HTTP":80}]',
      };
      if (i.certificateArn) {
        annotations['alb.ingress.kubernetes.io/certificate-arn'] = i.certificateArn;
        annotations['alb.ingress.kubernetes.io/ssl-policy'] = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
      }
      if (i.groupName) annotations['alb.ingress.kubernetes.io/group.name'] = i.groupName;
      this.ingress = new kplus.Ingress(this, 'Ingress', {
        metadata: { name: this.name, labels, annotations },
        className: 'alb',
        rules: [{ host: i.host, path: i.path ?? '/', backend: kplus.IngressBackend.fromService(this.service) }],
      });
    }
  }
}
