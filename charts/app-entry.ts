/**
 * `cdk8s-fleet/app`, the entry for app teams: an app's constructs (`WebService`, `Worker`) with their
 * props, the app as the fleet describes it (`AppSpec`: a base and an overlay per environment), its base
 * objects (`buildAppBase`) and the overlay engine that gives each environment's objects in memory
 * (`applyOverlay`) or the kustomization they equal (`toKustomization`).
 *
 * Nothing here reaches imports/ (the 2.3 MB of generated Argo CD, Crossplane and External Secrets
 * bindings the main entry loads): test/architecture.test.ts walks this file's import graph and pins its
 * names. Every name is also exported by the main entry or by `cdk8s-fleet/kustomize`, the same values.
 */

// The app constructs and their props.
export { WebService } from './apps/web-service.js';
export { Worker } from './apps/worker.js';
export { AppPropsError, AppWorkload } from './apps/app-workload.js';
export { imageReference } from './apps/container-image.js';
export type {
  AppWorkloadProps, AutoscalingProps, ContainerImage, WebIngressProps, WebServiceProps, WorkerProps, WorkloadProbes, WorkloadServiceAccountProps,
} from './model/workload.js';

// An app with an overlay per environment, and its base objects.
export type { AppDatabase, AppSpec, DatabaseSize } from './model/spec.js';
export { buildAppBase } from './outputs/app-manifests.js';

// The overlays (kustomize semantics) and the engine that applies them.
export { applyOverlay, containerPatch, OverlayError, toKustomization } from '../engines/kustomize/index.js';
export type {
  ContainerChange, ContainerResources, Generator, GeneratorOptions, ImageRule, JsonPatchOperation, KubeObject, KustomizationFiles, LabelSet, Overlay,
  Patch, PatchTarget, Replicas, SecretGenerator, WorkloadRef,
} from '../engines/kustomize/index.js';

// The platform's policies for what an app team renders (Pod Security restricted, pinned images, requests
// and limits, probes, no Secret, object size): a team repository refuses what the platform would.
export { appPolicyFindings } from './policy/app-policies.js';
export { formatFinding } from './policy/finding.js';
export type { Finding } from './policy/finding.js';
