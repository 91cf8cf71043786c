/**
 * What both promotions share: the refusals about environments and their order, and the write of the
 * edited source followed by the render of the output folder, in process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FleetOutputsOptions } from '../../charts/outputs/fleet-outputs.js';
import { EnvironmentSpec, FleetSource } from '../../charts/model/spec.js';
import { ExpectedError } from '../cli-failure.js';
import { runCli } from '../cli.js';
import { readTree } from '../tree.js';
import { comparePlans, PLANNED_FILE, planOfFiles } from '../diff/plan-changes.js';

export interface PromoteOptions extends FleetOutputsOptions {
  /** The folder the source's file names and a relative --out are relative to. @default process.cwd() */
  readonly root?: string;
}

/** A refusal: the file (and line) and the field, then why. */
export function refusal(file: string, field: string, why: string): ExpectedError {
  return new ExpectedError(`${file}: ${field}: ${why}; nothing was written`);
}

/** The environment's spec and where it is, or a refusal naming the environments file. */
export function environmentOf(source: FleetSource, name: string): { env: EnvironmentSpec; at: string; file: string } {
  const file = source.files.environments ?? source.files.default ?? 'environments/index.ts';
  const i = source.spec.environments.findIndex((e) => e.name === name);
  if (i < 0) throw refusal(file, 'environments', `no environment "${name}" (${source.spec.environments.map((e) => e.name).join(', ')})`);
  return { env: source.spec.environments[i], at: `environments[${i}]`, file };
}

/** Refuses unless `to` comes after `from` in promotion order. */
export function checkOrder(source: FleetSource, from: string, to: string): void {
  const f = environmentOf(source, from);
  const t = environmentOf(source, to);
  if (from === to || t.env.promotionOrder <= f.env.promotionOrder) {
    throw refusal(
      t.file,
      `${t.at}.promotionOrder`,
      `${to} (promotionOrder ${t.env.promotionOrder}) is not after ${from} (promotionOrder ${f.env.promotionOrder}): a promotion goes from an environment to a later one`,
    );
  }
}

/** What the output folder's files were and are, by path. */
function changedFiles(before: ReadonlyMap<string, Buffer>, after: ReadonlyMap<string, Buffer>): string[] {
  const out: string[] = [];
  for (const [p, b] of after) if (!before.get(p)?.equals(b)) out.push(p);
  for (const p of before.keys()) if (!after.has(p)) out.push(p);
  return out.sort();
}

/** DIR before and after the render: its files by path. */
export interface Rendered {
  readonly before: ReadonlyMap<string, Buffer>;
  readonly after: ReadonlyMap<string, Buffer>;
  /** The files added, changed or removed, sorted. */
  readonly files: readonly string[];
}

/**
 * Writes the new source text, renders DIR with the new spec (synth, in process), and returns DIR before
 * and after; on a failed render the source file gets its bytes back and the exit code is returned.
 */
export function writeAndRender(file: string, before: string, after: string, source: FleetSource, distDir: string, options: PromoteOptions): Rendered | number {
  const dist = readTree(distDir);
  const tmp = `${file}.promote-${process.pid}`;
  fs.writeFileSync(tmp, after);
  fs.renameSync(tmp, file);
  let code: number;
  try {
    code = runCli(['synth', '--out', distDir], source, options);
  } catch (e) {
    fs.writeFileSync(file, before);
    throw e;
  }
  if (code !== 0) {
    fs.writeFileSync(file, before);
    console.error(`cdk8s-fleet: the render failed: ${path.relative(options.root ?? process.cwd(), file)} has its bytes back, nothing was promoted`);
    return code;
  }
  const now = readTree(distDir);
  return { before: dist, after: now, files: changedFiles(dist, now) };
}

/**
 * What Argo CD will do, from the plans of DIR before and after (the offline ApplicationSet expansion of
 * `npm run plan`): the Applications whose spec changes (an add-on's `chart@version`), and the ones whose
 * spec stays but whose Git folder changed (an app's manifests): those sync the new manifests.
 */
export function planLines(r: Rendered): string[] {
  const hub = (tree: ReadonlyMap<string, Buffer>) => new Map([...tree].filter(([f]) => PLANNED_FILE.test(f)).map(([f, b]) => [f, b.toString('utf8')]));
  const after = planOfFiles(hub(r.after));
  const changes = comparePlans(planOfFiles(hub(r.before)), after);
  const folders = [...new Set(r.files.map((f) => f.slice(0, f.lastIndexOf('/') + 1)).filter((d) => d !== ''))];
  const reading = after.entries.filter((e) => !changes.some((c) => c.application === e.application && c.cluster === e.cluster) && folders.some((d) => e.source.split('@')[0].endsWith(`/${d.replace(/\/$/, '')}`)));
  const lines = [
    ...changes.map((c) => `  - ${c.application} on ${c.cluster || '(no cluster)'}: ${c.change === 'changed' ? `${c.before!.source} → ${c.after!.source}` : c.change}`),
    ...reading.map((e) => `  - ${e.application} on ${e.cluster}: syncs the new manifests of ${e.source}`),
  ];
  const n = lines.length;
  const problems = after.problems.length > 0 ? [`- ⚠️ npm run plan finds ${after.problems.length} problem${after.problems.length === 1 ? '' : 's'} after the change (the first: ${after.problems[0].file}: ${after.problems[0].message})`] : [];
  return [`- Argo CD (the plan before and after): ${n === 0 ? 'no Application affected' : `${n} Application${n === 1 ? '' : 's'} affected:`}`, ...lines, ...problems];
}

/** The summary's lines for DIR's changed files. */
export function changedLines(rel: string, files: readonly string[]): string[] {
  const n = files.length;
  return [`- ${rel}/: ${n} file${n === 1 ? '' : 's'} changed${n === 0 ? '' : ':'}`, ...files.map((f) => `  - ${rel}/${f}`)];
}

