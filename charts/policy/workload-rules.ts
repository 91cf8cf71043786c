import { APPS_DIR } from '../layout/dist-layout.js';
import { POD_SPEC_PATH } from '../../engines/kustomize/container-patch.js';
import { Finding, objectId, RenderedObjects } from './finding.js';

/** The pod spec of a workload object, or undefined for other kinds. */
export function podSpecOf(o: any): any {
  const path = POD_SPEC_PATH[o?.kind];
  return path ? path.reduce((v, k) => v?.[k], o) : undefined;
}

/** A ConfigMap or Secret a pod spec reads, and whether it may be missing. */
export interface PodReference {
  readonly kind: 'ConfigMap' | 'Secret';
  /** As written (a malformed reference may lack it). */
  readonly name: string | undefined;
  readonly optional: boolean;
}

/** Every ConfigMap and Secret a pod spec reads: volumes, then each container's envFrom and env. */
export function podReferences(pod: any): PodReference[] {
  const out: PodReference[] = [];
  const ref = (kind: PodReference['kind'], name: string | undefined, optional: boolean | undefined) => {
    out.push({ kind, name, optional: Boolean(optional) });
  };
  for (const v of pod?.volumes ?? []) {
    if (v.configMap) ref('ConfigMap', v.configMap.name, v.configMap.optional);
    if (v.secret) ref('Secret', v.secret.secretName, v.secret.optional);
  }
  for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef) ref('ConfigMap', e.configMapRef.name, e.configMapRef.optional);
      if (e.secretRef) ref('Secret', e.secretRef.name, e.secretRef.optional);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef) ref('ConfigMap', e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.optional);
      if (e.valueFrom?.secretKeyRef) ref('Secret', e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.optional);
    }
  }
  return out;
}

const PINNED = /^[^@\s]+(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64}|:[\w][\w.-]{0,127}@sha256:[a-f0-9]{64})$/;

/**
 * Rules for team workloads (everything under `apps/`): Pod Security "restricted", pinned images,
 * requests and limits, probes.
 */
export function workloadFindings(rendered: RenderedObjects): Finding[] {
  const out: Finding[] = [];
  for (const [file, objects] of rendered) {
    if (!file.startsWith(`${APPS_DIR}/`)) continue;
    for (const o of objects) {
      const pod = podSpecOf(o);
      if (!pod) continue;
      const add = (rule: string, message: string) => out.push({ rule, file, object: objectId(o), message });
      const podSc = pod.securityContext ?? {};
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) add('pss-restricted', 'uses the host network, PID or IPC namespace');
      for (const v of pod.volumes ?? []) if (v.hostPath) add('pss-restricted', `volume ${v.name} is a hostPath`);
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        const sc = c.securityContext ?? {};
        const where = `container ${c.name}`;
        if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) add('pss-restricted', `${where} may run as root: set runAsNonRoot: true`);
        if ((sc.runAsUser ?? podSc.runAsUser) === 0) add('pss-restricted', `${where} runs as user 0`);
        if (sc.allowPrivilegeEscalation !== false) add('pss-restricted', `${where} allows privilege escalation`);
        if (sc.privileged) add('pss-restricted', `${where} is privileged`);
        if (!(sc.capabilities?.drop ?? []).includes('ALL')) add('pss-restricted', `${where} does not drop ALL capabilities`);
        const added = (sc.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
        if (added.length) add('pss-restricted', `${where} adds capabilities ${added.join(', ')}`);
        const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
        if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add('pss-restricted', `${where} has no seccomp profile RuntimeDefault`);
        if (typeof c.image !== 'string' || !PINNED.test(c.image) || /:latest(@|$)/i.test(c.image)) {
          add('image-pinned', `${where} image "${c.image}" is not pinned by a tag other than latest or by a digest`);
        }
        const r = c.resources ?? {};
        for (const kind of ['requests', 'limits']) {
          for (const res of ['cpu', 'memory']) if (r[kind]?.[res] === undefined) add('resources-set', `${where} has no ${res} ${kind.replace(/s$/, '')}`);
        }
        const isInit = (pod.initContainers ?? []).includes(c);
        if (!isInit) {
          if (!c.livenessProbe) add('probes-present', `${where} has no liveness probe`);
          if ((c.ports ?? []).length > 0 && !c.readinessProbe) add('probes-present', `${where} serves a port but has no readiness probe`);
        }
      }
    }
  }
  return out;
}
