/**
 * JSON Patch (RFC 6902) as kustomize applies it (evanphx/json-patch): add, remove, replace, move,
 * copy and test on JSON Pointer paths (`~0` is `~`, `~1` is `/`, `-` appends, negative indices count
 * from the end). `replace` on a missing object key adds it, as kustomize does.
 */
import { clone, isObject } from '../util/json.js';
import { OverlayError } from './overlay-error.js';

/** One RFC 6902 operation. */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Whether a patch value is a list of JSON Patch operations (as opposed to a strategic-merge patch). */
export function isJsonPatch(patch: unknown): patch is ReadonlyArray<JsonPatchOperation> {
  return Array.isArray(patch);
}

/** Splits a JSON Pointer into unescaped tokens; `''` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new OverlayError(`JSON patch path "${pointer}" is not a JSON Pointer: it must start with "/" (for example /spec/replicas)`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function arrayIndex(token: string, length: number, forAdd: boolean, pointer: string, op: string): number {
  if (!/^-?\d+$/.test(token)) {
    throw new OverlayError(`JSON patch ${op} ${pointer}: "${token}" is not an array index (use a number, or "-" to append)`);
  }
  let i = Number(token);
  if (i < 0) {
    if (i < -length) throw new OverlayError(`JSON patch ${op} ${pointer}: index ${token} is out of range for a list of ${length}`);
    i += length;
  }
  if (i > length || (!forAdd && i === length)) {
    throw new OverlayError(`JSON patch ${op} ${pointer}: index ${token} is out of range for a list of ${length}`);
  }
  return i;
}

/** The container holding the last token of `pointer`, and that token; throws when the parent is missing. */
function parentOf(doc: unknown, tokens: string[], pointer: string, op: string): { parent: Container; key: string } {
  let node: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(t, node.length, false, pointer, op)];
    else if (isObject(node) && t in node) node = node[t];
    else throw new OverlayError(`JSON patch ${op} ${pointer}: the document has no "${t}" on that path; add the parent first`);
  }
  if (!Array.isArray(node) && !isObject(node)) {
    throw new OverlayError(`JSON patch ${op} ${pointer}: the parent is not an object or a list`);
  }
  return { parent: node, key: tokens[tokens.length - 1] };
}

function getAt(doc: unknown, pointer: string, op: string): unknown {
  let node: unknown = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(t, node.length, false, pointer, op)];
    else if (isObject(node) && t in node) node = node[t];
    else throw new OverlayError(`JSON patch ${op}: ${pointer} does not exist in the document`);
  }
  return node;
}

function add(doc: unknown, pointer: string, value: unknown, op: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer, op);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : arrayIndex(key, parent.length, true, pointer, op);
    parent.splice(i, 0, value);
  } else {
    parent[key] = value;
  }
  return doc;
}

function remove(doc: unknown, pointer: string, op: string): { doc: unknown; removed: unknown } {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new OverlayError(`JSON patch ${op}: cannot remove the whole document`);
  const { parent, key } = parentOf(doc, tokens, pointer, op);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false, pointer, op);
    return { doc, removed: parent.splice(i, 1)[0] };
  }
  if (!(key in parent)) throw new OverlayError(`JSON patch ${op}: ${pointer} does not exist in the document, nothing to remove`);
  const removed = parent[key];
  delete parent[key];
  return { doc, removed };
}

function replace(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer, 'replace');
  if (Array.isArray(parent)) parent[arrayIndex(key, parent.length, false, pointer, 'replace')] = value;
  else parent[key] = value;
  return doc;
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Applies JSON Patch operations to a copy of `doc`, in order, and returns the result. Throws on the
 * first operation that does not apply, saying which and why.
 */
export function applyJsonPatch<T>(doc: T, ops: ReadonlyArray<JsonPatchOperation>): T {
  let out: unknown = clone(doc);
  ops.forEach((raw, index) => {
    const o = raw as { op?: unknown; path?: unknown; from?: unknown; value?: unknown };
    const where = `JSON patch operation ${index + 1}`;
    if (!isObject(o) || typeof o.op !== 'string' || !OPS.has(o.op)) {
      throw new OverlayError(`${where}: op ${JSON.stringify(o?.op)} is not one of add, remove, replace, move, copy, test`);
    }
    if (typeof o.path !== 'string') throw new OverlayError(`${where} (${o.op}): path is missing; give a JSON Pointer such as /spec/replicas`);
    if ((o.op === 'move' || o.op === 'copy') && typeof o.from !== 'string') {
      throw new OverlayError(`${where} (${o.op}): from is missing; give the JSON Pointer to ${o.op} from`);
    }
    if ((o.op === 'add' || o.op === 'replace' || o.op === 'test') && !('value' in o)) {
      throw new OverlayError(`${where} (${o.op} ${o.path}): value is missing`);
    }
    switch (o.op) {
      case 'add':
        out = add(out, o.path, clone(o.value), 'add');
        break;
      case 'remove':
        out = remove(out, o.path, 'remove').doc;
        break;
      case 'replace':
        out = replace(out, o.path, clone(o.value));
        break;
      case 'move': {
        const r = remove(out, o.from as string, 'move');
        out = add(r.doc, o.path, r.removed, 'move');
        break;
      }
      case 'copy':
        out = add(out, o.path, clone(getAt(out, o.from as string, 'copy')), 'copy');
        break;
      case 'test': {
        let actual: unknown;
        try {
          actual = getAt(out, o.path, 'test');
        } catch (e) {
          if (!(e instanceof OverlayError)) throw e;
          actual = undefined;
        }
        const expected = o.value;
        if (actual === undefined ? expected !== null : !jsonEqual(actual, expected)) {
          throw new OverlayError(`JSON patch test ${o.path} failed: expected ${JSON.stringify(expected)}, found ${actual === undefined ? 'nothing' : JSON.stringify(actual)}`);
        }
        break;
      }
    }
  });
  return out as T;
}
