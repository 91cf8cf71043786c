/** Line diffs (Myers) and compact unified hunks for reviewing rendered files. */
export * from './line-diff.js';
