import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { TeamQuota } from '../model/spec.js';
import { MANAGED_BY } from '../argocd/conventions.js';

export interface TeamLimitsProps {
  readonly namespace: string;
  readonly quota: TeamQuota;
}

/**
 * The namespace's ResourceQuota (CPU, memory, pods; no LoadBalancer or NodePort Services: traffic
 * comes in through ALB Ingresses) and a LimitRange giving every container defaults and a ceiling.
 */
export class TeamLimits extends Construct {
  public constructor(scope: Construct, id: string, props: TeamLimitsProps) {
    super(scope, id);
    const q = props.quota;
    const Q = (v: string | number) => k8s.Quantity.fromString(String(v));
    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: { name: 'team-quota', namespace: props.namespace, labels: { ...MANAGED_BY } },
      spec: {
        hard: {
          'requests.cpu': Q(q.requestsCpu),
          'requests.memory': Q(q.requestsMemory),
          'limits.cpu': Q(q.limitsCpu),
          'limits.memory': Q(q.limitsMemory),
          pods: Q(q.pods),
          'services.loadbalancers': Q(0),
          'services.nodeports': Q(0),
        },
      },
    });
    new k8s.KubeLimitRange(this, 'Limits', {
      metadata: { name: 'team-limits', namespace: props.namespace, labels: { ...MANAGED_BY } },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: Q('100m'), memory: Q('128Mi') },
            default: { cpu: Q('500m'), memory: Q('256Mi') },
            max: { cpu: Q(q.limitsCpu), memory: Q(q.limitsMemory) },
          },
        ],
      },
    });
  }
}
