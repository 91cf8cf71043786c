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
 * The pack holds the apps of the last run that used it (entries no longer used are dropped), and at
 * most a few packs are kept; it is written with a temporary file renamed into place, and a pack that
 * cannot be read counts as empty.
 */

const FORMAT = 'cdk8s-fleet-app-cache/2';
const MAX_PACKS = 4;

/**
 * The pack's text: a first line naming the format and the code version, then one line per app,
 * `<key> <objects per environment as JSON>` (JSON text holds no raw newline). Entries stay text until
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

export class AppManifestCache implements AppManifestStore {
  /** The cache of apps rendered by this code. */
  public static open(): AppManifestCache {
    return new AppManifestCache(codeVersion());
  }

  private loaded?: Map<string, string>;
  private readonly used = new Map<string, string>();
  /** Keys of the apps this run rendered. */
  private readonly fresh = new Set<string>();
  private changed = false;
  /** Apps found in the pack, and apps rendered (and stored when they are data), in this run. */
  public hits = 0;
  public misses = 0;

  private constructor(private readonly code: string) {}

  private get file(): string {
    return path.join(cacheDir(), `apps-${this.code.slice(0, 16)}.txt`);
  }

  private pack(): Map<string, string> {
    if (!this.loaded) {
      try {
        this.loaded = parsePack(fs.readFileSync(this.file, 'utf8'), this.code);
      } catch {
        this.loaded = new Map();
      }
    }
    return this.loaded;
  }

  public get(context: AppRenderContext, app: AppSpec): ReadonlyMap<string, readonly KubeObject[]> | undefined {
    const key = appEntryKey(context, app);
    if (key === undefined) return undefined;
    const text = this.pack().get(key);
    if (text === undefined) return undefined;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry) || !Object.values(entry).every(Array.isArray)) return undefined;
    this.used.set(key, text);
    this.hits++;
    return new Map(Object.entries(entry as Record<string, KubeObject[]>));
  }

  public set(context: AppRenderContext, app: AppSpec, byEnvironment: ReadonlyMap<string, readonly KubeObject[]>): void {
    this.misses++;
    const key = appEntryKey(context, app);
    if (key === undefined) return;
    // Stored as the JSON text it is read back from: nothing this run does to the objects later can leak in.
    this.used.set(key, JSON.stringify(Object.fromEntries(byEnvironment)));
    this.fresh.add(key);
    this.changed = true;
  }

  /**
   * Writes the pack when this run rendered an app or stopped using one. Failing to write is harmless.
   * With `append` (a run that rendered only some apps and asked for few others), the apps it rendered
   * are appended to the pack as it is: every other entry stays, and one no longer asked for is dropped
   * by the next run that saves the pack whole. A line torn by two appends at once reads as no entry.
   */
  public save(append = false): void {
    if (append && this.fresh.size === 0) return;
    if (append && this.pack().size > 0) {
      try {
        fs.appendFileSync(this.file, [...this.fresh].map((key) => `${key} ${this.used.get(key)}\n`).join(''));
        return;
      } catch {
        // Written whole below.
      }
    }
    if (append) for (const [key, text] of this.pack()) if (!this.used.has(key)) this.used.set(key, text);
    if (!this.changed && this.pack().size === this.used.size) return;
    const file = this.file;
    const dir = path.dirname(file);
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      fs.mkdirSync(dir, { recursive: true });
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, `${FORMAT} ${this.code}\n`);
        // In writes of about a megabyte, not one per app.
        let chunk = '';
        for (const [key, text] of this.used) {
          chunk += `${key} ${text}\n`;
          if (chunk.length > 1 << 20) {
            fs.writeSync(fd, chunk);
            chunk = '';
          }
        }
        fs.writeSync(fd, chunk);
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
