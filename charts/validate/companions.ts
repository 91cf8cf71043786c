/**
 * Rules of add-on companions (charts/model/companions.ts), checked on the resolved fleet once the rest
 * of the input holds: the `companions` settings' shape; per cluster and add-on, the layered objects
 * against the structural schema of their kind (imports/schemas/, generated from the pinned CRDs:
 * engines/schema), one file per object, never a Secret; references between them (a Karpenter NodePool's
 * node class, an EC2NodeClass's node role from the IaC contract); and at least one object on every
 * cluster whose Application reads the companions folder. A problem names the layer that gave the field:
 * the cluster's setting, its environment's, or the catalog entry.
 */
import { AddonDefinition } from '../model/addon.js';
import { clusterCompanions, CompanionSource, companionSourceOf, deliversCompanions, ResolvedCompanion } from '../model/companions.js';
import { ClusterAddonSetting } from '../model/spec.js';
import { asSetting, ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { hubNames, hubOf } from '../model/hubs.js';
import { addonCompanionFile } from '../layout/dist-layout.js';
import { checkStructural, formatSchemaPath, SchemaError } from '../../engines/schema/index.js';
import { SCHEMA_FILES, SchemaFile } from '../../imports/schemas/index.js';
import { KARPENTER_NODE_ROLE_FACT } from '../addons/companions/karpenter.js';
import { CATALOG_PATH } from './catalog.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { problem } from './rule-table.js';
import { isRecord, kindOf } from './rules.js';

/** The schema of each companion kind, by `<group>/<version>/<kind>` (core group: empty). */
const SCHEMAS = new Map<string, SchemaFile>(SCHEMA_FILES.map((f) => [`${f.group}/${f.version}/${f.kind}`, f]));

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The schema of an object's `apiVersion` and `kind`, when it is a companion kind. */
export function companionSchema(apiVersion: string, kind: string): SchemaFile | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return SCHEMAS.get(`${group}/${version}/${kind}`);
}

/** The kinds companions may have, for messages. */
const knownKinds = () => [...SCHEMAS.values()].map((f) => `${f.group ? `${f.group}/` : ''}${f.version} ${f.kind}`).sort().join(', ');

/**
 * An object's problems against its kind's schema (metadata by the rules Kubernetes applies to every
 * object: a DNS-1123 subdomain name, string labels and annotations, no namespace for cluster-scoped kinds),
 * each with the path of the field inside the object. Empty when it is valid.
 */
export function companionSchemaErrors(object: unknown): SchemaError[] {
  if (!isRecord(object)) return [{ path: [], message: `must be a Kubernetes object, got ${kindOf(object)}` }];
  const o = object as Record<string, unknown>;
  const out: SchemaError[] = [];
  if (typeof o.apiVersion !== 'string') out.push({ path: ['apiVersion'], message: 'is required (a string such as karpenter.sh/v1)' });
  if (typeof o.kind !== 'string') out.push({ path: ['kind'], message: 'is required (a string such as NodePool)' });
  if (out.length > 0) return out;
  if (o.kind === 'Secret') return [{ path: ['kind'], message: 'a companion is never a Secret: Secrets never go into git; read credentials from AWS Secrets Manager with an ExternalSecret' }];
  const schema = companionSchema(o.apiVersion as string, o.kind as string);
  if (!schema) return [{ path: ['kind'], message: `no schema known for ${o.apiVersion as string} ${o.kind as string}; companions may be: ${knownKinds()}` }];
  const metadata = o.metadata;
  if (!isRecord(metadata)) out.push({ path: ['metadata'], message: `must be an object with a name, got ${kindOf(metadata)}` });
  else {
    const m = metadata as Record<string, unknown>;
    if (typeof m.name !== 'string' || m.name.length > 253 || !DNS_SUBDOMAIN.test(m.name)) {
      out.push({ path: ['metadata', 'name'], message: `must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.'), got ${JSON.stringify(m.name)}` });
    }
    for (const field of ['labels', 'annotations']) {
      const map = m[field];
      if (map === undefined) continue;
      if (!isRecord(map)) out.push({ path: ['metadata', field], message: `must be a map of strings, got ${kindOf(map)}` });
      else for (const [k, v] of Object.entries(map)) if (typeof v !== 'string') out.push({ path: ['metadata', field, k], message: `must be a string, got ${kindOf(v)}` });
    }
    if (schema.scope === 'Cluster' && m.namespace !== undefined) out.push({ path: ['metadata', 'namespace'], message: `${o.kind as string} is cluster-scoped: remove the namespace` });
    const knownMeta = new Set(['name', 'namespace', 'labels', 'annotations']);
    for (const k of Object.keys(m)) if (!knownMeta.has(k)) out.push({ path: ['metadata', k], message: 'is not a field a companion sets (name, namespace, labels, annotations)' });
  }
  out.push(...checkStructural(schema.schema, { ...o, metadata: {} }).filter((e) => !(e.path[0] === 'metadata' && e.path.length === 1)));
  return out;
}

