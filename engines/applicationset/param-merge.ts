import { GoMap, GoValue, goTruth, hasKey, isGoMap, isStringMap, stringMap } from '../go-template/values.js';

/** mergo's `isEmptyValue` for a map element: nil, "", 0, false and empty maps and slices are empty. */
function isEmpty(v: GoValue): boolean {
  return !goTruth(v);
}

/**
 * `mergo.Merge(&dst, src)` (or with `mergo.WithOverride`) on two parameter maps, the way Argo CD combines
 * param sets with `goTemplate: true` (the merge generator with override, the matrix generator into a
 * fresh map):
 *
 * - a key only in `src` is added;
 * - two non-empty maps under one key are merged key by key, recursively (so `values` of a base and an
 *   override cluster generator combine; the override's keys win);
 * - otherwise `src` wins when `override` is set or when the `dst` value is empty (nil, "", 0, false,
 *   empty map or slice), else `dst` keeps its value.
 *
 * Only `dst` itself changes: a nested map is replaced by a merged copy instead of being changed in place
 * (mergo changes it in place, which is only observable through maps shared between param sets), so
 * param sets may share nested maps, such as a cluster's labels.
 *
 * @see https://github.com/imdario/mergo (deepMerge, reflect.Map)
 */
export function mergoMerge(dst: GoMap, src: GoMap, override: boolean): void {
  // for-in over own keys: the same keys in the same order as Object.keys, without an array per call.
  for (const key in src) {
    if (!hasKey(src, key)) continue;
    const s = src[key];
    const present = hasKey(dst, key);
    const d = present ? dst[key] : undefined;
    if (s === null || s === undefined) {
      if (override) dst[key] = null;
      continue;
    }
    if (present && isGoMap(s) && isGoMap(d) && Object.keys(d).length > 0) {
      if (d === s) continue;
      const merged = isStringMap(d) ? (stringMap(d as Record<string, string>) as GoMap) : { ...d };
      mergoMerge(merged, s, override);
      dst[key] = merged;
      continue;
    }
    if (override || !present || isEmpty(d)) dst[key] = s;
  }
}
