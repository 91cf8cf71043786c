#!/usr/bin/env node
/**
 * The shape of a Helm chart's values.yaml, for test/chart-values-keys.test.ts: which key paths the chart
 * declares. Every map keeps its keys; a leaf becomes its type ("string", "number", "boolean"); an empty
 * map, a null and a list become {} / null / [] and mean "free-form below here" (podAnnotations: {}).
 *
 *   node scripts/chart-values-shape.mjs <values.yaml> --addon <name> --chart <chart> --version <v> --source <owner/repo@tag:path> [--read a.b.c ...]
 *
 * writes test/fixtures/chart-values/<addon>@<version>.json. `--read` adds key paths the chart's templates
 * read but its values.yaml leaves out (commented out upstream); give each only after reading the template.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const args = process.argv.slice(2);
const file = args[0];
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const reads = args.flatMap((a, i) => (a === '--read' ? [args[i + 1]] : []));
const addon = opt('addon');
const chart = opt('chart');
const version = opt('version');
const source = opt('source');
if (!file || !addon || !chart || !version || !source) {
  console.error('usage: chart-values-shape.mjs <values.yaml> --addon <name> --chart <name> --version <v> --source <owner/repo@tag:path> [--read a.b ...]');
  process.exit(2);
}
const shapeOf = (v) => {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return [];
  if (typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shapeOf(v[k])]));
  return typeof v;
};
const shape = shapeOf(parse(fs.readFileSync(file, 'utf8')) ?? {});
const out = { addon, chart, version, source, read: [...new Set(reads)].sort(), shape };
const dir = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'chart-values');
fs.mkdirSync(dir, { recursive: true });
const target = path.join(dir, `${addon}@${version}.json`);
fs.writeFileSync(target, `${JSON.stringify(out)}\n`);
console.log(`${target}: ${fs.statSync(target).size} bytes`);
