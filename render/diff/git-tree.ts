/**
 * The rendered tree of a git ref, to compare the working tree with: either rendered from the ref's own
 * code in a temporary worktree, or read from the ref's committed dist/ without running anything.
 */
import { ExpectedError } from '../cli-failure.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTree } from '../tree.js';
import { FileTree } from './object-diff.js';
import { compareStrings } from '../../engines/util/index.js';

/** A failure to get a ref's tree: an unknown ref, no git, or the ref's code failing to render. */
export class GitTreeError extends ExpectedError {
  public constructor(message: string) {
    super(message);
    this.name = 'GitTreeError';
  }
}

/** Options of {@link refTree}. */
export interface RefTreeOptions {
  /**
   * The project folder (holding package.json, main.ts and dist/), inside a git repository.
   * @default - the current folder
   */
  readonly cwd?: string;
  /**
   * Read the ref's committed dist/ (`git ls-tree` and `git cat-file`) instead of rendering its code.
   * Fast, runs no code, and is what CI verified for a ref that passed `npm run check`.
   * @default false
   */
  readonly committed?: boolean;
  /**
   * Files the ref probably has too (the working tree's rendering). With `committed`, a file whose git
   * blob id equals that of the same path here is taken from here instead of being read from git, so
   * only the files that differ are read.
   * @default - every file is read from git
   */
  readonly known?: FileTree;
  /**
   * Longest a render of the ref may take, in milliseconds.
   * @default 600000
   */
  readonly timeoutMs?: number;
}

/** A ref's tree and the commit it resolved to. */
export interface RefTree {
  /** The full commit id the ref names. */
  readonly commit: string;
  /** dist/ of that commit, keyed by path relative to dist/. */
  readonly files: FileTree;
}

const MAX_BUFFER = 2 ** 31 - 1;

/** Runs git in `cwd` and returns its stdout; a failure becomes a GitTreeError carrying git's message. */
function git(cwd: string, args: readonly string[], what: string, input?: string): Buffer {
  try {
    return execFileSync('git', args, { cwd, input, maxBuffer: MAX_BUFFER, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string; code?: string };
    if (err.code === 'ENOENT') throw new GitTreeError('git is not installed or not on PATH; it is needed to read a ref');
    const detail = err.stderr?.toString().trim() || err.message;
    throw new GitTreeError(`${what}: ${detail}`);
  }
}

/** The full commit id `ref` names, or a GitTreeError naming the ref. */
export function resolveCommit(cwd: string, ref: string): string {
  git(cwd, ['rev-parse', '--is-inside-work-tree'], `${cwd} is not inside a git repository`);
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], '').toString().trim();
  } catch {
    throw new GitTreeError(
      `unknown git ref "${ref}": it names no commit in this repository (for a branch of the remote, fetch it and write origin/<branch>; in CI, check out with fetch-depth: 0)`,
    );
  }
}

/** The project's folder relative to the top of its repository ('' or ending in '/'). */
function prefixOf(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-prefix'], 'cannot locate the project in its repository').toString().trim();
}

/** The id git gives a file of these contents (`git hash-object`). */
export function gitBlobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * The committed dist/ of a commit: `git ls-tree -r -z <commit>:<prefix>dist` for the blobs, then one
 * `git cat-file --batch` for the contents of those not in `known` with the same blob id. Runs no code
 * of the ref.
 */
