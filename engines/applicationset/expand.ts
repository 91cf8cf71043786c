import { isObject as isObj } from '../util/json.js';
import { clusterInventory, ClusterInventory, ClusterInventoryOptions } from './clusters.js';
import { GeneratorError, ParamSet, ClusterSelection, paramSetsOf } from './generators.js';
import { GoTemplateError, MissingKey, parseGoTemplateOptions } from '../go-template/template.js';
import { formatGoValue, GoMap, GoValue, isGoMap } from '../go-template/values.js';
import { compileSelector, CompiledSelector, SelectorError } from './selector.js';
import { FieldPick, objectRenderer, TemplateEngine, TemplateRenderError } from './template-object.js';
import { HashSlots } from '../util/hash-slots.js';
import { patchApplication, TemplatePatchError } from './template-patch.js';

/** An Application object as Argo CD would create it from an ApplicationSet. */
export interface ApplicationObject {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'Application';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly [key: string]: unknown };
  readonly spec: Record<string, unknown>;
}

/** One Application an ApplicationSet generates, with the parameters it was rendered from. */
export interface GeneratedApplication {
  /** The Application (read-only: untemplated parts are shared with the ApplicationSet). */
  readonly application: ApplicationObject;
  /** The parameter set its template was rendered with (read-only: a cluster's may be shared by many). */
  readonly params: ParamSet;
  /** The cluster the parameters came from (`params.name`), when a clusters generator produced them. */
  readonly cluster?: string;
}

/** Something Argo CD would fail on, or that the plan cannot evaluate, with the field it is about. */
export interface ExpandProblem {
  /** Field path in the ApplicationSet (`spec.template.spec.destination.namespace`). */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** The cluster the failing parameters belong to, when known. */
  readonly cluster?: string;
  /** True when Argo CD may accept this but the plan cannot evaluate it. */
  readonly unsupported?: boolean;
}

/** What an ApplicationSet generates and what is wrong with it. */
export interface ExpandResult {
  readonly applications: readonly GeneratedApplication[];
  readonly problems: readonly ExpandProblem[];
  /** Every clusters generator evaluation: which clusters each selector matched. */
  readonly selections: readonly ClusterSelection[];
}

type Obj = Record<string, unknown>;

/** A Kubernetes object name (DNS-1123 subdomain): what the API server accepts for an Application. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Counts the Application names of one expansion: how many times each was generated before. An
 * open-addressing table of FNV-1a hashes over typed arrays (what a `Map` of ~10,000 new strings costs
 * several times over: hashing each, growing, and a lookup that reads the strings of its bucket).
 */
class NameCounts extends HashSlots {
  public constructor() {
    super(256);
  }

  private counts = new Int32Array(128);
  private readonly names: string[] = [];

  /** How many times `name` was counted before this call (which counts it); `hash` is {@link validName}'s. */
  public count(name: string, hash: number): number {
    const mask = this.slots.length - 1;
    let p = hash & mask;
    for (let v = this.slots[p]; v !== 0; p = (p + 1) & mask, v = this.slots[p]) {
      if (this.hashes[p] === hash && this.names[v - 1] === name) return this.counts[v - 1]++;
    }
    const n = this.names.push(name);
    if (n > this.counts.length) {
      const counts = new Int32Array(this.counts.length * 2);
      counts.set(this.counts);
      this.counts = counts;
    }
    this.counts[n - 1] = 1;
    this.slots[p] = n;
    this.hashes[p] = hash;
    if (n * 2 > this.slots.length) this.grow();
    return 0;
  }
}

/**
 * Whether `name` is a valid Application name (`DNS_SUBDOMAIN`, at most 253 characters): its FNV-1a hash
 * (for {@link NameCounts}) when it is, undefined when it is not. One pass over the characters, instead of
 * the regular expression and then a hash.
 */
export function validName(name: string): number | undefined {
  const n = name.length;
  if (n === 0 || n > 253) return undefined;
  let h = 0x811c9dc5;
  let labelStart = true;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) labelStart = false;
    else if (c === 45) {
      if (labelStart) return undefined; // a label starts with a letter or digit
    } else if (c === 46) {
      if (labelStart || prev === 45) return undefined; // no empty label, none ends with '-'
      labelStart = true;
    } else return undefined;
    prev = c;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return labelStart || prev === 45 ? undefined : h;
}

