/**
 * Validates rendered objects against the real schema of their kind: custom kinds (Argo CD, Crossplane,
 * Upbound, External Secrets, ...) against the CRDs pinned in crds.lock.json (the copies in $CRDS_DIR or
 * ../shared/crds, each checked against its sha256) with ajv, core kinds against the Kubernetes OpenAPI
 * through kubernetes-models. A kind with no known schema is a problem: a CRD the lock does not pin is one.
 *
 * A CRD schema is compiled once per machine, not per process: validator-cache.ts keeps its standalone
 * validator (and which kinds each CRD file defines) in node_modules/.cache, so a run loads only the
 * validators of the kinds it meets and parses no CRD YAML once those are there.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { CrdLockEntry, CRDS_DIR, verifiedCrdFiles } from './crd-lock.js';
import { CompiledValidator, CrdKinds, LockedKinds, ValidatorCache } from './validator-cache.js';

const localRequire = createRequire(import.meta.url);

/**
 * Kubernetes API groups whose kinds are checked against the Kubernetes OpenAPI (kubernetes-models), with
 * the folder of their models: a kind's model (and its precompiled validator) is loaded when first met.
 */
const BUILTIN: Record<string, string> = {
  v1: 'v1',
  'apps/v1': 'apps/v1',
  'autoscaling/v2': 'autoscaling/v2',
  'policy/v1': 'policy/v1',
  'networking.k8s.io/v1': 'networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1': 'rbac.authorization.k8s.io/v1',
  'storage.k8s.io/v1': 'storage.k8s.io/v1',
};

export { CRDS_DIR, CrdLockError } from './crd-lock.js';

type Validator = (obj: any) => string[];
/** Kinds of the XRDs registered (composites and claims): they come before any CRD of the same kind. */
const xrdValidators = new Map<string, Validator>();
/** Validators found so far by key (`<group>/<version>/<kind>`, `core/<version>/<kind>`); null: none. */
const validators = new Map<string, Validator | null>();
let locked: LockedKinds | undefined;

/** The locked CRDs, verified against their sha256 on first use (a CrdLockError when one does not match). */
function lockedKinds(): LockedKinds {
  locked ??= new LockedKinds(
    verifiedCrdFiles().map(({ entry, file }) => ({ entry, file, sha256: entry.sha256 })),
    new ValidatorCache(),
  );
  return locked;
}

function crdValidator(validate: CompiledValidator): Validator {
  return (obj) => (validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`));
}

function builtinValidator(apiVersion: string, kind: string): Validator | undefined {
  const Model = builtinModel(apiVersion, kind);
  if (typeof Model !== 'function') return undefined;
  return (obj) => {
    try {
      new Model(obj).validate();
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  };
}

/** The kubernetes-models class of a kind: its own module, else (a name that is no module) the group's exports. */
function builtinModel(apiVersion: string, kind: string): any {
  if (!Object.hasOwn(BUILTIN, apiVersion)) return undefined;
  const folder = `kubernetes-models/${BUILTIN[apiVersion]}`;
  if (/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    try {
      const own = localRequire(`${folder}/${kind}`);
      if (Object.hasOwn(own, kind)) return own[kind];
    } catch (e) {
      if (!['MODULE_NOT_FOUND', 'ERR_PACKAGE_PATH_NOT_EXPORTED'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  }
  const all = localRequire(folder);
  return Object.hasOwn(all, kind) ? all[kind] : undefined;
}

/**
 * Teaches the validator the kinds an XRD rendered by us defines (composite and claim), from the XRD's
 * own schema with the standard object fields around it, as Crossplane serves them.
 */
export function registerXrd(xrd: any): void {
  const { cache } = lockedKinds();
  for (const version of xrd.spec.versions) {
    const validate = cache.validatorOf(version.schema.openAPIV3Schema);
    const check: Validator = (obj) => {
      const { spec, status } = obj;
      const body: Record<string, unknown> = { spec: { ...spec } };
      // Crossplane adds these claim fields to every XRD's schema.
      delete (body.spec as any).writeConnectionSecretToRef;
      delete (body.spec as any).compositionRef;
      if (status !== undefined) body.status = status;
      return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    };
    for (const kind of [xrd.spec.names.kind, xrd.spec.claimNames?.kind].filter(Boolean)) {
      xrdValidators.set(`${xrd.spec.group}/${version.name}/${kind}`, check);
    }
  }
}

/**
 * What each locked CRD file defines (names, groups, kinds, versions served), from the cached index: the
 * files are verified against the lock, and parsed only when their index is not cached yet.
 */
export function lockedCrdKinds(): Array<{ entry: CrdLockEntry; crds: CrdKinds[] }> {
  return lockedKinds().all();
}

/** The JSON schema of a kind's version in the locked CRDs, for path checks. */
export function crdSchema(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.split('/');
  const kinds = lockedKinds();
  const ref = kinds.versionOf(group, version, kind);
  return ref ? kinds.schema(ref) : undefined;
}

/**
 * The validator of a key: a registered XRD's, else the locked CRD's of the kind (looked up first in the
 * files of its group), else the Kubernetes model's, else a CRD's found in any other locked file.
 */
function validatorOf(apiVersion: string, kind: string, key: string): Validator | undefined {
  const xrd = xrdValidators.get(key);
  if (xrd) return xrd;
  const found = validators.get(key);
  if (found !== undefined) return found ?? undefined;
  const kinds = lockedKinds();
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['core', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  const ref = kinds.schemaOf(group, version, kind, false);
  let validate = ref ? crdValidator(kinds.validator(ref)) : builtinValidator(apiVersion, kind);
  if (!validate) {
    const elsewhere = kinds.schemaOf(group, version, kind, true);
    if (elsewhere) validate = crdValidator(kinds.validator(elsewhere));
  }
  validators.set(key, validate ?? null);
  return validate;
}

/** Problems of one object against its kind's schema; empty when valid. */
export function schemaProblems(obj: any): string[] {
  lockedKinds();
  const apiVersion: string = obj?.apiVersion ?? '';
  const kind: string = obj?.kind ?? '';
  const key = apiVersion.includes('/') ? `${apiVersion}/${kind}` : `core/${apiVersion}/${kind}`;
  const validate = validatorOf(apiVersion, kind, key);
  if (!validate) return [`no schema known for ${apiVersion} ${kind}`];
  return validate(obj);
}

/** Whether the CRD folder is there (tests that need it say so when it is not). */
export function crdsAvailable(): boolean {
  return fs.existsSync(CRDS_DIR);
}

/** Schema problems of every object of a rendered tree, as `file: Kind/name: [schema] message` lines. */
export function treeSchemaProblems(objects: ReadonlyMap<string, readonly unknown[]>): string[] {
  const out: string[] = [];
  for (const docs of objects.values()) for (const o of docs as any[]) if (o?.kind === 'CompositeResourceDefinition') registerXrd(o);
  for (const [file, docs] of objects) {
    if (file.startsWith('addons/values/')) continue;
    for (const o of docs as any[]) for (const p of schemaProblems(o)) out.push(`${file}: ${o?.kind}/${o?.metadata?.name}: [schema] ${p}`);
  }
  return out;
}
