import type { KubeObject } from '../../engines/kustomize/index.js';
import { TeamQuota } from '../model/spec.js';

const UNITS: Record<string, number> = {
  m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
};

/** A Kubernetes quantity (`250m`, `2`, `512Mi`) as a number; NaN when it is not one. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(q));
  return m ? Number(m[1]) * UNITS[m[2] ?? ''] : NaN;
}

/** What an environment's apps need at their largest scale. */
export interface QuotaNeed {
  readonly requestsCpu: number;
  readonly requestsMemory: number;
  readonly limitsCpu: number;
  readonly limitsMemory: number;
  readonly pods: number;
}

/**
 * What the workloads need when every Deployment runs at its maximum: the HPA's `maxReplicas` where an
 * autoscaler targets it, else `spec.replicas` (1 when unset), times its containers' requests and limits.
 * Pods also need room for a rolling update's surge, which the quota must leave; this counts steady state.
 */
export function quotaNeed(objects: readonly KubeObject[]): QuotaNeed {
  const need = { requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0 };
  const hpaMax = new Map<string, number>();
  for (const o of objects) {
    const spec = o.spec as any;
    if (o.kind === 'HorizontalPodAutoscaler' && spec?.scaleTargetRef?.kind === 'Deployment') hpaMax.set(spec.scaleTargetRef.name, spec.maxReplicas);
  }
  for (const o of objects) {
    if (o.kind !== 'Deployment') continue;
    const spec = o.spec as any;
    const replicas = hpaMax.get(o.metadata.name) ?? spec?.replicas ?? 1;
    need.pods += replicas;
    for (const c of spec?.template?.spec?.containers ?? []) {
      need.requestsCpu += replicas * parseQuantity(c.resources?.requests?.cpu);
      need.requestsMemory += replicas * parseQuantity(c.resources?.requests?.memory);
      need.limitsCpu += replicas * parseQuantity(c.resources?.limits?.cpu);
      need.limitsMemory += replicas * parseQuantity(c.resources?.limits?.memory);
    }
  }
  return need;
}

/** Where the need exceeds the quota: one message per resource, empty when it fits. */
export function quotaShortfalls(need: QuotaNeed, quota: TeamQuota): string[] {
  const out: string[] = [];
  const check = (label: string, needed: number, allowed: string | number, fmt: (n: number) => string) => {
    if (needed > parseQuantity(allowed) + 1e-9) out.push(`${label}: the apps need ${fmt(needed)} at their maximum scale, the quota allows ${allowed}`);
  };
  const cpu = (n: number) => `${Math.round(n * 1000)}m`;
  const mem = (n: number) => `${Math.ceil(n / 1024 ** 2)}Mi`;
  check('requestsCpu', need.requestsCpu, quota.requestsCpu, cpu);
  check('requestsMemory', need.requestsMemory, quota.requestsMemory, mem);
  check('limitsCpu', need.limitsCpu, quota.limitsCpu, cpu);
  check('limitsMemory', need.limitsMemory, quota.limitsMemory, mem);
  check('pods', need.pods, quota.pods, (n) => String(n));
  return out;
}
