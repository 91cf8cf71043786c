import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffBy, diffTree, isClean, readTree, TreeDiff } from './tree.js';
import { ExpectedError } from './cli-failure.js';

/** Who holds the write lock, or who committed a journal. */
export interface WriterInfo {
  readonly pid: number;
  readonly host: string;
  /** ISO time the writer took the lock. */
  readonly started: string;
}

/** What a write did. */
export interface WriteResult extends TreeDiff {
  /** Files in the folder afterwards. */
  readonly total: number;
  /**
   * Set when an earlier writer had committed a write and stopped before finishing it (killed, or a
   * failed rename): that write was completed first, and this write's diff is against its result.
   */
  readonly completed?: WriterInfo;
}

export interface WriteOptions {
  /**
   * How long to wait for another writer's lock before giving up, in milliseconds. Default: the
   * CDK8S_FLEET_LOCK_WAIT environment variable (seconds), else 30 s.
   */
  readonly lockWaitMs?: number;
  /**
   * Called after a write that completed (or found nothing to change), while the lock is still held:
   * the folder holds exactly the files written, and no other writer can change that meanwhile.
   * @default - nothing
   */
  readonly afterWrite?: (result: TreeDiff) => void;
  /**
   * What the folder holds, by content hash, when that can be known without reading it (the index of the
   * folder, verified by its file times): called under the lock, before comparing. With `hashes` (the new
   * files' content hashes) the comparison reads no file.
   * @default - the folder is read
   */
  readonly currentHashes?: () => ReadonlyMap<string, string> | undefined;
  /** The sha256 of each new file's text, for `currentHashes`. */
  readonly hashes?: ReadonlyMap<string, string>;
  /**
   * `files` holds real text only for what changed; every other file's text is a placeholder, and its
   * hash in `hashes` is that of the file in the folder. Such a write must be compared by hash: when
   * `currentHashes` cannot say what the folder holds (it changed, or is gone), nothing is written and
   * the write fails with `PartialWriteRefused`.
   * @default false
   */
  readonly partial?: boolean;
}

/** A partial write (`WriteOptions.partial`) found the folder not as its index says: nothing was written. */
export class PartialWriteRefused extends Error {
  constructor() {
    super('the output folder changed since it was checked: nothing was written');
  }
}

/**
 * A write that failed. `state` says, in one sentence, what the output folder holds now: exactly
 * "Nothing was written." when the folder is untouched; otherwise what is half done and what completes it.
 */
export class TreeWriteError extends Error {
  constructor(
    /** The failure itself (an operating-system error, an ExpectedError, ...). */
    readonly reason: unknown,
    readonly state: string,
    /** Whether the output folder was changed at all. */
    readonly touched: boolean,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/** What a committed write still has to do: move staged files in, delete stale ones. */
interface Journal {
  /** The writer that committed it (absent in journals of versions before the lock). */
  readonly owner?: WriterInfo;
  /** Set by a writer that failed while carrying its journal out and left it for the next writer. */
  readonly abandoned?: boolean;
  /** Name of the staging folder beside `dir` that holds the new and changed files. */
  readonly staging: string;
  /** Files to move from staging into `dir`, relative paths. */
  readonly write: readonly string[];
  /** Files to delete from `dir`, relative paths. */
  readonly remove: readonly string[];
}

function siblings(dir: string) {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  return {
    abs,
    parent,
    shown: path.relative(process.cwd(), abs) || '.',
    // Left by versions that swapped whole trees; still mended.
    old: path.join(parent, `.${base}.old`),
    stagingPrefix: `.${base}.staging-`,
    journal: path.join(parent, `.${base}.journal`),
    journalTmpPrefix: `.${base}.journal.tmp-`,
    lock: path.join(parent, `.${base}.lock`),
    lockAsidePrefix: `.${base}.lock.stale-`,
  };
}
type Siblings = ReturnType<typeof siblings>;

const HOST = os.hostname();
const LOCK_POLL_MS = 100;
/** A lock file without readable content older than this is a writer that died between creating and filling it. */
const EMPTY_LOCK_STALE_MS = 5_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms));
}

