import { ArgoCluster, clusterInventory, ClusterInventoryOptions, ClusterSecretInput, isClusterSecret } from '../../engines/applicationset/clusters.js';
import { expandApplicationSet } from '../../engines/applicationset/expand.js';
import type { FieldPick } from '../../engines/applicationset/template-object.js';
import { hubOfPath } from '../../charts/layout/dist-layout.js';
import { AWS_GIT_HOST, normalizeGitUrl } from '../../charts/argocd/git-url.js';
import { compareStrings, HashSlots, isObject as isObj, trimTrailingSlashes } from '../../engines/util/index.js';

/** One Application Argo CD will run, on one cluster. */
export interface PlanEntry {
  /** Name of the destination cluster (its Secret's `name`); empty when the destination matches no cluster. */
  readonly cluster: string;
  /** The destination server (the cluster's, or as written when it matches none). */
  readonly server: string;
  /** The Application's name. */
  readonly application: string;
  /** The Application's own namespace (Argo CD's). */
  readonly namespace: string;
  /** The ApplicationSet that generates it; undefined for an Application in dist/ itself. */
  readonly applicationSet?: string;
  /** Its AppProject. */
  readonly project: string;
  /** `chart@version` for a Helm chart, `path@revision` for a Git folder (the chart source of a multi-source Application). */
  readonly source: string;
  /** Repository of that source. */
  readonly repoURL: string;
  /** Namespace the Application deploys into. */
  readonly destinationNamespace: string;
  /** dist/ path of the ApplicationSet (or of the Application). */
  readonly file: string;
  /**
   * What deleting the Application does to what it deployed (an add-on disabled on the cluster, its
   * ApplicationSet or the Application removed): `uninstall` when it carries Argo CD's resources
   * finalizer (deletion cascades: its resources are deleted, except CRDs and resources marked to be
   * kept), `orphan` when it carries none (its resources stay, unmanaged). See {@link removalOf}.
   */
  readonly onRemoval: RemovalOutcome;
}

/** What deleting an Application does to its resources. */
export type RemovalOutcome = 'uninstall' | 'orphan';

/** Argo CD's finalizers that make an Application's deletion cascade (`…/foreground`, `…/background`: the propagation policy). */
const RESOURCES_FINALIZER = /^resources-finalizer\.argocd\.argoproj\.io(\/(foreground|background))?$/;

/**
 * What deleting an Application does, as Argo CD decides it: a resources finalizer on the Application
 * (`resources-finalizer.argocd.argoproj.io`, or its `/foreground`, `/background` forms) cascades the
 * deletion to its resources. An ApplicationSet copies its template's finalizers onto every Application it
 * generates; a template without any gets `resources-finalizer.argocd.argoproj.io` unless
 * `spec.syncPolicy.preserveResourcesOnDeletion` is true (argo-cd applicationset/utils `RenderTemplateParams`).
 */
export function removalOf(application: unknown, applicationSet?: unknown): RemovalOutcome {
  const meta = isObj(application) && isObj(application.metadata) ? application.metadata : {};
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers.filter((f): f is string => typeof f === 'string') : [];
  if (finalizers.some((f) => RESOURCES_FINALIZER.test(f))) return 'uninstall';
  if (applicationSet === undefined || finalizers.length > 0) return 'orphan';
  const spec = isObj(applicationSet) && isObj(applicationSet.spec) ? applicationSet.spec : {};
  const preserve = isObj(spec.syncPolicy) && spec.syncPolicy.preserveResourcesOnDeletion === true;
  return preserve ? 'orphan' : 'uninstall';
}

/** Something Argo CD would fail on, with the dist/ file and object it is about. */
export interface PlanProblem {
  /** dist/ path. */
  readonly file: string;
  /** `Kind/name` of the object. */
  readonly object: string;
  /** Field path and what is wrong, and how to fix it. */
  readonly message: string;
}

/** A cluster of the plan and how many Applications it gets. */
export interface PlanCluster {
  readonly name: string;
  readonly server: string;
  /** The cluster's `environment` label, when it has one. */
  readonly environment?: string;
  /** dist/ path of its cluster Secret; undefined for the local cluster Argo CD adds itself. */
  readonly file?: string;
  /** Number of Applications whose destination is this cluster. */
  readonly applications: number;
  /** The hub whose Argo CD manages the cluster, in a fleet with several hubs (`hubs/<hub>/`). */
  readonly hub?: string;
}

/** What Argo CD will run where, and what would fail. */
export interface FleetPlan {
  /** Every Application, sorted by cluster, then name. */
  readonly entries: readonly PlanEntry[];
  /** Every problem, sorted by file, object, message. */
  readonly problems: readonly PlanProblem[];
  /** Every cluster Argo CD knows, in name order. */
  readonly clusters: readonly PlanCluster[];
  /** Number of ApplicationSets planned. */
  readonly applicationSets: number;
}

