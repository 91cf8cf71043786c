/**
 * The `namespace` transformer (kustomize `NamespaceTransformer`): sets `metadata.namespace` on every
 * namespaced object (whatever namespace it had), renames a `v1` Namespace object to the namespace, and
 * puts RoleBinding / ClusterRoleBinding subjects named `default` into it (any subject kind, as
 * kustomize does). ServiceAccount subjects that name an object of the overlay follow it later, in the
 * name-reference step.
 */
import { idEquals, idOf, isClusterScoped, gvkOf, describeId } from './kube-object.js';
import { isObject } from '../util/json.js';
import { Resource, storePreviousId } from './resource.js';
import { OverlayError } from './overlay-error.js';

/** Moves the objects into `namespace` (in place). */
export function applyNamespace(resources: readonly Resource[], namespace: string): void {
  for (const res of resources) {
    storePreviousId(res);
    const gvk = gvkOf(res.obj);
    if (!isClusterScoped(gvk)) res.obj.metadata.namespace = namespace;
    if (gvk.kind === 'Namespace' && res.obj.apiVersion === 'v1') res.obj.metadata.name = namespace;
    if ((gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding') && Array.isArray(res.obj.subjects)) {
      for (const s of res.obj.subjects) {
        if (isObject(s) && s.name === 'default') s.namespace = namespace;
      }
    }
  }
  resources.forEach((res, i) => {
    const id = idOf(res.obj);
    if (resources.some((other, j) => j !== i && idEquals(idOf(other.obj), id))) {
      throw new OverlayError(`namespace ${namespace}: two objects end up as ${describeId(id)}; the overlay namespace makes them collide, remove one`);
    }
  });
}
