import { isObject as isObj } from '../util/json.js';
import { parse as parseYaml } from 'yaml';
import { ArgoCluster } from './clusters.js';
import { GoTemplateError } from '../go-template/template.js';
import { formatGoValue, fromJson, GoMap, GoValue, goJson, isGoMap, sanitizeName, stringMap } from '../go-template/values.js';
import { mergoMerge } from './param-merge.js';
import { compileSelector, CompiledSelector, SelectorError } from './selector.js';
import { childPath, objectRenderer, renderString, TemplateEngine, TemplateRenderError } from './template-object.js';

/** One set of parameters a generator produces: what one Application's template is rendered with. */
export type ParamSet = GoMap;

/** One evaluation of a clusters generator: which clusters its (rendered) selector matched. */
export interface ClusterSelection {
  /** Field path of the generator (`spec.generators[0].merge.generators[1].clusters`). */
  readonly path: string;
  /** The selector after matrix interpolation. */
  readonly selector: unknown;
  /** Names of the clusters it matched, in Secret order. */
  readonly matched: readonly string[];
  /** The matrix's first-child parameters the generator was interpolated with, if any. */
  readonly interpolatedWith?: ParamSet;
}

/** What the generators run against. */
export interface GenerateParamsOptions extends TemplateEngine {
  /** The clusters Argo CD knows (see `clusterInventory`). */
  readonly clusters: readonly ArgoCluster[];
  /**
   * Whether `selector`s on generators nested two levels deep are applied (`spec.applyNestedSelectors`).
   * @default false
   */
  readonly applyNestedSelectors?: boolean;
  /** Called after every clusters generator evaluation, for "matches no cluster" checks. */
  readonly onClusterSelection?: (selection: ClusterSelection) => void;
}

/** A generator Argo CD would fail on, or one the plan cannot evaluate (`unsupported`). */
export class GeneratorError extends Error {
  /** Field path of the failing part of the generator or of the failing template string. */
  public readonly path: string;
  /** The cluster whose parameters were being produced, when there is one. */
  public readonly cluster?: string;
  /** The matrix first-child parameters the failing generator was interpolated with, if any. */
  public readonly interpolatedWith?: ParamSet;
  /** True when Argo CD may accept this but the plan cannot evaluate it (a Git generator, a Go template feature). */
  public readonly unsupported: boolean;

  public constructor(path: string, message: string, extra: { cluster?: string; interpolatedWith?: ParamSet; unsupported?: boolean } = {}) {
    super(message);
    this.name = 'GeneratorError';
    this.path = path;
    this.cluster = extra.cluster;
    this.interpolatedWith = extra.interpolatedWith;
    this.unsupported = extra.unsupported ?? false;
  }
}

/** Generator kinds in the order of Argo CD's `ApplicationSetGenerator` struct (the order several kinds in one entry run). */
const KINDS = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'matrix', 'merge', 'plugin'] as const;
type Kind = (typeof KINDS)[number];

type Obj = Record<string, unknown>;

function kindsOf(gen: Obj): Kind[] {
  return KINDS.filter((k) => gen[k] !== undefined && gen[k] !== null);
}

/** jeremywohl/flatten in dot style, values printed with %v: what a generator's post-`selector` matches. */
function flattenParams(params: GoMap): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: GoValue, prefix: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, prefix ? `${prefix}.${i}` : String(i)));
    else if (isGoMap(v)) for (const k of Object.keys(v)) walk(v[k], prefix ? `${prefix}.${k}` : k);
    else out[prefix] = v === null || v === undefined ? '<nil>' : formatGoValue(v);
  };
  walk(params, '');
  return out;
}

const SELECTOR_CACHE = new Map<string, CompiledSelector>();

/**
 * The clusters a selector selects, in the order Argo CD lists them (the local cluster, only for an
 * empty selector, first), per cluster list and compiled selector: a matrix runs its clusters child once
 * per parameter set of its first child, mostly with one of a few selectors.
 */
