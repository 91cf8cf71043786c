/**
 * Child process for test/validator-cache.test.ts (`node scripts/run.mjs test/support/validator-build-child.ts
 * PARAMS.json`): builds, through the cache folder named in PARAMS, the validator of a CRD's kind and one of
 * a schema of its own, as processes starting at once would, and prints what each says of a few objects.
 * PARAMS: { dir, crds (VerifiedCrd[]), schema, group, version, kind, samples }.
 */
import * as fs from 'node:fs';
import { LockedKinds, ValidatorCache } from '../../render/validate/validator-cache.js';

const params = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const kinds = new LockedKinds(params.crds, new ValidatorCache(params.dir));
const ref = kinds.schemaOf(params.group, params.version, params.kind)!;
const a = kinds.validator(ref);
const b = kinds.cache.validatorOf(params.schema);
const object = (size: string) => ({ apiVersion: `${params.group}/${params.version}`, kind: params.kind, spec: { size } });
console.log(JSON.stringify(params.samples.flatMap(([which, size]: ['a' | 'b', string]) => (which === 'a' ? a : b)(object(size)))));