export function committedDist(cwd: string, commit: string, known: FileTree = new Map()): Map<string, string> {
  const treeish = `${commit}:${prefixOf(cwd)}dist`;
  let listing: string;
  try {
    listing = git(cwd, ['ls-tree', '-r', '-z', '--end-of-options', treeish], '').toString();
  } catch {
    throw new GitTreeError(`commit ${commit.slice(0, 12)} has no committed dist/ folder; leave out --committed to render its code instead`);
  }
  const entries: Array<{ sha: string; path: string }> = [];
  for (const record of listing.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [, type, sha] = record.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ sha, path: record.slice(tab + 1) });
  }
  const out = new Map<string, string>();
  const toRead = entries.filter((e) => {
    const text = known.get(e.path);
    if (text === undefined || e.sha.length !== 40 || gitBlobId(text) !== e.sha) return true;
    out.set(e.path, text);
    return false;
  });
  const batch = toRead.length === 0 ? Buffer.alloc(0) : git(cwd, ['cat-file', '--batch'], 'cannot read the committed files', toRead.map((e) => `${e.sha}\n`).join(''));
  let at = 0;
  for (const e of toRead) {
    const eol = batch.indexOf(10, at);
    const header = batch.subarray(at, eol).toString().split(' ');
    if (header[0] !== e.sha || header[1] !== 'blob') throw new GitTreeError(`git cat-file answered "${header.join(' ')}" for ${e.path} (${e.sha})`);
    const size = Number(header[2]);
    out.set(e.path, batch.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return new Map([...out].sort(([a], [b]) => compareStrings(a, b)));
}

/**
 * Renders a commit's own code: `git worktree add --detach` in a temporary folder, this project's
 * node_modules linked in, `node --import tsx main.ts synth --out <folder>` there, and the folder read
 * back. The worktree and the output are removed afterwards, whatever happens (a process killed mid-way
 * leaves a worktree entry that `git worktree prune` removes once its folder is gone).
 *
 * The commit's code runs with this checkout's dependencies: a commit that needs other package versions
 * may render differently, or fail (then `--committed` reads its dist/ instead).
 */
export function renderedDist(cwd: string, commit: string, timeoutMs = 600_000): Map<string, string> {
  const prefix = prefixOf(cwd);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-fleet-diff-'));
  const worktree = path.join(tmp, 'worktree');
  const out = path.join(tmp, 'dist');
  let added = false;
  let link: string | undefined;
  try {
    git(cwd, ['worktree', 'add', '--detach', '--quiet', worktree, commit], `cannot check out ${commit.slice(0, 12)} into a temporary worktree`);
    added = true;
    const project = path.join(worktree, prefix);
    const modules = path.join(path.resolve(cwd), 'node_modules');
    if (fs.existsSync(modules) && !fs.existsSync(path.join(project, 'node_modules'))) {
      link = path.join(project, 'node_modules');
      fs.symlinkSync(modules, link, 'dir');
    }
    const env = { ...process.env };
    delete env.CDK8S_OUTDIR;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts', 'synth', '--out', out], {
      cwd: project, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      const why = r.error ? r.error.message : (r.stderr || r.stdout).trim().split('\n').slice(-12).join('\n  ');
      throw new GitTreeError(
        `rendering commit ${commit.slice(0, 12)} with its own code failed (exit ${r.status ?? r.signal}):\n  ${why}\n` +
        'Add --committed to compare with its committed dist/ instead (no code is run).',
      );
    }
    const files = new Map<string, string>();
    for (const [p, bytes] of readTree(out)) files.set(p, bytes.toString('utf8'));
    return files;
  } finally {
    // Unlink our node_modules first, so nothing below could ever walk into the real one.
    if (link !== undefined) {
      try { fs.unlinkSync(link); } catch { /* already gone */ }
    }
    if (added) {
      try {
        git(cwd, ['worktree', 'remove', '--force', worktree], 'cannot remove the temporary worktree');
      } catch {
        fs.rmSync(worktree, { recursive: true, force: true });
        try { git(cwd, ['worktree', 'prune'], ''); } catch { /* the next git worktree prune cleans up */ }
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The tree of a ref: rendered from its code (default) or read from its committed dist/ (`committed`). */
export function refTree(ref: string, options: RefTreeOptions = {}): RefTree {
  const cwd = options.cwd ?? process.cwd();
  const commit = resolveCommit(cwd, ref);
  const files = options.committed ? committedDist(cwd, commit, options.known) : renderedDist(cwd, commit, options.timeoutMs);
  return { commit, files };
}