const SELECTED = new WeakMap<readonly ArgoCluster[], WeakMap<CompiledSelector, readonly ArgoCluster[]>>();

function selectedClusters(clusters: readonly ArgoCluster[], selector: CompiledSelector): readonly ArgoCluster[] {
  let bySelector = SELECTED.get(clusters);
  if (!bySelector) SELECTED.set(clusters, (bySelector = new WeakMap()));
  let selected = bySelector.get(selector);
  if (!selected) {
    const local = clusters.filter((c) => !c.secret);
    const remote = clusters.filter((c) => c.secret);
    selected = [...(selector.empty ? local : []), ...remote.filter((r) => selector.matches(r.labels))];
    bySelector.set(selector, selected);
  }
  return selected;
}

/** Each cluster's `metadata` parameter, built once. */
const METADATA = new WeakMap<ArgoCluster, GoMap>();
/** The param sets (and names) of each selection of clusters without generator values, with goTemplate and without. */
const SHARED_PARAMS = new WeakMap<readonly ArgoCluster[], { go?: { out: ParamSet[]; matched: string[] }; flat?: { out: ParamSet[]; matched: string[] } }>();
/** Each cluster's param set, with goTemplate and without, made once (see `clusterParams`). */
const CLUSTER_PARAMS_GO = new WeakMap<ArgoCluster, ParamSet>();
const CLUSTER_PARAMS_FLAT = new WeakMap<ArgoCluster, ParamSet>();
/** Each cluster's `nameNormalized` parameter, computed once. */
const NORMALIZED = new WeakMap<ArgoCluster, string>();

function cachedSelector(selector: unknown, validateValues: boolean): CompiledSelector {
  const key = `${validateValues}:${JSON.stringify(selector ?? null)}`;
  let s = SELECTOR_CACHE.get(key);
  if (!s) {
    s = compileSelector(selector, { validateValues });
    if (SELECTOR_CACHE.size > 10_000) SELECTOR_CACHE.clear();
    SELECTOR_CACHE.set(key, s);
  }
  return s;
}

class Generators {
  private interpolation: ParamSet | undefined;

  public constructor(private readonly options: GenerateParamsOptions) {}

  private fail(path: string, message: string, extra: { cluster?: string; unsupported?: boolean } = {}): never {
    throw new GeneratorError(path, message, { ...extra, interpolatedWith: this.interpolation });
  }

  /**
   * A top-level entry of `spec.generators`: several kinds in one entry all run; a generator `template` is
   * refused. A matrix alone in its entry gives its param sets as a {@link MatrixProduct}, merged as they are read.
   */
  public top(gen: unknown, path: string): Iterable<ParamSet> {
    if (!isObj(gen)) this.fail(path, `a generator must be an object such as {clusters: {...}}, got ${JSON.stringify(gen)}`);
    const kinds = kindsOf(gen);
    if (kinds.length === 0) this.fail(path, `no generator in this entry: Argo CD reports "contains unrecognized generators"; use list, clusters, matrix or merge`);
    const out: ParamSet[] = [];
    for (const kind of kinds) {
      const spec = gen[kind];
      if (isObj(spec) && isObj(spec.template) && Object.keys(spec.template).length > 0) {
        this.fail(childPath(childPath(path, kind), 'template'), 'generator-level template overrides are not supported by the plan; put the whole template in spec.template', { unsupported: true });
      }
      if (kind === 'matrix' && kinds.length === 1 && (gen.selector === undefined || gen.selector === null)) return this.matrixProduct(spec, childPath(path, kind), 0);
      out.push(...this.kind(kind, spec, childPath(path, kind), 0));
    }
    return this.postSelect(gen, path, out);
  }

