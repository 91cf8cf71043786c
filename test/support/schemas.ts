/** The schema validator lives in render/ (it backs `npm run validate`); tests use it from there. */
export * from '../../render/validate/validate-schemas.js';
