/**
 * An object while the overlay runs, with the bookkeeping kustomize keeps beside it: the identity it
 * had on entry, the identities it had before each rename, the prefixes and suffixes it received, and
 * whether it still needs a content-hash name suffix. Internal to the overlay engine.
 */
import { idOf, KubeObject, ResId } from './kube-object.js';
import { clone } from '../util/json.js';

/** An object being transformed, with its rename history. */
export interface Resource {
  /** The object itself; transformers change it in place (it is a private copy). */
  obj: KubeObject;
  /** The identity the object had when it entered the overlay (base object or generator output). */
  readonly orgId: ResId;
  /** The identities it had before each rename, oldest first (kustomize `PrevIds`). */
  readonly prevIds: ResId[];
  /** Name prefixes added, in order. */
  readonly prefixes: string[];
  /** Name suffixes added, in order. */
  readonly suffixes: string[];
  /** Whether the name gets the content-hash suffix at the end (generated, hash not disabled). */
  needsHash: boolean;
}

/** Wraps a copy of an object. */
export function newResource(obj: KubeObject, needsHash = false): Resource {
  const copy = clone(obj);
  return { obj: copy, orgId: idOf(copy), prevIds: [], prefixes: [], suffixes: [], needsHash };
}

/** Records the current identity as a previous one (kustomize `StorePreviousId`), before a change. */
export function storePreviousId(res: Resource): void {
  res.prevIds.push(idOf(res.obj));
}

/** The identities an object is known by: current, original and previous. */
export function allIds(res: Resource): ResId[] {
  return [idOf(res.obj), res.orgId, ...res.prevIds];
}
