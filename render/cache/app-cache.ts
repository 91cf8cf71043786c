import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppManifestStore, AppRenderContext } from '../../charts/outputs/app-manifests.js';
import type { AppSpec } from '../../charts/model/spec.js';
import type { KubeObject } from '../../engines/kustomize/index.js';
import { sha256 } from '../../engines/util/index.js';
import { cacheDir } from './cache-dir.js';
import { codeVersion, stableJson } from './run-key.js';

/**
 * Rendered app manifests kept between runs, so that a change to one app renders that app only, and a
 * change to the rest of the fleet (a cluster, an add-on, a team's quota or boundaries) renders no app
 * at all (the base through cdk8s-plus and every environment overlay are most of a render's time).
 *
 * One pack file per version of the code (`codeVersion`). Inside it, an app is found by its spec as data
 * and its `AppRenderContext` (its team's name and environments): all a rendered app depends on, which
 * `renderAppManifests` is typed to read. So an entry is reused only when the app's spec, its context and
 * the code are exactly as when it was rendered; anything else renders the app again. Apps that cannot be
 * stated as data (a `chart` function) are never stored. Only apps that rendered without a problem are
 * stored.
 *
 * Each object is kept in its canonical form beside the bytes of its file (`RenderReuse`), so a render
 * that reuses an app neither serializes its files nor scans them for credentials again: a pack is saved
 * only by a run whose files passed the credential scan and the policies, and the scan is code of this
 * version.
 *
 * The pack holds the apps of the last run that used it (entries no longer used are dropped), and at
 * most a few packs are kept; it is written with a temporary file renamed into place, and a pack that
 * cannot be read counts as empty.
 */

const FORMAT = 'cdk8s-fleet-app-cache/3';

/** A rendered object of a fresh app, and once rendered its canonical form and bytes. */
interface Slot {
  readonly object: KubeObject;
  doc?: unknown;
  text?: string;
}

/** An entry as the pack holds it: per environment, each object's canonical form and its file's bytes. */
type Entry = Record<string, Array<[Record<string, unknown>, string]>>;

function isEntry(entry: unknown): entry is Entry {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return false;
  return Object.values(entry).every(
    (pairs) => Array.isArray(pairs) && pairs.every((p) => Array.isArray(p) && p.length === 2 && p[0] !== null && typeof p[0] === 'object' && !Array.isArray(p[0]) && typeof p[1] === 'string'),
  );
}
const MAX_PACKS = 4;

/**
 * The pack's text: a first line naming the format and the code version, then one line per app,
 * `<key> <Entry as JSON>` (JSON text holds no raw newline). Entries stay text until
 * an app asks for them, and are written back as the same text.
 */
function parsePack(text: string, code: string): Map<string, string> {
  const entries = new Map<string, string>();
  const lines = text.split('\n');
  if (lines[0] !== `${FORMAT} ${code}`) return entries;
  for (const line of lines.slice(1)) {
    const space = line.indexOf(' ');
    if (space === 64) entries.set(line.slice(0, space), line.slice(space + 1));
  }
  return entries;
}

/** The key of an app in its context, or undefined when the app is not plain data. */
export function appEntryKey(context: AppRenderContext, app: AppSpec): string | undefined {
  const json = stableJson(app);
  return json === undefined ? undefined : sha256(`${stableJson(context)}\0${json}`);
}

/** Also the `RenderReuse` of render/render.ts (structurally: render/cache does not import render/). */
export class AppManifestCache implements AppManifestStore {
  /** The cache of apps rendered by this code. */
  public static open(): AppManifestCache {
    return new AppManifestCache(codeVersion());
  }

  /** The pack's entries not asked for yet (an entry given to a render is dropped here, so the pack's text can be collected). */
  private loaded?: Map<string, string>;
  /** How many entries the pack held when read. */
  private packSize = 0;
  /** Keys of the entries this run took from the pack. */
  private readonly kept = new Set<string>();
  /** The apps this run rendered: per key, per environment, each object and its canonical form and bytes once rendered. */
  private readonly fresh = new Map<string, Map<string, Slot[]>>();
  /** A fresh object's slot, for `rendered`. */
  private readonly slots = new WeakMap<object, Slot>();
  /** Objects read from the pack (canonical already) and their bytes, for `before`. */
  private readonly prior = new WeakMap<object, string>();
  /** Apps found in the pack, and apps rendered (and stored when they are data), in this run. */
  public hits = 0;
  public misses = 0;

  private constructor(private readonly code: string) {}

  private get file(): string {
    return path.join(cacheDir(), `apps-${this.code.slice(0, 16)}.txt`);
  }

  /** The pack's entries as the file holds them now (empty when it cannot be read). */
  private read(): Map<string, string> {
    try {
      return parsePack(fs.readFileSync(this.file, 'utf8'), this.code);
    } catch {
      return new Map();
    }
  }

  private pack(): Map<string, string> {
    if (!this.loaded) {
      this.loaded = this.read();
      this.packSize = this.loaded.size;
    }
    return this.loaded;
  }

