/** Rules of the fleet's own settings: its name, Argo CD, and the git repositories. */
import { FleetSpec, GitCredentialField, GitCredentialSpec, GitRepoSpec } from '../model/spec.js';
import { GIT_CREDENTIAL_FIELDS } from '../argocd/git-credentials.js';
import { isEnabled } from '../model/resolve.js';
import { argoCdSsoProblems } from './argocd-sso.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkElements, checkItem, earlierWithSameKey, problem, records, Rule } from './rule-table.js';
import { dnsLabelProblem, identityProblem, GIT_REVISION, GIT_URL, isRecord, isString, kindOf } from './rules.js';

const SHARDING_ALGORITHMS = ['legacy', 'round-robin', 'consistent-hashing'];

/** The top of the spec: `name` and `argocd`. */
const SETTINGS: readonly Rule<FleetSpec, FleetContext>[] = [
  { field: 'name', check: (s) => dnsLabelProblem(s.name) },
  {
    field: 'argocd.mode',
    check: (_, { mode }) => mode !== 'self-managed' && mode !== 'eks-capability' && `"${mode}" is not a mode; use "self-managed" or "eks-capability"`,
  },
  { field: 'identity', check: (s) => s.identity !== undefined && identityProblem(s.identity) },
  { field: 'argocd.namespace', check: (s) => s.argocd?.namespace !== undefined && dnsLabelProblem(s.argocd.namespace) },
  {
    field: 'argocd.sharding.replicas',
    check: ({ argocd }) => {
      const replicas = argocd?.sharding?.replicas;
      return argocd?.sharding !== undefined && !(Number.isInteger(replicas) && replicas! >= 1 && replicas! <= 100)
        && `must be a whole number from 1 to 100, got ${JSON.stringify(replicas)}`;
    },
  },
  {
    field: 'argocd.sharding.algorithm',
    check: ({ argocd }) => argocd?.sharding?.algorithm !== undefined && !SHARDING_ALGORITHMS.includes(argocd.sharding.algorithm)
      && `"${argocd.sharding.algorithm}" is not a sharding algorithm; use legacy, round-robin or consistent-hashing`,
  },
  {
    field: 'argocd.sharding',
    check: (s, { mode }) => s.argocd?.sharding !== undefined && mode === 'eks-capability'
      && 'the EKS Argo CD capability manages its own controllers; remove sharding or use mode "self-managed"',
  },
  {
    field: 'argocd.progressiveSync',
    check: ({ argocd }) => argocd?.progressiveSync !== undefined && typeof argocd.progressiveSync !== 'boolean'
      && `must be true or false, got ${JSON.stringify(argocd.progressiveSync)}`,
  },
];

/** A repository URL of a form Argo CD reads: `https://host/org/repo(.git)`, `git@host:org/repo.git`, `ssh://git@host/org/repo.git`. */
export function gitUrlFormProblem(url: unknown): string | false {
  return !(isString(url) && GIT_URL.test(url)) && `"${isString(url) ? redacted(url) : url}" is not a git URL (https://host/org/repo.git or git@host:org/repo.git)`;
}

/** A branch, tag or commit, never `HEAD` nor empty. */
export function gitRevisionProblem(revision: unknown): string | false {
  return !(isString(revision) && GIT_REVISION.test(revision)) && `"${revision}" is not a branch, tag or commit (HEAD is not allowed: pin what Argo CD follows)`;
}

/** `repos.addons`, `repos.workloads`: what Argo CD reads. */
const REPO: readonly Rule<GitRepoSpec, FleetContext>[] = [
  { field: 'url', check: (r) => gitUrlFormProblem(r.url) },
  { field: 'revision', check: (r) => gitRevisionProblem(r.revision) },
  {
    field: 'basePath',
    check: (r) => r.basePath !== undefined && !(r.basePath === '' || (isString(r.basePath) && /^[\w.-]+(\/[\w.-]+)*\/$/.test(r.basePath) && !r.basePath.split('/').some((p) => p === '..' || p === '.')))
      && `"${r.basePath}" must be empty or a relative folder ending in '/' (like "dist/"), without '.' or '..'`,
  },
  {
    field: 'path',
    check: (r) => r.path !== undefined && !(isString(r.path) && /^[\w.-]+(\/[\w.-]+)*$/.test(r.path) && !r.path.split('/').includes('..'))
      && `"${r.path}" must be a relative folder without '..' or a trailing '/'`,
  },
];

