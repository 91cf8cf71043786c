import { ArgoCluster, clusterInventory, ClusterInventoryOptions, ClusterSecretInput, isClusterSecret } from '../../engines/applicationset/clusters.js';
import { expandApplicationSet } from '../../engines/applicationset/expand.js';
import { hubOfPath } from '../../charts/layout/dist-layout.js';
import { compareStrings, isObject as isObj } from '../../engines/util/index.js';

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

/**
 * Argo CD's `git.NormalizeGitURL` (util/git): lower case, trimmed, an scp-like `user@host:path` read as
 * `ssh://user@host/path`, without a `.git` suffix, and without the `ssh://` scheme. Repository Secrets
 * match a repoURL when both normalise to the same string; `repo-creds` when the repoURL's normal form
 * starts with the template's (the longest such prefix wins).
 */
export function normalizeGitUrl(url: string): string {
  let r = url.trim().toLowerCase();
  if (!r.startsWith('ssh://') && /^[\w.-]+@[\w.-]+:/.test(r)) r = `ssh://${r.replace(':', '/')}`;
  if (r.endsWith('.git')) r = r.slice(0, -'.git'.length);
  return r.replace(/^ssh:\/\//, '');
}

/** Repository URLs AWS authenticates for the EKS Argo CD capability with its IAM role: CodeConnections and CodeCommit. */
const AWS_GIT_HOST = /^https:\/\/(codeconnections|codestar-connections|git-codecommit)\.[a-z0-9-]+\.amazonaws\.com\//;

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
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const trimSlash = (s: string) => (s.endsWith('/') ? s.replace(/\/+$/, '') : s);

/** The source a person asks about: the chart of a multi-source Application, not its `ref: values` source. */
function sourceOf(spec: Obj): { source: string; repoURL: string } {
  const sources = (Array.isArray(spec.sources) && spec.sources.length > 0 ? spec.sources : isObj(spec.source) ? [spec.source] : []).filter(isObj);
  const pick = sources.find((s) => typeof s.chart === 'string') ?? sources.find((s) => s.ref === undefined) ?? sources[0];
  if (!pick) return { source: '', repoURL: '' };
  const revision = str(pick.targetRevision) || 'HEAD';
  const what = typeof pick.chart === 'string' ? pick.chart : str(pick.path) || '.';
  return { source: `${what}@${revision}`, repoURL: str(pick.repoURL) };
}

/** Resolves Application destinations to clusters the way Argo CD does, by `server` or by `name`. */
class Destinations {
  private readonly byServer = new Map<string, ArgoCluster>();
  private readonly byName = new Map<string, ArgoCluster[]>();

  public constructor(clusters: readonly ArgoCluster[]) {
    for (const c of clusters) {
      const server = trimSlash(c.server);
      if (!this.byServer.has(server)) this.byServer.set(server, c);
      const named = this.byName.get(c.name);
      if (named) named.push(c);
      else this.byName.set(c.name, [c]);
    }
  }

  public resolve(dest: Obj): { cluster?: ArgoCluster; error?: string } {
    const server = str(dest.server);
    const name = str(dest.name);
    if (server && name) return { error: `application destination can't have both name and server defined: ${name} ${server}` };
    if (server) {
      const cluster = this.byServer.get(trimSlash(server));
      return cluster ? { cluster } : { error: `destination server ${server} is no cluster Argo CD knows: add its cluster Secret, or fix the server` };
    }
    if (name) {
      const found = this.byName.get(name) ?? [];
      if (found.length === 1) return { cluster: found[0] };
      return { error: found.length === 0 ? `there are no clusters with this name: ${name}` : `there are ${found.length} clusters with the same name: ${name}` };
    }
    return { error: 'the destination has neither server nor name' };
  }
}

/**
 * Plans a rendered fleet. A fleet with several hubs (files under `hubs/<hub>/`) has one Argo CD per
 * hub: each hub's ApplicationSets are expanded against that hub's cluster Secrets only, and names
 * collide only within one hub; the results are joined, sorted the same way.
 */
export function planFleet(objects: ReadonlyMap<string, readonly unknown[]>, options: PlanOptions = {}): FleetPlan {
  const hubs = new Map<string, Map<string, readonly unknown[]>>();
  for (const [file, docs] of objects) {
    const hub = hubOfPath(file);
    if (hub === undefined) continue;
    if (!hubs.has(hub)) hubs.set(hub, new Map());
    hubs.get(hub)!.set(file, docs);
  }
  if (hubs.size === 0) return planArgoCd(objects, options);
  const plans = [...hubs].map(([hub, part]) => ({ hub, ...planArgoCd(part, options) }));
  return {
    entries: plans.flatMap((p) => p.entries).sort(byEntry),
    problems: plans.flatMap((p) => p.problems).sort(byProblem),
    clusters: plans.flatMap((p) => p.clusters.map((c) => ({ ...c, hub: p.hub }))).sort((a, b) => compareStrings(a.name, b.name)),
    applicationSets: plans.reduce((n, p) => n + p.applicationSets, 0),
  };
}

const byEntry = (a: PlanEntry, b: PlanEntry) => compareStrings(a.cluster, b.cluster) || compareStrings(a.application, b.application) || compareStrings(a.namespace, b.namespace) || compareStrings(a.file, b.file);
const byProblem = (a: PlanProblem, b: PlanProblem) => compareStrings(a.file, b.file) || compareStrings(a.object, b.object) || compareStrings(a.message, b.message);

/**
 * Plans one Argo CD: what it will generate from its ApplicationSets against its cluster
 * Secrets, plus the plain Applications, each listed under the cluster its destination resolves to.
 *
 * `objects` is `RenderedTree.objects`: the parsed objects of each dist/ file, keyed by path. Problems are
 * everything Argo CD would fail on: generator and template errors (file, ApplicationSet, field, cluster),
 * a clusters generator whose selector matches no cluster, two Applications with one name in one
 * namespace, a generated Application whose project or destination does not exist, and cluster Secrets
 * Argo CD would ignore or confuse.
 */
function planArgoCd(objects: ReadonlyMap<string, readonly unknown[]>, options: PlanOptions): FleetPlan {
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
  const entries: PlanEntry[] = [];
  const owners = new Map<string, string[]>();
  const own = (key: string, owner: string) => {
    const list = owners.get(key);
    if (list) list.push(owner);
    else owners.set(key, [owner]);
  };
  const destinations = new Destinations(inventory.clusters);
  const privateRepos = (options.privateGitRepos ?? []).map(normalizeGitUrl);
  const creds = privateRepos.length > 0 ? repoCredentials(objects) : { repositories: new Set<string>(), templates: [] };
  const uncovered = new Set<string>();

  const addEntry = (app: Obj, file: string, object: string, applicationSet: string | undefined, checkProject: boolean, appSetObject?: Obj) => {
    const meta = isObj(app.metadata) ? app.metadata : {};
    const spec = isObj(app.spec) ? app.spec : {};
    const name = str(meta.name);
    const namespace = str(meta.namespace) || argocdNamespace;
    const dest = isObj(spec.destination) ? spec.destination : {};
    const { cluster, error } = destinations.resolve(dest);
    const prefix = applicationSet ? `Application ${name}: ` : '';
    if (error) problems.push({ file, object, message: `${prefix}spec.destination: ${error}` });
    const project = str(spec.project);
    if (checkProject && !projects.has(project)) {
      problems.push({ file, object, message: `${prefix}spec.project: application references project ${project || '""'} which does not exist: render that AppProject or fix the project` });
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
    own(`${namespace}/${name}`, `${object} (${file})`);
    entries.push({
      cluster: cluster?.name ?? '',
      server: cluster?.server ?? str(dest.server),
      application: name,
      namespace,
      applicationSet,
      project,
      ...sourceOf(spec),
      destinationNamespace: str(dest.namespace),
      file,
      onRemoval: removalOf(app, appSetObject),
    });
  };

  for (const { file, object } of appSets) {
    const name = str((object.metadata as Obj | undefined)?.name);
    const label = `ApplicationSet/${name}`;
    const expanded = expandApplicationSet(object, inventory, options);
    for (const p of expanded.problems) problems.push({ file, object: label, message: `${p.path}: ${p.message}` });
    for (const g of expanded.applications) addEntry(g.application as unknown as Obj, file, label, name, true, object);
  }
  for (const { file, object } of apps) {
    addEntry(object, file, `Application/${str((object.metadata as Obj | undefined)?.name)}`, undefined, false);
  }
  for (const [key, list] of owners) {
    if (list.length < 2) continue;
    const [namespace, name] = key.split('/');
    const distinct = [...new Set(list)].sort();
    const where = distinct.length === 1 ? `${distinct[0]} twice` : distinct.join(' and ');
    problems.push({
      file: list[0].replace(/^.* \((.*)\)$/, '$1'),
      object: list[0].replace(/ \(.*\)$/, ''),
      message: `two Applications named ${name} in namespace ${namespace}: ${where}; Argo CD keeps one object per name, so they overwrite each other: rename one`,
    });
  }

  entries.sort(byEntry);
  problems.sort(byProblem);
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.cluster, (counts.get(e.cluster) ?? 0) + 1);
  const clusters: PlanCluster[] = inventory.clusters
    .map((c) => ({ name: c.name, server: c.server, environment: c.labels.environment, file: c.secret?.file, applications: counts.get(c.name) ?? 0 }))
    .sort((a, b) => compareStrings(a.name, b.name));
  return { entries, problems, clusters, applicationSets: appSets.length };
}