  /** A child of a matrix or merge; `depth` 1 for children of a top-level one, 2 below that. */
  private child(gen: unknown, path: string, depth: number, interpolate?: ParamSet): ParamSet[] {
    if (!isObj(gen)) this.fail(path, `a generator must be an object such as {clusters: {...}}, got ${JSON.stringify(gen)}`);
    let spec: Obj = gen;
    if (interpolate && Object.keys(interpolate).length > 0) {
      try {
        spec = objectRenderer(gen, path)(interpolate, this.options) as Obj;
      } catch (e) {
        if (e instanceof TemplateRenderError) this.fail(e.path, `failed to replace parameters in generator: ${e.message}`, { unsupported: e.unsupported });
        throw e;
      }
    }
    // Below the first level of nesting Argo CD parses children as terminal generators: a matrix or merge there is lost.
    const all = kindsOf(spec);
    const kinds = all.filter((k) => depth < 2 || (k !== 'matrix' && k !== 'merge'));
    if (kinds.length === 0) {
      this.fail(path, all.length > 0 ? 'child generator generated no parameters (matrix and merge generators can be nested only once)' : 'child generator generated no parameters');
    }
    if (kinds.length > 1) this.fail(path, `found more than one generator in matrix.Generators (${kinds.join(', ')}): give each its own entry`);
    const params = this.kind(kinds[0], spec[kinds[0]], childPath(path, kinds[0]), depth);
    return depth < 2 || this.options.applyNestedSelectors ? this.postSelect(spec, path, params) : params;
  }

  private postSelect(gen: Obj, path: string, params: ParamSet[]): ParamSet[] {
    if (gen.selector === undefined || gen.selector === null) return params;
    let selector: CompiledSelector;
    try {
      selector = cachedSelector(gen.selector, false);
    } catch (e) {
      if (e instanceof SelectorError) this.fail(childPath(path, 'selector'), `error parsing label selector: ${e.message}`);
      throw e;
    }
    return params.filter((p) => selector.matches(flattenParams(p)));
  }

  private kind(kind: Kind, spec: unknown, path: string, depth: number): ParamSet[] {
    switch (kind) {
      case 'list':
        return this.list(spec, path);
      case 'clusters':
        return this.clusters(spec, path);
      case 'matrix':
        return this.matrix(spec, path, depth);
      case 'merge':
        return this.merge(spec, path, depth);
      default:
        return this.fail(path, `the ${kind} generator is not supported by the plan: it reads Git, an SCM provider, a cluster decision resource or a plugin at reconcile time`, { unsupported: true });
    }
  }

  private list(spec: unknown, path: string): ParamSet[] {
    const s = isObj(spec) ? spec : {};
    const elements = s.elements ?? [];
    if (!Array.isArray(elements)) this.fail(childPath(path, 'elements'), 'elements must be a list of maps');
    const out: ParamSet[] = elements.map((element, i) => {
      const where = childPath(childPath(path, 'elements'), i);
      if (!isObj(element)) this.fail(where, `error unmarshling list element: a list element is a map of parameters, got ${JSON.stringify(element)}`);
      if (this.options.goTemplate) return fromJson(element) as ParamSet;
      const flat: ParamSet = {};
      for (const [k, v] of Object.entries(element)) {
        if (k === 'values') {
          if (!isObj(v)) this.fail(childPath(where, k), 'error parsing values map');
          for (const [vk, vv] of Object.entries(v)) {
            if (typeof vv !== 'string') this.fail(childPath(childPath(where, k), vk), 'error parsing value as string: without goTemplate list values must be strings');
            flat[`values.${vk}`] = vv;
          }
        } else {
          if (typeof v !== 'string') this.fail(childPath(where, k), 'error parsing value as string: without goTemplate list elements must hold strings');
          flat[k] = v;
        }
      }
      return flat;
    });
    if (typeof s.elementsYaml === 'string' && s.elementsYaml.length > 0) {
      let parsed: unknown;
      try {
        parsed = parseYaml(s.elementsYaml);
      } catch (e) {
        this.fail(childPath(path, 'elementsYaml'), `error unmarshling decoded ElementsYaml ${(e as Error).message}`);
      }
      if (!Array.isArray(parsed) || !parsed.every(isObj)) this.fail(childPath(path, 'elementsYaml'), 'error unmarshling decoded ElementsYaml: expected a YAML list of maps');
      out.push(...parsed.map((p) => fromJson(p) as ParamSet));
    }
    return out;
  }

