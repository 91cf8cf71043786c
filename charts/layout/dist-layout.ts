/**
 * The layout of `dist/`: every folder name and path rule, in one place. The outputs place files with
 * these, the ApplicationSets and Applications point Argo CD at the same paths, and the generated README
 * describes them; nothing else spells a `dist/` path.
 *
 * ```
 * README.md
 * hub/ (one hub) or hubs/<hub>/ (several)   bootstrap/root-app.yaml, apps/<component>.yaml,
 *                                           argocd/<component>/..., crossplane/{packages,config,claims}/...
 * addons/values/{default,environments/<env>,clusters/<cluster>}/<addon>/values.yaml
 * addons/companions/<cluster>/<addon>/<kind>-<name>.yaml   an add-on's companion objects on a cluster
 * teams/<team>/<env>/{namespace,limits,network-policies,access,secret-store}.yaml
 * teams/<team>/<env>/externalsecret-<app>-database.yaml   the platform's database ExternalSecrets
 * apps/<team>/<app>/<env>/<kind>-<name>.yaml
 * iam/<area>/<name>.json                    IAM policies for the IaC (read by no Application)
 * iam/crossplane/roles.json, iam/crossplane/<account>/<role>.{trust,permissions}.json   Crossplane's roles
 * iam/git-credentials/<hub>.json            the role of the hub's git credentials store
 * iam/argocd-capability/<hub>.json          the EKS Argo CD capability's configuration (Identity Center, role mappings)
 * hub/argocd/repositories/{clustersecretstore,serviceaccount}-fleet-git-credentials.yaml, externalsecret-repo-*.yaml   git credentials (references only)
 * ```
 */
import type { KubeObject } from '../../engines/kustomize/index.js';

/** The hub's folder when the fleet has one hub. */
export const HUB_DIR = 'hub';
/** The parent folder of each hub's folder when the fleet has several (`hubs/<hub>`). */
export const HUBS_DIR = 'hubs';
/** Team boundaries: `teams/<team>/<env>/`. */
export const TEAMS_DIR = 'teams';
/** App manifests: `apps/<team>/<app>/<env>/`; also the workloads repository's default path. */
export const APPS_DIR = 'apps';
/** The add-ons repository's default path, holding the add-ons' values files. */
export const ADDONS_DIR = 'addons';
/** Crossplane's objects inside a hub's folder: `hub/crossplane/`. */
export const CROSSPLANE_DIR = 'crossplane';
/** The generated README at the top of `dist/`. */
export const README_FILE = 'README.md';
/**
 * IAM documents the fleet needs from the IaC (roles' trust and permissions policies, as JSON). No Argo
 * CD Application reads this folder: it is for the infrastructure code and for review.
 */
export const IAM_DIR = 'iam';

/**
 * The IaC contract: what the infrastructure code must create for the fleet, per cluster
 * (`iac/clusters/<cluster>.json`: IAM roles with trust and permissions, Pod Identity associations, EKS
 * access entries) and for the whole fleet (`iac/fleet.json`). No Argo CD Application reads it.
 */
export const IAC_DIR = 'iac';

/** The IaC contract's files. */
export const IacPaths = {
  fleet: joinPath(IAC_DIR, 'fleet.json'),
  cluster: (cluster: string) => joinPath(IAC_DIR, 'clusters', `${cluster}.json`),
} as const;

/** The IAM area of the team secret stores' roles: `iam/secret-stores/<team>-<env>.json`. */
export const SECRET_STORES_IAM_AREA = 'secret-stores';

/** The IAM area of the hub's git credentials store role: `iam/git-credentials/<hub>.json`. */
export const GIT_CREDENTIALS_IAM_AREA = 'git-credentials';

/** The EKS Argo CD capability's configuration (Identity Center, RBAC role mappings) for the IaC: `iam/argocd-capability/<hub>.json`. */
export const ARGOCD_CAPABILITY_IAM_AREA = 'argocd-capability';

/**
 * Git credentials, in the hub's `repositories` component folder (read by `fleet-repositories`): the store
 * with its service account, and one ExternalSecret per declared credential.
 */
export const GitCredentialPaths = {
  store: objectFileName({ kind: 'ClusterSecretStore', metadata: { name: 'fleet-git-credentials' } }),
  serviceAccount: objectFileName({ kind: 'ServiceAccount', metadata: { name: 'fleet-git-credentials' } }),
  credential: (secretName: string) => objectFileName({ kind: 'ExternalSecret', metadata: { name: secretName } }),
  /** With the EKS Argo CD capability: the credential-free Secret naming the AWS secret by ARN. */
  capabilityCredential: (secretName: string) => objectFileName({ kind: 'Secret', metadata: { name: secretName } }),
} as const;

/** One IAM document: `iam/<area>/<name>.json`. */
export function iamFile(area: string, name: string): string {
  return joinPath(IAM_DIR, area, `${name}.json`);
}

/** Joins path segments with '/', without empty segments. */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/').replace(/\/+/g, '/');
}

/** A hub's folder: `hub` in a fleet with one hub, `hubs/<hub>` with several. */
export function hubDir(hub: string, hubs: readonly string[]): string {
  return hubs.length === 1 ? HUB_DIR : joinPath(HUBS_DIR, hub);
}

/** The hub a path of `dist/` belongs to in a fleet with several hubs (`hubs/<hub>/...`), else undefined. */
export function hubOfPath(path: string): string | undefined {
  return path.startsWith(`${HUBS_DIR}/`) ? path.split('/')[1] : undefined;
}