/** What the rules below know of one cluster's companions of one add-on. */
interface CompanionScope {
  readonly cluster: ResolvedCluster;
  readonly addon: AddonDefinition;
  readonly companions: readonly ResolvedCompanion[];
  /** The path of a field of a companion, in the layer that gave it. */
  at(name: string, path: ReadonlyArray<string | number>): { path: string; source: CompanionSource };
}

/** Rules between the objects of one add-on on one cluster, by kind: each returns `[companion name, field path, message]`. */
type ReferenceRule = (scope: CompanionScope, c: ResolvedCompanion) => Array<[ReadonlyArray<string>, string]>;

const spec = (o: Readonly<Record<string, unknown>>): Record<string, any> => (isRecord(o.spec) ? (o.spec as Record<string, any>) : {});

const REFERENCE_RULES: Readonly<Record<string, ReferenceRule>> = {
  'karpenter.sh/v1 NodePool': (scope, c) => {
    const ref = spec(c.object).template?.spec?.nodeClassRef;
    if (!isRecord(ref)) return [];
    const classes = scope.companions.filter((x) => x.object.apiVersion === 'karpenter.k8s.aws/v1' && x.object.kind === 'EC2NodeClass');
    const names = classes.map((x) => (x.object.metadata as { name?: string })?.name);
    if (ref.group === 'karpenter.k8s.aws' && ref.kind === 'EC2NodeClass' && names.includes(ref.name as string)) return [];
    return [[['spec', 'template', 'spec', 'nodeClassRef', 'name'],
      `names ${String(ref.group)}/${String(ref.kind)} "${String(ref.name)}", which is not among the EC2NodeClasses of "${scope.addon.name}" on cluster "${scope.cluster.name}" (${names.length ? names.map((n) => `"${n}"`).join(', ') : 'none'})`]];
  },
  'karpenter.k8s.aws/v1 EC2NodeClass': (scope, c) => {
    const s = spec(c.object);
    if (s.instanceProfile !== undefined) return [];
    const role = scope.cluster.addons.get(scope.addon.name)?.facts.get(KARPENTER_NODE_ROLE_FACT);
    if (role !== undefined && s.role === role) return [];
    return [[['spec', 'role'], role === undefined
      ? `the IaC contract gives cluster "${scope.cluster.name}" no ${KARPENTER_NODE_ROLE_FACT}, so its nodes have no role: give the fact (or an instanceProfile)`
      : `is ${JSON.stringify(s.role)}, not the node role the IaC contract gives cluster "${scope.cluster.name}" (${KARPENTER_NODE_ROLE_FACT}: "${role}"); use that role or an instanceProfile`]];
  },
};

/** `<at>.companions` of the raw settings: an object whose values are objects or false. */
function settingShapeProblems(settings: unknown, at: string): FieldProblem[] {
  if (!isRecord(settings)) return [];
  return Object.entries(settings as Record<string, unknown>).flatMap(([addon, raw]) => {
    const companions = isRecord(raw) ? (raw as { companions?: unknown }).companions : undefined;
    if (companions === undefined) return [];
    const path = `${at}.addons.${addon}.companions`;
    if (!isRecord(companions)) return [problem(path, `must be an object of companion objects by name (an object to merge or add, or false to remove), got ${kindOf(companions)}`)];
    return Object.entries(companions as Record<string, unknown>)
      .filter(([, v]) => v !== false && !isRecord(v))
      .map(([name, v]) => problem(`${path}.${name}`, `must be an object (merged over the companion of that name, or a new one) or false (removes it), got ${kindOf(v)}`));
  });
}