  private clusters(spec: unknown, path: string): ParamSet[] {
    const s = isObj(spec) ? spec : {};
    if (s.flatList === true) this.fail(childPath(path, 'flatList'), 'flatList is not supported by the plan (its templates need {{range}})', { unsupported: true });
    let selector: CompiledSelector;
    try {
      selector = cachedSelector(s.selector, true);
    } catch (e) {
      if (e instanceof SelectorError) this.fail(childPath(path, 'selector'), `error converting label selector: ${e.message}`);
      throw e;
    }
    const values = isObj(s.values) ? s.values : {};
    const valueKeys = Object.keys(values).sort();
    for (const k of valueKeys) {
      if (typeof values[k] !== 'string') this.fail(childPath(childPath(path, 'values'), k), `generator values are strings, got ${JSON.stringify(values[k])}: quote it`);
    }
    // Argo CD lists the local cluster (no Secret, no labels) only for an empty selector, and first.
    const selected = selectedClusters(this.options.clusters, selector);
    if (valueKeys.length === 0) {
      // The clusters' own param sets: the same lists for every evaluation of this selection (read-only).
      const shared = this.sharedParams(selected);
      this.options.onClusterSelection?.({ path, selector: s.selector, matched: shared.matched, interpolatedWith: this.interpolation });
      return shared.out;
    }
    const out: ParamSet[] = [];
    const matched: string[] = [];
    for (const c of selected) {
      // A copy of the cluster's shared param set (never changed in place, see clusterParams) gets the values.
      const params = { ...this.clusterParams(c) };
      const rendered: Record<string, string> = {};
      for (const k of valueKeys) {
        try {
          rendered[k] = renderString(values[k] as string, params, this.options);
        } catch (e) {
          if (e instanceof GoTemplateError) {
            this.fail(childPath(childPath(path, 'values'), k), `failed to replace templated string: ${e.message} (values are rendered with the cluster's name, server and metadata, before values exist)`, {
              cluster: c.name,
              unsupported: e.unsupported,
            });
          }
          throw e;
        }
      }
      if (this.options.goTemplate) params.values = stringMap(rendered);
      else for (const k of valueKeys) params[`values.${k}`] = rendered[k];
      out.push(params);
      matched.push(c.name);
    }
    this.options.onClusterSelection?.({ path, selector: s.selector, matched, interpolatedWith: this.interpolation });
    return out;
  }

  /** The param sets of selected clusters without generator values, and their names: made once per selection and engine. */
  private sharedParams(selected: readonly ArgoCluster[]): { readonly out: ParamSet[]; readonly matched: string[] } {
    let byEngine = SHARED_PARAMS.get(selected);
    if (!byEngine) SHARED_PARAMS.set(selected, (byEngine = {}));
    const key = this.options.goTemplate ? 'go' : 'flat';
    let shared = byEngine[key];
    if (!shared) byEngine[key] = shared = { out: selected.map((c) => this.clusterParams(c)), matched: selected.map((c) => c.name) };
    return shared;
  }

  /**
   * The parameters of one cluster: nested `metadata` with goTemplate, flat `metadata.labels.<key>` without.
   * Built once per cluster and engine and shared: a param set is never changed in place (a matrix merges
   * into a new map, a merge into a copy of its base sets, see {@link merge}; `mergoMerge` replaces nested
   * maps instead of changing them), so clusters selected again (by every element of a matrix's first
   * child) cost nothing.
   */
  private clusterParams(c: ArgoCluster): ParamSet {
    const cache = this.options.goTemplate ? CLUSTER_PARAMS_GO : CLUSTER_PARAMS_FLAT;
    let params = cache.get(c);
    if (!params) cache.set(c, (params = this.newClusterParams(c)));
    return params;
  }