function lockWaitMs(options: WriteOptions): number {
  if (options.lockWaitMs !== undefined) return options.lockWaitMs;
  const env = process.env.CDK8S_FLEET_LOCK_WAIT;
  const s = env === undefined || env === '' ? NaN : Number(env);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : 30_000;
}

/**
 * Whether a process may still be running. Only a process of this host can be asked; one of another
 * host (an output folder on a shared disk) always counts as running. `process.kill(pid, 0)` sends no
 * signal: ESRCH means no such process, EPERM means it runs under another user.
 */
function running(pid: number, host: string): boolean {
  if (host !== HOST) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The pid a leftover's name ends with (`.dist.staging-123`, `.dist.journal.tmp-123`), or NaN. */
function pidOf(name: string, prefix: string): number {
  const m = /^(\d+)/.exec(name.slice(prefix.length));
  return m ? Number(m[1]) : NaN;
}

/** Whether a leftover of the writer `pid` of this host may be removed: it is this process's own, or its writer is gone. */
function orphaned(pid: number, host = HOST): boolean {
  return (pid === process.pid && host === HOST) || !running(pid, host);
}

function who(w: WriterInfo): string {
  return `pid ${w.pid} on ${w.host}, since ${w.started}`;
}

// ---------------------------------------------------------------------------------------------------
// The lock: `.<dir>.lock` beside the output folder, created with O_EXCL, holding {pid, host, started}.

interface LockFile {
  readonly raw: string;
  readonly holder?: WriterInfo;
  readonly mtimeMs: number;
}

function readLock(file: string): LockFile | undefined {
  let raw: string;
  let mtimeMs: number;
  try {
    raw = fs.readFileSync(file, 'utf8');
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const j = JSON.parse(raw) as WriterInfo;
    if (typeof j.pid === 'number' && typeof j.host === 'string') return { raw, holder: j, mtimeMs };
  } catch {
    // being written right now, or its writer died between creating and filling it
  }
  return { raw, mtimeMs };
}

/** A lock whose holder is gone: its pid no longer runs on this host (or it was never filled in, long ago). */
function stale(lock: LockFile): boolean {
  if (!lock.holder) return Date.now() - lock.mtimeMs > EMPTY_LOCK_STALE_MS;
  // This process never holds the lock twice (writes are synchronous): a lock naming it is one it could
  // not remove, or a worker thread's; either way it is not taken over.
  if (lock.holder.pid === process.pid && lock.holder.host === HOST) return false;
  return !running(lock.holder.pid, lock.holder.host);
}

/**
 * Removes a stale lock, and only that one: it is renamed aside first, then compared with what was
 * judged stale. Should another writer have taken it over and locked in between, its lock is linked back
 * (link, unlike rename, never replaces a lock taken meanwhile).
 */
function takeOver(s: Siblings, seen: LockFile): void {
  const aside = path.join(s.parent, `${s.lockAsidePrefix}${process.pid}`);
  try {
    fs.renameSync(s.lock, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    if (fs.readFileSync(aside, 'utf8') !== seen.raw) {
      try {
        fs.linkSync(aside, s.lock);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

interface HeldLock {
  readonly info: WriterInfo;
  readonly raw: string;
}

/** Takes the lock, waiting up to `waitMs` for a live holder; a stale lock is taken over. */
function acquireLock(s: Siblings, waitMs: number): HeldLock {
  fs.mkdirSync(s.parent, { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    const info: WriterInfo = { pid: process.pid, host: HOST, started: new Date().toISOString() };
    const raw = JSON.stringify(info);
    let fd: number | undefined;
    try {
      fd = fs.openSync(s.lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, raw);
      } catch (e) {
        fs.closeSync(fd);
        fs.rmSync(s.lock, { force: true });
        throw e;
      }
      fs.closeSync(fd);
      return { info, raw };
    }
    const lock = readLock(s.lock);
    if (!lock) continue;
    if (stale(lock)) {
      takeOver(s, lock);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const holder = lock.holder ? `another synth (${who(lock.holder)})` : 'another synth';
      throw new ExpectedError(
        `${s.shown}/ is being written by ${holder}: waited ${Math.round(waitMs / 1000)} s for it to finish (lock ${path.relative(process.cwd(), s.lock)}). ` +
          `Run again when it has finished; if no such process is running, delete ${path.relative(process.cwd(), s.lock)}.`,
      );
    }
    sleep(Math.min(LOCK_POLL_MS, left));
  }
}

/** Whether this process still holds the lock (checked just before the commit point). */
function stillHeld(s: Siblings, lock: HeldLock): boolean {
  try {
    return fs.readFileSync(s.lock, 'utf8') === lock.raw;
  } catch {
    return false;
  }
}

function releaseLock(s: Siblings, lock: HeldLock): void {
  if (stillHeld(s, lock)) fs.rmSync(s.lock, { force: true });
}

// ---------------------------------------------------------------------------------------------------
// File operations, counted for the CDK8S_FLEET_FAIL_AFTER test hook.

/**
 * Test hook: CDK8S_FLEET_FAIL_AFTER=<n> makes a write fail, as a disk error would, on its file
 * operation n + 1 (operations: each staged file, the journal, the commit rename, each deletion and each
 * move into the folder). Recovery of an earlier write is never failed by it.
 */
function failureHook(): () => void {
  const env = process.env.CDK8S_FLEET_FAIL_AFTER;
  const n = env === undefined || env === '' ? NaN : Number(env);
  if (!Number.isInteger(n) || n < 0) return () => {};
  let done = 0;
  return () => {
    if (done++ < n) return;
    throw Object.assign(new Error(`EINJECTED: failure injected by CDK8S_FLEET_FAIL_AFTER=${n} at file operation ${done}`), {
      code: 'EINJECTED',
      syscall: 'write',
    });
  };
}
const NO_HOOK = () => {};

/** Removes `rel`'s parent folders inside `root` while they are empty. */
function pruneEmptyParents(root: string, rel: string): void {
  for (let d = path.dirname(rel); d !== '.' && d !== ''; d = path.dirname(d)) {
    try {
      fs.rmdirSync(path.join(root, d));
    } catch {
      return; // not empty (or already gone): the folders above are not empty either
    }
  }
}

interface Progress {
  removed: number;
  moved: number;
}

/** Carries out a committed journal; safe to run again on a journal that was partly carried out. */
function applyJournal(abs: string, parent: string, journal: Journal, op = NO_HOOK, progress: Progress = { removed: 0, moved: 0 }): void {
  const staging = path.join(parent, journal.staging);
  for (const rel of journal.remove) {
    op();
    fs.rmSync(path.join(abs, rel), { force: true });
    pruneEmptyParents(abs, rel);
    progress.removed++;
  }
  const parentOf = folderMaker();
  for (const rel of journal.write) {
    const from = path.join(staging, rel);
    // Moved in before the writer stopped. Nobody else removes a staged file: staging folders are only
    // ever removed under the lock, and only when their writer is gone.
    if (!fs.existsSync(from)) {
      progress.moved++;
      continue;
    }
    op();
    fs.renameSync(from, parentOf(path.join(abs, rel)));
    progress.moved++;
  }
}

/** Returns its file path after making the file's folder (each folder once). */
function folderMaker(): (file: string) => string {
  const made = new Set<string>();
  return (file) => {
    const folder = path.dirname(file);
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    return file;
  };
}

function writeFiles(root: string, files: Iterable<[string, string]>, op: () => void): void {
  const parentOf = folderMaker();
  for (const [rel, content] of files) {
    op();
    fs.writeFileSync(parentOf(path.join(root, rel)), content);
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Recovery (under the lock only).

function readJournal(file: string): Journal | undefined {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Journal;
    return typeof j.staging === 'string' && Array.isArray(j.write) && Array.isArray(j.remove) ? j : undefined;
  } catch {
    return undefined;
  }
}

function journalOwner(s: Siblings, j: Journal): WriterInfo {
  return j.owner ?? { pid: pidOf(j.staging, s.stagingPrefix), host: HOST, started: 'unknown' };
}

/**
 * Finishes what a stopped writer left, holding the lock: a committed journal is carried out to the end
 * (its writer had decided, so its tree is completed); staging folders and unfinished journals of
 * writers that are gone are removed. Anything of a writer that still runs is left alone.
 */
function recoverLocked(s: Siblings): WriterInfo | undefined {
  if (fs.existsSync(s.old)) {
    if (fs.existsSync(s.abs)) fs.rmSync(s.old, { recursive: true, force: true });
    else fs.renameSync(s.old, s.abs);
  }
  let completed: WriterInfo | undefined;
  if (fs.existsSync(s.journal)) {
    const j = readJournal(s.journal);
    if (j) {
      const owner = journalOwner(s, j);
      if (!j.abandoned && !orphaned(owner.pid, owner.host)) {
        throw new TreeWriteError(
          new ExpectedError(
            `${s.shown}/ has a committed write of ${who(owner)} that is still running without the lock ` +
              `(${path.relative(process.cwd(), s.journal)}); it is left alone.`,
          ),
          'Nothing was written.',
          false,
        );
      }
      try {
        applyJournal(s.abs, s.parent, j);
      } catch (e) {
        throw new TreeWriteError(
          e,
          `${s.shown}/ is part old, part new: the write that ${who(owner)} committed is still not finished ` +
            `(${path.relative(process.cwd(), s.journal)}). Nothing of this run was written; remove the cause and run synth again to complete it.`,
          true,
        );
      }
      completed = owner;
    }
    // An unreadable journal is one whose writer is gone (it is renamed into place whole): the tree is
    // whatever it carried out, and the write that follows makes it exactly the new render.
    fs.rmSync(s.journal, { force: true });
    if (j) fs.rmSync(path.join(s.parent, j.staging), { recursive: true, force: true });
  }
  if (fs.existsSync(s.parent)) {
    for (const name of fs.readdirSync(s.parent)) {
      for (const prefix of [s.stagingPrefix, s.journalTmpPrefix, s.lockAsidePrefix]) {
        if (name.startsWith(prefix) && orphaned(pidOf(name, prefix))) {
          fs.rmSync(path.join(s.parent, name), { recursive: true, force: true });
        }
      }
    }
  }
  return completed;
}

/**
 * Takes the lock (waiting for a live writer as a write does) and finishes what a stopped writer left:
 * a committed journal is completed, leftovers of writers that are gone are removed. Returns the writer
 * whose committed write was completed, if any. Leftovers of a writer that still runs are never touched.
 */
export function recoverTree(dir: string, options: WriteOptions = {}): WriterInfo | undefined {
  const s = siblings(dir);
  const lock = acquireLock(s, lockWaitMs(options));
  try {
    return recoverLocked(s);
  } finally {
    releaseLock(s, lock);
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading without the lock.

/** What a reader of the output folder found. */
/**
 * Whether no writer is at work on `dir` and none left anything behind: nothing beside it named
 * `.<dir>.*` (lock, journal, staging folder...). A synth that finds leftovers must take the lock and
 * clean them up (`recoverTree`), even when it has nothing to write. (A writer may start right after
 * this answer; readers that need more take `readTreeSettled`.)
 */
export function folderIdle(dir: string): boolean {
  const s = siblings(dir);
  const prefix = `.${path.basename(s.abs)}.`;
  try {
    return !fs.readdirSync(s.parent).some((name) => name.startsWith(prefix));
  } catch {
    return false;
  }
}

export type TreeRead =
  | { readonly kind: 'read'; readonly files: Map<string, Buffer> }
  /** A live writer held the lock for the whole wait. */
  | { readonly kind: 'busy'; readonly writer?: WriterInfo; readonly waitedMs: number }
  /** A committed write that its writer did not finish (it was killed, or failed): the folder is part old, part new. */
  | { readonly kind: 'unfinished'; readonly owner: WriterInfo };

function parentStamp(s: Siblings): string {
  try {
    const st = fs.statSync(s.parent, { bigint: true });
    return `${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return 'none';
  }
}

/**
 * Reads the output folder without taking the lock and without changing anything (for `check`): waits
 * (polling, up to the lock wait) while a live writer holds the lock, and reads again when a writer
 * started during the read (the lock file's creation changes the parent folder's mtime). A committed
 * write that was never finished is reported as such rather than read as a tree.
 */
export function readTreeSettled(dir: string, options: WriteOptions = {}): TreeRead {
  const s = siblings(dir);
  const waitMs = lockWaitMs(options);
  const deadline = Date.now() + waitMs;
  let writer: WriterInfo | undefined;
  for (;;) {
    const before = parentStamp(s);
    const lock = readLock(s.lock);
    let busy = lock !== undefined && !stale(lock);
    writer = busy ? lock!.holder : undefined;
    if (!busy && fs.existsSync(s.journal)) {
      const j = readJournal(s.journal);
      if (j) {
        const owner = journalOwner(s, j);
        // A writer that failed releases the lock before it exits; its journal stays for the next writer.
        if (j.abandoned || !running(owner.pid, owner.host)) return { kind: 'unfinished', owner };
        busy = true;
        writer = owner;
      }
    }
    if (!busy) {
      let files: Map<string, Buffer> | undefined;
      try {
        files = readTree(s.abs);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // a folder went away under the read: read again
      }
      const after = readLock(s.lock);
      if (files && parentStamp(s) === before && !(after && !stale(after)) && !fs.existsSync(s.journal)) return { kind: 'read', files };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { kind: 'busy', writer, waitedMs: waitMs };
    sleep(Math.min(LOCK_POLL_MS, left));
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing.

/**
 * Checks, before the commit point, what would make carrying the journal out fail: a target that is a
 * folder, a folder that cannot be written (read-only, as an unprivileged user), staging on another
 * filesystem. A failure here leaves `dir` untouched.
 */
function preflight(s: Siblings, staging: string, files: ReadonlyMap<string, string>, write: readonly string[], remove: readonly string[]): void {
  const removed = new Set(remove);
  const checked = new Set<string>();
  for (const rel of write) {
    for (let d = path.dirname(rel); d !== '.' && !checked.has(d); d = path.dirname(d)) {
      checked.add(d);
      // A stale file's path may become a folder of new files (or the reverse).
      if (files.has(d)) throw new ExpectedError(`output "${rel}" needs "${d}" to be a folder, but "${d}" is also a file`);
      const there = path.join(s.abs, d);
      if (!removed.has(d) && fs.existsSync(there) && !fs.statSync(there).isDirectory()) throw new ExpectedError(`output "${rel}" needs "${d}" to be a folder, but it is a file in the output folder; move it away`);
    }
    if (isDir(path.join(s.abs, rel))) throw new ExpectedError(`output "${rel}" is a file, but it is a folder in the output folder; move it away`);
  }
  if (fs.statSync(staging).dev !== fs.statSync(s.abs).dev) {
    throw new ExpectedError(`${s.shown}/ is a mount point: files cannot be renamed into it from ${path.relative(process.cwd(), s.parent) || '.'}/`);
  }
  const folders = new Set<string>();
  for (const rel of remove) folders.add(path.dirname(path.join(s.abs, rel)));
  for (const rel of write) {
    let d = path.dirname(path.join(s.abs, rel));
    while (!isDir(d)) d = path.dirname(d);
    folders.add(d);
  }
  for (const d of folders) fs.accessSync(d, fs.constants.W_OK | fs.constants.X_OK);
}

/**
 * Makes `dir` hold exactly `files`, touching only what changed, one writer at a time, so that neither
 * a killed, a failed nor a concurrent write leaves a half-written tree behind:
 *
 * 0. takes the lock `.<dir>.lock` beside `dir` (waits for a live holder, takes over a dead one's), and
 *    finishes what a stopped writer left (`recoverTree`); the diff is computed under the lock;
 * 1. new and changed files are written to `.<dir>.staging-<pid>` beside `dir`, and everything that
 *    could make step 3 fail is checked (a failure here, or a kill, leaves `dir` untouched);
 * 2. a journal naming the files to move in and to delete is committed with one rename: the commit point;
 * 3. the journal is carried out (renames into `dir`, deletions) and removed. Should this step fail or be
 *    killed, the journal stays and the next writer completes it, under the lock, before its own write.
 *
 * Unchanged files are never rewritten: they keep their bytes, inode and mtime, and a one-file change
 * costs one file, not the whole tree. A folder that does not exist yet is staged whole and renamed into
 * place at once. Nothing is touched when nothing changed. Throws a TreeWriteError saying what `dir`
 * holds.
 */
export function writeTreeAtomic(dir: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): WriteResult {
  const s = siblings(dir);
  let lock: HeldLock;
  try {
    lock = acquireLock(s, lockWaitMs(options));
  } catch (e) {
    throw new TreeWriteError(e, 'Nothing was written.', false);
  }
  try {
    const completed = recoverLocked(s);
    const result = writeLocked(s, files, lock, completed, options);
    try {
      options.afterWrite?.(result);
    } catch {
      // The write itself completed; what runs after it cannot undo that.
    }
    return completed ? { ...result, completed } : result;
  } catch (e) {
    if (e instanceof TreeWriteError) throw e;
    throw new TreeWriteError(e, 'Nothing was written.', false);
  } finally {
    releaseLock(s, lock);
  }
}

function writeLocked(s: Siblings, files: ReadonlyMap<string, string>, lock: HeldLock, completed: WriterInfo | undefined, options: WriteOptions): WriteResult {
  const before = completed
    ? `${s.shown}/ holds the completed write of ${who(completed)}; nothing of this run was written.`
    : 'Nothing was written.';
  const exists = fs.existsSync(s.abs);
  // After completing another writer's journal the folder is not what any index says: read it.
  const known = exists && !completed && options.hashes ? options.currentHashes?.() : undefined;
  if (options.partial && (!known || !options.hashes)) throw new TreeWriteError(new PartialWriteRefused(), before, completed !== undefined);
  // A folder known by content hash is compared without reading a file.
  const diff = known ? diffBy(files, known, (p) => known.get(p) === options.hashes!.get(p)) : diffTree(files, exists ? readTree(s.abs) : new Map());
  if (isClean(diff) && exists) return { ...diff, total: files.size };

  const op = failureHook();
  const stagingName = `${s.stagingPrefix}${process.pid}`;
  const staging = path.join(s.parent, stagingName);
  fs.rmSync(staging, { recursive: true, force: true }); // this process's own, from a write that failed
  const dropStaging = () => fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  if (!exists) {
    try {
      writeFiles(staging, files, op);
      op();
      if (!stillHeld(s, lock)) throw new ExpectedError(`lost the lock ${path.relative(process.cwd(), s.lock)} to another writer`);
      fs.renameSync(staging, s.abs); // the commit point: the whole tree appears at once
    } catch (e) {
      dropStaging();
      throw new TreeWriteError(e, before, completed !== undefined);
    }
    return { ...diff, total: files.size };
  }

  const write = [...diff.added, ...diff.changed].sort();
  const journal: Journal = { owner: lock.info, staging: stagingName, write, remove: diff.removed };
  const tmp = `${path.join(s.parent, s.journalTmpPrefix)}${process.pid}`;
  try {
    writeFiles(staging, write.map((rel) => [rel, files.get(rel)!]), op);
    preflight(s, staging, files, write, diff.removed);
    op();
    fs.writeFileSync(tmp, JSON.stringify(journal));
    op();
    if (!stillHeld(s, lock)) throw new ExpectedError(`lost the lock ${path.relative(process.cwd(), s.lock)} to another writer`);
    fs.renameSync(tmp, s.journal); // the commit point
  } catch (e) {
    dropStaging();
    fs.rmSync(tmp, { force: true });
    throw new TreeWriteError(e, before, completed !== undefined);
  }
  const progress: Progress = { removed: 0, moved: 0 };
  try {
    applyJournal(s.abs, s.parent, journal, op, progress);
  } catch (e) {
    // Committed: the next writer completes it. Marked so that it does not wait for this process to exit.
    try {
      fs.writeFileSync(tmp, JSON.stringify({ ...journal, abandoned: true }));
      fs.renameSync(tmp, s.journal);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
    const jr = path.relative(process.cwd(), s.journal);
    throw new TreeWriteError(
      e,
      `The write had committed and stopped part-way: ${s.shown}/ is part old, part new ` +
        `(${progress.removed} of ${journal.remove.length} stale files deleted, ${progress.moved} of ${write.length} new or changed files moved in). ` +
        `The next synth completes it (${jr}); until then check fails.`,
      true,
    );
  }
  fs.rmSync(s.journal);
  fs.rmSync(staging, { recursive: true, force: true });
  return { ...diff, total: files.size };
}
