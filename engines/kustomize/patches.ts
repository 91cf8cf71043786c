/**
 * The `patches` transformer: strategic-merge patches (a map) and JSON6902 patches (a list of
 * operations), matched as kustomize matches them.
 *
 * - Without a target, a strategic-merge patch applies to the one object with its apiVersion, kind,
 *   metadata.name (and metadata.namespace; none and `default` are the same); none or several is an error.
 * - With a target it applies to every selected object (its own kind and name are ignored). A target
 *   that selects nothing is an error here, deliberately: kustomize skips such a patch silently, which
 *   hides typos in targets.
 * - A JSON6902 patch needs a target.
 * - A strategic-merge patch cannot rename an object (kind, name and namespace are kept); a JSON6902
 *   patch can, and the old name is remembered so references follow.
 */
import { applyJsonPatch, isJsonPatch, JsonPatchOperation } from './json6902.js';
import { describeId, gvkOf, idEquals, KubeObject, ResId, splitApiVersion } from './kube-object.js';
import { isObject } from '../util/json.js';
import { schemaFor } from './merge-schema.js';
import { allIds, Resource, storePreviousId } from './resource.js';
import { strategicMerge } from './strategic-merge.js';
import { PatchTarget, selectTargets } from './target.js';
import { OverlayError } from './overlay-error.js';

/** A patch and the objects it applies to. */
export interface Patch {
  /**
   * Which objects to patch. Required for JSON6902 patches.
   * @default - the object named by the strategic-merge patch's apiVersion, kind and metadata
   */
  readonly target?: PatchTarget;
  /** A strategic-merge patch (a partial object) or a list of RFC 6902 operations. */
  readonly patch: Readonly<Record<string, unknown>> | ReadonlyArray<JsonPatchOperation>;
}

/** The identity a strategic-merge patch names (for a patch without target). */
function patchId(patch: Record<string, unknown>, index: number): ResId {
  const meta = isObject(patch.metadata) ? patch.metadata : {};
  if (typeof patch.kind !== 'string' || typeof meta.name !== 'string') {
    throw new OverlayError(
      `patches[${index}]: a strategic-merge patch without target needs apiVersion, kind and metadata.name to say which object it patches; add them or give a target`,
    );
  }
  return {
    ...splitApiVersion(typeof patch.apiVersion === 'string' ? patch.apiVersion : ''),
    kind: patch.kind,
    name: meta.name,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
  };
}

const describeTarget = (t: PatchTarget): string =>
  `{${Object.entries(t)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}}`;

/** The objects a target selects; none is an error (kustomize would skip the patch silently). */
function selectTargetsOrFail(resources: readonly Resource[], target: PatchTarget, where: string): Resource[] {
  const selected = selectTargets(resources, target);
  if (selected.length === 0) {
    throw new OverlayError(
      `patch targets nothing: no object matches ${describeTarget(target)} (${where}); fix the target or remove the patch (kustomize would skip it silently)`,
    );
  }
  return selected;
}

function applySmp(res: Resource, patch: Record<string, unknown>): KubeObject | undefined {
  const { apiVersion, kind, metadata } = res.obj;
  const merged = strategicMerge(res.obj, patch, schemaFor(gvkOf(res.obj)));
  if (!merged) return undefined;
  merged.apiVersion = apiVersion;
  merged.kind = kind;
  if (!isObject(merged.metadata)) merged.metadata = { name: metadata.name };
  merged.metadata.name = metadata.name;
  if (metadata.namespace !== undefined) merged.metadata.namespace = metadata.namespace;
  else delete merged.metadata.namespace;
  return merged;
}

/** Applies one patch to the objects (in place), removing objects a patch deletes. */
export function applyPatch(resources: Resource[], p: Patch, index: number): void {
  if (!p || (!isObject(p.patch) && !Array.isArray(p.patch))) {
    throw new OverlayError(`patches[${index}]: patch must be a strategic-merge patch (an object) or a list of JSON6902 operations`);
  }
  const where = `patches[${index}]`;
  if (isJsonPatch(p.patch)) {
    if (!p.target) {
      throw new OverlayError(`${where}: a JSON6902 patch needs a target (for example {kind: Deployment, name: web}); kustomize refuses it without one`);
    }
    for (const res of selectTargetsOrFail(resources, p.target, where)) {
      storePreviousId(res);
      let out: KubeObject;
      try {
        out = applyJsonPatch(res.obj, p.patch);
      } catch (e) {
        throw e instanceof OverlayError ? new OverlayError(`${where} on ${describeId(res.orgId)}: ${e.message}`) : e;
      }
      if (!isObject(out) || typeof out.apiVersion !== 'string' || typeof out.kind !== 'string' || !isObject(out.metadata) || typeof out.metadata.name !== 'string') {
        throw new OverlayError(`${where} on ${describeId(res.orgId)}: the result has no apiVersion, kind or metadata.name any more; keep them`);
      }
      res.obj = out;
    }
    return;
  }
  const patch = p.patch as Record<string, unknown>;
  let targets: Resource[];
  if (p.target) {
    targets = selectTargetsOrFail(resources, p.target, where);
  } else {
    const id = patchId(patch, index);
    targets = resources.filter((r) => allIds(r).some((x) => idEquals(x, id)));
    if (targets.length === 0) {
      throw new OverlayError(`patch targets nothing: no object matches ${describeId(id)} (${where}); check apiVersion, kind and name, or give a target`);
    }
    if (targets.length > 1) throw new OverlayError(`${where}: ${targets.length} objects match ${describeId(id)}; give a target to patch them all`);
  }
  for (const res of targets) {
    let out: KubeObject | undefined;
    try {
      out = applySmp(res, patch);
    } catch (e) {
      throw e instanceof OverlayError ? new OverlayError(`${where} on ${describeId(res.orgId)}: ${e.message}`) : e;
    }
    if (out) res.obj = out;
    else resources.splice(resources.indexOf(res), 1);
  }
}
