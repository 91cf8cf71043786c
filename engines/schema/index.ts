/** OpenAPI v3 structural schemas (as CRDs carry them): a checker without ajv, and the compact form stored in imports/schemas/. */
export * from './structural.js';
