import { writeSync } from 'node:fs';
import { CompactEntryList, EntryList, FleetPlanView, isCompactEntryList, planFleetView, PlanEntry, SharedEntryFields } from './plan.js';
import { FleetOutputsOptions } from '../../charts/outputs/fleet-outputs.js';
import { FleetSource } from '../../charts/model/spec.js';
import { reportFailure, UsageError } from '../cli-failure.js';
import * as path from 'node:path';
import { outDir } from '../cli.js';
import { plural } from '../../engines/util/index.js';
import { readOrRender, readPlanInputs } from './plan-source.js';

const USAGE = `usage: main.ts plan [--json] [--out DIR] [--no-cache]
  plan         print, per cluster, every Application Argo CD will generate from the rendered ApplicationSets
               and cluster Secrets, and the plain Applications: name, project, source, namespace, and what
               removing it would do (uninstall: Argo CD deletes its resources; orphan: they keep running)
  plan --json  the same as JSON for tools: { clusters, applications, problems }
  --out DIR    the output folder of synth (default dist/, or $CDK8S_OUTDIR): when input, code and DIR are
               as at the last synth, the plan reads DIR's Argo CD objects instead of rendering the fleet
  --no-cache   render even then (so does CDK8S_FLEET_CACHE=off)
Exit 1 when Argo CD would fail on something (each problem on stderr), 2 on a usage error.`;

/** Where output goes, one chunk at a time. */
export type OutputSink = (chunk: string) => void;

/**
 * 64 KB (a pipe's buffer): large enough that writing costs little per byte, small enough that output
 * never piles up in memory, and that a chunk being made is rarely alive when the young generation is
 * collected (copying a megabyte of pieces at each collection cost more than the writes saved).
 */
const CHUNK_SIZE = 1 << 16;

/**
 * Collects text and hands it to a sink in chunks of about `chunkSize` characters (a chunk ends where the
 * write that filled it ends), so a plan of ~500k Applications (80 MB as a table, 280 MB as JSON) is
 * written as it is formatted instead of being built as one string first. Call {@link end} for the rest.
 */
export class ChunkedWriter {
  // The pieces of the chunk, joined once: `+=` would build a chain of thousands of cons strings, which
  // every garbage collection meanwhile copies.
  private readonly parts: string[] = [];
  private size = 0;

  public constructor(
    private readonly sink: OutputSink,
    private readonly chunkSize: number = CHUNK_SIZE,
  ) {}

  public write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.chunkSize) this.flush();
  }

  /** Hands what is buffered to the sink. */
  public end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.size === 0) return;
    const chunk = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts.length = 0;
    this.size = 0;
    this.sink(chunk);
  }
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * A sink that writes to a file descriptor synchronously (`fs.writeSync`), whatever it is: a file, a
 * terminal or a pipe. `process.stdout.write` queues in memory when a pipe's reader is slower than us
 * (hundreds of MB at fleet scale); this waits instead. A pipe Node made non-blocking answers EAGAIN
 * when full: wait 1 ms and write the rest. A reader that went away (EPIPE, `plan | head`) ends the
 * output quietly, as `console.log` did: the exit code still says whether Argo CD would fail.
 */
export function fdSink(fd: number): OutputSink {
  let closed = false;
  return (chunk) => {
    if (closed) return;
    const bytes = Buffer.from(chunk, 'utf8');
    for (let offset = 0; offset < bytes.length; ) {
      try {
        offset += writeSync(fd, bytes, offset);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(PAUSE, 0, 0, 1);
          continue;
        }
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        throw e;
      }
    }
  };
}

/** The text a writer produces, as one string (for small plans and tests). */
function collect(write: (out: ChunkedWriter) => void): string {
  const chunks: string[] = [];
  const out = new ChunkedWriter((c) => chunks.push(c));
  write(out);
  out.end();
  return chunks.join('');
}

/** The Applications of a plan grouped by cluster, as ranges of indexes, with the column widths and counts of the table. */
interface TableLayout {
  readonly entries: EntryList;
  readonly ranges: Map<string, { start: number; end: number }>;
  readonly widths: readonly [number, number, number, number];
  readonly generated: number;
  readonly uninstall: number;
}