/** Entries read one at a time, in plan order: an array of them, or the compact store of {@link planFleetView}. */
export interface EntryList {
  readonly length: number;
  /** The entry at `index` (a new object each time for a compact store); undefined out of range. */
  at(index: number): PlanEntry | undefined;
}

/** What the entries of a run of Applications share: all of a {@link PlanEntry} but its cluster, server and name. */
export type SharedEntryFields = Omit<PlanEntry, 'cluster' | 'server' | 'application'>;

/**
 * Entries read in order without making an object for each: {@link planFleetView}'s store. `visit` gets the
 * entries from `start` to `end` (exclusive, in plan order) as their cluster, server, name and the fields
 * they share with their neighbours (the same object for a run of entries that agree on them).
 */
export interface CompactEntryList extends EntryList {
  forEachEntry(start: number, end: number, visit: (cluster: string, server: string, application: string, shared: SharedEntryFields) => void): void;
  /** Each cluster that has entries, in plan order, with the range of its entries. */
  clusterRanges(): Array<{ readonly cluster: string; readonly start: number; readonly end: number }>;
}

/** Whether an entry list is a {@link CompactEntryList}. */
export function isCompactEntryList(entries: EntryList): entries is CompactEntryList {
  return typeof (entries as Partial<CompactEntryList>).forEachEntry === 'function' && typeof (entries as Partial<CompactEntryList>).clusterRanges === 'function';
}

/**
 * A {@link FleetPlan} whose entries stay in a compact store and are made into {@link PlanEntry} objects
 * one at a time, as they are read: what `npm run plan` prints at fleet scale (~500k Applications)
 * without holding half a million entry objects.
 */
export interface FleetPlanView extends Omit<FleetPlan, 'entries'> {
  readonly entries: EntryList;
}

/** Options of {@link planFleet}. */
export type PlanOptions = ClusterInventoryOptions & {
  /**
   * Git repositories Argo CD needs credentials for: URLs, or URL prefixes, compared as Argo CD compares
   * them (lower case, without `.git`). A Git source of an Application under one of them that no
   * `repository` Secret (same URL) or `repo-creds` Secret (URL prefix) with credentials covers, rendered
   * or made by an ExternalSecret, is a problem: Argo CD could not clone it.
   * @default - none: credentials are not checked
   */
  readonly privateGitRepos?: readonly string[];
};

// Repository Secrets match a repoURL when both normalise (Argo CD's git.NormalizeGitURL, in
// charts/argocd/git-url.ts) to the same string; `repo-creds` when the repoURL's normal form starts with the
// template's (the longest such prefix wins).
/** Fields of a repository or repo-creds Secret that carry a credential (or, for the EKS capability, point at one). */
const REPO_CREDENTIAL_FIELDS = ['username', 'password', 'sshPrivateKey', 'githubAppPrivateKey', 'tlsClientCertKey', 'bearerToken', 'secretArn', 'useAzureWorkloadIdentity'];

interface RepoCredentials {
  readonly repositories: Set<string>;
  readonly templates: string[];
}

/** The `repository` and `repo-creds` Secrets with credentials: rendered ones, and those ExternalSecrets make. */
function repoCredentials(objects: ReadonlyMap<string, readonly unknown[]>): RepoCredentials {
  const out: RepoCredentials = { repositories: new Set(), templates: [] };
  const add = (type: unknown, fields: Obj | undefined) => {
    if (!fields || !REPO_CREDENTIAL_FIELDS.some((k) => fields[k] !== undefined)) return;
    const url = typeof fields.url === 'string' ? fields.url : '';
    if (!url) return;
    if (type === 'repository') out.repositories.add(normalizeGitUrl(url));
    else if (type === 'repo-creds') out.templates.push(normalizeGitUrl(url));
  };
  for (const docs of objects.values()) {
    for (const doc of docs) {
      if (!isObj(doc)) continue;
      const meta = isObj(doc.metadata) ? doc.metadata : {};
      if (doc.kind === 'Secret' && str(doc.apiVersion) === 'v1') {
        const type = isObj(meta.labels) ? meta.labels['argocd.argoproj.io/secret-type'] : undefined;
        const data = isObj(doc.data) ? Object.fromEntries(Object.entries(doc.data).map(([k, v]) => [k, k === 'url' ? Buffer.from(str(v), 'base64').toString() : v])) : {};
        add(type, { ...data, ...(isObj(doc.stringData) ? doc.stringData : {}) });
      } else if (doc.kind === 'ExternalSecret' && str(doc.apiVersion).startsWith('external-secrets.io/')) {
        const template = isObj(doc.spec) && isObj(doc.spec.target) && isObj(doc.spec.target.template) ? doc.spec.target.template : {};
        const tmeta = isObj(template.metadata) ? template.metadata : {};
        const type = isObj(tmeta.labels) ? tmeta.labels['argocd.argoproj.io/secret-type'] : undefined;
        add(type, isObj(template.data) ? template.data : undefined);
      }
    }
  }
  return out;
}

