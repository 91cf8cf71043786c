import { ScratchChart, synthesizeScope } from '../charts/outputs/synthesize-scope.js';
import { OutputFile } from '../charts/outputs/output-file.js';
import { canonical, toYaml } from './serialize.js';
import { compareStrings } from '../engines/util/index.js';

/** Thrown when the output files themselves are inconsistent (two files with one path, a path escaping dist/). */
export class OutputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

const SAFE_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/**
 * Renders output files to their bytes, keyed by path and sorted by path.
 *
 * Each file's objects are built in a scope of their own and synthesized once (`synthesizeScope`), so
 * the cost of a file never depends on how many other files there are: render time grows linearly with
 * the fleet (`Chart.toJson()` on one big App re-resolves every chart for each chart's synthesis).
 */
export function renderFiles(files: readonly OutputFile[]): Map<string, string> {
  return renderTree(files).files;
}

/** A rendered tree: each file's bytes and the objects (or data; none for text files) in it, both keyed by path and sorted. */
export interface RenderedTree {
  readonly files: Map<string, string>;
  readonly objects: Map<string, unknown[]>;
  /** The files whose bytes came from `RenderReuse.before`: rendered, scanned and checked by this code before. */
  readonly reused: ReadonlySet<string>;
}

/**
 * Data files rendered before (the app cache: render/cache/app-cache.ts): a data file's canonical object
 * and bytes are taken as they were instead of being made again, and each data file's are told as made.
 */
export interface RenderReuse {
  /** The canonical form and bytes `data` rendered to before, or undefined. */
  before(data: unknown): { readonly doc: unknown; readonly text: string } | undefined;
  /** `data` rendered now to its canonical form `doc` and the bytes `text`. */
  rendered(data: unknown, doc: unknown, text: string): void;
}

/** Renders output files to bytes and keeps the objects, for the policies to read without parsing YAML again. */
export function renderTree(files: readonly OutputFile[], reuse?: RenderReuse): RenderedTree {
  const out = new Map<string, string>();
  const objects = new Map<string, unknown[]>();
  const reused = new Set<string>();
  // One App and Chart for every file; each file synthesizes only its own scope (linear, not quadratic).
  const scratch = new ScratchChart('fleet');
  let index = 0;
  // In path order from the start: the maps are built sorted, with no sorted copy of them at fleet scale.
  const byPath = (a: OutputFile, b: OutputFile) => compareStrings(a.path, b.path);
  for (const file of [...files].sort(byPath)) {
    if (!SAFE_PATH.test(file.path) || file.path.split('/').some((s) => s === '.' || s === '..')) {
      throw new OutputError(`output path "${file.path}" is not a plain relative path inside dist/`);
    }
    if (out.has(file.path)) throw new OutputError(`two outputs want the same path "${file.path}"`);
    if (file.text !== undefined) {
      out.set(file.path, file.text);
      objects.set(file.path, []);
      continue;
    }
    let docs: unknown[];
    let text: string;
    if (file.build) {
      const scope = scratch.scope(`f${index++}`);
      file.build(scope);
      docs = synthesizeScope(scope);
      if (docs.length === 0) throw new OutputError(`output "${file.path}" built no objects`);
      text = toYaml(docs);
    } else {
      const before = reuse?.before(file.data);
      if (before) {
        docs = [before.doc];
        text = before.text;
        reused.add(file.path);
      } else {
        docs = [canonical(file.data)];
        text = toYaml(docs);
        reuse?.rendered(file.data, docs[0], text);
      }
    }
    out.set(file.path, text);
    objects.set(file.path, docs);
  }
  return { files: out, objects, reused };
}
