import * as path from 'node:path';
import { ADDON_CATALOG } from '../../charts/addons/catalog.js';
import type { FleetOutputsOptions } from '../../charts/outputs/fleet-outputs.js';

/** The project root: this file is render/cache/cache-dir.ts (in the esbuild bundle too, see scripts/run.mjs). */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Whether the caches are off: CDK8S_FLEET_CACHE=off (or 0, false, no). */
export function cacheDisabled(): boolean {
  return /^(off|0|false|no)$/i.test(process.env.CDK8S_FLEET_CACHE ?? '');
}

/**
 * The folder every cache of the project is kept in (the index of dist/, app manifests, schema
 * validators; scripts/run.mjs keeps its bundles there too): $CDK8S_FLEET_CACHE_DIR, else
 * node_modules/.cache/cdk8s-fleet/.
 */
export function cacheDir(): string {
  return path.resolve(process.env.CDK8S_FLEET_CACHE_DIR || path.join(PROJECT_ROOT, 'node_modules', '.cache', 'cdk8s-fleet'));
}

/**
 * Whether a render may use and fill the caches: not with --no-cache or CDK8S_FLEET_CACHE=off, and only
 * with the default catalog and options (a test's own catalog is code the cache keys do not cover).
 */
export function renderCacheable(options: FleetOutputsOptions, noCache = false): boolean {
  if (noCache || cacheDisabled()) return false;
  return Object.entries(options).every(([k, v]) => v === undefined || (k === 'catalog' && v === ADDON_CATALOG));
}