/**
 * One pass over the entries. A plan's entries are sorted by cluster, so each cluster's are one range;
 * entries given in another order are grouped first (in order of first appearance, keeping their order).
 */
function tableLayout(entries: EntryList): TableLayout {
  if (isCompactEntryList(entries)) return compactLayout(entries);
  const ranges = new Map<string, { start: number; end: number }>();
  const widths: [number, number, number, number] = [0, 0, 0, 0];
  let generated = 0;
  let uninstall = 0;
  let current: { start: number; end: number } | undefined;
  let cluster = '';
  for (let i = 0; i < entries.length; i++) {
    const e = entries.at(i)!;
    if (e.application.length > widths[0]) widths[0] = e.application.length;
    if (e.project.length > widths[1]) widths[1] = e.project.length;
    if (e.source.length > widths[2]) widths[2] = e.source.length;
    if (e.destinationNamespace.length > widths[3]) widths[3] = e.destinationNamespace.length;
    if (e.applicationSet !== undefined) generated++;
    if (e.onRemoval === 'uninstall') uninstall++;
    if (current && e.cluster === cluster) {
      current.end = i + 1;
      continue;
    }
    if (ranges.has(e.cluster)) {
      const groups = new Map<string, PlanEntry[]>();
      for (let j = 0; j < entries.length; j++) {
        const x = entries.at(j)!;
        const group = groups.get(x.cluster);
        if (group) group.push(x);
        else groups.set(x.cluster, [x]);
      }
      return tableLayout([...groups.values()].flat());
    }
    cluster = e.cluster;
    current = { start: i, end: i + 1 };
    ranges.set(cluster, current);
  }
  return { entries, ranges, widths, generated, uninstall };
}

/** {@link tableLayout} of a compact store: sorted by cluster, read without making entry objects. */
function compactLayout(entries: CompactEntryList): TableLayout {
  const ranges = new Map<string, { start: number; end: number }>();
  for (const r of entries.clusterRanges()) ranges.set(r.cluster, { start: r.start, end: r.end });
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let generated = 0;
  let uninstall = 0;
  let last: SharedEntryFields | undefined;
  entries.forEachEntry(0, entries.length, (_cluster, _server, application, shared) => {
    if (application.length > w0) w0 = application.length;
    if (shared !== last) {
      last = shared;
      if (shared.project.length > w1) w1 = shared.project.length;
      if (shared.source.length > w2) w2 = shared.source.length;
      if (shared.destinationNamespace.length > w3) w3 = shared.destinationNamespace.length;
    }
    if (shared.applicationSet !== undefined) generated++;
    if (shared.onRemoval === 'uninstall') uninstall++;
  });
  return { entries, ranges, widths: [w0, w1, w2, w3], generated, uninstall };
}

/**
 * Writes the rows of entries `start` to `end` of a compact store, as `row` would: the part of a row after
 * the name is the same for entries that share their fields, so it is made once per run of them.
 */
function writeCompactRows(entries: CompactEntryList, start: number, end: number, widths: readonly [number, number, number, number], out: ChunkedWriter, lost: boolean): void {
  const [w0, w1, w2, w3] = widths;
  // Each row is written as its pieces (the writer joins them once per chunk): indent, name, the spaces
  // that pad it (one string per length), and the rest, made once per run of entries sharing it.
  const pads: string[] = [];
  for (let n = 0; n <= w0; n++) pads.push(' '.repeat(n));
  // Sorted by name, neighbours rarely share their fields: the rest of the row is kept per shared fields.
  const tails = new Map<SharedEntryFields, string>();
  let last: SharedEntryFields | undefined;
  let tail = '';
  entries.forEachEntry(start, end, (_cluster, server, application, shared) => {
    if (shared !== last) {
      last = shared;
      let t = tails.get(shared);
      if (t === undefined) {
        t = `  ${shared.project.padEnd(w1)}  ${shared.source.padEnd(w2)}  ${shared.destinationNamespace.padEnd(w3)}  removal: ${shared.onRemoval}${lost ? '' : '\n'}`;
        tails.set(shared, t);
      }
      tail = t;
    }
    out.write('  ');
    out.write(application);
    if (application.length < w0) out.write(pads[w0 - application.length]);
    out.write(tail);
    if (lost) out.write(`  -> ${server || '(no server)'}\n`);
  });
}