/**
 * Whether the plan reads this object: a cluster Secret, an ApplicationSet, Application or AppProject,
 * or repository credentials (a Secret, or an ExternalSecret's template, labelled with Argo CD's secret
 * type). Any other object can change without changing the plan.
 */
export function isPlanInput(doc: unknown): boolean {
  if (!isObj(doc)) return false;
  if (isClusterSecret(doc)) return true;
  const apiVersion = str(doc.apiVersion);
  if (apiVersion.split('/')[0] === 'argoproj.io') return doc.kind === 'ApplicationSet' || doc.kind === 'Application' || doc.kind === 'AppProject';
  const labelled = (meta: unknown) => isObj(meta) && isObj(meta.labels) && meta.labels['argocd.argoproj.io/secret-type'] !== undefined;
  if (doc.kind === 'Secret' && apiVersion === 'v1') return labelled(doc.metadata);
  if (doc.kind === 'ExternalSecret' && apiVersion.startsWith('external-secrets.io/')) {
    return isObj(doc.spec) && isObj(doc.spec.target) && isObj(doc.spec.target.template) && labelled(doc.spec.target.template.metadata);
  }
  return false;
}

/** Whether Argo CD has credentials for a Git repoURL, by its matching rules. */
function credentialsCover(creds: RepoCredentials, repoURL: string): boolean {
  if (AWS_GIT_HOST.test(repoURL)) return true;
  const url = normalizeGitUrl(repoURL);
  return creds.repositories.has(url) || creds.templates.some((prefix) => url.startsWith(prefix));
}

/** The Git sources of an Application (not Helm charts, not OCI), with their field path. */
function gitSources(spec: Obj): Array<{ field: string; repoURL: string }> {
  const list = Array.isArray(spec.sources) && spec.sources.length > 0
    ? spec.sources.map((s, i) => ({ s, field: `spec.sources[${i}].repoURL` }))
    : isObj(spec.source) ? [{ s: spec.source as unknown, field: 'spec.source.repoURL' }] : [];
  return list
    .filter(({ s }) => isObj(s) && typeof s.chart !== 'string' && str(s.repoURL) !== '' && !str(s.repoURL).startsWith('oci://'))
    .map(({ s, field }) => ({ field, repoURL: str((s as Obj).repoURL) }));
}

type Obj = Record<string, unknown>;
/** What the plan reads of an Application (addEntry, removalOf): generated ones are built with these fields only. */
const PLANNED_FIELDS: FieldPick = {
  metadata: { name: true, namespace: true, finalizers: true },
  spec: { destination: true, project: true, source: true, sources: true },
};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * A shared copy of each distinct string: rendered templates give every Application its own copy of the
 * same text. Consecutive Applications mostly agree, so the last string is checked before the map.
 */
class StringPool {
  private readonly pool = new Map<string, string>();
  private last = '';

  public get(s: string): string {
    if (s === this.last) return this.last;
    let shared = this.pool.get(s);
    if (shared === undefined) this.pool.set(s, (shared = s));
    this.last = shared;
    return shared;
  }
}

/**
 * The source a person asks about: the chart of a multi-source Application, not its `ref: values` source.
 * Generated Applications share their template's sources when those are not templated; the last answer is
 * kept for the same object, and the strings are pooled, so ~500k Applications hold a few hundred sources.
 */
class Sources {
  private lastKey: unknown = undefined;
  private last: { source: string; repoURL: string } = { source: '', repoURL: '' };
  /** The last source made from a chart or path, a revision and a repository, and those. */
  private lastMade: { what: string; revision: string; out: { source: string; repoURL: string } } | undefined;
  private readonly names = new Map<string, Map<string, string>>();
  private readonly repos = new StringPool();

  public of(spec: Obj): { source: string; repoURL: string } {
    const many = Array.isArray(spec.sources) && spec.sources.length > 0;
    const key = many ? spec.sources : spec.source;
    if (key !== undefined && key === this.lastKey) return this.last;
    let pick: Obj | undefined;
    if (many) {
      const sources = (spec.sources as unknown[]).filter(isObj);
      pick = sources.find((s) => typeof s.chart === 'string') ?? sources.find((s) => s.ref === undefined) ?? sources[0];
    } else if (isObj(spec.source)) {
      pick = spec.source; // one source: the one a person asks about, whatever it is
    }
    let out = { source: '', repoURL: '' };
    if (pick) {
      const revision = str(pick.targetRevision) || 'HEAD';
      const what = typeof pick.chart === 'string' ? pick.chart : str(pick.path) || '.';
      const repoURL = this.repos.get(str(pick.repoURL));
      const made = this.lastMade;
      if (made && what === made.what && revision === made.revision && repoURL === made.out.repoURL) {
        out = made.out;
      } else {
        let byRevision = this.names.get(what);
        if (!byRevision) this.names.set(what, (byRevision = new Map()));
        let source = byRevision.get(revision);
        if (source === undefined) byRevision.set(revision, (source = `${what}@${revision}`));
        out = { source, repoURL };
        this.lastMade = { what, revision, out };
      }
    }
    this.lastKey = key;
    this.last = out;
    return out;
  }
}

