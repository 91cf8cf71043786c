/** What the platform forbids in an app's overlay, before kustomize semantics apply (the engine checks the rest as it renders). */
import type { ImageRule, Overlay, Replicas } from '../../engines/kustomize/index.js';
import { FieldProblem } from './problems.js';
import { checkElements, checkItem, problem, Rule } from './rule-table.js';
import { kindOf, nonJsonAt, show } from './rules.js';

/** `teams[i].apps[j].environments.<env>`: the overlay's own fields. */
const OVERLAY: readonly Rule<Overlay, void>[] = [
  { field: 'namespace', check: (o) => o.namespace !== undefined && 'the namespace is the team\'s (<team>-<environment>) and set by the platform; remove it' },
  {
    field: 'secretGenerator',
    check: (o) => o.secretGenerator !== undefined && 'Secrets are never rendered into git; read credentials from AWS Secrets Manager with an ExternalSecret',
  },
  { field: 'images', check: (o) => o.images !== undefined && !Array.isArray(o.images) && `must be a list of image rules, got ${kindOf(o.images)}` },
  (o, at) => (Array.isArray(o.images) ? checkElements(`${at}.images`, o.images, IMAGE, undefined, 'an image rule { name, newName, newTag, digest }') : []),
  { field: 'replicas', check: (o) => o.replicas !== undefined && !Array.isArray(o.replicas) && `must be a list of replica counts, got ${kindOf(o.replicas)}` },
  (o, at) => (Array.isArray(o.replicas) ? checkElements(`${at}.replicas`, o.replicas, REPLICAS, undefined, 'a replica count { name, count }') : []),
];

/** `...images[k]`: pinned. */
const IMAGE: readonly Rule<ImageRule, void>[] = [
  {
    field: 'newTag',
    check: (img) => typeof img.newTag === 'string' && img.newTag.toLowerCase() === 'latest'
      && `"${img.newTag}" is not a pin ("latest" in any letter case is refused); use a version tag or a digest`,
  },
  { field: 'digest', check: (img) => img.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(img.digest) && `"${img.digest}" is not a digest (sha256: and 64 hex digits)` },
];

/** `...replicas[k]`. */
const REPLICAS: readonly Rule<Replicas, void>[] = [
  { field: 'count', check: (r) => !(Number.isInteger(r.count) && r.count >= 0) && `must be a whole number >= 0, got ${show(r.count)}` },
];

/** The problems of the overlay at `at`: not an overlay, not JSON data, or its fields. */
export function overlayProblems(overlay: Overlay, at: string): FieldProblem[] {
  if (!overlay || typeof overlay !== 'object') return [problem(at, 'must be an overlay object ({} for none)')];
  const bad = nonJsonAt(overlay);
  if (bad) return [problem(at, `must be JSON data: ${bad.replace(/^\./, '')}`)];
  return checkItem(overlay, at, OVERLAY, undefined);
}
