/**
 * YAML: a deterministic writer (sorted input stays sorted, no folding, no anchors, strings that YAML 1.1
 * would read as another type quoted), and a reader that reads the writer's common shapes fast and
 * everything else through the `yaml` package.
 */
export * from './writer.js';
export * from './reader.js';
