/**
 * The `replicas` transformer (kustomize `ReplicaCountTransformer`): sets `spec.replicas` of the
 * Deployments, StatefulSets, ReplicaSets and ReplicationControllers with that name. The name matches
 * the original name as well as the current one (with prefix and suffix); no match is an error.
 */
import { REPLICA_SPECS } from './builtin-field-specs.js';
import { walkFieldSpec } from './field-spec.js';
import { gvkOf, gvkSelected } from './kube-object.js';
import { allIds, Resource } from './resource.js';
import { OverlayError } from './overlay-error.js';

/** A replica count for the workloads of one name. */
export interface Replicas {
  /** Name of the workload (original or with prefix/suffix). */
  readonly name: string;
  /** Number of replicas. */
  readonly count: number;
}

/** Sets the replica counts (in place); throws when an entry matches no workload. */
export function applyReplicas(resources: readonly Resource[], replicas: readonly Replicas[]): void {
  replicas.forEach((r, i) => {
    if (!r || typeof r.name !== 'string' || r.name === '') throw new OverlayError(`replicas[${i}]: name is required`);
    if (!Number.isInteger(r.count) || r.count < 0) throw new OverlayError(`replicas[${i}] (${r.name}): count must be a whole number >= 0, got ${JSON.stringify(r.count)}`);
    let found = false;
    for (const spec of REPLICA_SPECS) {
      for (const res of resources) {
        if (!allIds(res).some((id) => id.name === r.name && gvkSelected(id, spec))) continue;
        found = true;
        walkFieldSpec(res.obj, gvkOf(res.obj), spec, (holder, key) => {
          holder[key] = r.count;
        }, () => r.count);
      }
    }
    if (!found) {
      throw new OverlayError(`replicas[${i}]: no Deployment, StatefulSet, ReplicaSet or ReplicationController is named ${r.name}; check the name (original or with prefix/suffix)`);
    }
  });
}