  private newClusterParams(c: ArgoCluster): ParamSet {
    if (!c.secret) return { name: c.name, nameNormalized: c.name, server: c.server };
    let nameNormalized = NORMALIZED.get(c);
    if (nameNormalized === undefined) NORMALIZED.set(c, (nameNormalized = sanitizeName(c.name)));
    const params: ParamSet = { name: c.name, nameNormalized, server: c.server, project: c.project ?? '' };
    if (this.options.goTemplate) {
      let metadata = METADATA.get(c);
      if (!metadata) {
        metadata = {};
        if (Object.keys(c.annotations).length > 0) metadata.annotations = stringMap(c.annotations);
        if (Object.keys(c.labels).length > 0) metadata.labels = stringMap(c.labels);
        METADATA.set(c, metadata);
      }
      params.metadata = metadata;
    } else {
      for (const [k, v] of Object.entries(c.annotations)) params[`metadata.annotations.${k}`] = v;
      for (const [k, v] of Object.entries(c.labels)) params[`metadata.labels.${k}`] = v;
    }
    return params;
  }

  private childList(spec: unknown, path: string, kind: 'Matrix' | 'Merge'): unknown[] {
    const gens = isObj(spec) ? spec.generators : undefined;
    if (!Array.isArray(gens) || gens.length < 2) {
      this.fail(childPath(path, 'generators'), kind === 'Matrix' ? 'found less than two generators, Matrix support only two' : 'found less than two generators, Merge requires two or more');
    }
    return gens;
  }

  private matrix(spec: unknown, path: string, depth: number): ParamSet[] {
    if (this.options.goTemplate) return [...this.matrixProduct(spec, path, depth)];
    const gens = this.childList(spec, path, 'Matrix');
    if (gens.length > 2) this.fail(childPath(path, 'generators'), 'found more than two generators, Matrix support only two');
    const genPath = childPath(path, 'generators');
    const first = this.child(gens[0], childPath(genPath, 0), depth + 1);
    const out: ParamSet[] = [];
    const outer = this.interpolation;
    for (const a of first) {
      this.interpolation = a;
      const second = this.child(gens[1], childPath(genPath, 1), depth + 1, a);
      this.interpolation = outer;
      for (const b of second) {
        const tmp: ParamSet = {};
        for (const [k, v] of Object.entries(a)) tmp[k] = formatGoValue(v);
        for (const [k, v] of Object.entries(b)) {
          const value = formatGoValue(v);
          if (k in tmp && tmp[k] !== value) this.fail(path, `found duplicate key ${k} with different value, a: ${tmp[k]} ,b: ${value}`);
          tmp[k] = value;
        }
        out.push(tmp);
      }
    }
    return out;
  }

  /**
   * A matrix's param sets, every child evaluated (so every error is thrown) but the pairs not merged
   * yet: with goTemplate, merging is mergo's and cannot fail, and a matrix of ~10,000 param sets is read
   * one at a time. Without goTemplate, {@link matrix} merges as it goes (a merge can fail there).
   */
  private matrixProduct(spec: unknown, path: string, depth: number): Iterable<ParamSet> {
    if (!this.options.goTemplate) return this.matrix(spec, path, depth);
    const gens = this.childList(spec, path, 'Matrix');
    if (gens.length > 2) this.fail(childPath(path, 'generators'), 'found more than two generators, Matrix support only two');
    const genPath = childPath(path, 'generators');
    const first = this.child(gens[0], childPath(genPath, 0), depth + 1);
    const seconds: ParamSet[][] = [];
    const outer = this.interpolation;
    for (const a of first) {
      this.interpolation = a;
      seconds.push(this.child(gens[1], childPath(genPath, 1), depth + 1, a));
      this.interpolation = outer;
    }
    return new MatrixProduct(first, seconds);
  }

