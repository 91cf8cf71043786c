/**
 * A re-implementation, for the tests, of what function-patch-and-transform v0.10.8 does with a
 * Composition's `Resources` input (crossplane-contrib/function-patch-and-transform, tag v0.10.8, commit
 * 6b35ed851b91: fn.go, patches.go, transforms.go; field paths and merges from crossplane-runtime
 * pkg/fieldpath). Only what our Composition may use is implemented; anything else throws, so a new
 * patch or transform type cannot pass the tests unemulated.
 *
 * - Each resource template: its `base` (deep copy), then its patches in order; patchSets are inlined.
 * - FromCompositeFieldPath / CombineFromComposite: from the observed XR to the desired composed resource.
 *   A missing `fromFieldPath` (or any combine variable) skips the patch; with `policy.fromFieldPath:
 *   Required` a resource that does not exist yet is not composed at all (fn.go: "not adding new composed
 *   resource ... has 'policy.fromFieldPath: Required'"); an existing one just skips the patch.
 * - ToCompositeFieldPath: from the observed composed resource (when it exists) to the XR's status.
 * - Any other error (a map key not found, a regexp without match) is fatal: the function returns
 *   `Fatal` and Crossplane applies nothing (`PatchAndTransformError`).
 * - Merge: `Replace` (default) sets the value; `MergeObjects` merges maps and adds the keys the
 *   destination lacks (a key both sides set throws: see mergeObjects).
 * - Transforms: map (string input), string Format / Regexp (group) / Convert ToUpper|ToLower, convert.
 */

/** The function failed (response.Fatal): nothing of the XR is applied. */
export class PatchAndTransformError extends Error {}