/**
 * A URL with credentials in it (`https://user:token@host/...`, `ssh://user:password@host/...`): the part
 * before the host, or undefined. `git@host:org/repo.git` and `ssh://git@host/...` name a user only.
 */
export function urlUserinfo(url: unknown): string | undefined {
  if (!isString(url)) return undefined;
  const m = /^(https?):\/\/([^\s/@]*)@/.exec(url) ?? /^(ssh):\/\/([^\s/@]*:[^\s/@]*)@/.exec(url);
  return m ? m[2] : undefined;
}

/** `https://user:token@host/x` as `https://***@host/x`: a message never repeats a credential. */
export function redacted(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^\s/@]*@/, '$1***@');
}

export const credentialsInUrl = (url: unknown): string | false =>
  urlUserinfo(url) !== undefined &&
  `"${redacted(String(url))}" carries credentials in the URL: remove the part before '@' and declare them in repos.credentials (a reference to an AWS Secrets Manager secret), and rotate that token`;

/** Credentials in a repository URL are refused wherever a URL is read (checked after the table above, so earlier messages keep their order). */
const REPO_URL_CREDENTIALS: Rule<GitRepoSpec, FleetContext> = { field: 'url', check: (r) => credentialsInUrl(r.url) };

const CREDENTIAL_KINDS = Object.keys(GIT_CREDENTIAL_FIELDS);
/** A git URL prefix Argo CD matches `repo-creds` against: `https://host/...`, `ssh://user@host/...` or `user@host:...`. */
const GIT_URL_PREFIX = /^(https:\/\/[^\s/]+(\/\S*)?|ssh:\/\/\S+@[^\s/]+(\/\S*)?|[\w.-]+@[\w.-]+:\S*)$/;
/** A Secrets Manager secret name (letters, digits and /_+=.@-, at most 512) or a secret ARN. */
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d:\d{12}:secret:[\w/+=.@-]+$/;

/** `repos.credentials[i]`: references to AWS Secrets Manager, never values. */
const CREDENTIAL: readonly Rule<GitCredentialSpec, FleetContext>[] = [
  { field: 'name', check: (c) => dnsLabelProblem(c.name) },
  {
    field: 'match',
    check: (c) => c.match !== undefined && c.match !== 'repository' && c.match !== 'prefix' && `"${c.match}" is not a match; use "repository" (one URL) or "prefix" (a repo-creds template)`,
  },
  {
    field: 'url',
    check: (c) => {
      const prefix = c.match === 'prefix';
      if (!isString(c.url) || !(prefix ? GIT_URL_PREFIX : GIT_URL).test(c.url)) {
        return `"${isString(c.url) ? redacted(c.url) : kindOf(c.url)}" is not a git ${prefix ? 'URL prefix (https://host/org/)' : 'URL (https://host/org/repo.git or git@host:org/repo.git)'}`;
      }
      return credentialsInUrl(c.url);
    },
  },
  { field: 'kind', check: (c) => !CREDENTIAL_KINDS.includes(c.kind) && `"${c.kind}" is not a credential kind; use ${CREDENTIAL_KINDS.join(', ')}` },
  {
    field: 'secret',
    check: (c) => !(isString(c.secret) && (SECRET_ARN.test(c.secret) || (!c.secret.startsWith('arn:') && SECRET_NAME.test(c.secret))))
      && `must name the AWS Secrets Manager secret holding the credentials (a secret name like "argocd/git/git.example.com", or its ARN), got ${isString(c.secret) ? JSON.stringify(c.secret) : kindOf(c.secret)}`,
  },
  (c, at) => {
    if (c.keys === undefined) return [];
    if (!isRecord(c.keys)) return [problem(`${at}.keys`, `must be an object of Argo CD field to JSON key, got ${kindOf(c.keys)}`)];
    const fields = Object.keys(GIT_CREDENTIAL_FIELDS[c.kind] ?? {});
    return Object.entries(c.keys).flatMap(([field, key]) => {
      if (!fields.includes(field)) return [problem(`${at}.keys.${field}`, `is not a field of a ${c.kind} credential; use ${fields.join(', ')}`)];
      return isString(key) && key.length > 0 ? [] : [problem(`${at}.keys.${field as GitCredentialField}`, `must be the JSON key of the secret holding ${field}, got ${JSON.stringify(key)}`)];
    });
  },
];

