/**
 * The shapes of pinned charts' values.yaml (test/fixtures/chart-values/, written by
 * scripts/chart-values-shape.mjs) and the check of a values object against one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'chart-values');

export interface Fixture {
  readonly addon: string;
  readonly chart: string;
  readonly version: string;
  readonly source: string;
  readonly read: readonly string[];
  readonly shape: unknown;
}

export function fixture(addon: string, version: string): Fixture | undefined {
  const file = path.join(FIXTURES, `${addon}@${version}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Fixture) : undefined;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The key paths of `values` the chart does not declare: a path is declared when the chart's values.yaml
 * has it, or it lies under a free-form value there ({}, null, a list), or `read` names it or a parent.
 */
export function undeclaredKeys(values: Readonly<Record<string, unknown>>, fx: Pick<Fixture, 'shape' | 'read'>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, shape: unknown, at: string[]) => {
    if (!isMap(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const p = [...at, k];
      const key = p.join('.');
      if (fx.read.some((r) => key === r || key.startsWith(`${r}.`))) continue;
      if (!isMap(shape) || !Object.prototype.hasOwnProperty.call(shape, k)) {
        out.push(key);
        continue;
      }
      const below = shape[k];
      // Free-form below here: an empty map, null or a list in values.yaml.
      if (below === null || Array.isArray(below) || (isMap(below) && Object.keys(below).length === 0)) continue;
      if (isMap(child) && !isMap(below)) {
        out.push(`${key} (a map here, ${String(below)} in the chart)`);
        continue;
      }
      walk(child, below, p);
    }
  };
  walk(values, fx.shape, []);
  return out;
}