/** Consecutive names added with one namespace and origin, and the longest prefix they all share. */
interface NameRun {
  readonly namespace: string;
  readonly origin: Origin;
  /** Whether the caller vouched that no name of the origin repeats (an ApplicationSet's Applications). */
  readonly unique: boolean;
  readonly start: number;
  end: number;
  prefix: string;
}

/**
 * Every Application name per namespace, to find two Applications with one name (Argo CD keeps one
 * object per namespace and name). Names are kept in runs (an ApplicationSet's Applications, or one plain
 * Application) with the longest prefix each run's names share: two runs whose prefixes are not one a
 * prefix of the other cannot share a name (they differ within both prefixes), and an ApplicationSet's
 * own names never repeat (its expansion reports and drops repeats). Only the names of runs that may
 * share one (in a fleet where every ApplicationSet names its Applications after itself, none) go through
 * {@link HashedNames}, in the order they were added: the duplicates, and their declarations in order,
 * are those of hashing every name, without hashing ~500k of them.
 */
class NameIndex {
  private readonly names: string[] = [];
  private readonly runs: NameRun[] = [];

  public add(namespace: string, name: string, origin: Origin, uniqueInOrigin: boolean): void {
    const runs = this.runs;
    const run = runs.length > 0 ? runs[runs.length - 1] : undefined;
    this.names.push(name);
    if (run && run.origin === origin && run.namespace === namespace && run.unique === uniqueInOrigin) {
      run.end++;
      if (!name.startsWith(run.prefix)) run.prefix = commonPrefix(run.prefix, name);
      return;
    }
    runs.push({ namespace, origin, unique: uniqueInOrigin, start: this.names.length - 1, end: this.names.length, prefix: name });
  }

  /** Each name declared more than once, with its declarations in order. */
  public *duplicates(): Generator<{ namespace: string; name: string; owners: readonly Origin[] }> {
    const byNamespace = new Map<string, number[]>();
    this.runs.forEach((r, i) => {
      const list = byNamespace.get(r.namespace);
      if (list) list.push(i);
      else byNamespace.set(r.namespace, [i]);
    });
    const suspect = new Uint8Array(this.runs.length);
    for (const list of byNamespace.values()) {
      const sorted = list.map((i) => this.runs[i]).map((r, k) => ({ prefix: r.prefix, i: list[k] }));
      sorted.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
      // The prefixes that start with a given one follow it in sorted order.
      for (let k = 0; k < sorted.length; k++) {
        for (let j = k + 1; j < sorted.length && sorted[j].prefix.startsWith(sorted[k].prefix); j++) suspect[sorted[k].i] = suspect[sorted[j].i] = 1;
      }
    }
    const hashed = new HashedNames();
    this.runs.forEach((r, i) => {
      if (!suspect[i] && (r.unique || r.end - r.start <= 1)) return;
      for (let k = r.start; k < r.end; k++) hashed.add(r.namespace, this.names[k], r.origin);
    });
    yield* hashed.duplicates();
  }
}

/** The longest common prefix of two strings. */
function commonPrefix(a: string, b: string): string {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return a.slice(0, i);
}

/**
 * Names per namespace in an open-addressing hash table over typed arrays, with the names in insertion
 * order: for many names it costs a fraction of a `Map` of as many entries.
 */
class HashedNames extends HashSlots {
  public constructor() {
    super(1024);
  }

  private readonly names: string[] = [];
  private readonly namespaces: string[] = [];
  private readonly origins: Origin[] = [];
  /** Every declaration of a name declared more than once, by the entry number of its first. */
  private readonly repeated = new Map<number, Origin[]>();

  public add(namespace: string, name: string, origin: Origin): void {
    // FNV-1a over namespace, a separator and name.
    let h = 0x811c9dc5;
    for (let i = 0; i < namespace.length; i++) h = Math.imul(h ^ namespace.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x2f, 0x01000193);
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    const mask = this.slots.length - 1;
    let p = h & mask;
    for (let v = this.slots[p]; v !== 0; p = (p + 1) & mask, v = this.slots[p]) {
      if (this.hashes[p] === h && this.names[v - 1] === name && this.namespaces[v - 1] === namespace) {
        const list = this.repeated.get(v - 1);
        if (list) list.push(origin);
        else this.repeated.set(v - 1, [this.origins[v - 1], origin]);
        return;
      }
    }
    this.names.push(name);
    this.namespaces.push(namespace);
    this.origins.push(origin);
    this.slots[p] = this.names.length;
    this.hashes[p] = h;
    if (this.names.length * 2 > this.slots.length) this.grow();
  }

