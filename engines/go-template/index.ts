/**
 * Go `text/template` with the Sprig functions Argo CD registers, for ApplicationSet templates: a
 * lexer, parser and executor with Go's own error messages, and a fast path for templates that are only
 * field references. Checked against real Go + Sprig in the tests.
 */
export * from './values.js';
export * from './template.js';
export * from './fast-template.js';
