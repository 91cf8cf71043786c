import { imageProblems } from '../apps/container-image.js';
import type { Overlay } from '../../engines/kustomize/index.js';
import { AppSpec, FleetSpec } from '../model/spec.js';
import * as rules from './rules.js';
import { isRecord, kindOf } from './rules.js';
import { parseQuantity } from './quota-fit.js';

/** Names a team may not take: the platform's own AppProjects. */
export const RESERVED_PROJECTS = ['default', 'platform', 'addons', 'guardrails'];

/** How validation reports: a field path under the fleet spec and a message. */
export type Report = (path: string, message: string) => void;



/**
 * Structural checks of `spec.teams`: names, group, environments, quotas, apps and their overlays.
 * What only a render can find (a patch that targets nothing) is reported by the app render with the
 * same file and field form.
 */
export function validateTeams(spec: FleetSpec, report: Report): void {
  // Wrong-typed lists and elements are reported by validateFleet; here they are only skipped.
  const environments = Array.isArray(spec.environments) ? spec.environments.filter(isRecord) : [];
  const clusters = Array.isArray(spec.clusters) ? spec.clusters.filter(isRecord) : [];
  const envNames = new Set(environments.map((e) => e.name));
  const workloadEnvs = new Set(
    clusters.filter((c) => c.workloads ?? c.role === 'spoke').map((c) => c.environment),
  );
  if (spec.teams !== undefined && !Array.isArray(spec.teams)) return report('teams', `must be a list of teams, got ${kindOf(spec.teams)}`);
  const teamNames = new Map<string, number>();
  (spec.teams ?? []).forEach((team, i) => {
    const at = `teams[${i}]`;
    if (!isRecord(team)) return report(at, `must be an object, got ${kindOf(team)}`);
    const p = rules.dnsLabelProblem(team.name);
    if (p) report(`${at}.name`, p);
    if (RESERVED_PROJECTS.includes(team.name)) report(`${at}.name`, `"${team.name}" is reserved for a platform AppProject; pick another team name`);
    if (teamNames.has(team.name)) report(`${at}.name`, `team "${team.name}" is already defined at teams[${teamNames.get(team.name)}]`);
    teamNames.set(team.name, i);
    if (typeof team.group !== 'string' || team.group.trim() === '') report(`${at}.group`, 'give the identity-provider group of the team');
    if (!Array.isArray(team.environments) || team.environments.length === 0) report(`${at}.environments`, 'list at least one environment the team deploys to');
    const teamEnvs: readonly string[] = Array.isArray(team.environments) ? team.environments : [];
    teamEnvs.forEach((env, j) => {
      if (!envNames.has(env)) report(`${at}.environments[${j}]`, `unknown environment "${env}"; known: ${[...envNames].join(', ')}`);
      else if (!workloadEnvs.has(env)) report(`${at}.environments[${j}]`, `no cluster takes workloads in environment "${env}"`);
      const ns = `${team.name}-${env}`;
      if (ns.length > 63) report(`${at}.name`, `namespace "${ns}" is ${ns.length} characters; at most 63 are allowed: shorten the team name`);
    });
    if (team.quota !== undefined && !isRecord(team.quota)) report(`${at}.quota`, `must be an object of quotas by environment, got ${kindOf(team.quota)}`);
    for (const [env, q] of Object.entries(isRecord(team.quota) ? team.quota : {})) {
      if (!teamEnvs.includes(env)) report(`${at}.quota.${env}`, `environment "${env}" is not one of the team's environments`);
      if (!isRecord(q)) {
        report(`${at}.quota.${env}`, `must be a quota { requestsCpu, requestsMemory, limitsCpu, limitsMemory, pods }, got ${kindOf(q)}`);
        continue;
      }
      for (const key of ['requestsCpu', 'requestsMemory', 'limitsCpu', 'limitsMemory'] as const) {
        if (Number.isNaN(parseQuantity(q[key]))) report(`${at}.quota.${env}.${key}`, `"${q[key]}" is not a Kubernetes quantity (like 500m, 2, 4Gi)`);
      }
      if (!Number.isInteger(q.pods) || q.pods < 1) report(`${at}.quota.${env}.pods`, `must be a whole number >= 1, got ${q.pods}`);
    }
    if (team.access !== undefined && !isRecord(team.access)) report(`${at}.access`, `must be an object of access levels by environment, got ${kindOf(team.access)}`);
    for (const [env, a] of Object.entries(isRecord(team.access) ? team.access : {})) {
      if (!teamEnvs.includes(env)) report(`${at}.access.${env}`, `environment "${env}" is not one of the team's environments`);
      if (a !== 'view' && a !== 'edit') report(`${at}.access.${env}`, `"${a}" is not an access level; use "view" or "edit"`);
    }

    if (!Array.isArray(team.apps)) {
      report(`${at}.apps`, team.apps === undefined ? 'is missing; give the team\'s apps as a list ([] for none)' : `must be a list of apps, got ${kindOf(team.apps)}`);
    }
    const apps: readonly unknown[] = Array.isArray(team.apps) ? team.apps : [];
    const appNames = new Map<string, number>();
    apps.forEach((item, j) => {
      const ap = `${at}.apps[${j}]`;
      if (!isRecord(item)) return report(ap, `must be an object, got ${kindOf(item)}`);
      const app = item as AppSpec;
      const n = rules.dnsLabelProblem(app.name);
      if (n) report(`${ap}.name`, n);
      if (appNames.has(app.name)) report(`${ap}.name`, `app "${app.name}" is already defined at ${at}.apps[${appNames.get(app.name)}]`);
      appNames.set(app.name, j);
      if (app.internetEgress !== undefined && typeof app.internetEgress !== 'boolean') report(`${ap}.internetEgress`, `must be true or false, got ${JSON.stringify(app.internetEgress)}`);
      const bases = [app.webService && 'webService', app.worker && 'worker', app.chart && 'chart'].filter(Boolean);
      if (bases.length !== 1) report(ap, `give exactly one of webService, worker or chart, got ${bases.length ? bases.join(' and ') : 'none'}`);
      const base = app.webService ?? app.worker;
      for (const prob of base ? imageProblems(base.image) : []) {
        const cut = prob.indexOf(': ');
        report(`${ap}.${bases[0]}.${prob.slice(0, cut)}`, prob.slice(cut + 2));
      }
      const overlays: Record<string, Overlay> = isRecord(app.environments) ? app.environments : {};
      const envs = Object.keys(overlays);
      if (app.environments != null && !isRecord(app.environments)) {
        report(`${ap}.environments`, `must be an object of overlays by environment, got ${kindOf(app.environments)}`);
      } else if (envs.length === 0) report(`${ap}.environments`, 'give an overlay for at least one environment (an empty {} is fine)');
      for (const env of envs) {
        const op = `${ap}.environments.${env}`;
        if (!teamEnvs.includes(env)) report(op, `the team does not deploy to "${env}"; its environments are ${teamEnvs.join(', ')}`);
        overlayProblems(overlays[env], op, report);
      }
      if (app.connectsTo !== undefined && !Array.isArray(app.connectsTo)) report(`${ap}.connectsTo`, `must be a list of app names, got ${kindOf(app.connectsTo)}`);
      (Array.isArray(app.connectsTo) ? app.connectsTo : []).forEach((target, k) => {
        if (target === app.name) report(`${ap}.connectsTo[${k}]`, 'an app does not need a policy to reach itself');
        else if (!apps.some((a) => isRecord(a) && a.name === target)) report(`${ap}.connectsTo[${k}]`, `unknown app "${target}" in team "${team.name}"`);
        else {
          // The network policies of an environment can only name apps that run there.
          const other = apps.find((a): a is AppSpec => isRecord(a) && a.name === target)!;
          const missing = envs.filter((env) => teamEnvs.includes(env) && !(isRecord(other.environments) && other.environments[env] !== undefined));
          if (missing.length > 0) {
            report(`${ap}.connectsTo[${k}]`, `app "${target}" does not run in ${missing.map((e) => `"${e}"`).join(', ')}, where "${app.name}" runs; give "${target}" an overlay there or remove the connection`);
          }
        }
      });
    });
  });
}