/**
 * Writes the plan as a table: one header line per cluster (environment, server, count), then one aligned
 * row per Application (name, project, source, destination namespace, and what removing it would do:
 * `removal: uninstall` or `removal: orphan`), then a count line; every line ends with a newline.
 * Applications whose destination matches no cluster come last, under their own header.
 */
export function writePlanTable(plan: FleetPlanView, out: ChunkedWriter): void {
  const { entries, ranges, widths, generated, uninstall } = tableLayout(plan.entries);
  const [w0, w1, w2, w3] = widths;
  const row = (e: PlanEntry) =>
    `  ${e.application.padEnd(w0)}  ${e.project.padEnd(w1)}  ${e.source.padEnd(w2)}  ${e.destinationNamespace.padEnd(w3)}  removal: ${e.onRemoval}`;
  const compact = isCompactEntryList(entries) ? entries : undefined;
  for (const c of plan.clusters) {
    const range = ranges.get(c.name) ?? { start: 0, end: 0 };
    const env = `${c.environment ? `environment ${c.environment}, ` : ''}${c.hub ? `hub ${c.hub}, ` : ''}`;
    out.write(`${c.name} (${env}${c.server}): ${plural(range.end - range.start, 'Application')}\n`);
    if (compact) writeCompactRows(compact, range.start, range.end, widths, out, false);
    else for (let i = range.start; i < range.end; i++) out.write(`${row(entries.at(i)!)}\n`);
  }
  const lost = ranges.get('');
  if (lost) {
    out.write(`(destination matches no cluster): ${plural(lost.end - lost.start, 'Application')}\n`);
    if (compact) writeCompactRows(compact, lost.start, lost.end, widths, out, true);
    else for (let i = lost.start; i < lost.end; i++) {
      const e = entries.at(i)!;
      out.write(`${row(e)}  -> ${e.server || '(no server)'}\n`);
    }
  }
  const onClusters = plan.clusters.filter((c) => c.applications > 0).length;
  out.write(
    `\n${plural(entries.length, 'Application')} on ${plural(onClusters, 'cluster')} from ${plural(plan.applicationSets, 'ApplicationSet')}` +
      ` (${generated} generated, ${entries.length - generated} plain)\n` +
      `If removed (add-on disabled, Application no longer rendered): ${uninstall} uninstall (Argo CD deletes their resources, not CRDs),` +
      ` ${entries.length - uninstall} orphan (their resources keep running, unmanaged); removing a cluster Secret orphans all of its Applications; see docs/addon-removal.md\n`,
  );
}

/** The plan as a table, as {@link writePlanTable} writes it, without the last newline. */
export function formatPlanTable(plan: FleetPlanView): string {
  return collect((out) => writePlanTable(plan, out)).slice(0, -1);
}

/** Most strings of a plan repeat (servers, files, sources): each is quoted for JSON once, up to this many. */
const QUOTED_CACHE_LIMIT = 100_000;

/**
 * Writes the plan as stable JSON for tools, `{ clusters, applications, problems }`: every field always
 * present (null where there is no value), sorted; byte for byte what `JSON.stringify(…, null, 2)` gives,
 * followed by a newline, written as it is formatted (the clusters come first and carry the number of
 * Applications of each, so the plan is complete before the first byte).
 */
