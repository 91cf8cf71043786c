import { AppWorkload } from '../apps/app-workload.js';
import { APPS_DIR, appFileOwner, teamDir } from '../layout/dist-layout.js';
import { TeamSecretStore } from '../teams/team-secret-store.js';
import { Finding, objectId, RenderedObjects } from './finding.js';
import { podReferences, podSpecOf } from './workload-rules.js';

/** External Secrets' API groups: stores, ExternalSecrets, PushSecrets and the generators. */
const ESO_GROUPS = ['external-secrets.io', 'generators.external-secrets.io'];

/** The service account every team store exchanges for its IAM role. */
const STORE_SERVICE_ACCOUNT = TeamSecretStore.SERVICE_ACCOUNT;

/** Reloader's annotations that make it roll a workload when a Secret changes. */
const RELOAD_NAMED = AppWorkload.RELOAD_SECRETS_ANNOTATION;
const RELOAD_AUTO = ['reloader.stakater.com/auto', 'secret.reloader.stakater.com/auto'];

/** Kinds Reloader rolls (a bare Pod or Job cannot be rolled). */
const ROLLED = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** Names of the Secrets a pod spec reads (volumes, envFrom, env), optional ones included, once each. */
function secretsReadBy(pod: any): string[] {
  return [...new Set(podReferences(pod).flatMap((r) => (r.kind === 'Secret' && r.name ? [r.name] : [])))];
}

/** The names in Reloader's named-reload annotation (comma-separated). */
function reloadNames(o: any): string[] {
  const value = o?.metadata?.annotations?.[RELOAD_NAMED];
  return typeof value === 'string' ? value.split(',').map((n) => n.trim()).filter(Boolean) : [];
}

/**
 * `secret-store-platform`: access to AWS secrets belongs to the platform. An app's rendered objects
 * (`apps/...`) hold no External Secrets object (SecretStore, ClusterSecretStore, ExternalSecret,
 * PushSecret, a generator...) and no service account named like the team store's, which carries the
 * store's IAM role.
 *
 * `secret-reload`: a Deployment, StatefulSet or DaemonSet that reads a Secret made by the platform's
 * ExternalSecrets (`teams/<team>/<env>/`, database credentials that RDS rotates) names it in
 * `secret.reloader.stakater.com/reload` (or has Reloader's auto annotation), so a rotated password
 * restarts its pods.
 */
export function secretAccessFindings(rendered: RenderedObjects): Finding[] {
  const out: Finding[] = [];
  // Secrets the platform's ExternalSecrets make, per team boundaries folder.
  const platformSecrets = new Map<string, Set<string>>();
  for (const [file, objects] of rendered) {
    if (file.startsWith(`${APPS_DIR}/`)) continue;
    for (const o of objects) {
      if (o?.kind !== 'ExternalSecret') continue;
      const dir = file.slice(0, file.lastIndexOf('/'));
      platformSecrets.set(dir, (platformSecrets.get(dir) ?? new Set()).add(o.spec?.target?.name ?? o.metadata?.name));
    }
  }
  for (const [file, objects] of rendered) {
    const owner = appFileOwner(file);
    if (!owner) continue;
    const made = platformSecrets.get(teamDir(owner.team, owner.environment)) ?? new Set<string>();
    for (const o of objects) {
      const add = (rule: string, message: string) => out.push({ rule, file, object: objectId(o), message });
      const group = String(o?.apiVersion ?? '').split('/')[0];
      if (ESO_GROUPS.includes(group)) {
        add('secret-store-platform', `${o.kind} is the platform's: teams read AWS secrets only through the database ExternalSecrets in ${teamDir(owner.team, owner.environment)}/`);
      }
      if (o?.kind === 'ServiceAccount' && o.metadata?.name === STORE_SERVICE_ACCOUNT) {
        add('secret-store-platform', `the service account "${STORE_SERVICE_ACCOUNT}" is the team secret store's (it carries the store's IAM role); use another name`);
      }
      if (!ROLLED.includes(o?.kind)) continue;
      const auto = RELOAD_AUTO.some((a) => o.metadata?.annotations?.[a] === 'true');
      const named = reloadNames(o);
      for (const secret of secretsReadBy(podSpecOf(o)).filter((s) => made.has(s)).sort()) {
        if (!auto && !named.includes(secret)) {
          add('secret-reload', `reads Secret ${secret}, whose password RDS rotates, without ${RELOAD_NAMED} naming it: its pods would keep the old password`);
        }
      }
    }
  }
  return out;
}
