/**
 * Labels and annotations added through field specs (kustomize `LabelTransformer` and
 * `AnnotationsTransformer`): each pair is set in every map the specs reach, creating maps where a
 * spec says so.
 */
import { ANNOTATION_SPECS, METADATA_LABEL_SPECS, SELECTOR_LABEL_SPECS, TEMPLATE_LABEL_SPECS } from './builtin-field-specs.js';
import { FieldSpec, walkFieldSpec } from './field-spec.js';
import { gvkOf } from './kube-object.js';
import { isObject } from '../util/json.js';
import { Resource } from './resource.js';
import { OverlayError } from './overlay-error.js';

/** A group of labels and where they go (kustomize `labels` entry). */
export interface LabelSet {
  /** The labels. */
  readonly pairs: Readonly<Record<string, string>>;
  /**
   * Also put them into selectors (Service, Deployment, ... `matchLabels`) and pod templates.
   * @default false
   */
  readonly includeSelectors?: boolean;
  /**
   * Also put them into pod templates (not selectors).
   * @default false
   */
  readonly includeTemplates?: boolean;
}

function setPairs(resources: readonly Resource[], pairs: Readonly<Record<string, string>>, specs: readonly FieldSpec[], what: string): void {
  for (const [k, v] of Object.entries(pairs)) {
    if (typeof v !== 'string') throw new OverlayError(`${what}.${k}: the value must be a string, got ${JSON.stringify(v)}`);
  }
  for (const res of resources) {
    const gvk = gvkOf(res.obj);
    for (const spec of specs) {
      walkFieldSpec(res.obj, gvk, spec, (holder, key) => {
        if (holder[key] === null) holder[key] = {};
        const map = holder[key];
        if (!isObject(map)) {
          throw new OverlayError(`${what}: ${spec.path} of ${gvk.kind} ${res.obj.metadata.name} is not a map, cannot add ${Object.keys(pairs).join(', ')}`);
        }
        for (const k of Object.keys(pairs).sort()) map[k] = pairs[k];
      }, () => ({}));
    }
  }
}

/** Field specs of a `labels` entry. */
export function labelSpecs(set: LabelSet): readonly FieldSpec[] {
  if (set.includeSelectors) return SELECTOR_LABEL_SPECS;
  if (set.includeTemplates) return TEMPLATE_LABEL_SPECS;
  return METADATA_LABEL_SPECS;
}

/** Adds `labels` entries, then `commonLabels` (labels, selectors and templates), in place. */
export function applyLabels(resources: readonly Resource[], labels: readonly LabelSet[] | undefined, commonLabels: Readonly<Record<string, string>> | undefined): void {
  (labels ?? []).forEach((set, i) => setPairs(resources, set.pairs ?? {}, labelSpecs(set), `labels[${i}].pairs`));
  if (commonLabels) setPairs(resources, commonLabels, SELECTOR_LABEL_SPECS, 'commonLabels');
}

/** Adds `commonAnnotations` to metadata and pod templates, in place. */
export function applyAnnotations(resources: readonly Resource[], annotations: Readonly<Record<string, string>> | undefined): void {
  if (annotations) setPairs(resources, annotations, ANNOTATION_SPECS, 'commonAnnotations');
}