export function writePlanJson(plan: FleetPlanView, out: ChunkedWriter): void {
  const quoted = new Map<string, string>();
  const q = (s: string): string => {
    let j = quoted.get(s);
    if (j === undefined) {
      j = JSON.stringify(s);
      if (quoted.size < QUOTED_CACHE_LIMIT) quoted.set(s, j);
    }
    return j;
  };
  const qOrNull = (s: string | undefined): string => (s === undefined ? 'null' : q(s));
  const array = <T>(name: string, items: readonly T[], item: (x: T) => string, last = false) => {
    out.write(`  ${JSON.stringify(name)}: [`);
    for (let i = 0; i < items.length; i++) out.write(`${i === 0 ? '\n' : ',\n'}    {\n${item(items[i])}\n    }`);
    out.write(`${items.length > 0 ? '\n  ' : ''}]${last ? '\n' : ',\n'}`);
  };
  out.write('{\n');
  array('clusters', plan.clusters, (c) =>
    [
      `      "name": ${q(c.name)}`,
      `      "server": ${q(c.server)}`,
      `      "environment": ${qOrNull(c.environment)}`,
      `      "file": ${qOrNull(c.file)}`,
      `      "applications": ${JSON.stringify(c.applications)}`,
      `      "hub": ${qOrNull(c.hub)}`,
    ].join(',\n'),
  );
  /** An application's fields after its name, to the end of its object: one text for both ways of writing entries. */
  const entryTail = (f: Pick<SharedEntryFields, 'namespace' | 'applicationSet' | 'project' | 'source' | 'repoURL' | 'destinationNamespace' | 'file' | 'onRemoval'>): string =>
    `,\n      "namespace": ${q(f.namespace)},\n` +
    `      "applicationSet": ${qOrNull(f.applicationSet)},\n` +
    `      "project": ${q(f.project)},\n` +
    `      "source": ${q(f.source)},\n` +
    `      "repoURL": ${q(f.repoURL)},\n` +
    `      "destinationNamespace": ${q(f.destinationNamespace)},\n` +
    `      "file": ${q(f.file)},\n` +
    `      "onRemoval": ${q(f.onRemoval)}\n    }`;
  const entries = plan.entries;
  out.write('  "applications": [');
  if (isCompactEntryList(entries)) {
    // The same text, made of parts shared by runs of entries: the cluster and server, and the shared fields.
    let first = true;
    let lastCluster: string | undefined;
    let lastServer: string | undefined;
    let head = '';
    let lastShared: SharedEntryFields | undefined;
    let tail = '';
    // Sorted by name, neighbours rarely share their fields: their text is kept per shared fields.
    const tails = new Map<SharedEntryFields, string>();
    entries.forEachEntry(0, entries.length, (cluster, server, application, shared) => {
      if (cluster !== lastCluster || server !== lastServer) {
        lastCluster = cluster;
        lastServer = server;
        head = `    {\n      "cluster": ${cluster ? q(cluster) : 'null'},\n      "server": ${q(server)},\n      "application": `;
      }
      if (shared !== lastShared) {
        lastShared = shared;
        let t = tails.get(shared);
        if (t === undefined) {
          t = entryTail(shared);
          tails.set(shared, t);
        }
        tail = t;
      }
      out.write(first ? '\n' : ',\n');
      out.write(head);
      out.write(JSON.stringify(application));
      out.write(tail);
      first = false;
    });
  } else for (let i = 0; i < entries.length; i++) {
    const e = entries.at(i)!;
    out.write(
      `${i === 0 ? '\n' : ',\n'}    {\n` +
      `      "cluster": ${e.cluster ? q(e.cluster) : 'null'},\n` +
      `      "server": ${q(e.server)},\n` +
      `      "application": ${JSON.stringify(e.application)}` +
      entryTail(e),
    );
  }
  out.write(`${entries.length > 0 ? '\n  ' : ''}],\n`);
  array('problems', plan.problems, (p) => `      "file": ${JSON.stringify(p.file)},\n      "object": ${JSON.stringify(p.object)},\n      "message": ${JSON.stringify(p.message)}`, true);
  out.write('}\n');
}

/** The plan as stable JSON for tools, as {@link writePlanJson} writes it, without the last newline. */
export function formatPlanJson(plan: FleetPlanView): string {
  return collect((out) => writePlanJson(plan, out)).slice(0, -1);
}

/**
 * The fleet's own repositories, which Argo CD must have credentials for unless `repos.public` says they
 * are public, and the teams' own repositories unless their `repo.public` says so.
 */