  public get(context: AppRenderContext, app: AppSpec): ReadonlyMap<string, readonly KubeObject[]> | undefined {
    const key = appEntryKey(context, app);
    if (key === undefined) return undefined;
    const text = this.pack().get(key);
    if (text === undefined) return undefined;
    this.pack().delete(key);
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isEntry(entry)) return undefined;
    const byEnvironment = new Map<string, KubeObject[]>();
    for (const [env, pairs] of Object.entries(entry)) {
      byEnvironment.set(env, pairs.map(([doc, bytes]) => {
        this.prior.set(doc, bytes);
        return doc as KubeObject;
      }));
    }
    this.kept.add(key);
    this.hits++;
    return byEnvironment;
  }

  public set(context: AppRenderContext, app: AppSpec, byEnvironment: ReadonlyMap<string, readonly KubeObject[]>): void {
    this.misses++;
    const key = appEntryKey(context, app);
    if (key === undefined) return;
    const envs = new Map<string, Slot[]>();
    for (const [env, objects] of byEnvironment) {
      envs.set(env, objects.map((object) => {
        const slot: Slot = { object };
        this.slots.set(object, slot);
        return slot;
      }));
    }
    this.fresh.set(key, envs);
  }

  /**
   * The render asks for no more apps: the pack's text is let go (the entries it gave are parsed copies;
   * those left point into it). `save` reads the file again for the entries it keeps.
   */
  public asked(): void {
    this.pack();
    this.loaded = new Map();
  }

  /** An object read from the pack: itself (stored canonical) and its bytes. */
  public before(data: unknown): { readonly doc: unknown; readonly text: string } | undefined {
    if (data === null || typeof data !== 'object') return undefined;
    const text = this.prior.get(data);
    return text === undefined ? undefined : { doc: data, text };
  }

  /** A fresh app's object as rendered: stored in this form with these bytes. */
  public rendered(data: unknown, doc: unknown, text: string): void {
    if (data === null || typeof data !== 'object') return;
    const slot = this.slots.get(data);
    if (slot) {
      slot.doc = doc;
      slot.text = text;
    }
  }

  /**
   * A fresh app's entry as the pack holds it: each object's canonical form and bytes as rendered; undefined
   * for an app with an object the run did not render (`rendered` not told), which is not stored.
   */
  private entryText(key: string): string | undefined {
    const entry: Record<string, Array<[unknown, string]>> = {};
    for (const [env, slots] of this.fresh.get(key) ?? []) {
      const pairs: Array<[unknown, string]> = [];
      for (const slot of slots) {
        if (slot.doc === undefined || slot.text === undefined) return undefined;
        pairs.push([slot.doc, slot.text]);
      }
      entry[env] = pairs;
    }
    return JSON.stringify(entry);
  }

  /** Writes `lines` to `fd` in writes of about a megabyte, not one per app, and without holding them all. */
  private static writeLines(fd: number, lines: Iterable<string>): void {
    let chunk = '';
    for (const line of lines) {
      chunk += line;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
  }

  /** The fresh apps' pack lines, made one at a time. */
  private *freshLines(): Generator<string> {
    for (const key of this.fresh.keys()) {
      const text = this.entryText(key);
      if (text !== undefined) yield `${key} ${text}\n`;
    }
  }

  /**
   * Writes the pack when this run rendered an app or stopped using one. Failing to write is harmless.
   * With `append` (a run that rendered only some apps and asked for few others), the apps it rendered
   * are appended to the pack as it is: every other entry stays, and one no longer asked for is dropped
   * by the next run that saves the pack whole. A line torn by two appends at once reads as no entry.
   * The pack is written as it is made, entry by entry, and its old entries are read again from the file
   * (a run holds only the entries it has not used yet): a save does not hold the whole pack's text twice.
   */
  public save(append = false): void {
    if (append && this.fresh.size === 0) return;
    this.pack();
    if (append && this.packSize > 0) {
      try {
        const fd = fs.openSync(this.file, 'a');
        try {
          AppManifestCache.writeLines(fd, this.freshLines());
        } finally {
          fs.closeSync(fd);
        }
        return;
      } catch {
        // Written whole below.
      }
    }
    // Entries no longer used (an app changed since, or removed) are dropped when the pack is written anyway,
    // or when they are a quarter of it: not on every run that stopped using one (a whole rewrite each time).
    const unused = this.packSize - this.kept.size;
    if (!append && this.fresh.size === 0 && (unused === 0 || unused * 4 < this.packSize)) return;
    const file = this.file;
    const dir = path.dirname(file);
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      // The entries to keep, as the file holds them: those this run used (all of them when appending).
      const old = this.kept.size > 0 || append ? this.read() : new Map<string, string>();
      fs.mkdirSync(dir, { recursive: true });
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, `${FORMAT} ${this.code}\n`);
        const kept = function* (self: AppManifestCache): Generator<string> {
          for (const [key, text] of old) if ((append || self.kept.has(key)) && !self.fresh.has(key)) yield `${key} ${text}\n`;
        };
        AppManifestCache.writeLines(fd, kept(this));
        AppManifestCache.writeLines(fd, this.freshLines());
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
      const packs = fs
        .readdirSync(dir)
        .filter((n) => /^apps-[0-9a-f]{16}\.txt$/.test(n))
        .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { n } of packs.slice(MAX_PACKS)) fs.rmSync(path.join(dir, n), { force: true });
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
}
