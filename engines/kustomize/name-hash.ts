/**
 * The content hash kustomize appends to generated ConfigMap and Secret names (kustomize v5
 * `hasher.HashRNode`), reproduced byte for byte and checked against `kubectl kustomize`:
 *
 * - the input is Go's `json.Marshal` of a map with sorted keys: `kind`, `name`, `data` (ConfigMap:
 *   also `binaryData` when the field is there; Secret: also `type`, `""` when unset, and `stringData`
 *   when the field is there, as a patch can add it);
 * - Secret `data` values are hashed as they are written, base64 cut into 70-character lines for values
 *   of 52 bytes or more (see `encodeBase64` in generators.ts);
 * - `name` is always `""` in kustomize v5 (the name, prefix and suffix do not change the hash);
 * - `data` is the map when the field is there (even empty), `""` when it is not;
 * - Go escapes `<`, `>`, `&`, U+2028 and U+2029 in JSON strings, so this does too;
 * - sha256 hex, first 10 characters, with 0->g, 1->h, 3->k, a->m, e->t (no vowels, no look-alikes).
 */
import { createHash } from 'node:crypto';
import { KubeObject } from './kube-object.js';
import { isObject } from '../util/json.js';
import { OverlayError } from './overlay-error.js';

/** JSON as Go's `encoding/json` writes it: map keys sorted, HTML characters escaped. */
export function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : isObject(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]))
        : v;
  return JSON.stringify(sorted(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ENCODE: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };

/** The 10-character hash kustomize would append (after `-`) to this ConfigMap or Secret. */
export function nameHash(obj: KubeObject): string {
  const data = isObject(obj.data) ? obj.data : '';
  let input: Record<string, unknown>;
  if (obj.kind === 'ConfigMap') {
    input = { kind: 'ConfigMap', name: '', data };
    if (isObject(obj.binaryData)) input.binaryData = obj.binaryData;
  } else if (obj.kind === 'Secret') {
    input = { kind: 'Secret', name: '', type: typeof obj.type === 'string' ? obj.type : '', data };
    if (isObject(obj.stringData)) input.stringData = obj.stringData;
  } else {
    throw new OverlayError(`name hash: only ConfigMaps and Secrets get a content hash, not ${obj.kind} ${obj.metadata?.name}`);
  }
  const hex = createHash('sha256').update(goJson(input)).digest('hex').slice(0, 10);
  return hex.replace(/[013ae]/g, (c) => ENCODE[c]);
}
