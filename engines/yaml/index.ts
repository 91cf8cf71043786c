/** A deterministic YAML writer: sorted input stays sorted, no folding, no anchors, strings that YAML 1.1 would read as another type quoted. */
export * from './writer.js';
