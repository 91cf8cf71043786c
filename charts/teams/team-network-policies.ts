import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../argocd/conventions.js';

/** What the network policies need to know of an app. */
export interface AppTraffic {
  /** App name (`app.kubernetes.io/name` of its pods). */
  readonly name: string;
  /** Port its pods serve on, if any. */
  readonly port?: number;
  /** Whether it is exposed through an Ingress (ALB in IP mode: traffic from the load balancer). */
  readonly ingress: boolean;
  /** Apps of the team it calls. */
  readonly connectsTo: readonly string[];
  /** HTTPS egress to anywhere. */
  readonly internetEgress: boolean;
  /** CIDR of the app's database (PostgreSQL on 5432), when it has one. */
  readonly databaseCidr?: string;
}

export interface TeamNetworkPoliciesProps {
  readonly namespace: string;
  readonly apps: readonly AppTraffic[];
}

const APP = 'app.kubernetes.io/name';

/**
 * Default deny for all traffic in and out of the namespace, DNS for every pod, and per app exactly
 * the connections it declares: from the ALB when it has an Ingress, to and from the apps it calls,
 * HTTPS out when it asks for it, PostgreSQL to its database.
 */
export class TeamNetworkPolicies extends Construct {
  public constructor(scope: Construct, id: string, props: TeamNetworkPoliciesProps) {
    super(scope, id);
    const ns = props.namespace;
    const meta = (name: string) => ({ name, namespace: ns, labels: { ...MANAGED_BY } });
    const tcp = (port: number) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

    new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: meta('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new k8s.KubeNetworkPolicy(this, 'Dns', {
      metadata: meta('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)],
          },
        ],
      },
    });

    const byName = new Map(props.apps.map((a) => [a.name, a]));
    for (const app of props.apps) {
      const callers = props.apps.filter((a) => a.connectsTo.includes(app.name));
      const ingress: k8s.NetworkPolicyIngressRule[] = [];
      if (app.port !== undefined && app.ingress) ingress.push({ ports: [tcp(app.port)] });
      if (app.port !== undefined && callers.length > 0) {
        ingress.push({ from: callers.map((c) => ({ podSelector: { matchLabels: { [APP]: c.name } } })), ports: [tcp(app.port)] });
      }
      const egress: k8s.NetworkPolicyEgressRule[] = [];
      for (const target of app.connectsTo.map((t) => byName.get(t)!)) {
        egress.push({ to: [{ podSelector: { matchLabels: { [APP]: target.name } } }], ports: target.port === undefined ? undefined : [tcp(target.port)] });
      }
      if (app.internetEgress) egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(443)] });
      if (app.databaseCidr) egress.push({ to: [{ ipBlock: { cidr: app.databaseCidr } }], ports: [tcp(5432)] });
      if (ingress.length === 0 && egress.length === 0) continue;
      const policyTypes = [...(ingress.length ? ['Ingress'] : []), ...(egress.length ? ['Egress'] : [])];
      new k8s.KubeNetworkPolicy(this, `App-${app.name}`, {
        metadata: meta(`app-${app.name}`),
        spec: {
          podSelector: { matchLabels: { [APP]: app.name } },
          policyTypes,
          ingress: ingress.length ? ingress : undefined,
          egress: egress.length ? egress : undefined,
        },
      });
    }
  }
}