/** Paths inside a hub's folder. */
export const HubPaths = {
  /** The file a human applies once: the platform AppProject and the root Application. */
  bootstrap: (hub: string) => joinPath(hub, 'bootstrap', 'root-app.yaml'),
  /** What the root Application reads, relative to the hub's folder. */
  rootInclude: '{bootstrap/*.yaml,apps/*.yaml}',
  /** The child Application of one component. */
  child: (hub: string, component: string) => joinPath(hub, 'apps', `${component}.yaml`),
  /** The folder of one component's files, which its child Application reads. */
  component: (hub: string, component: string) => joinPath(hub, 'argocd', component),
} as const;

/** The folder of a team's boundaries in one environment, which its boundaries ApplicationSet reads. */
export function teamDir(team: string, environment: string): string {
  return joinPath(TEAMS_DIR, team, environment);
}

/** The parts of a team's boundaries in one environment, one file each. */
export type TeamBoundaryFile = 'namespace' | 'limits' | 'network-policies' | 'access' | 'secret-store';

/** One file of a team's boundaries: `teams/<team>/<env>/<part>.yaml`. */
export function teamFile(team: string, environment: string, part: TeamBoundaryFile): string {
  return joinPath(teamDir(team, environment), `${part}.yaml`);
}

/**
 * The platform's ExternalSecret of an app's database in one environment:
 * `teams/<team>/<env>/externalsecret-<app>-database.yaml`. It sits with the team's boundaries (delivered
 * by the `guardrails` project), not in the app's folder: the team's own project may not manage
 * ExternalSecrets.
 */
export function teamDatabaseSecretFile(team: string, environment: string, secretName: string): string {
  return joinPath(teamDir(team, environment), objectFileName({ kind: 'ExternalSecret', metadata: { name: secretName } }));
}

/** The folder of an app's manifests in one environment. */
export function appDir(team: string, app: string, environment: string): string {
  return joinPath(APPS_DIR, team, app, environment);
}

/** The team and environment of a file of an app folder (`apps/<team>/<app>/<env>/<file>`), else undefined. */
export function appFileOwner(file: string): { team: string; environment: string } | undefined {
  const parts = file.split('/');
  return parts.length === 5 && parts[0] === APPS_DIR ? { team: parts[1], environment: parts[3] } : undefined;
}

/** File name of an object inside its app folder: `<kind>-<name>.yaml`, lower-case. */
export function objectFileName(o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
}

/** Where an add-on's values layers live, relative to the add-ons path (`repos.addons.path`). */
export interface AddonValuesLayout {
  readonly defaultFile: string;
  environmentFile(environment: string): string;
  clusterFile(cluster: string): string;
}

/** The values layout of one add-on: `values/{default,environments/<env>,clusters/<cluster>}/<addon>/values.yaml`. */
export function addonValuesFiles(addon: string): AddonValuesLayout {
  return {
    defaultFile: `values/default/${addon}/values.yaml`,
    environmentFile: (env) => `values/environments/${env}/${addon}/values.yaml`,
    clusterFile: (cluster) => `values/clusters/${cluster}/${addon}/values.yaml`,
  };
}

/**
 * Where an add-on's companion objects live on one cluster, relative to the add-ons path
 * (`repos.addons.path`): `companions/<cluster>/<addon>/`, one `<kind>-<name>.yaml` per object. The
 * add-on's Application reads the folder as a further source (with `{{.name}}` for the cluster).
 */
export function addonCompanionsDir(cluster: string, addon: string): string {
  return `companions/${cluster}/${addon}`;
}

/** One companion object's file, relative to the add-ons path: `companions/<cluster>/<addon>/<kind>-<name>.yaml`. */
export function addonCompanionFile(cluster: string, addon: string, o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return joinPath(addonCompanionsDir(cluster, addon), objectFileName(o));
}

/** Paths inside a hub's Crossplane folder (`crossplaneDir`). */
export const CrossplanePaths = {
  dir: (hub: string) => joinPath(hub, CROSSPLANE_DIR),
  packages: (dir: string) => joinPath(dir, 'packages', 'packages.yaml'),
  providerConfig: (dir: string, account: string) => joinPath(dir, 'config', `provider-config-${account}.yaml`),
  definition: (dir: string) => joinPath(dir, 'config', 'postgresql-definition.yaml'),
  composition: (dir: string) => joinPath(dir, 'config', 'postgresql-rds-composition.yaml'),
  /** One folder per environment and team with the claim namespace and one claim per app. */
  claims: (dir: string, environment: string, team: string) => joinPath(dir, 'claims', environment, team),
  claimNamespace: (claims: string) => joinPath(claims, 'namespace.yaml'),
  claim: (claims: string, app: string) => joinPath(claims, `${app}.yaml`),
  /** The folder each of the three Crossplane Applications reads. */
  stage: (dir: string, stage: 'packages' | 'config' | 'claims') => joinPath(dir, stage),
} as const;

/**
 * Crossplane's IAM documents: per role, its trust policy and its permissions policy
 * (`iam/crossplane/<account>/<role>.trust.json`, `.permissions.json`), and `iam/crossplane/roles.json`
 * listing every role with its files and the values the IaC substitutes.
 */
export const CrossplaneIamPaths = {
  index: iamFile('crossplane', 'roles'),
  trust: (account: string, role: string) => iamFile(joinPath('crossplane', account), `${role}.trust`),
  permissions: (account: string, role: string) => iamFile(joinPath('crossplane', account), `${role}.permissions`),
} as const;