/** Short form of a parameter set for messages: `app=frontend, environment=dev, path.basename=x` (cluster metadata left out). */
function describeParams(p: ParamSet): string {
  const parts: string[] = [];
  const walk = (v: GoValue, prefix: string) => {
    if (isGoMap(v)) for (const k of Object.keys(v).sort()) walk(v[k], prefix ? `${prefix}.${k}` : k);
    else parts.push(`${prefix}=${formatGoValue(v)}`);
  };
  for (const k of Object.keys(p).sort()) if (k !== 'metadata') walk(p[k], k);
  return parts.join(', ');
}

/** A hint on how to fix a missing key, read from Go's message. */
function missingKeyHint(message: string, cluster: string | undefined): string {
  const meta = /at <\.metadata\.(annotations|labels)\.[^>]*>: map has no entry for key "([^"]+)"/.exec(message);
  if (meta) {
    const what = meta[1] === 'labels' ? 'label' : 'annotation';
    return ` (the cluster Secret${cluster ? ` of "${cluster}"` : ''} has no ${what} "${meta[2]}": write it on every cluster this generator selects, or select only clusters that have it)`;
  }
  const other = /map has no entry for key "([^"]+)"/.exec(message);
  if (other) return ` (no parameter "${other[1]}" in this parameter set: every param set must provide it under missingkey=error)`;
  return '';
}

/**
 * With a RollingSync strategy, every generated Application must match a step (by its labels), or Argo CD
 * leaves it out of the rolling sync and never syncs it automatically. Undefined without RollingSync; a
 * problem when a step's selector is invalid; else a check of one Application (a problem, or undefined).
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Progressive-Syncs/
 */
function rollingSyncCheck(spec: Obj): ExpandProblem | ((a: GeneratedApplication) => ExpandProblem | undefined) | undefined {
  const strategy = isObj(spec.strategy) ? spec.strategy : undefined;
  if (strategy?.type !== 'RollingSync') return undefined;
  const steps = isObj(strategy.rollingSync) && Array.isArray(strategy.rollingSync.steps) ? strategy.rollingSync.steps : [];
  const selectors: CompiledSelector[] = [];
  try {
    steps.forEach((step) => selectors.push(compileSelector({ matchExpressions: isObj(step) ? step.matchExpressions : undefined })));
  } catch (e) {
    if (e instanceof SelectorError) return { path: 'spec.strategy.rollingSync.steps', message: `error converting label selector: ${e.message}` };
    throw e;
  }
  return (a) => {
    const labels = (isObj(a.application.metadata.labels) ? a.application.metadata.labels : {}) as Record<string, string>;
    if (selectors.some((s) => !s.empty && s.matches(labels))) return undefined;
    return {
      path: 'spec.strategy.rollingSync.steps',
      message: `Application ${a.application.metadata.name} matches no RollingSync step: Argo CD leaves it out of the rolling sync and never syncs it automatically; add a step whose matchExpressions select its labels`,
      cluster: a.cluster,
    };
  };
}

/** `fields` and what expansion itself reads: `metadata.name` (and `metadata.labels` for a RollingSync check). */
function withMetadata(fields: FieldPick, labels: boolean): FieldPick {
  const meta = fields.metadata;
  if (meta === true) return fields;
  return { ...fields, metadata: { ...meta, name: true, ...(labels ? { labels: true } : {}) } };
}

/** Whether a parameter set has no parameter (without listing its keys). */
function noParams(params: ParamSet): boolean {
  for (const k in params) if (Object.prototype.hasOwnProperty.call(params, k)) return false;
  return true;
}