  /** Each name declared more than once, with its declarations in order. */
  public *duplicates(): Generator<{ namespace: string; name: string; owners: readonly Origin[] }> {
    for (const [first, owners] of this.repeated) yield { namespace: this.namespaces[first], name: this.names[first], owners };
  }
}

/** Resolves Application destinations to clusters the way Argo CD does, by `server` or by `name`. */
class Destinations {
  private readonly byServer = new Map<string, ArgoCluster>();
  private readonly byName = new Map<string, ArgoCluster[]>();
  /** Each server resolved to a cluster, exactly as written (without a destination name), and that cluster. */
  private readonly resolved = new Map<string, ArgoCluster>();

  public constructor(clusters: readonly ArgoCluster[]) {
    for (const c of clusters) {
      const server = trimTrailingSlashes(c.server);
      if (!this.byServer.has(server)) this.byServer.set(server, c);
      const named = this.byName.get(c.name);
      if (named) named.push(c);
      else this.byName.set(c.name, [c]);
    }
  }

  /** The cluster of a destination, or why there is none (a string). */
  public resolve(dest: Obj): ArgoCluster | string {
    const server = str(dest.server);
    if (dest.name === undefined) {
      // Servers as written, as they resolved: generated Applications share their cluster's server string.
      const known = this.resolved.get(server);
      if (known) return known;
    }
    const name = str(dest.name);
    if (server && name) return `application destination can't have both name and server defined: ${name} ${server}`;
    if (server) {
      const found = this.byServer.get(trimTrailingSlashes(server));
      if (found && dest.name === undefined) this.resolved.set(server, found);
      return found ?? `destination server ${server} is no cluster Argo CD knows: add its cluster Secret, or fix the server`;
    }
    if (name) {
      const found = this.byName.get(name) ?? [];
      if (found.length === 1) return found[0];
      return found.length === 0 ? `there are no clusters with this name: ${name}` : `there are ${found.length} clusters with the same name: ${name}`;
    }
    return 'the destination has neither server nor name';
  }
}

/**
 * Plans a rendered fleet. A fleet with several hubs (files under `hubs/<hub>/`) has one Argo CD per
 * hub: each hub's ApplicationSets are expanded against that hub's cluster Secrets only, and names
 * collide only within one hub; the results are joined, sorted the same way.
 */
export function planFleet(objects: ReadonlyMap<string, readonly unknown[]>, options: PlanOptions = {}): FleetPlan {
  const view = planFleetView(objects, options);
  const entries: PlanEntry[] = new Array<PlanEntry>(view.entries.length);
  for (let i = 0; i < entries.length; i++) entries[i] = view.entries.at(i)!;
  return { entries, problems: view.problems, clusters: view.clusters, applicationSets: view.applicationSets };
}

/** {@link planFleet} with its entries in a compact store, read one at a time (see {@link FleetPlanView}). */
export function planFleetView(objects: ReadonlyMap<string, readonly unknown[]>, options: PlanOptions = {}): FleetPlanView {
  const hubs = new Map<string, Map<string, readonly unknown[]>>();
  for (const [file, docs] of objects) {
    const hub = hubOfPath(file);
    if (hub === undefined) continue;
    if (!hubs.has(hub)) hubs.set(hub, new Map());
    hubs.get(hub)!.set(file, docs);
  }
  if (hubs.size === 0) {
    const plan = planArgoCd(objects, options);
    return { ...plan, entries: new CompactEntries(plan.buckets) };
  }
  const plans = [...hubs].map(([hub, part]) => ({ hub, ...planArgoCd(part, options) }));
  const buckets = new Map<string, Bucket>();
  for (const p of plans) {
    for (const [cluster, b] of p.buckets) {
      const into = buckets.get(cluster);
      if (!into) buckets.set(cluster, new Bucket(b));
      else for (let i = 0; i < b.names.length; i++) into.push(b.names[i], b.servers[i], b.kinds[i]);
    }
  }
  return {
    entries: new CompactEntries(buckets),
    problems: plans.flatMap((p) => p.problems).sort(byProblem),
    clusters: plans.flatMap((p) => p.clusters.map((c) => ({ ...c, hub: p.hub }))).sort((a, b) => compareStrings(a.name, b.name)),
    applicationSets: plans.reduce((n, p) => n + p.applicationSets, 0),
  };
}

