import { imageProblems } from '../apps/container-image.js';
import type { Overlay } from '../apps/overlay/index.js';
import { FleetSpec } from '../fleet/model.js';
import * as rules from '../fleet/rules.js';

/** Names a team may not take: the platform's own AppProjects. */
export const RESERVED_PROJECTS = ['default', 'platform', 'addons', 'guardrails'];

/** How validation reports: a field path under the fleet spec and a message. */
export type Report = (path: string, message: string) => void;

const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/**
 * Structural checks of `spec.teams`: names, group, environments, quotas, apps and their overlays.
 * What only a render can find (a patch that targets nothing) is reported by the app render with the
 * same file and field form.
 */
export function validateTeams(spec: FleetSpec, report: Report): void {
  const envNames = new Set(spec.environments.map((e) => e.name));
  const workloadEnvs = new Set(
    spec.clusters.filter((c) => c.workloads ?? c.role === 'spoke').map((c) => c.environment),
  );
  const teamNames = new Map<string, number>();
  (spec.teams ?? []).forEach((team, i) => {
    const at = `teams[${i}]`;
    const p = rules.dnsLabelProblem(team.name);
    if (p) report(`${at}.name`, p);
    if (RESERVED_PROJECTS.includes(team.name)) report(`${at}.name`, `"${team.name}" is reserved for a platform AppProject; pick another team name`);
    if (teamNames.has(team.name)) report(`${at}.name`, `team "${team.name}" is already defined at teams[${teamNames.get(team.name)}]`);
    teamNames.set(team.name, i);
    if (typeof team.group !== 'string' || team.group.trim() === '') report(`${at}.group`, 'give the identity-provider group of the team');
    if (!Array.isArray(team.environments) || team.environments.length === 0) report(`${at}.environments`, 'list at least one environment the team deploys to');
    (team.environments ?? []).forEach((env, j) => {
      if (!envNames.has(env)) report(`${at}.environments[${j}]`, `unknown environment "${env}"; known: ${[...envNames].join(', ')}`);
      else if (!workloadEnvs.has(env)) report(`${at}.environments[${j}]`, `no cluster takes workloads in environment "${env}"`);
      const ns = `${team.name}-${env}`;
      if (ns.length > 63) report(`${at}.name`, `namespace "${ns}" is ${ns.length} characters; at most 63 are allowed: shorten the team name`);
    });
    for (const [env, q] of Object.entries(team.quota ?? {})) {
      if (!team.environments.includes(env)) report(`${at}.quota.${env}`, `environment "${env}" is not one of the team's environments`);
      for (const key of ['requestsCpu', 'requestsMemory', 'limitsCpu', 'limitsMemory'] as const) {
        if (!QUANTITY.test(String(q[key]))) report(`${at}.quota.${env}.${key}`, `"${q[key]}" is not a Kubernetes quantity (like 500m, 2, 4Gi)`);
      }
      if (!Number.isInteger(q.pods) || q.pods < 1) report(`${at}.quota.${env}.pods`, `must be a whole number >= 1, got ${q.pods}`);
    }
    for (const [env, a] of Object.entries(team.access ?? {})) {
      if (!team.environments.includes(env)) report(`${at}.access.${env}`, `environment "${env}" is not one of the team's environments`);
      if (a !== 'view' && a !== 'edit') report(`${at}.access.${env}`, `"${a}" is not an access level; use "view" or "edit"`);
    }

    const appNames = new Map<string, number>();
    (team.apps ?? []).forEach((app, j) => {
      const ap = `${at}.apps[${j}]`;
      const n = rules.dnsLabelProblem(app.name);
      if (n) report(`${ap}.name`, n);
      if (appNames.has(app.name)) report(`${ap}.name`, `app "${app.name}" is already defined at ${at}.apps[${appNames.get(app.name)}]`);
      appNames.set(app.name, j);
      const bases = [app.webService && 'webService', app.worker && 'worker', app.chart && 'chart'].filter(Boolean);
      if (bases.length !== 1) report(ap, `give exactly one of webService, worker or chart, got ${bases.length ? bases.join(' and ') : 'none'}`);
      const base = app.webService ?? app.worker;
      for (const prob of base ? imageProblems(base.image) : []) {
        const cut = prob.indexOf(': ');
        report(`${ap}.${bases[0]}.${prob.slice(0, cut)}`, prob.slice(cut + 2));
      }
      const envs = Object.keys(app.environments ?? {});
      if (envs.length === 0) report(`${ap}.environments`, 'give an overlay for at least one environment (an empty {} is fine)');
      for (const env of envs) {
        const op = `${ap}.environments.${env}`;
        if (!team.environments.includes(env)) report(op, `the team does not deploy to "${env}"; its environments are ${team.environments.join(', ')}`);
        overlayProblems(app.environments[env], op, report);
      }
      (app.connectsTo ?? []).forEach((target, k) => {
        if (target === app.name) report(`${ap}.connectsTo[${k}]`, 'an app does not need a policy to reach itself');
        else if (!(team.apps ?? []).some((a) => a.name === target)) report(`${ap}.connectsTo[${k}]`, `unknown app "${target}" in team "${team.name}"`);
      });
    });
  });
}

/** What the platform forbids in an overlay, before kustomize semantics apply. */
function overlayProblems(overlay: Overlay, at: string, report: Report): void {
  if (!overlay || typeof overlay !== 'object') return report(at, 'must be an overlay object ({} for none)');
  if (overlay.namespace !== undefined) report(`${at}.namespace`, 'the namespace is the team\'s (<team>-<environment>) and set by the platform; remove it');
  if (overlay.secretGenerator !== undefined) {
    report(`${at}.secretGenerator`, 'Secrets are never rendered into git; read credentials from AWS Secrets Manager with an ExternalSecret');
  }
  (overlay.images ?? []).forEach((img, i) => {
    if (img.newTag === 'latest') report(`${at}.images[${i}].newTag`, '"latest" is not a pin; use a version tag or a digest');
    if (img.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(img.digest)) report(`${at}.images[${i}].digest`, `"${img.digest}" is not a digest (sha256: and 64 hex digits)`);
  });
  (overlay.replicas ?? []).forEach((r, i) => {
    if (!Number.isInteger(r.count) || r.count < 0) report(`${at}.replicas[${i}].count`, `must be a whole number >= 0, got ${r.count}`);
  });
}
