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

/** An object's identity in a namespace: API group, kind, name. */
function objectIdentity(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
  return `${group}\0${o.kind}\0${o.metadata.name}`;
}

/**
 * `teams[i].apps[j].environments.<env>`: no two apps of a team render one object (the same kind and name,
 * in the team's namespace of that environment). Each app is its own Argo CD Application: two of them
 * owning one object is Argo CD's SharedResourceWarning, and each sync overwrites the other's version.
 */
export function sharedObjectProblems(environment: string, apps: ReadonlyArray<{ readonly at: string; readonly name: string; readonly objects: readonly KubeObject[] }>): FieldProblem[] {
  const owner = new Map<string, string>();
  const out: FieldProblem[] = [];
  for (const { at, name, objects } of apps) {
    for (const o of objects) {
      const id = objectIdentity(o);
      const first = owner.get(id);
      if (first === undefined) owner.set(id, name);
      else if (first !== name) {
        out.push(problem(`${at}.environments.${environment}`, `renders ${o.kind} "${o.metadata.name}", which app "${first}" renders too in "${environment}": two Applications would own it (Argo CD's SharedResourceWarning) and each sync would overwrite the other's; rename one, or keep it in one app`));
      }
    }
  }
  return out;
}