/** Segments of a Crossplane field path: `a.b[0].c`, `metadata.labels[crossplane.io/claim-namespace]`. */
export function segments(fieldPath: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of fieldPath.matchAll(/([^.[\]]+)|\[([^\]]+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

/** The value at a field path, or undefined when any segment is missing (fieldpath.IsNotFound). */
export function getPath(obj: unknown, fieldPath: string): unknown {
  return segments(fieldPath).reduce<any>((v, k) => (v === null || v === undefined ? undefined : v[k]), obj);
}

function setPath(obj: any, fieldPath: string, value: unknown): void {
  const path = segments(fieldPath);
  let target = obj;
  path.slice(0, -1).forEach((k, i) => {
    target[k] ??= typeof path[i + 1] === 'number' ? [] : {};
    target = target[k];
  });
  target[path[path.length - 1]] = value;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * MergeObjects (mergo without WithOverride): maps merge recursively and keys only the source has are
 * added. Which side wins when both set a scalar or a list depends on mergo's emptiness rules (and the
 * input schema says lists are overwritten), so that case is not emulated: it throws, and our Compositions
 * must not rely on it.
 */
function mergeObjects(dst: unknown, src: unknown, at: string): unknown {
  if (dst === undefined || dst === null) return src;
  if (!isMap(dst) || !isMap(src)) throw new Error(`MergeObjects at ${at}: both the base and the patch set it (not emulated; keep them apart)`);
  const out: Record<string, unknown> = { ...dst };
  for (const [k, v] of Object.entries(src)) out[k] = k in dst ? mergeObjects(dst[k], v, `${at}.${k}`) : v;
  return out;
}

/** Go's fmt.Sprintf for the verbs our Compositions use (%s, %d, %v). */
function sprintf(fmt: string, args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%[sdv%]/g, (verb) => (verb === '%%' ? '%' : String(args[i++])));
}

function transform(t: any, input: unknown): unknown {
  switch (t.type) {
    case 'map': {
      if (typeof input !== 'string') throw new PatchAndTransformError(`type ${typeof input} is not supported for map transform`);
      if (!Object.hasOwn(t.map, input)) throw new PatchAndTransformError(`key ${input} is not found in map`);
      return structuredClone(t.map[input]);
    }
    case 'string': {
      const s = t.string;
      if (s.type === 'Format') return sprintf(s.fmt, [input]);
      if (s.type === 'Regexp') {
        const groups = String(input).match(new RegExp(s.regexp.match));
        const g = s.regexp.group ?? 0;
        if (!groups || g >= groups.length) throw new PatchAndTransformError(`regexp "${s.regexp.match}" had no matches for group ${g}`);
        return groups[g] ?? '';
      }
      if (s.type === 'Convert' && s.convert === 'ToUpper') return String(input).toUpperCase();
      if (s.type === 'Convert' && s.convert === 'ToLower') return String(input).toLowerCase();
      throw new Error(`string transform ${s.type} is not emulated`);
    }
    case 'convert': {
      const to = t.convert.toType;
      if (to === 'string') return String(input);
      if (to === 'int' || to === 'int64') return Number.parseInt(String(input), 10);
      if (to === 'bool') return input === true || input === 'true';
      throw new Error(`convert to ${to} is not emulated`);
    }
    default:
      throw new Error(`transform ${t.type} is not emulated`);
  }
}

function applyTo(target: any, p: any, value: unknown): void {
  const policy = p.policy?.toFieldPath ?? 'Replace';
  if (policy === 'Replace') setPath(target, p.toFieldPath, value);
  else if (policy === 'MergeObjects') setPath(target, p.toFieldPath, mergeObjects(getPath(target, p.toFieldPath), value, p.toFieldPath));
  else throw new Error(`toFieldPath policy ${policy} is not emulated`);
}

/** The value a From/Combine patch reads from the XR, transformed; undefined when a source field is missing. */
function read(p: any, xr: unknown): unknown {
  let value: unknown;
  if (p.type === 'CombineFromComposite') {
    const vars = p.combine.variables.map((v: any) => getPath(xr, v.fromFieldPath));
    if (vars.some((v: unknown) => v === undefined)) return undefined;
    if (p.combine.strategy !== 'string') throw new Error(`combine strategy ${p.combine.strategy} is not emulated`);
    value = sprintf(p.combine.string.fmt, vars);
  } else {
    value = getPath(xr, p.fromFieldPath);
    if (value === undefined) return undefined;
  }
  for (const t of p.transforms ?? []) value = transform(t, value);
  return value;
}

export interface Composed {
  /** Desired composed resources by template name; a template skipped for a Required patch is absent. */
  readonly resources: Map<string, any>;
  /** The XR after ToCompositeFieldPath patches (its status). */
  readonly xr: any;
  /** Connection details from the observed resources. */
  readonly connectionDetails: Record<string, unknown>;
}

/**
 * Runs the P&T input of a Composition's pipeline step against an observed XR and, optionally, observed
 * composed resources (by template name, as the provider would report them).
 */
export function patchAndTransform(input: any, observedXr: any, observed: ReadonlyMap<string, any> = new Map()): Composed {
  const patchSets = new Map<string, any[]>((input.patchSets ?? []).map((s: any) => [s.name, s.patches]));
  const xr = structuredClone(observedXr);
  const resources = new Map<string, any>();
  const connectionDetails: Record<string, unknown> = {};
  for (const r of input.resources) {
    const patches = (r.patches ?? []).flatMap((p: any) => {
      if (p.type !== 'PatchSet') return [p];
      const set = patchSets.get(p.patchSetName);
      if (!set) throw new PatchAndTransformError(`cannot find PatchSet by name ${p.patchSetName}`);
      return set;
    });
    const desired = structuredClone(r.base);
    const ocd = observed.get(r.name);
    let skip = false;
    for (const p of patches) {
      if (p.type === 'FromCompositeFieldPath' || p.type === 'CombineFromComposite') {
        const value = read(p, observedXr);
        if (value === undefined) {
          if (p.policy?.fromFieldPath === 'Required' && !ocd) {
            skip = true;
            break;
          }
          continue;
        }
        applyTo(desired, p, value);
      } else if (p.type === 'ToCompositeFieldPath') {
        if (!ocd) continue;
        const value = read(p, ocd);
        if (value !== undefined) applyTo(xr, p, value);
      } else {
        throw new Error(`patch type ${p.type} is not emulated`);
      }
    }
    if (skip) continue;
    if (ocd) {
      for (const c of r.connectionDetails ?? []) {
        if (c.type !== 'FromFieldPath') throw new Error(`connection detail ${c.type} is not emulated`);
        const v = getPath(ocd, c.fromFieldPath);
        if (v !== undefined) connectionDetails[c.name] = v;
      }
    }
    resources.set(r.name, desired);
  }
  return { resources, xr, connectionDetails };
}

/** The P&T input of a rendered Composition (its function-patch-and-transform step). */
export function patchAndTransformInput(composition: any): any {
  const step = composition.spec.pipeline.find((s: any) => s.input?.apiVersion === 'pt.fn.crossplane.io/v1beta1');
  if (!step) throw new Error(`Composition ${composition.metadata.name} has no function-patch-and-transform step`);
  return step.input;
}

/**
 * The composite resource Crossplane makes from a claim (claim/syncer_ssa.go at crossplane v2.3.4): the
 * claim's spec (without claim-only fields), the claim's labels, then `crossplane.io/claim-name` and
 * `crossplane.io/claim-namespace` (set last: a claim cannot override them), a generated name and a uid.
 */
export function compositeOfClaim(claim: any, xrd: any, uid: string): any {
  const { writeConnectionSecretToRef: _w, ...spec } = structuredClone(claim.spec);
  return {
    apiVersion: claim.apiVersion,
    kind: xrd.spec.names.kind,
    metadata: {
      name: `${claim.metadata.name}-x7k2p`,
      uid,
      labels: { ...claim.metadata.labels, 'crossplane.io/claim-name': claim.metadata.name, 'crossplane.io/claim-namespace': claim.metadata.namespace },
    },
    spec,
  };
}

/** Whether a dotted field path (`spec.forProvider.dbName`, `a[0].b`, `metadata.annotations[x]`) exists in a JSON schema. */
export function schemaHasPath(schema: any, fieldPath: string): boolean {
  if (fieldPath.startsWith('metadata.')) return true; // ObjectMeta: the API server's, not the CRD's

  const parts = fieldPath.replace(/\[(\d+)\]/g, '.[]').replace(/\[([^\]]+)\]/g, '.{$1}').split('.');
  let s = schema;
  for (const part of parts) {
    if (!s) return false;
    if (part === '[]') s = s.items;
    else if (part.startsWith('{')) s = s.additionalProperties ?? (s['x-kubernetes-preserve-unknown-fields'] ? {} : undefined);
    else if (s.properties?.[part]) s = s.properties[part];
    else if (s['x-kubernetes-preserve-unknown-fields'] || (part === 'metadata' && s.type === 'object')) return true;
    else return false;
  }
  return s !== undefined;
}