const byProblem = (a: PlanProblem, b: PlanProblem) => compareStrings(a.file, b.file) || compareStrings(a.object, b.object) || compareStrings(a.message, b.message);

/**
 * What the entries of a run of Applications share (all but cluster, server and name): consecutive
 * Applications of an ApplicationSet usually agree on all of it (one app and environment on every
 * cluster of that environment, one add-on version on many clusters), so they share one.
 */
type EntryKind = SharedEntryFields;

/** The entries of one cluster, as parallel arrays: three pointers an Application instead of an object of eleven. */
class Bucket {
  public names: string[] = [];
  public servers: string[] = [];
  public kinds: EntryKind[] = [];

  public constructor(copy?: Bucket) {
    if (copy) {
      this.names = [...copy.names];
      this.servers = [...copy.servers];
      this.kinds = [...copy.kinds];
    }
  }

  public push(name: string, server: string, kind: EntryKind): void {
    this.names.push(name);
    this.servers.push(server);
    this.kinds.push(kind);
  }

  /** Sorts by name, then namespace, then file (stable: equal entries keep their order). */
  public sort(): void {
    const { names, kinds, servers } = this;
    const order = Array.from(names, (_, i) => i);
    order.sort((a, b) => compareStrings(names[a], names[b]) || compareStrings(kinds[a].namespace, kinds[b].namespace) || compareStrings(kinds[a].file, kinds[b].file) || a - b);
    this.names = order.map((i) => names[i]);
    this.servers = order.map((i) => servers[i]);
    this.kinds = order.map((i) => kinds[i]);
  }
}

/**
 * The entries of a plan in plan order (by cluster, then name, namespace and file), from the entries
 * grouped by cluster: sorting ~500 groups of ~1,000 is much cheaper than sorting ~500k entries with a
 * four-key comparison, and gives the same order. Reading an entry makes its {@link PlanEntry}.
 */
class CompactEntries implements CompactEntryList {
  public readonly length: number;
  private readonly clusters: string[];
  private readonly buckets: Bucket[];
  /** Index of the first entry of each bucket. */
  private readonly starts: number[];
  /** The bucket of the last entry read: entries are mostly read in order. */
  private cursor = 0;

  public constructor(byCluster: ReadonlyMap<string, Bucket>) {
    this.clusters = [...byCluster.keys()].sort(compareStrings);
    this.buckets = this.clusters.map((c) => byCluster.get(c)!);
    this.starts = [];
    let n = 0;
    for (const b of this.buckets) {
      b.sort();
      this.starts.push(n);
      n += b.names.length;
    }
    this.length = n;
  }

  public forEachEntry(start: number, end: number, visit: (cluster: string, server: string, application: string, shared: SharedEntryFields) => void): void {
    const from = Math.max(0, start);
    const to = Math.min(this.length, end);
    if (from >= to) return;
    let k = this.bucketOf(from);
    let j = from - this.starts[k];
    for (let i = from; i < to; ) {
      const b = this.buckets[k];
      const cluster = this.clusters[k];
      const { names, servers, kinds } = b;
      const stop = Math.min(names.length, j + (to - i));
      for (; j < stop; j++, i++) visit(cluster, servers[j], names[j], kinds[j]);
      k++;
      j = 0;
    }
  }

  public clusterRanges(): Array<{ readonly cluster: string; readonly start: number; readonly end: number }> {
    const out: Array<{ cluster: string; start: number; end: number }> = [];
    for (let k = 0; k < this.buckets.length; k++) {
      const n = this.buckets[k].names.length;
      if (n > 0) out.push({ cluster: this.clusters[k], start: this.starts[k], end: this.starts[k] + n });
    }
    return out;
  }

  /** The bucket holding entry `i` (0 <= i < length). */
  private bucketOf(i: number): number {
    let k = this.cursor;
    if (!(i >= this.starts[k] && i < this.starts[k] + this.buckets[k].names.length)) {
      let lo = 0;
      let hi = this.starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.starts[mid] <= i) lo = mid;
        else hi = mid - 1;
      }
      // Empty buckets share their start with the next one: take the one that holds i.
      while (i >= this.starts[lo] + this.buckets[lo].names.length) lo++;
      k = this.cursor = lo;
    }
    return k;
  }

  public at(index: number): PlanEntry | undefined {
    const i = index < 0 ? index + this.length : index;
    if (!(i >= 0 && i < this.length)) return undefined;
    const k = this.bucketOf(i);
    const b = this.buckets[k];
    const j = i - this.starts[k];
    const kind = b.kinds[j];
    return {
      cluster: this.clusters[k],
      server: b.servers[j],
      application: b.names[j],
      namespace: kind.namespace,
      applicationSet: kind.applicationSet,
      project: kind.project,
      source: kind.source,
      repoURL: kind.repoURL,
      destinationNamespace: kind.destinationNamespace,
      file: kind.file,
      onRemoval: kind.onRemoval,
    };
  }
}

