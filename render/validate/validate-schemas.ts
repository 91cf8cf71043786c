/**
 * Validates rendered objects against the real schema of their kind: custom kinds (Argo CD, Crossplane,
 * Upbound, External Secrets, ...) against the CRDs pinned in crds.lock.json (the copies in $CRDS_DIR or
 * ../shared/crds, each checked against its sha256) with ajv, core kinds against the Kubernetes OpenAPI
 * through kubernetes-models. A kind with no known schema is a problem: a CRD the lock does not pin is one.
 */
import * as fs from 'node:fs';
import { Ajv, ValidateFunction } from 'ajv';
import * as coreV1 from 'kubernetes-models/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { CRDS_DIR, lockedCrds } from './crd-lock.js';

/** Kubernetes API groups whose kinds are checked against the Kubernetes OpenAPI (kubernetes-models). */
const BUILTIN: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'autoscaling/v2': autoscalingV2,
  'policy/v1': policyV1,
  'networking.k8s.io/v1': networkingV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
};

export { CRDS_DIR, CrdLockError } from './crd-lock.js';

type Validator = (obj: any) => string[];
const validators = new Map<string, Validator>();

/**
 * Registers a validator per kind and version of every locked CRD. Each schema is compiled on first use:
 * compiling all of them up front took most of `npm run validate` for a fleet that uses a few kinds.
 */
function loadCrds(): void {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const { crd } of lockedCrds()) {
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      let validate: ValidateFunction | undefined;
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, (obj) => {
        validate ??= ajv.compile(schema);
        return validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
      });
    }
  }
}

function builtinValidator(apiVersion: string, kind: string): Validator | undefined {
  const Model = (BUILTIN[apiVersion] as Record<string, any> | undefined)?.[kind];
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

/**
 * Teaches the validator the kinds an XRD rendered by us defines (composite and claim), from the XRD's
 * own schema with the standard object fields around it, as Crossplane serves them.
 */
export function registerXrd(xrd: any): void {
  if (validators.size === 0) loadCrds();
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const version of xrd.spec.versions) {
    const validate = ajv.compile(version.schema.openAPIV3Schema);
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
      validators.set(`${xrd.spec.group}/${version.name}/${kind}`, check);
    }
  }
}

/** The JSON schema of a kind's version in the locked CRDs, for path checks. */
export function crdSchema(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.split('/');
  const found = lockedCrds().find(({ crd }) => crd.spec.group === group && crd.spec.names.kind === kind);
  return found?.crd.spec.versions.find((v: any) => v.name === version)?.schema?.openAPIV3Schema;
}

/** Problems of one object against its kind's schema; empty when valid. */
export function schemaProblems(obj: any): string[] {
  if (validators.size === 0) loadCrds();
  const apiVersion: string = obj?.apiVersion ?? '';
  const kind: string = obj?.kind ?? '';
  const key = apiVersion.includes('/') ? `${apiVersion}/${kind}` : `core/${apiVersion}/${kind}`;
  let validate = validators.get(key);
  if (!validate) validate = builtinValidator(apiVersion, kind);
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
