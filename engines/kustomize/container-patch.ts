/**
 * Typed convenience on top of `patches`: change one container of a workload (environment variables,
 * resources, image) without writing the strategic-merge patch by hand. The result is an ordinary
 * `Patch`, so `toKustomization` expresses it and kustomize applies it the same way.
 */
import { Patch } from './patches.js';
import { OverlayError } from './overlay-error.js';

/** The workload kinds and where their pod spec is. */
export const POD_SPEC_PATH: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

/** Compute resources of a container, as in the Kubernetes API. */
export interface ContainerResources {
  /**
   * Requests, for example `{ cpu: '250m', memory: '256Mi' }`; a `null` value removes that request.
   * @default - requests unchanged
   */
  readonly requests?: Readonly<Record<string, string | null>>;
  /**
   * Limits, for example `{ memory: '512Mi' }`; a `null` value removes that limit.
   * @default - limits unchanged
   */
  readonly limits?: Readonly<Record<string, string | null>>;
}

/** What to change in the container. */
export interface ContainerChange {
  /**
   * Environment variables to set (added, or replacing the value of one with that name); `null` removes one.
   * @default - environment unchanged
   */
  readonly env?: Readonly<Record<string, string | null>>;
  /**
   * Resource requests and limits to merge in.
   * @default - resources unchanged
   */
  readonly resources?: ContainerResources;
  /**
   * New image reference (prefer the overlay's `images` to retag by name).
   * @default - image unchanged
   */
  readonly image?: string;
}

/** The workload whose container to change. */
export interface WorkloadRef {
  /** Kind: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod. */
  readonly kind: string;
  /** Name of the workload in the base (before prefix and suffix). */
  readonly name: string;
}

/**
 * A strategic-merge patch for one container of a workload. The container must exist in the base
 * workload, otherwise the patch adds a container without image and Kubernetes refuses it.
 */
export function containerPatch(workload: WorkloadRef, container: string, change: ContainerChange): Patch {
  const path = POD_SPEC_PATH[workload.kind];
  if (!path) {
    throw new OverlayError(`containerPatch: kind ${workload.kind} has no pod template; use one of ${Object.keys(POD_SPEC_PATH).join(', ')}`);
  }
  if (!container) throw new OverlayError(`containerPatch ${workload.kind} ${workload.name}: the container name is required`);
  const c: Record<string, unknown> = { name: container };
  if (change.image !== undefined) c.image = change.image;
  if (change.env) {
    c.env = Object.entries(change.env).map(([name, value]) => (value === null ? { name, $patch: 'delete' } : { name, value }));
  }
  if (change.resources) c.resources = { ...change.resources };
  let body: Record<string, unknown> = { containers: [c] };
  for (const key of [...path].reverse()) body = { [key]: body };
  // Target fields are regular expressions in kustomize: escape the name.
  const name = workload.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { target: { kind: workload.kind, name }, patch: body };
}