/** Where an Application is declared: one per ApplicationSet (shared by all it generates) or per plain Application. */
interface Origin {
  readonly file: string;
  /** `ApplicationSet/<name>` or `Application/<name>`. */
  readonly object: string;
}

/**
 * Plans one Argo CD: what it will generate from its ApplicationSets against its cluster
 * Secrets, plus the plain Applications, each listed under the cluster its destination resolves to.
 *
 * `objects` is `RenderedTree.objects`: the parsed objects of each dist/ file, keyed by path. Problems are
 * everything Argo CD would fail on: generator and template errors (file, ApplicationSet, field, cluster),
 * a clusters generator whose selector matches no cluster, two Applications with one name in one
 * namespace, a generated Application whose project or destination does not exist, and cluster Secrets
 * Argo CD would ignore or confuse.
 *
 * Memory at fleet scale (~500k Applications): three pointers per Application in its cluster's bucket
 * (name, server, and an {@link EntryKind} shared with its neighbours, whose strings are pooled), the
 * generated Application objects of one ApplicationSet at a time, and a {@link NameIndex} for the
 * duplicate check.
 */
function planArgoCd(objects: ReadonlyMap<string, readonly unknown[]>, options: PlanOptions): Omit<FleetPlan, 'entries'> & { buckets: Map<string, Bucket> } {
  const argocdNamespace = options.argocdNamespace ?? 'argocd';
  const secrets: ClusterSecretInput[] = [];
  const appSets: Array<{ file: string; object: Obj }> = [];
  const apps: Array<{ file: string; object: Obj }> = [];
  const projects = new Set<string>(['default']);
  for (const [file, docs] of objects) {
    for (const doc of docs) {
      if (!isObj(doc)) continue;
      const group = str(doc.apiVersion).split('/')[0];
      if (isClusterSecret(doc)) secrets.push({ object: doc, file });
      else if (group === 'argoproj.io' && doc.kind === 'ApplicationSet') appSets.push({ file, object: doc });
      else if (group === 'argoproj.io' && doc.kind === 'Application') apps.push({ file, object: doc });
      else if (group === 'argoproj.io' && doc.kind === 'AppProject') projects.add(str((doc.metadata as Obj | undefined)?.name));
    }
  }

  const inventory = clusterInventory(secrets, options);
  const problems: PlanProblem[] = inventory.problems.map((p) => ({ file: p.file ?? '', object: p.secret, message: p.message }));
  const buckets = new Map<string, Bucket>();
  const names = new NameIndex();
  const destinations = new Destinations(inventory.clusters);
  const projectNames = new StringPool();
  const destinationNamespaces = new StringPool();
  const sources = new Sources();
  const privateRepos = (options.privateGitRepos ?? []).map(normalizeGitUrl);
  const creds = privateRepos.length > 0 ? repoCredentials(objects) : { repositories: new Set<string>(), templates: [] };
  const uncovered = new Set<string>();
  // removalOf depends only on the Application's finalizers and its ApplicationSet: an ApplicationSet's
  // Applications share their template's finalizers (or have none), so the last answer usually holds.
  let lastRemoval: { finalizers: unknown; appSet: Obj | undefined; outcome: RemovalOutcome } | undefined;
  let lastKind: EntryKind | undefined;

  const addEntry = (app: Obj, origin: Origin, applicationSet: string | undefined, appSetObject?: Obj) => {
    const { file, object } = origin;
    const meta = isObj(app.metadata) ? app.metadata : {};
    const spec = isObj(app.spec) ? app.spec : {};
    const name = str(meta.name);
    const namespace = str(meta.namespace) || argocdNamespace;
    const dest = isObj(spec.destination) ? spec.destination : {};
    const resolved = destinations.resolve(dest);
    const cluster = typeof resolved === 'string' ? undefined : resolved;
    if (typeof resolved === 'string') problems.push({ file, object, message: `${applicationSet ? `Application ${name}: ` : ''}spec.destination: ${resolved}` });
    const project = projectNames.get(str(spec.project));
    if (appSetObject !== undefined && !projects.has(project)) {
      problems.push({
        file,
        object,
        message: `${applicationSet ? `Application ${name}: ` : ''}spec.project: application references project ${project || '""'} which does not exist: render that AppProject or fix the project`,
      });
    }
    for (const { field, repoURL } of privateRepos.length > 0 ? gitSources(spec) : []) {
      const url = normalizeGitUrl(repoURL);
      if (!privateRepos.some((p) => url === p || url.startsWith(p)) || credentialsCover(creds, repoURL)) continue;
      const key = `${file}\u0000${object}\u0000${repoURL}`;
      if (uncovered.has(key)) continue;
      uncovered.add(key);
      problems.push({
        file,
        object,
        message: `${applicationSet ? 'spec.template.' : ''}${field}: ${repoURL} is a private Git repository and no repository or repo-creds Secret with credentials covers it (Argo CD matches a repository Secret by the same URL and a repo-creds template by URL prefix, both lower-cased and without ".git"), so Argo CD cannot clone it: declare its credentials in repos.credentials, or set repos.public when it is public`,
      });
    }
    // An ApplicationSet's expansion drops the repeats of a name: its names are unique.
    names.add(namespace, name, origin, applicationSet !== undefined);
    const finalizers = meta.finalizers;
    if (!lastRemoval || lastRemoval.finalizers !== finalizers || lastRemoval.appSet !== appSetObject) {
      lastRemoval = { finalizers, appSet: appSetObject, outcome: removalOf(app, appSetObject) };
    }
    const { source, repoURL } = sources.of(spec);
    const destinationNamespace = destinationNamespaces.get(str(dest.namespace));
    const onRemoval = lastRemoval.outcome;
    let kind = lastKind;
    if (
      !kind ||
      kind.file !== file ||
      kind.applicationSet !== applicationSet ||
      kind.namespace !== namespace ||
      kind.project !== project ||
      kind.source !== source ||
      kind.repoURL !== repoURL ||
      kind.destinationNamespace !== destinationNamespace ||
      kind.onRemoval !== onRemoval
    ) {
      kind = lastKind = { namespace, applicationSet, project, source, repoURL, destinationNamespace, file, onRemoval };
    }
    const clusterName = cluster?.name ?? '';
    let bucket = buckets.get(clusterName);
    if (!bucket) buckets.set(clusterName, (bucket = new Bucket()));
    bucket.push(name, cluster?.server ?? str(dest.server), kind);
  };

  for (const { file, object } of appSets) {
    const name = str((object.metadata as Obj | undefined)?.name);
    const origin: Origin = { file, object: `ApplicationSet/${name}` };
    // Each generated Application is planned as it is generated, and is garbage right after (the order of
    // the problems does not matter: they are sorted).
    const expanded = expandApplicationSet(object, inventory, options, (g) => addEntry(g.application as unknown as Obj, origin, name, object), PLANNED_FIELDS);
    for (const p of expanded.problems) problems.push({ file, object: origin.object, message: `${p.path}: ${p.message}` });
  }
  for (const { file, object } of apps) {
    addEntry(object, { file, object: `Application/${str((object.metadata as Obj | undefined)?.name)}` }, undefined);
  }
  for (const { namespace, name, owners } of names.duplicates()) {
    const distinct = [...new Set(owners.map((o) => `${o.object} (${o.file})`))].sort();
    const where = distinct.length === 1 ? `${distinct[0]} twice` : distinct.join(' and ');
    problems.push({
      file: owners[0].file,
      object: owners[0].object,
      message: `two Applications named ${name} in namespace ${namespace}: ${where}; Argo CD keeps one object per name, so they overwrite each other: rename one`,
    });
  }

  problems.sort(byProblem);
  const clusters: PlanCluster[] = inventory.clusters
    .map((c) => ({ name: c.name, server: c.server, environment: c.labels.environment, file: c.secret?.file, applications: buckets.get(c.name)?.names.length ?? 0 }))
    .sort((a, b) => compareStrings(a.name, b.name));
  return { buckets, problems, clusters, applicationSets: appSets.length };
}