/**
 * Expands an ApplicationSet into the Applications Argo CD would generate from it, against the cluster
 * Secrets given (or an inventory already read from them): runs its generators (list, clusters, matrix,
 * merge), renders `spec.template` for every parameter set (every string and map key, with Go templates
 * and `goTemplateOptions`, or fasttemplate without `goTemplate`), applies `spec.templatePatch` to each
 * (see template-patch.ts: what Argo CD v3.5.1 does, or an unsupported problem), and sets
 * `metadata.namespace` to the ApplicationSet's namespace, as the controller does.
 *
 * Never throws for bad input: every generator or template error is a problem naming the field and the
 * cluster; so are a clusters generator whose selector matches no cluster, an Application name the API
 * server would refuse, two generated Applications with one name, and an ApplicationSet that generates
 * nothing. (Argo CD stops reconciling the whole ApplicationSet on the first such error.)
 *
 * With `visit`, each Application is handed to it as it is generated instead of being kept
 * (`applications` is then empty): what a plan of ~500k Applications needs, so that each is garbage as
 * soon as it is read. With `fields` as well, those handed over hold only those fields of the template
 * (and `metadata.name` and `metadata.namespace`; `metadata.labels` too with a RollingSync strategy, which
 * reads them): the rest of the template is rendered all the same, for its errors. The problems are the same.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/
 */