  private merge(spec: unknown, path: string, depth: number): ParamSet[] {
    const gens = this.childList(spec, path, 'Merge');
    const genPath = childPath(path, 'generators');
    const sets = gens.map((g, i) => this.child(g, childPath(genPath, i), depth + 1));
    const rawKeys = isObj(spec) && Array.isArray(spec.mergeKeys) ? spec.mergeKeys.map(String) : [];
    if (rawKeys.length === 0) this.fail(childPath(path, 'mergeKeys'), 'no merge keys were specified, Merge requires at least one');
    const keys = [...new Set(rawKeys)].sort();
    const byKey = (params: ParamSet[], i: number) => {
      const m = new Map<string, ParamSet>();
      for (const p of params) {
        const key: GoMap = {};
        for (const k of keys) key[k] = Object.prototype.hasOwnProperty.call(p, k) ? p[k] : null;
        const json = goJson(key);
        if (m.has(json)) {
          const nested = this.options.goTemplate && keys.some((k) => k.includes('.'));
          this.fail(
            childPath(genPath, i),
            `the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${json}${
              nested ? ' (with goTemplate a merge key is a top-level parameter name: "a.b" is not looked up inside a, see argoproj/argo-cd#12836)' : ''
            }`,
          );
        }
        m.set(json, p);
      }
      return m;
    };
    // The base sets are merged into in place: copies, as param sets may be shared (see clusterParams).
    const base = byKey(sets[0].map((p) => ({ ...p })), 0);
    sets.slice(1).forEach((params, i) => {
      const overrides = byKey(params, i + 1);
      for (const [key, b] of base) {
        const o = overrides.get(key);
        if (!o) continue;
        if (this.options.goTemplate) mergoMerge(b, o, true);
        else Object.assign(b, o);
      }
    });
    return [...base.values()];
  }
}

/**
 * The param sets of a matrix with goTemplate, in order: each of the first child's merged over each of the
 * second child's it was paired with (mergo with override: `b`, then `a` over it, into a new map), made
 * as they are read, so that each is garbage once read.
 */
class MatrixProduct implements Iterable<ParamSet> {
  public constructor(
    private readonly firsts: readonly ParamSet[],
    private readonly seconds: readonly (readonly ParamSet[])[],
  ) {}

  public [Symbol.iterator](): Iterator<ParamSet> {
    const { firsts, seconds } = this;
    let i = 0;
    let j = 0;
    // One result object for every step (read at once by for-of and spreading): none per param set.
    const result = { done: false, value: undefined as unknown as ParamSet };
    return {
      next: () => {
        while (i < firsts.length && j >= seconds[i].length) {
          i++;
          j = 0;
        }
        if (i >= firsts.length) {
          result.done = true;
          result.value = undefined as unknown as ParamSet;
          return result;
        }
        // The first child's parameters win where both set one.
        const tmp: ParamSet = {};
        mergoMerge(tmp, seconds[i][j++], true);
        mergoMerge(tmp, firsts[i], true);
        result.value = tmp;
        return result;
      },
    };
  }
}

/**
 * The parameter sets one entry of `spec.generators` produces, with Argo CD's semantics for the list,
 * clusters, matrix and merge generators (other kinds are {@link GeneratorError}s with `unsupported`).
 * Throws {@link GeneratorError} on what Argo CD would report as a generation error.
 *
 * @param path field path of the entry, for messages (`spec.generators[0]`)
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators/
 */
export function generateParamSets(generator: unknown, options: GenerateParamsOptions, path = 'spec.generators[0]'): ParamSet[] {
  return [...paramSetsOf(generator, options, path)];
}

/**
 * {@link generateParamSets}, with the same errors (all thrown by this call), but the param sets of a
 * matrix alone in its entry are made as they are read: what an expansion of ~10,000 param sets of one
 * matrix reads once, one at a time. Every param set is a new map (or a cluster's shared one): never
 * change one in place.
 */
export function paramSetsOf(generator: unknown, options: GenerateParamsOptions, path = 'spec.generators[0]'): Iterable<ParamSet> {
  return new Generators(options).top(generator, path);
}
