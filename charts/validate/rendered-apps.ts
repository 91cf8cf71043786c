/**
 * Rules that need an app's rendered objects: what the overlay made of the base is only known after
 * kustomize's semantics ran. They return problems like every other rule; the app stage
 * (outputs/app-manifests.ts) runs them before any file is placed.
 */
import type { KubeObject } from '../../engines/kustomize/index.js';
import type { TeamQuota } from '../model/spec.js';
import { FieldProblem } from './problems.js';
import { problem } from './rule-table.js';
import { quotaNeed, quotaShortfalls } from './quota-fit.js';

/** `teams[i].apps[j].environments.<env>`: an environment's objects never include a Secret. */
export function renderedObjectProblems(path: string, objects: readonly KubeObject[]): FieldProblem[] {
  return objects
    .filter((o) => o.kind === 'Secret')
    .map((o) => problem(path, `renders Secret "${o.metadata.name}": Secrets are never rendered into git; read credentials with an ExternalSecret`));
}

/** `teams[i].quota.<env>`: a team's apps in an environment fit its quota at their maximum scale. */
export function quotaFitProblems(path: string, objects: readonly KubeObject[], quota: TeamQuota): FieldProblem[] {
  return quotaShortfalls(quotaNeed(objects), quota).map((short) => problem(path, `${short}; raise the quota or lower replicas and resources`));
}
