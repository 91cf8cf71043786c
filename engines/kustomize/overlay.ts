/**
 * A kustomize-equivalent overlay: the fields of a `kustomization.yaml` (same names, same meaning)
 * applied to plain JSON objects in memory, with the transformer order of kustomize v5:
 *
 * 1. generators (configMapGenerator, then secretGenerator);
 * 2. patches, in order;
 * 3. namespace;
 * 4. namePrefix, then nameSuffix;
 * 5. labels entries, then commonLabels;
 * 6. commonAnnotations;
 * 7. replicas;
 * 8. images;
 * 9. content-hash suffix on generated ConfigMaps and Secrets;
 * 10. name references rewritten to the final names.
 *
 * `applyOverlay` is pure: it copies its input and reads nothing else. On the same input (see
 * `toKustomization`) it gives what `kubectl kustomize` (v5.5) gives, or fails where kustomize fails.
 * Deliberate differences, all refusals where kustomize would go on: a patch whose target selects
 * nothing (kustomize skips it silently), an `images` rule that matches no image (kustomize ignores it),
 * the strategic-merge directives kustomize copies into objects verbatim (`$retainKeys`,
 * `$setElementOrder/...`, `$deleteFromPrimitiveList/...`), and any field, at any level of the overlay,
 * that the engine does not implement (kustomize ignores unknown fields in some places; see
 * overlay-schema.ts).
 */
import { applyImages, ImageRule } from './images.js';
import { describeId, idEquals, idOf, KubeObject } from './kube-object.js';
import { isObject } from '../util/json.js';
import { applyAnnotations, applyLabels, LabelSet } from './metadata-maps.js';
import { applyNameAffixes } from './name-affixes.js';
import { nameHash } from './name-hash.js';
import { fixNameReferences } from './name-reference.js';
import { applyNamespace } from './namespace.js';
import { applyPatch, Patch } from './patches.js';
import { applyReplicas, Replicas } from './replicas.js';
import { newResource, Resource, storePreviousId } from './resource.js';
import { Generator, GeneratorOptions, runGenerator, SecretGenerator } from './generators.js';
import { OverlayError } from './overlay-error.js';
import { checkOverlayShape } from './overlay-schema.js';

/** An overlay: the fields of a kustomization.yaml, with the same names and semantics. */
export interface Overlay {
  /**
   * Namespace for every namespaced object (replacing any namespace it had).
   * @default - namespaces unchanged
   */
  readonly namespace?: string;
  /**
   * Prefix for every name (not CustomResourceDefinitions, APIServices or Namespaces).
   * @default - no prefix
   */
  readonly namePrefix?: string;
  /**
   * Suffix for every name (same exceptions as the prefix); generated objects get it before their hash.
   * @default - no suffix
   */
  readonly nameSuffix?: string;
  /**
   * Labels for metadata, pod templates and selectors (kustomize `commonLabels`). Changing selectors of
   * running workloads is refused by Kubernetes; prefer `labels` without selectors for new labels.
   * @default - none
   */
  readonly commonLabels?: Readonly<Record<string, string>>;
  /**
   * Label groups, each to metadata only, or also to templates / selectors.
   * @default - none
   */
  readonly labels?: ReadonlyArray<LabelSet>;
  /**
   * Annotations for metadata and pod templates.
   * @default - none
   */
  readonly commonAnnotations?: Readonly<Record<string, string>>;
  /**
   * Container image rewrites.
   * @default - images unchanged
   */
  readonly images?: ReadonlyArray<ImageRule>;
  /**
   * Replica counts by workload name.
   * @default - replica counts unchanged
   */
  readonly replicas?: ReadonlyArray<Replicas>;
  /**
   * Generated ConfigMaps.
   * @default - none
   */
  readonly configMapGenerator?: ReadonlyArray<Generator>;
  /**
   * Generated Secrets.
   * @default - none
   */
  readonly secretGenerator?: ReadonlyArray<SecretGenerator>;
  /**
   * Options for all generators.
   * @default - hash suffix on, no extra labels or annotations
   */
  readonly generatorOptions?: GeneratorOptions;
  /**
   * Strategic-merge and JSON6902 patches, applied in order.
   * @default - none
   */
  readonly patches?: ReadonlyArray<Patch>;
}

function checkObject(obj: KubeObject, i: number): void {
  if (!isObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !isObject(obj.metadata) || typeof obj.metadata.name !== 'string' || obj.metadata.name === '') {
    throw new OverlayError(`base[${i}]: an object needs apiVersion, kind and metadata.name (strings); got ${JSON.stringify(obj)?.slice(0, 200)}`);
  }
}

function checkUnique(resources: readonly Resource[], stage: string): void {
  const ids = resources.map((r) => idOf(r.obj));
  ids.forEach((id, i) => {
    if (ids.some((other, j) => j < i && idEquals(other, id))) throw new OverlayError(`${stage}: ${describeId(id)} appears twice; object identities must be unique`);
  });
}

/** Applies an overlay to base objects, as `kubectl kustomize` would. Pure: the input is not changed. */
/** Kinds whose name references are maps with a namespace, which namespace changes alone can update. */
const NAMESPACED_REFERRERS = new Set(['RoleBinding', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService']);

export function applyOverlay(base: readonly KubeObject[], overlay: Overlay): KubeObject[] {
  checkOverlayShape(overlay);
  if (!Array.isArray(base)) throw new OverlayError('base must be a list of objects');
  base.forEach(checkObject);
  const resources = base.map((obj) => newResource(obj));
  checkUnique(resources, 'base');

  (overlay.configMapGenerator ?? []).forEach((g) => runGenerator(resources, 'ConfigMap', g, overlay.generatorOptions));
  (overlay.secretGenerator ?? []).forEach((g) => runGenerator(resources, 'Secret', g, overlay.generatorOptions));
  (overlay.patches ?? []).forEach((p, i) => applyPatch(resources, p, i));
  if (overlay.namespace) applyNamespace(resources, overlay.namespace);
  applyNameAffixes(resources, overlay.namePrefix, overlay.nameSuffix);
  applyLabels(resources, overlay.labels, overlay.commonLabels);
  applyAnnotations(resources, overlay.commonAnnotations);
  applyReplicas(resources, overlay.replicas ?? []);
  applyImages(resources, overlay.images ?? []);
  for (const res of resources) {
    if (!res.needsHash) continue;
    const hash = nameHash(res.obj);
    storePreviousId(res);
    res.obj.metadata.name = `${res.obj.metadata.name}-${hash}`;
  }
  // Name references change only when an object was renamed (prefix, suffix, hash, a renaming patch) or
  // when a reference carries a namespace (RoleBinding subjects, webhook and API service references).
  const renamed = resources.some((r) => r.obj.metadata.name !== r.orgId.name || r.prevIds.some((id) => id.name !== r.orgId.name));
  if (renamed || resources.some((r) => NAMESPACED_REFERRERS.has(r.obj.kind))) fixNameReferences(resources);
  for (const { obj } of resources) {
    // kustomize drops an empty metadata.annotations (it strips its own build annotations from there).
    if (isObject(obj.metadata.annotations) && Object.keys(obj.metadata.annotations).length === 0) delete obj.metadata.annotations;
  }
  checkUnique(resources, 'result');
  return resources.map((r) => r.obj);
}
