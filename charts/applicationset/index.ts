/**
 * Offline ApplicationSet expansion: what Argo CD will generate from the rendered ApplicationSets and
 * cluster Secrets, with Argo CD's generator and Go template semantics, and the fleet plan built on it.
 */
export * from './go-values.js';
export * from './go-template.js';
export * from './fast-template.js';
export * from './selector.js';
export * from './clusters.js';
export * from './param-merge.js';
export * from './template-object.js';
export * from './generators.js';
export * from './expand.js';
export * from './plan.js';
