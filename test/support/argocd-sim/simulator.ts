/**
 * A deterministic, discrete-time model of Argo CD converging a fleet from its rendered `dist/`.
 *
 * Modelled (Argo CD source read: argoproj/gitops-engine `pkg/sync/sync_context.go`, `pkg/sync/sync_tasks.go`,
 * `pkg/health/health.go`; argoproj/argo-cd `controller/appcontroller.go` (autoSync, processRequestedAppOperation),
 * `controller/sync.go`, `pkg/apis/application/v1alpha1/types.go` (RetryStrategy.NextRetryAt),
 * `resource_customizations/**\/health.lua`):
 * - an auto-sync operation: optional CreateNamespace (`syncNamespace`), then a client-side dry-run of every
 *   object; a kind the API server does not serve fails the whole operation before anything is applied,
 *   unless the Application has `SkipDryRunOnMissingResource=true`, the object has it in
 *   `argocd.argoproj.io/sync-options`, or the CRD is part of the same sync (`getSyncTasks`);
 * - waves (`argocd.argoproj.io/sync-wave`), applied in order, kinds inside a wave in `kindOrder`; an apply of
 *   a kind not served, or into a namespace that does not exist, fails the operation; with more than one wave
 *   (multiStep) the next wave starts when every object of the current one is Healthy or has no health check;
 *   Degraded fails the operation; the last wave ends the operation without waiting for health;
 * - retries: `syncPolicy.retry` (limit, backoff duration * factor^n capped at maxDuration); once exhausted the
 *   operation is Failed and autoSync skips the same revision ("Skipping auto-sync: failed previous sync
 *   attempt to <rev>") until a new commit: the Application stalls;
 * - health: built-in (health.go), resource_customizations (incl. ApplicationSet, external-secrets, Crossplane
 *   wildcards), plus `resource.customizations.health.<group>_<kind>` of the `argo-cd` add-on's values, in force
 *   only once that add-on Application (self-managed Argo CD) is Synced and Healthy; a child Application has no
 *   health until then; Application health is the worst of its resources' (missing objects: Missing);
 * - the ApplicationSet controller: regenerates from the live cluster Secrets each reconcile (the project's own
 *   offline controller `expandApplicationSet`), creates new Applications; ApplicationSet health Degraded while
 *   a generated Application names a project that does not exist yet;
 * - an Application whose project or destination cluster does not exist yet is not synced (InvalidSpecError);
 * - an Application whose destination its AppProject does not permit is not synced either (`util/argo/argo.go`
 *   `ValidatePermissions`: InvalidSpecError; reported as a stall, it never converges), and a sync fails on a
 *   namespaced object in a namespace the project does not permit (`controller/sync.go`, the permission
 *   validator); both with v3.2.0's `IsDestinationPermitted` (rules.ts `destinationPermitted`): the
 *   destination cluster's name and server are both compared with the project's destinations.
 *
 * The world (what the clusters do): an add-on's CRDs are served `crdDelay` after its Application is Healthy;
 * an add-on (Helm chart, a black box) is Healthy `addonInstall` after its first successful sync; a Crossplane
 * Provider/Function is Healthy `providerInstall` after it exists and Crossplane runs; `aws.upbound.io` and
 * `<svc>.aws.upbound.io` are served once a matching Provider is Healthy; an XRD's claim and composite kinds
 * once the XRD is established; a claim is Ready `rdsCreate` after its providers, function and ProviderConfig are;
 * a Deployment is Healthy `podStart` after its ConfigMaps/Secrets exist (a Secret of an ExternalSecret once that
 * ExternalSecret is Ready); an Ingress once the AWS Load Balancer Controller runs; an ExternalSecret once its
 * store is Ready and its AWS secret exists (an RDS master secret once its claim is Ready).
 *
 * Simplified: no AppProject source-repository or kind checks, no sync windows, no hooks, no pruning, no
 * self-heal drift, git is always readable (the private repository's credentials are assumed present), the
 * 2 s wave delay and the controller's requeue are folded into one time step, Helm charts' own contents are
 * not rendered (an add-on always syncs: its CRDs are in its own sync), a new commit makes every Application
 * eligible again, RollingSync/progressive syncs are not modelled.
 */
import { parseAllDocuments } from 'yaml';
import { clusterInventory, expandApplicationSet, isClusterSecret } from '../../../engines/applicationset/index.js';
import { addonOfGroup, BUILTIN_GROUPS, CLUSTER_SCOPED, destinationPermitted, Health, hasHealthCheck, kindRank, retryDelay, retryPolicyOf, RetryPolicy, worse } from './rules.js';

export interface Timings {
  /** Simulation step, seconds. */
  readonly step: number;
  /** Seconds from an add-on's first successful sync to Healthy, per add-on; `default` for the others. */
  readonly addonInstall: Readonly<Record<string, number>>;
  /** Extra seconds after an add-on is Healthy before its CRDs are served, per add-on. */
  readonly crdDelay: Readonly<Record<string, number>>;
  /** Crossplane package (Provider, Function) install, seconds. */
  readonly providerInstall: number;
  /** RDS instance creation for a claim, seconds. */
  readonly rdsCreate: number;
  /** Pods of a Deployment ready after its inputs exist, seconds. */
  readonly podStart: number;
  /** Load balancer of an Ingress, seconds after the controller runs. */
  readonly ingressLb: number;
  /** ApplicationSet controller reconcile after a change, seconds. */
  readonly appsetReconcile: number;
  /** Give up after this many simulated seconds. */
  readonly horizon: number;
}

