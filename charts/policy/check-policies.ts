import { databaseFindings } from './database-rules.js';
import { Finding, PolicyContext, RenderedObjects } from './finding.js';
import { projectFindings } from './project-rules.js';
import { referenceFindings } from './reference-rules.js';
import { secretAccessFindings } from './secret-access-rules.js';
import { secretFindings } from './secret-rules.js';
import { namespaceFindings } from './namespace-rules.js';
import { objectSizeFindings } from './object-size-rules.js';
import { teamOutputFindings } from './team-output-rules.js';
import { workloadFindings } from './workload-rules.js';

/** Every policy rule id, for documentation and tests. */
export const POLICY_RULES = [
  'secret-credentials', 'pss-restricted', 'image-pinned', 'resources-set', 'probes-present', 'project-least-privilege',
  'ref-project', 'ref-path', 'ref-config', 'ref-service', 'rds-safety', 'secret-store-platform', 'secret-reload',
  'team-namespaced', 'team-kind', 'team-iam-role', 'team-sa-token', 'namespace-pss', 'object-size',
] as const;

/** Runs every policy over the rendered output; findings sorted by file, object and rule. */
export function checkPolicies(rendered: RenderedObjects, ctx: PolicyContext): Finding[] {
  return [
    ...secretFindings(rendered),
    ...workloadFindings(rendered),
    ...projectFindings(rendered, ctx),
    ...referenceFindings(rendered, ctx),
    ...databaseFindings(rendered, ctx),
    ...secretAccessFindings(rendered),
    ...teamOutputFindings(rendered, ctx),
    ...namespaceFindings(rendered),
    ...objectSizeFindings(rendered),
  ].sort((a, b) => (a.file + a.object + a.rule + a.message < b.file + b.object + b.rule + b.message ? -1 : 1));
}
