/**
 * Patch targets (kustomize `Selector`): which objects a patch applies to. Group, version, kind, name
 * and namespace are regular expressions anchored at both ends, as in kustomize; name and namespace
 * match the original or the current value; label and annotation selectors use the Kubernetes syntax.
 */
import { effectiveNamespace, gvkOf, idOf } from './kube-object.js';
import { isObject } from '../util/json.js';
import { Resource } from './resource.js';
import { OverlayError } from './overlay-error.js';

/** Which objects a patch applies to. Every given field must match. */
export interface PatchTarget {
  /**
   * API group (regular expression), `''`-group objects are matched by leaving this out.
   * @default - any group
   */
  readonly group?: string;
  /**
   * API version (regular expression).
   * @default - any version
   */
  readonly version?: string;
  /**
   * Kind (regular expression).
   * @default - any kind
   */
  readonly kind?: string;
  /**
   * Name (regular expression), matched against the original and the current name.
   * @default - any name
   */
  readonly name?: string;
  /**
   * Namespace (regular expression); `default` also matches objects without a namespace.
   * @default - any namespace
   */
  readonly namespace?: string;
  /**
   * Label selector, for example `app=web,tier in (front,back),!canary`.
   * @default - no label condition
   */
  readonly labelSelector?: string;
  /**
   * Annotation selector, same syntax as `labelSelector`.
   * @default - no annotation condition
   */
  readonly annotationSelector?: string;
}

const anchored = (field: string, pattern: string): RegExp => {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (e) {
    throw new OverlayError(`patch target ${field}: "${pattern}" is not a valid regular expression (${(e as Error).message}); escape special characters or give a plain name`);
  }
};

/** The objects a target selects, in order. */
export function selectTargets(resources: readonly Resource[], target: PatchTarget): Resource[] {
  const re = {
    group: target.group ? anchored('group', target.group) : undefined,
    version: target.version ? anchored('version', target.version) : undefined,
    kind: target.kind ? anchored('kind', target.kind) : undefined,
    name: target.name ? anchored('name', target.name) : undefined,
    namespace: target.namespace ? anchored('namespace', target.namespace) : undefined,
  };
  const labels = target.labelSelector ? parseSelector(target.labelSelector, 'labelSelector') : undefined;
  const annotations = target.annotationSelector ? parseSelector(target.annotationSelector, 'annotationSelector') : undefined;
  return resources.filter((res) => {
    const cur = idOf(res.obj);
    if (re.namespace && !re.namespace.test(effectiveNamespace(res.orgId)) && !re.namespace.test(effectiveNamespace(cur))) return false;
    if (re.name && !re.name.test(res.orgId.name) && !re.name.test(cur.name)) return false;
    const gvk = gvkOf(res.obj);
    if (re.group && !re.group.test(gvk.group)) return false;
    if (re.version && !re.version.test(gvk.version)) return false;
    if (re.kind && !re.kind.test(gvk.kind)) return false;
    if (labels && !labels(stringMap(res.obj.metadata?.labels))) return false;
    if (annotations && !annotations(stringMap(res.obj.metadata?.annotations))) return false;
    return true;
  });
}

function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

type Requirement = (m: Record<string, string>) => boolean;

/**
 * Parses a Kubernetes label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`,
 * comma-separated, all must hold) into a predicate.
 */
export function parseSelector(selector: string, field = 'labelSelector'): (m: Record<string, string>) => boolean {
  if (selector.trim() === '') return () => true;
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const reqs: Requirement[] = parts.map((raw) => {
    const p = raw.trim();
    const bad = () =>
      new OverlayError(`patch target ${field}: cannot parse "${p}" in "${selector}"; use key=value, key!=value, key in (a,b), key notin (a,b), key or !key`);
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, key, op, list] = m;
      const values = new Set(list.split(',').map((v) => v.trim()).filter((v) => v !== ''));
      return op === 'in' ? (l) => key in l && values.has(l[key]) : (l) => !(key in l) || !values.has(l[key]);
    }
    if ((m = p.match(/^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/))) {
      const [, key, op, value] = m;
      return op === '!=' ? (l) => l[key] !== value : (l) => key in l && l[key] === value;
    }
    if ((m = p.match(/^!\s*([^\s!=(),]+)$/))) {
      const key = m[1];
      return (l) => !(key in l);
    }
    if ((m = p.match(/^([^\s!=(),]+)$/))) {
      const key = m[1];
      return (l) => key in l;
    }
    throw bad();
  });
  return (m) => reqs.every((r) => r(m));
}
