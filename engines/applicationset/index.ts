/**
 * An offline Argo CD ApplicationSet controller: reads cluster Secrets the way Argo CD does, runs the
 * clusters, list, matrix and merge generators, and renders each Application from the template with Go
 * template semantics. Domain-free: it knows Argo CD's rules, not this fleet's.
 */
export * from './selector.js';
export * from './clusters.js';
export * from './param-merge.js';
export * from './template-object.js';
export * from './generators.js';
export * from './expand.js';
export * from './template-patch.js';