export const PLAUSIBLE: Timings = {
  step: 5,
  addonInstall: { default: 90, 'argo-cd': 60, 'external-secrets': 60, 'cert-manager': 90, crossplane: 120, 'kube-prometheus-stack': 120, karpenter: 90 },
  crdDelay: {},
  providerInstall: 120,
  rdsCreate: 600,
  podStart: 30,
  ingressLb: 60,
  appsetReconcile: 5,
  horizon: 3600,
};

export interface Failure { readonly app: string; readonly at: number; readonly cause: string }
export interface Stall { readonly app: string; readonly at: number; readonly cause: string }
export interface AppOutcome { readonly app: string; readonly failedAttempts: number; readonly firstCause?: string; readonly firstFailureAt?: number; readonly sync: string; readonly health: Health; readonly why?: string }
export interface SimResult {
  /** Seconds to convergence (every Application Synced and Healthy), measured from the start; undefined if never. */
  readonly convergedAt?: number;
  readonly stalls: readonly Stall[];
  readonly apps: readonly AppOutcome[];
  readonly failures: readonly Failure[];
}

type Obj = Record<string, any>;
const HUB = 'https://kubernetes.default.svc';
const ARGOCD_NS = 'argocd';

interface Live { obj: Obj; createdAt: number; group: string; kind: string; name: string; ns: string }
interface Target { obj: Obj; group: string; kind: string; name: string; ns: string; key: string; wave: number }

class Cluster {
  public readonly objects = new Map<string, Live>();
  /** `objects` by `group/kind` (same order as `objects`: a key keeps the place of its first insertion). */
  private readonly byKind = new Map<string, Map<string, Live>>();
  public readonly addonHealthyAt = new Map<string, number>();
  public constructor(public readonly server: string) {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...(server === HUB ? [ARGOCD_NS] : [])]) {
      this.set(`/Namespace//${ns}`, { obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, createdAt: -1, group: '', kind: 'Namespace', name: ns, ns: '' });
    }
  }
  /** The only way objects change: created or replaced, never deleted. */
  public set(key: string, live: Live): void {
    this.objects.set(key, live);
    const k = `${live.group}/${live.kind}`;
    let m = this.byKind.get(k);
    if (!m) { m = new Map(); this.byKind.set(k, m); }
    m.set(key, live);
  }
  public hasNamespace(ns: string): boolean { return this.objects.has(`/Namespace//${ns}`); }
  public list(group: string, kind: string): Live[] { return [...(this.byKind.get(`${group}/${kind}`)?.values() ?? [])]; }
}

interface Op {
  revision: number;
  retryCount: number;
  phase: 'Running' | 'Failed' | 'Succeeded' | 'Retrying';
  nextRetryAt: number;
  waves: number[];
  waveIdx: number;
  targets: Target[];
  message: string;
}