/**
 * For tests: the names declared more than once among `adds` (each with an origin key and whether its
 * origin vouches for unique names), as the plan finds them (`indexed`) and as hashing every name does
 * (`hashed`, the reference): namespace, name and the origin keys of its declarations, in order.
 * @internal
 */
export function duplicateNamesOf(adds: ReadonlyArray<{ namespace: string; name: string; origin: string; unique: boolean }>): {
  indexed: Array<[string, string, string[]]>;
  hashed: Array<[string, string, string[]]>;
} {
  const origins = new Map<string, Origin>();
  const originOf = (key: string) => {
    let o = origins.get(key);
    if (!o) origins.set(key, (o = { file: key, object: key }));
    return o;
  };
  const index = new NameIndex();
  const hashed = new HashedNames();
  for (const a of adds) {
    index.add(a.namespace, a.name, originOf(a.origin), a.unique);
    hashed.add(a.namespace, a.name, originOf(a.origin));
  }
  const list = (g: Iterable<{ namespace: string; name: string; owners: readonly Origin[] }>) =>
    [...g].map((d): [string, string, string[]] => [d.namespace, d.name, d.owners.map((o) => o.file)]).sort((x, y) => compareStrings(`${x[0]}/${x[1]}`, `${y[0]}/${y[1]}`));
  return { indexed: list(index.duplicates()), hashed: list(hashed.duplicates()) };
}
