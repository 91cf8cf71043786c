import { FleetOutputsOptions } from '../../charts/outputs/fleet-outputs.js';
import { FleetSource } from '../../charts/model/spec.js';
import { FleetValidationError } from '../../charts/validate/problems.js';
import { renderChecked } from '../cli.js';
import { CrdLockError } from './crd-lock.js';
import { crdsAvailable, CRDS_DIR, treeSchemaProblems } from './validate-schemas.js';

/**
 * `npm run validate`: the input checks and policies of synth, plus every rendered object against the
 * real schema of its kind (Kubernetes OpenAPI through kubernetes-models; Argo CD, Crossplane, Upbound and
 * External Secrets CRDs pinned in crds.lock.json, from $CRDS_DIR or ../shared/crds; our own XRD for claims).
 * One line per problem; a CRD copy that does not match its sha256 in the lock fails with one line naming it.
 * The CRD schemas' compiled validators are cached in node_modules/.cache/cdk8s-fleet/ (validator-cache.ts):
 * the first run on a machine compiles the kinds it meets, later runs load them.
 */
export function runValidate(source: FleetSource, options: FleetOutputsOptions = {}): number {
  try {
    const tree = renderChecked(source, options);
    if (typeof tree === 'number') return tree;
    if (!crdsAvailable()) {
      console.error(`cdk8s-fleet: no CRDs at ${CRDS_DIR}; set CRDS_DIR to the folder of the CRDs pinned in crds.lock.json (node scripts/fetch-crds.mjs --out <dir> fetches them)`);
      return 1;
    }
    const problems = treeSchemaProblems(tree.objects);
    const objects = [...tree.objects.values()].reduce((n, docs) => n + docs.filter((d: any) => d?.kind).length, 0);
    if (problems.length > 0) {
      console.error([`cdk8s-fleet: ${problems.length} schema problem${problems.length === 1 ? '' : 's'}:`, ...problems.map((p) => `  ${p}`)].join('\n'));
      return 1;
    }
    console.log(`cdk8s-fleet: ${objects} objects in ${tree.files.size} files valid against their schemas; policies pass (${process.uptime().toFixed(2)} s)`);
    return 0;
  } catch (e) {
    if (e instanceof CrdLockError) {
      console.error(e.message);
      return 1;
    }
    console.error(`cdk8s-fleet: ${e instanceof FleetValidationError ? e.message : (e as Error).message}`);
    return 1;
  }
}
