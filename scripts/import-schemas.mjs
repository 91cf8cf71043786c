#!/usr/bin/env node
// Generates imports/schemas/<group>_<kind>_<version>.ts (and index.ts listing them): compact structural schemas of the kinds an
// add-on's companion objects may have, which synth checks companions against (engines/schema) without the
// CRD files. For each kind it takes the CRD pinned in crds.lock.json from the local copy ($CRDS_DIR, else
// ../shared/crds), checks its sha256 against the lock, picks the version's openAPIV3Schema and writes it
// without descriptions, examples and the top-level `status` (companions never set one). Core kinds have
// no CRD: their schema is written here from the Kubernetes API reference (StorageClass, storage.k8s.io/v1).
//
//   node scripts/import-schemas.mjs           write the files
//   node scripts/import-schemas.mjs --check   exit 1 naming each file that differs from what it would write
//
// The schemas are TypeScript modules holding JSON data, not .json files: the library reads no file and
// is built one file per source into ES modules and CommonJS, which a JSON import would not survive.
// The CRD files themselves are never committed here.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const crds = path.resolve(process.env.CRDS_DIR ?? path.join(root, '..', 'shared', 'crds'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'crds.lock.json'), 'utf8'));
const outDir = path.join(root, 'imports', 'schemas');
const check = process.argv.includes('--check');

/** The companion kinds with a CRD: the lock entry (CRD name) and the served version. */
const CRD_KINDS = [
  { crd: 'ec2nodeclasses.karpenter.k8s.aws', version: 'v1' },
  { crd: 'nodepools.karpenter.sh', version: 'v1' },
  { crd: 'clusterissuers.cert-manager.io', version: 'v1' },
  { crd: 'certificates.cert-manager.io', version: 'v1' },
  { crd: 'clusterpolicies.kyverno.io', version: 'v1' },
  { crd: 'validatingpolicies.policies.kyverno.io', version: 'v1' },
];

/**
 * storage.k8s.io/v1 StorageClass, from the Kubernetes API reference (its fields, `provisioner` required;
 * reclaimPolicy and volumeBindingMode as the API server accepts them for a StorageClass).
 */
const STORAGE_CLASS = {
  type: 'object',
  required: ['provisioner'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    provisioner: { type: 'string' },
    parameters: { type: 'object', additionalProperties: { type: 'string' } },
    reclaimPolicy: { type: 'string', enum: ['Delete', 'Retain'] },
    mountOptions: { type: 'array', items: { type: 'string' } },
    allowVolumeExpansion: { type: 'boolean' },
    volumeBindingMode: { type: 'string', enum: ['Immediate', 'WaitForFirstConsumer'] },
    allowedTopologies: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          matchLabelExpressions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'values'],
              properties: { key: { type: 'string' }, values: { type: 'array', items: { type: 'string' } } },
            },
          },
        },
      },
    },
  },
};

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema without descriptions, examples and the top-level `status`; keys sorted. */
function compact(schema, depth = 0) {
  if (Array.isArray(schema)) return schema.map((s) => compact(s, depth + 1));
  if (!isObject(schema)) return schema;
  const out = {};
  for (const k of Object.keys(schema).sort()) {
    if (k === 'description' || k === 'example' || k === 'externalDocs') continue;
    if (k === 'properties' && isObject(schema[k])) {
      out[k] = {};
      for (const p of Object.keys(schema[k]).sort()) if (!(depth === 0 && p === 'status')) out[k][p] = compact(schema[k][p], depth + 1);
    } else out[k] = compact(schema[k], depth + 1);
  }
  return out;
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

const files = new Map();
for (const { crd, version } of CRD_KINDS) {
  const entry = lock.find((e) => e.name === crd);
  if (!entry) fail(`import-schemas: ${crd} is not pinned in crds.lock.json`);
  const file = path.join(crds, ...entry.path.split('/'));
  if (!fs.existsSync(file)) fail(`crds.lock.json: ${entry.name}: ${entry.path} is missing from ${crds} (node scripts/fetch-crds.mjs fetches the pinned CRDs)`);
  const bytes = fs.readFileSync(file);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== entry.sha256) fail(`crds.lock.json: ${entry.name}: ${entry.path} has sha256 ${actual}, the lock pins ${entry.sha256}`);
  const doc = parse(bytes.toString('utf8'));
  const v = doc.spec.versions.find((x) => x.name === version);
  if (!v || !v.served) fail(`import-schemas: ${crd} does not serve ${version}`);
  const { group } = doc.spec;
  const { kind } = doc.spec.names;
  files.set(`${group}_${kind.toLowerCase()}_${version}`, {
    group, version, kind, scope: doc.spec.scope,
    source: `${entry.url} (sha256 ${entry.sha256})`,
    schema: compact(v.schema.openAPIV3Schema),
  });
}
files.set('storage.k8s.io_storageclass_v1', {
  group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', scope: 'Cluster',
  source: 'Kubernetes API reference, storage.k8s.io/v1 StorageClass (written in scripts/import-schemas.mjs)',
  schema: compact(STORAGE_CLASS),
});

const HEADER = '// Generated by scripts/import-schemas.mjs from the CRDs pinned in crds.lock.json: do not edit.\n';
const out = new Map();
const idents = [];
for (const [name, content] of files) {
  const ident = name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c) => (c ? c.toUpperCase() : ''));
  idents.push([name, ident]);
  out.set(`${name}.ts`, `${HEADER}import type { SchemaFile } from './schema-file.js';\n\nexport const ${ident}: SchemaFile = ${JSON.stringify(content, null, 1)};\n`);
}
out.set('schema-file.ts', `${HEADER}
/** A kind's structural schema: its group, version, kind, scope, where it was read, and the schema. */
export interface SchemaFile {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: string;
  readonly source: string;
  readonly schema: Readonly<Record<string, unknown>>;
}
`);
out.set('index.ts', `${HEADER}${idents.map(([name, ident]) => `import { ${ident} } from './${name}.js';`).join('\n')}
import type { SchemaFile } from './schema-file.js';

export type { SchemaFile } from './schema-file.js';

/** Every generated schema. */
export const SCHEMA_FILES: readonly SchemaFile[] = [${idents.map(([, ident]) => ident).join(', ')}];
`);

const differ = [];
if (!check) fs.mkdirSync(outDir, { recursive: true });
for (const [name, text] of out) {
  const target = path.join(outDir, name);
  if (check) {
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) differ.push(path.relative(root, target));
  } else {
    fs.writeFileSync(target, text);
    console.log(`import-schemas: ${path.relative(root, target)} (${text.length} bytes)`);
  }
}
for (const extra of fs.existsSync(outDir) ? fs.readdirSync(outDir) : []) {
  if (out.has(extra)) continue;
  if (check) differ.push(path.relative(root, path.join(outDir, extra)));
  else fs.rmSync(path.join(outDir, extra));
}
if (differ.length > 0) fail(`import-schemas: not what scripts/import-schemas.mjs generates: ${differ.join(', ')} (run node scripts/import-schemas.mjs)`);