export function privateGitRepos(source: FleetSource): string[] {
  const repos = source.spec.repos;
  const platform = !repos || repos.public === true ? [] : [repos.addons?.url, repos.workloads?.url];
  const teams = (Array.isArray(source.spec.teams) ? source.spec.teams : []).map((t) => (t?.repo && t.repo.public !== true ? t.repo.url : undefined));
  return [...new Set([...platform, ...teams].filter((u): u is string => typeof u === 'string'))];
}

/** How the plan got the fleet's objects: from the output folder, or rendered; said on stderr. */
interface PlanOrigin {
  readonly fromDist: boolean;
  readonly note: string;
}

/**
 * The objects the plan reads: from the output folder when it holds exactly what the render would write
 * (see `readOrRender`), else rendered. The rendered files' text is not needed to plan, and need not
 * stay in memory meanwhile.
 */
function planObjects(source: FleetSource, options: FleetOutputsOptions, dir: string, noCache: boolean): { objects: Map<string, unknown[]>; origin: PlanOrigin } | number {
  const got = readOrRender(source, options, dir, noCache, readPlanInputs, (tree) => tree.objects);
  if (typeof got === 'number') return got;
  const rel = `${path.relative(process.cwd(), path.resolve(dir)) || '.'}/`;
  const note = got.fromDist ? `from the ${got.value.size} files of ${rel}` : `from a render of the fleet (${got.reason})`;
  return { objects: got.value, origin: { fromDist: got.fromDist, note } };
}

/** The plan of the fleet, or the exit code of a failed render; the objects are garbage once it returns. */
function planOf(source: FleetSource, options: FleetOutputsOptions, dir: string, noCache: boolean): { plan: FleetPlanView; origin: PlanOrigin } | number {
  const read = planObjects(source, options, dir, noCache);
  if (typeof read === 'number') return read;
  const plan = planFleetView(read.objects, { argocdNamespace: source.spec.argocd?.namespace ?? 'argocd', privateGitRepos: privateGitRepos(source) });
  return { plan, origin: read.origin };
}

/**
 * `npm run plan`: expands every ApplicationSet against the cluster Secrets with Argo CD's semantics, and
 * prints what Argo CD will run where (`--json` for tools), written to `stdout` in chunks of about 64 KB as
 * it is formatted (default: file descriptor 1, synchronously). The Argo CD objects come from the output
 * folder (`--out`, as synth) when input, code and folder are as at the last synth, else from rendering
 * the fleet in memory (input validation and policies as in synth); either way the output is the same, byte
 * for byte, and one line on stderr says which it was and how long the plan took. Returns the exit code:
 * 1 with one line per problem on stderr when Argo CD would fail on something, 2 on a usage error.
 * `argv` may start with the command name `plan`.
 */
export function runPlan(argv: readonly string[], source: FleetSource, options: FleetOutputsOptions = {}, stdout: OutputSink = fdSink(1)): number {
  const args = argv[0] === 'plan' ? argv.slice(1) : argv;
  try {
    let json = false;
    let noCache = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--json') json = true;
      else if (a === '--no-cache') noCache = true;
      else if (a === '--out') i++;
      else if (a === '-h' || a === '--help') {
        console.log(USAGE);
        return 0;
      } else throw new UsageError(`unknown option ${JSON.stringify(a)}`);
    }
    const dir = outDir(args);
    const planned = planOf(source, options, dir, noCache);
    if (typeof planned === 'number') return planned;
    const { plan, origin } = planned;
    const out = new ChunkedWriter(stdout);
    if (json) writePlanJson(plan, out);
    else writePlanTable(plan, out);
    out.end();
    const done = origin.fromDist ? ' (input, code and folder as at the last synth: nothing rendered)' : '';
    console.error(`cdk8s-fleet: planned ${plural(plan.entries.length, 'Application')} ${origin.note} in ${process.uptime().toFixed(2)} s${done}`);
    if (plan.problems.length === 0) return 0;
    const n = plan.problems.length;
    console.error(
      [`cdk8s-fleet: ${n} problem${n === 1 ? '' : 's'} Argo CD would fail on:`, ...plan.problems.map((p) => `  ${p.file}: ${p.object}: ${p.message}`)].join('\n'),
    );
    return 1;
  } catch (e) {
    return reportFailure(e, USAGE);
  }
}