export function expandApplicationSet(
  appSet: unknown,
  clusterSecrets: readonly unknown[] | ClusterInventory,
  options: ClusterInventoryOptions = {},
  visit?: (application: GeneratedApplication) => void,
  fields?: FieldPick,
): ExpandResult {
  const inventory = Array.isArray(clusterSecrets) ? clusterInventory(clusterSecrets, options) : (clusterSecrets as ClusterInventory);
  const problems: ExpandProblem[] = [];
  const applications: GeneratedApplication[] = [];
  const selections: ClusterSelection[] = [];
  const result = () => ({ applications, problems, selections });

  if (!isObj(appSet) || appSet.kind !== 'ApplicationSet') {
    problems.push({ path: 'kind', message: `not an ApplicationSet: kind ${JSON.stringify(isObj(appSet) ? appSet.kind : appSet)}` });
    return result();
  }
  const meta = isObj(appSet.metadata) ? appSet.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : (options.argocdNamespace ?? 'argocd');
  const spec = isObj(appSet.spec) ? appSet.spec : {};
  const template = spec.template;
  if (!isObj(template)) {
    problems.push({ path: 'spec.template', message: 'the ApplicationSet has no template: give spec.template with metadata and spec' });
    return result();
  }
  if (spec.templatePatch !== undefined && spec.templatePatch !== null && typeof spec.templatePatch !== 'string') {
    problems.push({ path: 'spec.templatePatch', message: `templatePatch must be a string (a Go template of a patch), got ${JSON.stringify(spec.templatePatch)}` });
    return result();
  }
  const templatePatch = typeof spec.templatePatch === 'string' ? spec.templatePatch : undefined;
  const goTemplate = spec.goTemplate === true;
  let missingKey: MissingKey = 'invalid';
  try {
    if (goTemplate) missingKey = parseGoTemplateOptions(spec.goTemplateOptions as unknown[] | undefined);
  } catch (e) {
    problems.push({ path: 'spec.goTemplateOptions', message: (e as GoTemplateError).message });
    return result();
  }
  const engine: TemplateEngine = { goTemplate, missingKey };
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  if (generators.length === 0) problems.push({ path: 'spec.generators', message: 'the ApplicationSet has no generators: it generates nothing' });

  const rolling = rollingSyncCheck(spec);
  // A templatePatch may change any field: the whole template is rendered before it is applied.
  const render = objectRenderer(template, 'spec.template', visit && fields && templatePatch === undefined ? withMetadata(fields, rolling !== undefined) : undefined);
  const names = new NameCounts();
  const rollingProblems: ExpandProblem[] = [];
  let generated = 0;
  generators.forEach((generator, i) => {
    const path = `spec.generators[${i}]`;
    let paramSets: Iterable<ParamSet>;
    try {
      paramSets = paramSetsOf(generator, {
        ...engine,
        clusters: inventory.clusters,
        applyNestedSelectors: spec.applyNestedSelectors === true,
        onClusterSelection: (s) => selections.push(s),
      }, path);
    } catch (e) {
      if (!(e instanceof GeneratorError)) throw e;
      const context = e.interpolatedWith ? ` (interpolated with ${describeParams(e.interpolatedWith)})` : '';
      problems.push({
        path: e.path,
        message: `${e.cluster ? `cluster "${e.cluster}": ` : ''}${e.message}${context}${missingKeyHint(e.message, e.cluster)}`,
        cluster: e.cluster,
        unsupported: e.unsupported,
      });
      return;
    }
    for (const params of paramSets) {
      const cluster = typeof params.name === 'string' ? params.name : undefined;
      let rendered: Obj;
      try {
        // Argo CD returns the template untouched for an empty parameter set.
        rendered = (noParams(params) ? template : render(params as GoMap, engine)) as Obj;
      } catch (e) {
        if (!(e instanceof TemplateRenderError)) throw e;
        const who = cluster !== undefined ? `cluster "${cluster}"` : `parameters ${describeParams(params)}`;
        problems.push({ path: e.path, message: `${who}: ${e.message}${missingKeyHint(e.message, cluster)}`, cluster, unsupported: e.unsupported });
        continue;
      }
      if (templatePatch !== undefined) {
        // Argo CD renders and applies the patch per parameter set, after the template (template.go).
        try {
          rendered = patchApplication(rendered, templatePatch, params as GoMap, engine);
        } catch (e) {
          if (!(e instanceof TemplatePatchError)) throw e;
          const who = cluster !== undefined ? `cluster "${cluster}"` : `parameters ${describeParams(params)}`;
          problems.push({ path: 'spec.templatePatch', message: `${who}: ${e.message}${missingKeyHint(e.message, cluster)}`, cluster, unsupported: e.unsupported });
          continue;
        }
      }
      const tmeta = isObj(rendered.metadata) ? rendered.metadata : {};
      const appName = typeof tmeta.name === 'string' ? tmeta.name : '';
      const hash = validName(appName);
      if (hash === undefined) {
        problems.push({
          path: 'spec.template.metadata.name',
          message: `${cluster !== undefined ? `cluster "${cluster}": ` : ''}generated Application name ${JSON.stringify(appName)} is not a valid object name: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
          cluster,
        });
        continue;
      }
      const seen = names.count(appName, hash);
      if (seen > 0) {
        if (seen === 1) {
          problems.push({
            path: 'spec.template.metadata.name',
            message: `ApplicationSet ${name} contains applications with duplicate name: ${appName}: make the name template include what tells the parameter sets apart (the cluster, the app)`,
            cluster,
          });
        }
        continue;
      }
      // A metadata map the template rendered is new for each parameter set: it is completed in place
      // (same keys, same order as a copy); the template's own, shared, is copied.
      let metadata: ApplicationObject['metadata'];
      if (rendered !== template && tmeta !== template.metadata) {
        tmeta.name = appName;
        tmeta.namespace = namespace;
        metadata = tmeta as ApplicationObject['metadata'];
      } else metadata = { ...tmeta, name: appName, namespace };
      const application: ApplicationObject = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata,
        spec: isObj(rendered.spec) ? rendered.spec : {},
      };
      const g: GeneratedApplication = { application, params, cluster };
      generated++;
      if (typeof rolling === 'function') {
        const p = rolling(g);
        if (p) rollingProblems.push(p);
      }
      if (visit) visit(g);
      else applications.push(g);
    }
  });

  const reported = new Set<string>();
  for (const s of selections) {
    if (s.matched.length > 0) continue;
    const selector = JSON.stringify(s.selector ?? {});
    const key = `${s.path}\u0000${selector}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const context = s.interpolatedWith ? ` (interpolated with ${describeParams(s.interpolatedWith)})` : '';
    problems.push({
      path: s.path,
      message: `selector ${selector}${context} matches no cluster: label a cluster Secret to match it, or remove the generator`,
    });
  }
  if (rolling !== undefined) {
    if (typeof rolling === 'function') problems.push(...rollingProblems);
    else problems.push(rolling);
  }
  if (generated === 0 && problems.length === 0) {
    problems.push({ path: 'spec.generators', message: 'the ApplicationSet generates no Application: its generators produce no parameter sets' });
  }
  return result();
}
