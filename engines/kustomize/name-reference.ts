/**
 * Name-reference fixing (kustomize `nameReferenceTransformer`, run last): after prefixes, suffixes,
 * namespaces and content hashes have renamed objects, every field that refers to an object by name
 * (envFrom, volumes, serviceAccountName, scaleTargetRef, Ingress backends, roleRef, subjects, ...; see
 * `NAME_REFERENCES`) is rewritten to the object's new name. Ported from kustomize v5:
 *
 * - only objects that were renamed (or moved) can be found, by any of their previous names;
 * - a namespaced referrer only sees objects in its own namespace, cluster-scoped objects, and (for a
 *   RoleBinding) ServiceAccounts in namespaces its subjects name;
 * - a `{name, namespace}` reference (subjects, webhook services) also gets the new namespace;
 * - several candidates: those with the referrer's prefixes and suffixes win; still ambiguous is an error.
 */
import { NAME_REFERENCES } from './builtin-field-specs.js';
import { walkFieldSpec } from './field-spec.js';
import { describeId, effectiveNamespace, gvkOf, GvkSelector, gvkSelected, idOf, isClusterScoped } from './kube-object.js';
import { isObject } from '../util/json.js';
import { Resource } from './resource.js';
import { OverlayError } from './overlay-error.js';

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Objects a referrer may refer to (kustomize `SubsetThatCouldBeReferencedByResource`). */
function reachable(referrer: Resource, all: readonly Resource[]): Resource[] {
  const rid = idOf(referrer.obj);
  if (isClusterScoped(rid)) return [...all];
  const rbNamespaces = new Set<string>();
  if (rid.kind === 'RoleBinding' && Array.isArray(referrer.obj.subjects)) {
    for (const s of referrer.obj.subjects) {
      if (isObject(s) && s.kind === 'ServiceAccount' && typeof s.namespace === 'string') rbNamespaces.add(s.namespace);
    }
  }
  return all.filter((r) => {
    const id = idOf(r.obj);
    return isClusterScoped(id) || effectiveNamespace(id) === effectiveNamespace(rid) || rbNamespaces.has(id.namespace);
  });
}

interface Context {
  readonly referrer: Resource;
  readonly path: string;
  readonly target: GvkSelector;
  readonly candidates: readonly Resource[];
}

function selectReferral(ctx: Context, oldName: string, candidates: readonly Resource[], sameNamespaceToo: boolean): Resource | undefined {
  let c = candidates.filter((r) => r.prevIds.some((id) => id.name === oldName));
  c = c.filter((r) => r.prevIds.some((id) => gvkSelected(id, ctx.target)));
  if (ctx.path.endsWith('roleRef/name')) {
    const roleRef = ctx.referrer.obj.roleRef;
    if (isObject(roleRef) && typeof roleRef.apiGroup === 'string' && typeof roleRef.kind === 'string') {
      const sel = { group: roleRef.apiGroup, kind: roleRef.kind };
      c = c.filter((r) => r.prevIds.some((id) => gvkSelected(id, sel)));
    }
  }
  const rid = idOf(ctx.referrer.obj);
  if (!isClusterScoped(rid)) {
    c = c.filter((r) => {
      const id = idOf(r.obj);
      return isClusterScoped(id) || id.kind === 'ServiceAccount' || effectiveNamespace(id) === effectiveNamespace(rid);
    });
  }
  if (c.length === 1) return c[0];
  c = c.filter((r) => sameList(r.prefixes, ctx.referrer.prefixes) && sameList(r.suffixes, ctx.referrer.suffixes));
  if (c.length === 1) return c[0];
  if (c.length === 0) return undefined;
  const first = c[0].obj.metadata;
  if (c.every((r) => r.obj.metadata.name === first.name && (!sameNamespaceToo || r.obj.metadata.namespace === first.namespace))) return c[0];
  throw new OverlayError(
    `name reference ${ctx.path} "${oldName}" in ${describeId(idOf(ctx.referrer.obj))} could mean ${c.map((r) => describeId(idOf(r.obj))).join(' or ')}; make the names unique`,
  );
}

function setScalar(ctx: Context, holder: Record<string, unknown> | unknown[], key: string | number): void {
  const value = (holder as Record<string, unknown>)[key as string];
  if (typeof value !== 'string') return;
  const referral = selectReferral(ctx, value, ctx.candidates, false);
  if (referral && referral.obj.metadata.name !== value) (holder as Record<string, unknown>)[key as string] = referral.obj.metadata.name;
}

function setMapping(ctx: Context, node: Record<string, unknown>): void {
  if (!('name' in node)) {
    throw new OverlayError(`name reference ${ctx.path} in ${describeId(idOf(ctx.referrer.obj))}: the map has no name field`);
  }
  const oldName = String(node.name);
  let candidates = ctx.candidates;
  if ('namespace' in node) {
    const ns = String(node.namespace);
    const byOrg = candidates.filter((r) => !isClusterScoped(r.orgId) && effectiveNamespace(r.orgId) === ns);
    candidates = byOrg.length
      ? byOrg
      : candidates.filter((r) => {
          const id = idOf(r.obj);
          return !isClusterScoped(id) && effectiveNamespace(id) === ns;
        });
  }
  const referral = selectReferral(ctx, oldName, candidates, true);
  if (!referral) return;
  const { name, namespace } = referral.obj.metadata;
  if (name === oldName && !namespace) return;
  node.name = name;
  if (namespace) node.namespace = namespace;
}

/** Rewrites name references in all objects to the current names of the objects they refer to (in place). */
export function fixNameReferences(resources: readonly Resource[]): void {
  const subsets = new Map<Resource, Resource[]>();
  for (const back of NAME_REFERENCES) {
    for (const spec of back.referrers) {
      for (const referrer of resources) {
        if (!gvkSelected(referrer.orgId, spec)) continue;
        let candidates = subsets.get(referrer);
        if (!candidates) subsets.set(referrer, (candidates = reachable(referrer, resources)));
        const ctx: Context = { referrer, path: spec.path, target: back, candidates };
        walkFieldSpec(referrer.obj, gvkOf(referrer.obj), { ...spec, group: undefined, version: undefined, kind: undefined, create: false }, (holder, key) => {
          const value = holder[key];
          if (value === null || value === undefined) return;
          if (typeof value === 'string') setScalar(ctx, holder, key);
          else if (isObject(value)) setMapping(ctx, value);
          else if (Array.isArray(value)) {
            value.forEach((el, i) => {
              if (typeof el === 'string') setScalar(ctx, value, i);
              else if (isObject(el)) setMapping(ctx, el);
            });
          }
        });
      }
    }
  }
}
