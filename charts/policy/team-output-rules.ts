import { isClusterScoped } from '../../engines/kustomize/kube-object.js';
import { IRSA_ROLE_ANNOTATION } from '../model/cluster-metadata.js';
import { roleArnAccount } from '../validate/rules.js';
import { DATABASE_API_GROUP } from '../crossplane/postgres-api.js';
import { APPS_DIR, appFileOwner, teamDir } from '../layout/dist-layout.js';
import { teamNamespace } from '../model/resolve.js';
import { groupKindKey, groupKindOf, isTeamAppKind, TEAM_APP_KINDS } from '../teams/team-kinds.js';
import { TeamSecretStore } from '../teams/team-secret-store.js';
import { Finding, objectId, PolicyContext, RenderedObjects } from './finding.js';
import { podSpecOf } from './workload-rules.js';

const ROLE_ARN = /arn:aws[\w-]*:iam::(\d{12}):role\/[\w+=,.@/-]+/g;

/** Every IAM role ARN anywhere in an object or value (strings, nested objects, arrays). */
function roleArnsIn(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(ROLE_ARN)) into.add(m[0]);
  } else if (Array.isArray(value)) {
    for (const v of value) roleArnsIn(v, into);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) roleArnsIn(v, into);
  }
}

/** Why a kind that is not allowed is not: the platform owns it, or it is simply not on the list. */
function kindReason(group: string, kind: string, team: string, environment: string): string {
  const where = `${teamDir(team, environment)}/`;
  if (group === 'rbac.authorization.k8s.io') return `RBAC is the platform's: the team's access is the Role bound in ${where}; an app may not grant any`;
  if (group === 'argoproj.io') return `Argo CD objects are the platform's: the app is delivered by the team's workloads ApplicationSet, in project "${team}"`;
  if (group === DATABASE_API_GROUP || group.endsWith('crossplane.io') || group.endsWith('upbound.io')) {
    return 'Crossplane claims and resources are the platform\'s: set `database` on the app and the platform claims it on the hub';
  }
  if (group.endsWith('external-secrets.io')) return `access to AWS secrets is the platform's: the team reads them through the ExternalSecrets in ${where}`;
  if (group === 'keda.sh' && kind.includes('TriggerAuthentication')) return 'a TriggerAuthentication reads Secrets and cloud credentials for KEDA; it is the platform\'s';
  if (group === 'kyverno.io' || group === 'wgpolicyk8s.io') return 'Kyverno policies and exceptions are the platform\'s';
  if (group === 'networking.k8s.io' && kind === 'NetworkPolicy') return `network policies are the platform's, in ${where}`;
  if (group === '' && kind === 'Secret') return 'Secrets are never rendered into git';
  return `is not a kind a team's app may deploy (allowed: ${TEAM_APP_KINDS.map(groupKindKey).join(', ')})`;
}

/**
 * The team output allow-list, for every object of a team's app (`apps/<team>/<app>/<env>/`):
 *
 * - `team-namespaced`: the object is namespaced and in the team's namespace of that environment
 *   (`<team>-<env>`).
 * - `team-kind`: its group and kind are on the allow-list (`TEAM_APP_KINDS`, also the team AppProject's
 *   `namespaceResourceWhitelist`): no RBAC, no Argo CD object, no Crossplane claim, no secret-access or
 *   policy-exception kind, nothing else.
 * - `team-iam-role`: `eks.amazonaws.com/role-arn` only on the app's own service account (the one its
 *   WebService or Worker renders, named like the app, from `serviceAccount.iamRoleArn`), naming a role in
 *   the AWS account of the team's spokes in that environment, and never a role the platform renders for
 *   itself (secret stores, add-ons, Crossplane, Argo CD, git credentials).
 * - `team-sa-token`: no `automountServiceAccountToken: true` on a ServiceAccount or a pod template, and
 *   no pod running as the team secret store's service account.
 */
export function teamOutputFindings(rendered: RenderedObjects, ctx: PolicyContext): Finding[] {
  const out: Finding[] = [];
  // Every IAM role the platform's own output names: none of them is an app's.
  const platformRoles = new Set<string>();
  for (const [file, objects] of rendered) if (!file.startsWith(`${APPS_DIR}/`)) roleArnsIn(objects, platformRoles);

  for (const [file, objects] of rendered) {
    const owner = appFileOwner(file);
    if (!owner) continue;
    const app = file.split('/')[2];
    const namespace = teamNamespace(owner.team, owner.environment);
    const accounts = ctx.teamAccounts[`${owner.team}/${owner.environment}`] ?? [];
    for (const o of objects) {
      const add = (rule: string, message: string) => out.push({ rule, file, object: objectId(o), message });
      const gk = groupKindOf(o);
      if (isClusterScoped({ ...gk, version: '' })) {
        add('team-namespaced', `${gk.kind} is cluster-scoped: a team's apps deploy only namespaced objects, in ${namespace}`);
      } else if (o?.metadata?.namespace !== namespace) {
        add('team-namespaced', `is in namespace "${o?.metadata?.namespace ?? ''}", not the team's ${namespace}`);
      }
      if (!isTeamAppKind(gk)) add('team-kind', `${groupKindKey(gk)}: ${kindReason(gk.group, gk.kind, owner.team, owner.environment)}`);

      if (gk.group === '' && gk.kind === 'ServiceAccount') {
        const arn = o.metadata?.annotations?.[IRSA_ROLE_ANNOTATION];
        if (arn !== undefined) {
          const role = (message: string) => add('team-iam-role', `${IRSA_ROLE_ANNOTATION} "${arn}": ${message}`);
          const account = roleArnAccount(arn);
          if (o.metadata?.name !== app) role(`only the app's own service account "${app}" may carry an IAM role`);
          else if (account === undefined) role('is not an IAM role ARN');
          else if (platformRoles.has(arn)) role('is one of the platform\'s own roles; an app has a role of its own');
          else if (!accounts.includes(account)) role(`is in account ${account}; the team's spokes in ${owner.environment} are in ${accounts.join(', ') || 'no account'}`);
        }
        if (o.automountServiceAccountToken === true) add('team-sa-token', 'sets automountServiceAccountToken: true; pods get no API token unless the platform grants one');
      }
      const pod = podSpecOf(o);
      if (pod) {
        if (pod.automountServiceAccountToken === true) add('team-sa-token', 'its pods set automountServiceAccountToken: true; pods get no API token unless the platform grants one');
        const sa = pod.serviceAccountName ?? pod.serviceAccount;
        if (sa === TeamSecretStore.SERVICE_ACCOUNT) add('team-sa-token', `its pods run as "${sa}", the team secret store's service account (it carries the store's IAM role)`);
      }
    }
  }
  return out;
}
