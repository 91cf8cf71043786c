/**
 * Git repository URLs as Argo CD compares them (no imports: `render/plan` and validation both use it).
 *
 * Argo CD normalises a repository URL before it matches it against an AppProject's `sourceRepos`
 * (`AppProject.IsSourcePermitted`, a glob match of both normalised URLs with '/' as separator) and against
 * the `url` of `repository` and `repo-creds` Secrets: lower case, without a trailing `.git`, and
 * `git@host:org/repo` as `git@host/org/repo` (argoproj/argo-cd `util/git` `NormalizeGitURL`).
 */

/**
 * Argo CD's `git.NormalizeGitURL` (util/git): lower case, trimmed, an scp-like `user@host:path` read as
 * `ssh://user@host/path`, without a `.git` suffix, and without the `ssh://` scheme.
 */
export function normalizeGitUrl(url: string): string {
  let r = url.trim().toLowerCase();
  if (!r.startsWith('ssh://') && /^[\w.-]+@[\w.-]+:/.test(r)) r = `ssh://${r.replace(':', '/')}`;
  if (r.endsWith('.git')) r = r.slice(0, -'.git'.length);
  return r.replace(/^ssh:\/\//, '');
}

/** Repository URLs AWS authenticates for the EKS Argo CD capability with its IAM role: CodeConnections and CodeCommit. */
export const AWS_GIT_HOST = /^https:\/\/(codeconnections|codestar-connections|git-codecommit)\.[a-z0-9-]+\.amazonaws\.com\//;

/**
 * Characters a glob of `sourceRepos` gives a meaning to (gobwas/glob: `*`, `?`, `[...]`, `{a,b}`, `\`;
 * a leading `!` denies): a URL holding one would not match itself.
 */
export const GLOB_CHARACTERS = /[*?[\]{}\\!]/;
