/**
 * `namePrefix` / `nameSuffix` (kustomize `PrefixTransformer` / `SuffixTransformer`): rename every object
 * except CustomResourceDefinitions, APIServices and Namespaces. References to renamed objects are
 * fixed later, in the name-reference step.
 */
import { PREFIX_SUFFIX_SKIP } from './builtin-field-specs.js';
import { gvkSelected } from './kube-object.js';
import { Resource, storePreviousId } from './resource.js';

/** Adds a prefix and/or a suffix to the names (in place). */
export function applyNameAffixes(resources: readonly Resource[], prefix: string | undefined, suffix: string | undefined): void {
  for (const [affix, where] of [[prefix, 'prefix'], [suffix, 'suffix']] as const) {
    if (!affix) continue;
    for (const res of resources) {
      if (PREFIX_SUFFIX_SKIP.some((s) => gvkSelected(res.orgId, s))) continue;
      storePreviousId(res);
      if (where === 'prefix') {
        res.prefixes.push(affix);
        res.obj.metadata.name = affix + res.obj.metadata.name;
      } else {
        res.suffixes.push(affix);
        res.obj.metadata.name = res.obj.metadata.name + affix;
      }
    }
  }
}