/** The companions' problems, on the fleet as resolved from `ctx` (validateFleet resolves it once, for the contract too). */
export function companionProblems(ctx: FleetContext, fleet: ResolvedFleet): FieldProblem[] {
  const shape = [
    ...ctx.environments.items.flatMap(([e, i]) => settingShapeProblems(e.addons, `environments[${i}]`)),
    ...ctx.clusters.items.flatMap(([c, i]) => settingShapeProblems(c.addons, `clusters[${i}]`)),
  ];
  if (shape.length > 0) return shape;
  const clusterIndex = new Map(ctx.spec.clusters.map((c, i) => [c, i]));
  const envIndex = new Map(ctx.spec.environments.map((e, i) => [e, i]));
  const hubs = hubNames(ctx.spec);
  const out: FieldProblem[] = [];
  const shared = new Map<string, { path: string; message: string; clusters: string[]; at: number }>();
  // Once per hub, and per add-on and hub: asked for every cluster, these made validation quadratic.
  const byHub = new Map<string | undefined, ResolvedCluster[]>();
  for (const c of fleet.clusters) {
    const hub = hubOf(c.spec, hubs);
    byHub.set(hub, [...(byHub.get(hub) ?? []), c]);
  }
  const delivered = new Map<string, boolean>();
  const delivers = (addon: AddonDefinition, hub: string | undefined): boolean => {
    const key = `${addon.name}\0${hub}`;
    let d = delivered.get(key);
    if (d === undefined) delivered.set(key, (d = deliversCompanions(addon, byHub.get(hub)!)));
    return d;
  };
  for (const cluster of fleet.clusters) {
    const clusterAt = `clusters[${clusterIndex.get(cluster.spec)}]`;
    const envAt = `environments[${envIndex.get(cluster.environment)}]`;
    const hub = hubOf(cluster.spec, hubs);
    for (const [name, running] of cluster.addons) {
      const addon = running.definition;
      const companions = clusterCompanions(addon, cluster);
      const settingAt = (source: CompanionSource) =>
        source === 'cluster' ? `${clusterAt}.addons.${name}.companions` : source === 'environment' ? `${envAt}.addons.${name}.companions` : `${CATALOG_PATH}[${ctx.catalog.indexOf(addon)}].companions`;
      // A layer shared by several clusters (the environment's, the catalog's) is reported once, naming them all.
      const report = (path: string, message: string, source: CompanionSource) => {
        if (source === 'cluster') out.push(problem(path, message));
        else {
          const key = `${path}\0${message}`;
          const seen = shared.get(key);
          if (seen) seen.clusters.push(cluster.name);
          else {
            const entry = { path, message, clusters: [cluster.name], at: out.length };
            shared.set(key, entry);
            out.push(problem(path, message));
          }
        }
      };
      if (companions.length === 0) {
        if (!delivers(addon, hub)) continue;
        const source: CompanionSource = asSetting<ClusterAddonSetting>(cluster.spec.addons?.[name])?.companions !== undefined ? 'cluster' : 'environment';
        out.push(problem(settingAt(source), `removes every companion of "${name}" on cluster "${cluster.name}", but its Application reads its companions folder (addons/companions/${cluster.name}/${name}/), which must hold at least one object: keep one, or give the add-on its companions on every cluster of its hub or none`));
        continue;
      }
      const scope: CompanionScope = {
        cluster,
        addon,
        companions,
        at: (c, path) => {
          const source = companionSourceOf(name, cluster, c, path.map(String));
          return { path: [settingAt(source), c, formatSchemaPath(path)].filter(Boolean).join('.').replace(/\.\[/g, '['), source };
        },
      };
      const files = new Map<string, string>();
      for (const c of companions) {
        const errors = companionSchemaErrors(c.object);
        for (const e of errors) {
          const { path, source } = scope.at(c.name, e.path);
          report(path, `${e.message} [schema ${String(c.object.apiVersion)} ${String(c.object.kind)}]`, source);
        }
        if (errors.length > 0) continue;
        const file = addonCompanionFile(cluster.name, name, { kind: c.object.kind as string, metadata: c.object.metadata as { name: string } });
        const earlier = files.get(file);
        if (earlier !== undefined) {
          out.push(problem(scope.at(c.name, ['metadata', 'name']).path, `is the ${String(c.object.kind)} "${(c.object.metadata as { name: string }).name}" that companion "${earlier}" already is on cluster "${cluster.name}": one object per file (${file}); rename one`));
          continue;
        }
        files.set(file, c.name);
        const rule = REFERENCE_RULES[`${String(c.object.apiVersion)} ${String(c.object.kind)}`];
        for (const [path, message] of rule?.(scope, c) ?? []) {
          const at = scope.at(c.name, path);
          report(at.path, message, at.source);
        }
      }
    }
  }
  // The shared layers' problems name the clusters they break.
  for (const e of shared.values()) {
    const list = e.clusters.map((c) => `"${c}"`).join(', ');
    out[e.at] = problem(e.path, `${e.message} (on cluster${e.clusters.length > 1 ? 's' : ''} ${list})`);
  }
  return out;
}