/** The first place in a value that is not JSON data (NaN, Infinity, a function...), or undefined. */
export function nonJsonAt(value: unknown, at = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${at || '.'} is ${value}`;
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return `${at || '.'} is a ${typeof value}`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonJsonAt(value[i], `${at}[${i}]`);
      if (p) return p;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = nonJsonAt(v, `${at}.${k}`);
      if (p) return p;
    }
  }
  return undefined;
}

/** What the platform forbids in an overlay, before kustomize semantics apply. */
function overlayProblems(overlay: Overlay, at: string, report: Report): void {
  if (!overlay || typeof overlay !== 'object') return report(at, 'must be an overlay object ({} for none)');
  const bad = nonJsonAt(overlay);
  if (bad) return report(at, `must be JSON data: ${bad.replace(/^\./, '')}`);
  if (overlay.namespace !== undefined) report(`${at}.namespace`, 'the namespace is the team\'s (<team>-<environment>) and set by the platform; remove it');
  if (overlay.secretGenerator !== undefined) {
    report(`${at}.secretGenerator`, 'Secrets are never rendered into git; read credentials from AWS Secrets Manager with an ExternalSecret');
  }
  if (overlay.images !== undefined && !Array.isArray(overlay.images)) report(`${at}.images`, `must be a list of image rules, got ${kindOf(overlay.images)}`);
  (Array.isArray(overlay.images) ? overlay.images : []).forEach((img, i) => {
    if (!isRecord(img)) return report(`${at}.images[${i}]`, `must be an image rule { name, newName, newTag, digest }, got ${kindOf(img)}`);
    if (img.newTag === 'latest') report(`${at}.images[${i}].newTag`, '"latest" is not a pin; use a version tag or a digest');
    if (img.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(img.digest)) report(`${at}.images[${i}].digest`, `"${img.digest}" is not a digest (sha256: and 64 hex digits)`);
  });
  if (overlay.replicas !== undefined && !Array.isArray(overlay.replicas)) report(`${at}.replicas`, `must be a list of replica counts, got ${kindOf(overlay.replicas)}`);
  (Array.isArray(overlay.replicas) ? overlay.replicas : []).forEach((r, i) => {
    if (!isRecord(r)) return report(`${at}.replicas[${i}]`, `must be a replica count { name, count }, got ${kindOf(r)}`);
    if (!Number.isInteger(r.count) || r.count < 0) report(`${at}.replicas[${i}].count`, `must be a whole number >= 0, got ${r.count}`);
  });
}