interface App {
  name: string;
  spec: Obj;
  createdAt: number;
  retry: RetryPolicy;
  op?: Op;
  syncedOnce?: number;
  failedAttempts: number;
  firstCause?: string;
  firstFailureAt?: number;
  stall?: Stall;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const keyOf = (group: string, kind: string, ns: string, name: string) => `${group}/${kind}/${ns}/${name}`;
const syncOptions = (o: Obj): string[] => String(o?.metadata?.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').map((s) => s.trim());

/**
 * JSON.stringify of an object, computed once per object. The simulator never mutates a parsed or generated
 * object (live objects are the parsed targets or generated Applications themselves), so an object's JSON
 * never changes; this only saves serializing the same object again every tick.
 */
const jsonCache = new WeakMap<object, string>();
function jsonOf(o: unknown): string {
  if (o === null || typeof o !== 'object') return JSON.stringify(o);
  let j = jsonCache.get(o);
  if (j === undefined) { j = JSON.stringify(o); jsonCache.set(o, j); }
  return j;
}
/**
 * The object documents of a YAML text, parsed once per text in this process (the scenarios simulate the
 * same render again and again); each simulator gets its own deep copy.
 */
const parsedTexts = new Map<string, Obj[]>();
function parsedDocuments(text: string): Obj[] {
  let docs = parsedTexts.get(text);
  if (!docs) {
    docs = parseAllDocuments(text).map((x) => x.toJS()).filter((x) => x && typeof x === 'object');
    parsedTexts.set(text, docs);
  }
  return structuredClone(docs);
}

/** Whether two objects serialize to the same JSON (what Argo CD's diff compares here). */
const sameJson = (a: unknown, b: unknown): boolean => a === b || jsonOf(a) === jsonOf(b);

/** Converts a directory `include` glob (`{a/*.yaml,b/*.yaml}`) to a test on paths relative to the source path. */
function includeTest(glob: string | undefined): (rel: string) => boolean {
  if (!glob) return () => true;
  const alts = glob.startsWith('{') && glob.endsWith('}') ? glob.slice(1, -1).split(',') : [glob];
  const res = alts.map((g) => new RegExp(`^${g.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
  return (rel) => res.some((r) => r.test(rel) || r.test(rel.split('/').pop()!));
}

export interface Scenario {
  readonly name: string;
  readonly timings: Timings;
}

/** The simulator: create with the rendered files, `boot()` (root applied at t=0), `run()`; `commit()` a new render. */
export class FleetSimulator {
  public t = 0;
  private revision = 1;
  private files: Map<string, string>;
  private parsed = new Map<string, Obj[]>();
  /** The rendered paths, sorted (computed once per render: computeTargets runs for every Application every tick). */
  private sortedFiles?: string[];
  /** The files a directory source selects, by base|recurse|include (cleared with the render). */
  private readonly selected = new Map<string, string[]>();
  private readonly clusters = new Map<string, Cluster>();
  private readonly apps = new Map<string, App>();
  private readonly failures: Failure[] = [];
  private cmKeys = new Set<string>();
  /** Expansions by the appset's JSON, then the cluster inventory's JSON. */
  private readonly expandCache = new Map<string, Map<string, Obj[]>>();

  public constructor(files: Map<string, string>, private readonly timings: Timings) {
    this.files = files;
  }

  private cluster(server: string): Cluster {
    const s = server.replace(/\/+$/, '');
    let c = this.clusters.get(s);
    if (!c) { c = new Cluster(s); this.clusters.set(s, c); }
    return c;
  }
  private get hub(): Cluster { return this.cluster(HUB); }

  private docs(file: string): Obj[] {
    let d = this.parsed.get(file);
    if (!d) {
      d = parsedDocuments(this.files.get(file) ?? '');
      this.parsed.set(file, d);
    }
    return d;
  }

  /** The user applies `hub/bootstrap/root-app.yaml` at t=0. */
  public boot(): void {
    for (const obj of this.docs('hub/bootstrap/root-app.yaml')) this.createLive(this.hub, obj, ARGOCD_NS);
  }

  /** A new commit: the rendered files change; every Application may sync again. */
  public commit(files: Map<string, string>): void {
    this.files = files;
    this.parsed.clear();
    this.sortedFiles = undefined;
    this.selected.clear();
    this.revision += 1;
    for (const a of this.apps.values()) { a.stall = undefined; a.failedAttempts = 0; a.firstCause = undefined; a.firstFailureAt = undefined; }
    this.failures.length = 0;
  }

  private createLive(c: Cluster, obj: Obj, defaultNs: string): Live {
    const group = groupOf(String(obj.apiVersion ?? ''));
    const kind = String(obj.kind);
    const name = String(obj.metadata?.name ?? '');
    const ns = this.isClusterScoped(c, group, kind) ? '' : String(obj.metadata?.namespace ?? defaultNs);
    const key = keyOf(group, kind, ns, name);
    const prev = c.objects.get(key);
    this.tickMemo.clear();
    this.readyMemo.clear();
    const live: Live = { obj, createdAt: prev?.createdAt ?? this.t, group, kind, name, ns };
    c.set(key, live);
    if (c === this.hub && kind === 'Secret') this.hubSecrets += 1;
    if (c === this.hub && group === 'argoproj.io' && kind === 'Application' && ns === ARGOCD_NS) this.registerApp(obj);
    return live;
  }

  private registerApp(obj: Obj): void {
    const name = String(obj.metadata.name);
    const existing = this.apps.get(name);
    if (existing) { existing.spec = obj.spec; existing.retry = retryPolicyOf(obj.spec); return; }
    this.apps.set(name, { name, spec: obj.spec, createdAt: this.t, retry: retryPolicyOf(obj.spec), failedAttempts: 0 });
  }

  private isClusterScoped(c: Cluster, group: string, kind: string): boolean {
    if (CLUSTER_SCOPED.has(kind)) return true;
    return c.list('apiextensions.crossplane.io', 'CompositeResourceDefinition').some((x) => x.obj.spec?.group === group && x.obj.spec?.names?.kind === kind);
  }

  // ---- the world -------------------------------------------------------------------------------------

  /** When a kind is served on a cluster, or undefined (not yet), with the reason. */
  private servedAt(c: Cluster, group: string, kind: string): { at?: number; why: string } {
    if (BUILTIN_GROUPS.has(group)) return { at: -1, why: '' };
    if (group === 'argoproj.io' && ['Application', 'ApplicationSet', 'AppProject'].includes(kind) && c.server === HUB) return { at: -1, why: '' };
    const addon = addonOfGroup(group, kind);
    if (addon) {
      const h = c.addonHealthyAt.get(addon);
      const at = h === undefined ? undefined : h + (this.timings.crdDelay[addon] ?? 0);
      return { at, why: `${kind} kind not served (CRD of add-on ${addon} not installed yet)` };
    }
    if (group === 'aws.upbound.io' || group.endsWith('.aws.upbound.io')) {
      const svc = group === 'aws.upbound.io' ? '' : group.slice(0, -'.aws.upbound.io'.length);
      const times = c.list('pkg.crossplane.io', 'Provider')
        .filter((p) => String(p.obj.spec?.package ?? '').includes(svc ? `provider-aws-${svc}` : 'provider-aws'))
        .map((p) => this.readyAt(c, p)).filter((x): x is number => x !== undefined);
      return { at: times.length ? Math.min(...times) : undefined, why: `${kind} kind not served (${group} CRDs come with a Crossplane AWS provider, not Healthy yet)` };
    }
    for (const xrd of c.list('apiextensions.crossplane.io', 'CompositeResourceDefinition')) {
      if (xrd.obj.spec?.group === group && (xrd.obj.spec?.names?.kind === kind || xrd.obj.spec?.claimNames?.kind === kind)) {
        return { at: this.readyAt(c, xrd), why: `${kind} kind not served (XRD ${xrd.name} not established yet)` };
      }
    }
    const rendered = [...this.files.keys()].some((f) => /\.ya?ml$/.test(f) && !f.startsWith('addons/values/') && this.docs(f).some((o) => o.kind === 'CompositeResourceDefinition' && o.spec?.group === group));
    if (rendered) return { at: undefined, why: `${kind} kind not served (its XRD is not applied yet)` };
    return { at: undefined, why: `${kind} kind (${group}) not served: no add-on of the fleet installs its CRD` };
  }

  private served(c: Cluster, group: string, kind: string): boolean {
    const { at } = this.servedAt(c, group, kind);
    return at !== undefined && at <= this.t;
  }

  private ctrlAt(c: Cluster, addon: string): number | undefined { return c.addonHealthyAt.get(addon); }

  private findLive(c: Cluster, group: string, kind: string, ns: string, name: string): Live | undefined { return c.objects.get(keyOf(group, kind, ns, name)); }

  private readonly readyMemo = new Map<string, number | undefined>();

  /** When a live object is (or will be, as far as known now) Ready in the world; undefined: not in sight. */
  private readyAt(c: Cluster, l: Live, depth = 0): number | undefined {
    const memoKey = `${this.t}|${c.server}|${keyOf(l.group, l.kind, l.ns, l.name)}`;
    if (this.readyMemo.has(memoKey)) return this.readyMemo.get(memoKey);
    const v = depth > 8 ? undefined : this.computeReadyAt(c, l, depth + 1);
    this.readyMemo.set(memoKey, v);
    return v;
  }

  private computeReadyAt(c: Cluster, l: Live, depth: number): number | undefined {
    const T = this.timings;
    const max = (...xs: Array<number | undefined>) => (xs.some((x) => x === undefined) ? undefined : Math.max(...(xs as number[])));
    const k = `${l.group}/${l.kind}`;
    switch (k) {
      case 'apps/Deployment':
      case 'apps/StatefulSet': {
        const deps = this.podInputs(l.obj).map(({ kind, name }) => {
          if (kind === 'ConfigMap') return this.findLive(c, '', 'ConfigMap', l.ns, name)?.createdAt;
          const s = this.findLive(c, '', 'Secret', l.ns, name);
          if (s) return s.createdAt;
          const es = c.list('external-secrets.io', 'ExternalSecret').find((e) => e.ns === l.ns && (e.obj.spec?.target?.name ?? e.name) === name);
          return es ? this.readyAt(c, es, depth) : undefined;
        });
        const at = max(l.createdAt, ...deps);
        return at === undefined ? undefined : at + T.podStart;
      }
      case 'networking.k8s.io/Ingress': {
        const at = max(l.createdAt, this.ctrlAt(c, 'aws-load-balancer-controller'));
        return at === undefined ? undefined : at + T.ingressLb;
      }
      case 'autoscaling/HorizontalPodAutoscaler': {
        const ref = l.obj.spec?.scaleTargetRef ?? {};
        const target = this.findLive(c, groupOf(String(ref.apiVersion ?? 'apps/v1')), String(ref.kind), l.ns, String(ref.name));
        const at = max(l.createdAt, this.ctrlAt(c, 'metrics-server'), target ? this.readyAt(c, target, depth) : undefined);
        return at === undefined ? undefined : at + 15;
      }
      case 'external-secrets.io/ClusterSecretStore':
      case 'external-secrets.io/SecretStore': {
        const at = max(l.createdAt, this.ctrlAt(c, 'external-secrets'));
        return at === undefined ? undefined : at + 5;
      }
      case 'external-secrets.io/ExternalSecret': {
        const ref = l.obj.spec?.secretStoreRef ?? {};
        const store = ref.kind === 'ClusterSecretStore' ? this.findLive(c, 'external-secrets.io', 'ClusterSecretStore', '', String(ref.name)) : this.findLive(c, 'external-secrets.io', 'SecretStore', l.ns, String(ref.name));
        const rds = this.rdsSecretAt(l.obj, depth);
        const at = max(l.createdAt, store ? this.readyAt(c, store, depth) : undefined, rds);
        return at === undefined ? undefined : at + 10;
      }
      case 'pkg.crossplane.io/Provider':
      case 'pkg.crossplane.io/Function':
      case 'pkg.crossplane.io/Configuration': {
        const at = max(l.createdAt, this.ctrlAt(c, 'crossplane'));
        return at === undefined ? undefined : at + T.providerInstall;
      }
      case 'apiextensions.crossplane.io/CompositeResourceDefinition': {
        const at = max(l.createdAt, this.ctrlAt(c, 'crossplane'));
        return at === undefined ? undefined : at + 10;
      }
      default:
        break;
    }
    if (this.isClaim(c, l)) {
      const providers = c.list('pkg.crossplane.io', 'Provider').map((p) => this.readyAt(c, p, depth));
      const fns = c.list('pkg.crossplane.io', 'Function').map((p) => this.readyAt(c, p, depth));
      const pcs = c.list('aws.upbound.io', 'ProviderConfig').map((p) => p.createdAt);
      const at = max(l.createdAt, ...providers, ...fns, pcs.length ? Math.min(...pcs) : undefined);
      return at === undefined ? undefined : at + T.rdsCreate;
    }
    return l.createdAt;
  }

  private isClaim(c: Cluster, l: Live): boolean {
    return c.list('apiextensions.crossplane.io', 'CompositeResourceDefinition').some((x) => x.obj.spec?.group === l.group && x.obj.spec?.claimNames?.kind === l.kind);
  }

  /** The AWS secret an ExternalSecret reads: an RDS master secret (tag `aws:rds:primaryDBInstanceArn`) exists once the claim is Ready; others exist already. */
  private rdsSecretAt(es: Obj, depth: number): number | undefined {
    const arns: string[] = (es.spec?.dataFrom ?? []).map((d: Obj) => d?.find?.tags?.['aws:rds:primaryDBInstanceArn']).filter((x: unknown) => typeof x === 'string');
    if (arns.length === 0) return -1;
    const ids = arns.map((a) => a.split(':db:').pop());
    const hub = this.hub;
    const times = ids.map((id) => {
      const claim = [...hub.objects.values()].find((l) => this.isClaim(hub, l) && l.obj.spec?.parameters?.identifier === id);
      return claim ? this.readyAt(hub, claim, depth) : undefined;
    });
    return times.some((x) => x === undefined) ? undefined : Math.max(...(times as number[]));
  }

  private podInputs(obj: Obj): Array<{ kind: 'ConfigMap' | 'Secret'; name: string }> {
    const out: Array<{ kind: 'ConfigMap' | 'Secret'; name: string }> = [];
    const pod = obj.spec?.template?.spec ?? {};
    for (const ctr of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
      for (const ef of ctr.envFrom ?? []) {
        if (ef.configMapRef && !ef.configMapRef.optional) out.push({ kind: 'ConfigMap', name: ef.configMapRef.name });
        if (ef.secretRef && !ef.secretRef.optional) out.push({ kind: 'Secret', name: ef.secretRef.name });
      }
      for (const e of ctr.env ?? []) {
        const v = e.valueFrom ?? {};
        if (v.configMapKeyRef && !v.configMapKeyRef.optional) out.push({ kind: 'ConfigMap', name: v.configMapKeyRef.name });
        if (v.secretKeyRef && !v.secretKeyRef.optional) out.push({ kind: 'Secret', name: v.secretKeyRef.name });
      }
    }
    for (const v of pod.volumes ?? []) {
      if (v.configMap && !v.configMap.optional) out.push({ kind: 'ConfigMap', name: v.configMap.name });
      if (v.secret && !v.secret.optional) out.push({ kind: 'Secret', name: v.secret.secretName });
    }
    return out;
  }

  // ---- Argo CD's view ---------------------------------------------------------------------------------

  /** Argo CD's health of a live object; undefined: the kind has no health check. */
  private health(c: Cluster, l: Live): { h: Health; why?: string } | undefined {
    if (l.group === 'argoproj.io' && l.kind === 'Application' && c === this.hub) {
      if (!hasHealthCheck('argoproj.io', 'Application', this.cmKeys)) return undefined;
      const a = this.apps.get(l.name);
      return a ? { h: this.appHealth(a).h, why: `child Application ${a.name}` } : { h: 'Progressing' };
    }
    if (l.group === 'argoproj.io' && l.kind === 'ApplicationSet') {
      if (this.t < l.createdAt + this.timings.appsetReconcile) return { h: 'Progressing', why: `ApplicationSet ${l.name} not reconciled yet` };
      const missing = this.generate(l.obj).map((a) => String(a.spec?.project)).filter((p) => !this.projectExists(p));
      return missing.length ? { h: 'Degraded', why: `ApplicationSet ${l.name}: project ${missing[0]} does not exist` } : { h: 'Healthy' };
    }
    if (!hasHealthCheck(l.group, l.kind, this.cmKeys)) return undefined;
    // Claims have no health unless argocd-cm names them (the crossplane wildcard does not match their group).
    const at = this.readyAt(c, l);
    if (at !== undefined && at <= this.t) return { h: 'Healthy' };
    return { h: 'Progressing', why: `${l.kind} ${l.ns ? `${l.ns}/` : ''}${l.name} not ready${at === undefined ? ' (waits on something that does not exist yet)' : ''}` };
  }

  private projectExists(p: string): boolean {
    return p === 'default' || this.hub.objects.has(keyOf('argoproj.io', 'AppProject', ARGOCD_NS, p));
  }

  private destination(a: App): Cluster | undefined {
    const cl = this.destinationCluster(a);
    return cl ? this.cluster(cl.server) : undefined;
  }

  /** `GetDestinationCluster`: the cluster Secret the Application's destination names, by server, else by name. */
  private destinationCluster(a: App): { name: string; server: string } | undefined {
    const d = a.spec?.destination ?? {};
    const inv = this.inventory();
    return d.server ? inv.clusters.find((x) => x.server.replace(/\/+$/, '') === String(d.server).replace(/\/+$/, '')) : inv.clusters.find((x) => x.name === d.name);
  }

  /** Why the Application's project does not permit `namespace` on its destination cluster, if it does not. */
  private notPermitted(a: App, namespace: string): string | undefined {
    const p = String(a.spec?.project);
    if (p === 'default') return undefined;
    const project = this.hub.objects.get(keyOf('argoproj.io', 'AppProject', ARGOCD_NS, p))?.obj;
    const cl = this.destinationCluster(a);
    if (!project || !cl) return undefined;
    const permitted = destinationPermitted(project.spec?.destinations ?? [], cl, namespace);
    if (permitted === true) return undefined;
    if (permitted === 'unsupported-pattern') return `AppProject ${p} has a destination pattern the simulator does not emulate`;
    return `destination ${cl.name} (${cl.server}) namespace '${namespace}' is not permitted in project '${p}'`;
  }

  /** Bumped whenever a Secret is created or replaced on the hub: the cluster inventory only depends on those. */
  private hubSecrets = 0;
  private inventoryOf?: { readonly version: number; readonly inv: ReturnType<typeof clusterInventory> };
  private inventory() {
    if (this.inventoryOf?.version !== this.hubSecrets) this.inventoryOf = { version: this.hubSecrets, inv: this.computeInventory() };
    return this.inventoryOf.inv;
  }

  private computeInventory() {
    const secrets = [...this.hub.objects.values()].filter((l) => l.ns === ARGOCD_NS && isClusterSecret(l.obj)).map((l) => l.obj);
    return clusterInventory(secrets);
  }

  private generate(appset: Obj): Obj[] {
    const inv = this.inventory();
    const appsetKey = jsonOf(appset);
    const clustersKey = jsonOf(inv.clusters);
    let byClusters = this.expandCache.get(appsetKey);
    if (!byClusters) { byClusters = new Map(); this.expandCache.set(appsetKey, byClusters); }
    let out = byClusters.get(clustersKey);
    if (!out) {
      out = expandApplicationSet(appset, inv).applications.map((g) => g.application as unknown as Obj);
      byClusters.set(clustersKey, out);
    }
    return out;
  }

  /** The add-on an Application installs (a Helm chart source), if it is one. */
  private chartOf(a: App): string | undefined {
    const sources: Obj[] = a.spec?.sources ?? (a.spec?.source ? [a.spec.source] : []);
    return sources.find((s) => typeof s.chart === 'string')?.chart;
  }

  /** The objects an Application's directory source renders. */
  private targets(a: App, c: Cluster): Target[] {
    return this.memo(`targets|${a.name}|${JSON.stringify(a.spec?.source ?? a.spec?.sources ?? '')}`, () => this.computeTargets(a, c));
  }

  private computeTargets(a: App, c: Cluster): Target[] {
    const src: Obj = a.spec?.source ?? (a.spec?.sources ?? []).find((s: Obj) => s.ref === undefined) ?? {};
    const base = String(src.path ?? '').replace(/^dist\//, '').replace(/\/+$/, '');
    const recurse = src.directory?.recurse === true;
    const destNs = String(a.spec?.destination?.namespace ?? '');
    const out: Target[] = [];
    for (const file of this.selectedFiles(base, recurse, src.directory?.include)) {
      for (const obj of this.docs(file)) {
        if (!obj.kind || !obj.apiVersion) continue;
        const group = groupOf(String(obj.apiVersion));
        const kind = String(obj.kind);
        const ns = this.isClusterScoped(c, group, kind) ? '' : String(obj.metadata?.namespace ?? destNs);
        const wave = Number(obj.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0) || 0;
        out.push({ obj, group, kind, name: String(obj.metadata?.name), ns, key: keyOf(group, kind, ns, String(obj.metadata?.name)), wave });
      }
    }
    return out;
  }

  private selectedFiles(base: string, recurse: boolean, includeGlob: string | undefined): string[] {
    const key = JSON.stringify([base, recurse, includeGlob ?? null]);
    let files = this.selected.get(key);
    if (!files) {
      const include = includeTest(includeGlob);
      this.sortedFiles ??= [...this.files.keys()].sort();
      files = this.sortedFiles.filter((file) => {
        if (!file.startsWith(`${base}/`) || !/\.(ya?ml|json)$/.test(file)) return false;
        const rel = file.slice(base.length + 1);
        if (!recurse && rel.includes('/')) return false;
        return include(rel);
      });
      this.selected.set(key, files);
    }
    return files;
  }

  private isSynced(a: App, c: Cluster | undefined): boolean {
    if (!c) return false;
    if (this.chartOf(a) !== undefined) return a.op?.phase === 'Succeeded' && a.op.revision === this.revision;
    return this.targets(a, c).every((t) => {
      const live = c.objects.get(t.key);
      return live !== undefined && sameJson(live.obj, t.obj);
    });
  }

  private readonly tickMemo = new Map<string, unknown>();
  private memo<T>(key: string, f: () => T): T {
    if (this.tickMemo.has(key)) return this.tickMemo.get(key) as T;
    const v = f();
    this.tickMemo.set(key, v);
    return v;
  }

  private appHealth(a: App): { h: Health; why?: string } {
    const k = `health|${a.name}`;
    if (this.tickMemo.has(k)) return this.tickMemo.get(k) as { h: Health; why?: string };
    this.tickMemo.set(k, { h: 'Progressing', why: 'cycle' });
    const v = this.computeAppHealth(a);
    this.tickMemo.set(k, v);
    return v;
  }

  private computeAppHealth(a: App): { h: Health; why?: string } {
    const c = this.destination(a);
    if (!c) return { h: 'Missing', why: 'destination cluster unknown' };
    const chart = this.chartOf(a);
    if (chart !== undefined) {
      if (a.syncedOnce === undefined) return { h: 'Missing', why: `add-on ${chart} not synced` };
      const addon = String(a.spec?.sources?.find((s: Obj) => s.chart)?.helm?.releaseName ?? chart);
      const at = a.syncedOnce + (this.timings.addonInstall[addon] ?? this.timings.addonInstall.default ?? 90);
      return at <= this.t ? { h: 'Healthy' } : { h: 'Progressing', why: `add-on ${addon} installing` };
    }
    let h: Health = 'Healthy';
    let why: string | undefined;
    for (const t of this.targets(a, c)) {
      if (t.group === 'argoproj.io' && t.kind === 'Application' && t.name === a.name) continue; // Argo CD skips an Application's own object
      const live = c.objects.get(t.key);
      const r: { h: Health; why?: string } | undefined = live ? this.health(c, live) : { h: 'Missing', why: `${t.kind} ${t.name} missing` };
      if (r && worse(r.h, h) === r.h && r.h !== h) { h = r.h; why = r.why; }
      else if (r && r.h === h && h !== 'Healthy' && !why) why = r.why;
    }
    return { h, why };
  }

  // ---- the controller --------------------------------------------------------------------------------

  private fail(a: App, cause: string): void {
    const op = a.op!;
    a.failedAttempts += 1;
    this.failures.push({ app: a.name, at: this.t, cause });
    if (a.firstCause === undefined) { a.firstCause = cause; a.firstFailureAt = this.t; }
    op.message = cause;
    if (op.retryCount < a.retry.limit || a.retry.limit < 0) {
      op.nextRetryAt = this.t + retryDelay(a.retry, op.retryCount);
      op.retryCount += 1;
      op.phase = 'Retrying';
    } else {
      op.phase = 'Failed';
      a.stall = { app: a.name, at: this.t, cause: `${cause}; retries exhausted (${a.retry.limit}) at t=${this.t}s` };
    }
  }

  /** One sync attempt starts: CreateNamespace, dry-run, first wave. */
  private startAttempt(a: App, c: Cluster): void {
    const op = a.op!;
    op.phase = 'Running';
    const opts: string[] = a.spec?.syncPolicy?.syncOptions ?? [];
    const destNs = String(a.spec?.destination?.namespace ?? '');
    if (opts.includes('CreateNamespace=true') && destNs && !c.hasNamespace(destNs)) this.createLive(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: destNs } }, '');
    if (this.chartOf(a) !== undefined) {
      if (!c.hasNamespace(destNs)) return this.fail(a, `namespaces "${destNs}" not found`);
      op.phase = 'Succeeded';
      a.syncedOnce ??= this.t;
      return;
    }
    op.targets = this.targets(a, c);
    op.waves = [...new Set(op.targets.map((t) => t.wave))].sort((x, y) => x - y);
    op.waveIdx = 0;
    for (const t of op.targets) {
      const denied = t.ns ? this.notPermitted(a, t.ns) : undefined;
      if (denied) return this.fail(a, `${t.kind} ${t.name}: ${denied}`);
    }
    const appSkip = opts.includes('SkipDryRunOnMissingResource=true');
    for (const t of op.targets) {
      if (this.served(c, t.group, t.kind)) continue;
      const crdInSync = op.targets.some((o) => o.kind === 'CustomResourceDefinition' && o.obj.spec?.group === t.group && o.obj.spec?.names?.kind === t.kind);
      if (appSkip || crdInSync || syncOptions(t.obj).includes('SkipDryRunOnMissingResource=true')) continue;
      return this.fail(a, `dry-run: ${this.servedAt(c, t.group, t.kind).why}`);
    }
    this.applyWave(a, c);
  }

  private applyWave(a: App, c: Cluster): void {
    const op = a.op!;
    const wave = op.waves[op.waveIdx];
    const tasks = op.targets.filter((t) => t.wave === wave).sort((x, y) => kindRank(x.kind) - kindRank(y.kind) || x.key.localeCompare(y.key));
    for (const t of tasks) {
      if (!this.served(c, t.group, t.kind)) return this.fail(a, `apply (wave ${wave}): ${this.servedAt(c, t.group, t.kind).why}`);
      if (t.ns && !c.hasNamespace(t.ns)) return this.fail(a, `apply (wave ${wave}): namespaces "${t.ns}" not found (${t.kind} ${t.name})`);
      this.createLive(c, t.obj, t.ns);
    }
    if (op.waveIdx === op.waves.length - 1) {
      op.phase = 'Succeeded';
      a.syncedOnce ??= this.t;
    }
  }

  /** A running multi-wave operation: the next wave once the current one is Healthy (or has no health). */
  private continueOp(a: App, c: Cluster): void {
    const op = a.op!;
    const wave = op.waves[op.waveIdx];
    for (const t of op.targets.filter((x) => x.wave === wave)) {
      const live = c.objects.get(t.key);
      const h = live ? this.health(c, live) : undefined;
      if (h?.h === 'Degraded') return this.fail(a, `wave ${wave}: ${h.why ?? `${t.kind} ${t.name} Degraded`}`);
      if (h && h.h !== 'Healthy') { op.message = `waiting for wave ${wave}: ${h.why ?? t.name}`; return; }
    }
    op.waveIdx += 1;
    this.applyWave(a, c);
  }

  private reconcileApp(a: App): void {
    if (!this.projectExists(String(a.spec?.project))) return;
    const c = this.destination(a);
    if (!c) return;
    // ValidatePermissions: an InvalidSpecError the Application never leaves on this revision.
    const invalid = this.notPermitted(a, String(a.spec?.destination?.namespace ?? ''));
    if (invalid) {
      a.stall ??= { app: a.name, at: this.t, cause: `InvalidSpecError: ${invalid}` };
      return;
    }
    const op = a.op;
    if (op && op.phase === 'Running') return this.continueOp(a, c);
    if (op && op.phase === 'Retrying') {
      if (this.t >= op.nextRetryAt) this.startAttempt(a, c);
      return;
    }
    if (!a.spec?.syncPolicy?.automated) return;
    if (this.isSynced(a, c)) return;
    if (op && op.phase === 'Failed' && op.revision === this.revision) return; // "Skipping auto-sync: failed previous sync attempt"
    a.op = { revision: this.revision, retryCount: 0, phase: 'Running', nextRetryAt: 0, waves: [], waveIdx: 0, targets: [], message: '' };
    this.startAttempt(a, c);
  }

  private reconcileAppSets(): void {
    for (const l of [...this.hub.objects.values()]) {
      if (l.group !== 'argoproj.io' || l.kind !== 'ApplicationSet' || this.t < l.createdAt + this.timings.appsetReconcile) continue;
      for (const app of this.generate(l.obj)) {
        const existing = this.hub.objects.get(keyOf('argoproj.io', 'Application', ARGOCD_NS, String(app.metadata.name)));
        if (!existing || !sameJson(existing.obj, app)) this.createLive(this.hub, app, ARGOCD_NS);
      }
    }
  }

  private updateWorld(): void {
    for (const a of this.apps.values()) {
      const chart = this.chartOf(a);
      const c = this.destination(a);
      if (chart === undefined || !c) continue;
      const addon = String(a.spec?.sources?.find((s: Obj) => s.chart)?.helm?.releaseName ?? chart);
      if (!c.addonHealthyAt.has(addon) && this.appHealth(a).h === 'Healthy') {
        c.addonHealthyAt.set(addon, this.t);
        if (addon === 'argo-cd' && c === this.hub && this.isSynced(a, c)) this.cmKeys = this.argocdCmKeys(a);
      }
    }
  }

  /** `resource.customizations.health.<group>_<kind>` keys of the argo-cd add-on's values files (default, environment, cluster). */
  private argocdCmKeys(a: App): Set<string> {
    const keys = new Set<string>();
    const files = (a.spec?.sources ?? []).flatMap((s: Obj) => s.helm?.valueFiles ?? []).map((f: string) => f.replace(/^\$values\//, '').replace(/^dist\//, ''));
    for (const f of files) {
      for (const doc of this.docs(f)) {
        for (const k of Object.keys(doc?.configs?.cm ?? {})) if (k.startsWith('resource.customizations.health.')) keys.add(k.slice('resource.customizations.health.'.length));
      }
    }
    return keys;
  }

  /** Every Application Synced and Healthy, and the ApplicationSet controller has nothing left to create. */
  private converged(): boolean {
    for (const a of this.apps.values()) {
      const c = this.destination(a);
      if (!this.isSynced(a, c) || this.appHealth(a).h !== 'Healthy') return false;
    }
    for (const l of this.hub.objects.values()) {
      if (l.group !== 'argoproj.io' || l.kind !== 'ApplicationSet') continue;
      if (this.t < l.createdAt + this.timings.appsetReconcile) return false;
      for (const app of this.generate(l.obj)) if (!this.apps.has(String(app.metadata.name))) return false;
    }
    return this.apps.size > 0;
  }

  /** Runs until convergence or the horizon, from the current time; times in the result are relative to `from`. */
  public run(): SimResult {
    const from = this.t;
    let convergedAt: number | undefined;
    while (this.t - from <= this.timings.horizon) {
      this.readyMemo.clear();
      this.tickMemo.clear();
      this.updateWorld();
      this.reconcileAppSets();
      for (const a of [...this.apps.values()]) { this.tickMemo.clear(); this.reconcileApp(a); }
      this.readyMemo.clear();
      this.tickMemo.clear();
      this.updateWorld();
      if (this.converged()) { convergedAt = this.t - from; break; }
      if ([...this.apps.values()].some((a) => a.stall) && this.quiescentStall()) break;
      this.t += this.timings.step;
    }
    const apps: AppOutcome[] = [...this.apps.values()].sort((x, y) => x.name.localeCompare(y.name)).map((a) => {
      const c = this.destination(a);
      const h = this.appHealth(a);
      return { app: a.name, failedAttempts: a.failedAttempts, firstCause: a.firstCause, firstFailureAt: a.firstFailureAt === undefined ? undefined : a.firstFailureAt - from, sync: this.isSynced(a, c) ? 'Synced' : 'OutOfSync', health: h.h, why: h.why ?? a.op?.message };
    });
    return {
      convergedAt,
      stalls: [...this.apps.values()].filter((a) => a.stall).map((a) => ({ ...a.stall!, at: a.stall!.at - from })).sort((x, y) => x.at - y.at || x.app.localeCompare(y.app)),
      apps,
      failures: this.failures.map((f) => ({ ...f, at: f.at - from })),
    };
  }

  /** A stall is final; keep running until nothing else can change (no op running or retrying) so every stall is seen. */
  private quiescentStall(): boolean {
    for (const a of this.apps.values()) if (a.op && (a.op.phase === 'Running' || a.op.phase === 'Retrying')) return false;
    return this.stableTicks++ > 200;
  }
  private stableTicks = 0;
}