/** The EKS Argo CD capability reads repositories itself: through AWS CodeConnections (or CodeCommit) URLs and its own IAM role. */
export const CODECONNECTIONS_URL_FORM = 'https://codeconnections.<region>.amazonaws.com/git-http/<account-id>/<region>/<connection-id>/<owner>/<repository>.git';

function credentialProblems(ctx: FleetContext): FieldProblem[] {
  const list = ctx.spec.repos?.credentials;
  if (list === undefined) return [];
  const at = 'repos.credentials';
  if (!Array.isArray(list)) return [problem(at, `must be a list of credentials, got ${kindOf(list)}`)];
  const out = checkElements(at, list, CREDENTIAL, ctx, 'a credential { name, url, kind, secret }');
  if (ctx.mode === 'eks-capability') {
    // The capability reads the secret itself (repository Secret field secretArn), by ARN and in its own format.
    for (const [c, i] of records(list)) {
      if (isString(c.secret) && !c.secret.startsWith('arn:')) {
        out.push(problem(`${at}[${i}].secret`, `the EKS Argo CD capability reads the secret itself and needs its ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>), got the name "${c.secret}"; or use an AWS CodeConnections URL (${CODECONNECTIONS_URL_FORM}) and no credential`));
      }
      if (c.keys !== undefined) {
        out.push(problem(`${at}[${i}].keys`, 'the EKS Argo CD capability reads fixed keys (username and token; the SSH key as plain text; githubAppID, githubAppInstallationID, githubAppPrivateKeySecret): remove keys and store the secret in that form'));
      }
    }
  }
  for (const [i, j] of earlierWithSameKey(records(list), (c) => c.name)) out.push(problem(`${at}[${i}].name`, `"${list[i].name}" is already defined at ${at}[${j}]`));
  // One store per hub reads one region: the secrets named by ARN share it.
  let firstArn: [string, number] | undefined;
  for (const [c, i] of records(list)) {
    if (!isString(c.secret) || !SECRET_ARN.test(c.secret)) continue;
    const region = c.secret.split(':')[3];
    if (!firstArn) firstArn = [region, i];
    else if (region !== firstArn[0]) {
      out.push(problem(`${at}[${i}].secret`, `is in region ${region}, but ${at}[${firstArn[1]}].secret is in ${firstArn[0]}: Argo CD's store reads one region; keep the git credential secrets in one region (replicate the secret)`));
    }
  }
  if (ctx.mode === 'self-managed' && list.length > 0) {
    // External Secrets on each hub makes the repository Secrets.
    for (const i of ctx.hubs) {
      const [hub] = ctx.clusters.items.find(([, k]) => k === i)!;
      if (isEnabled(hub, ctx.environments.byName.get(hub.environment), 'external-secrets')) continue;
      out.push(problem(at, `External Secrets makes Argo CD's repository Secrets from these credentials on hub "${hub.name}": enable the external-secrets add-on there (clusters[${i}].addons or its environment's addons)`));
    }
  }
  return out;
}

function repoProblems(path: string, repo: GitRepoSpec | undefined, ctx: FleetContext): FieldProblem[] {
  return repo ? checkItem(repo, path, [...REPO, REPO_URL_CREDENTIALS], ctx) : [problem(path, 'is missing; give { url, revision }')];
}

export function fleetSettingProblems(ctx: FleetContext): FieldProblem[] {
  return [
    ...checkItem(ctx.spec, '', SETTINGS, ctx),
    ...repoProblems('repos.addons', ctx.spec.repos?.addons, ctx),
    ...repoProblems('repos.workloads', ctx.spec.repos?.workloads, ctx),
    ...credentialProblems(ctx),
    ...(ctx.spec.repos?.public !== undefined && typeof ctx.spec.repos.public !== 'boolean'
      ? [problem('repos.public', `must be true or false, got ${JSON.stringify(ctx.spec.repos.public)}`)] : []),
    ...argoCdSsoProblems(ctx),
  ];
}
