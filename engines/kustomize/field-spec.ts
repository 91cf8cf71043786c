/**
 * Field specs: where in which kinds a transformer writes (kustomize `FieldSpec`), and the walk that
 * reaches those fields. A path is a `/`-separated list of map keys (`\/` is a literal slash); lists on
 * the way are entered element by element; a `[]` suffix marks a list that is never created.
 */
import { Gvk, gvkSelected, GvkSelector } from './kube-object.js';
import { isObject } from '../util/json.js';

/** A place a transformer writes to, in objects of the selected kinds. */
export interface FieldSpec extends GvkSelector {
  /** Path of the field, for example `spec/selector/matchLabels`. */
  readonly path: string;
  /**
   * Create the field (and missing maps on the way) when it is absent.
   * @default false
   */
  readonly create?: boolean;
}

/** What a walk does at the field it reaches: gets the holder map and the key, may change the value. */
export type FieldVisitor = (holder: Record<string, unknown>, key: string) => void;

/** Splits a field-spec path on unescaped `/`. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '/') {
      cur += '/';
      i++;
    } else if (path[i] === '/') {
      out.push(cur);
      cur = '';
    } else {
      cur += path[i];
    }
  }
  out.push(cur);
  return out;
}

/**
 * Calls `visit` for each field the spec reaches in `obj` (several when the path crosses lists).
 * With `create`, missing maps on the way are created; the last field is created only if `createLast`
 * gives its initial value. A field that is `null` counts as missing for creation.
 */
export function walkFieldSpec(
  obj: Record<string, unknown>,
  gvk: Gvk,
  spec: FieldSpec,
  visit: FieldVisitor,
  createLast?: () => unknown,
): void {
  if (!gvkSelected(gvk, spec)) return;
  walk(obj, splitPath(spec.path), spec.create === true, visit, createLast);
}

function walk(node: unknown, path: string[], create: boolean, visit: FieldVisitor, createLast?: () => unknown): void {
  if (Array.isArray(node)) {
    for (const el of node) walk(el, path, create, visit, createLast);
    return;
  }
  if (!isObject(node)) return;
  const isSeq = path[0].endsWith('[]');
  const key = isSeq ? path[0].slice(0, -2) : path[0];
  const last = path.length === 1;
  const canCreate = create && !isSeq && (!last || createLast !== undefined);
  if (node[key] === undefined || node[key] === null) {
    if (!canCreate) {
      if (last && node[key] === null) visit(node, key);
      return;
    }
    node[key] = last ? createLast!() : {};
  }
  if (last) visit(node, key);
  else walk(node[key], path.slice(1), create, visit, createLast);
}
