/**
 * What a change does to the Applications Argo CD runs: both trees are planned (`planFleet`, the offline
 * ApplicationSet expansion) and compared per cluster and Application, so a reviewer reads "cert-manager
 * on spoke-prod goes from v1.15.3 to v1.16.2" rather than a changed merge generator.
 */
import { parseAllDocuments } from 'yaml';
import { FleetPlan, planFleet, PlanEntry } from '../plan/plan.js';
import { compareStrings } from '../../engines/util/index.js';

/** One Application added, removed or changed on one cluster. */
export interface ApplicationChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly cluster: string;
  readonly application: string;
  /** The Application before the change; undefined when added. */
  readonly before?: PlanEntry;
  /** The Application after the change; undefined when removed. */
  readonly after?: PlanEntry;
}

/** The plan of a tree given as file bytes: only the hub's files hold Argo CD objects, so only they are parsed. */
export function planOfFiles(files: ReadonlyMap<string, string>): FleetPlan {
  const objects = new Map<string, unknown[]>();
  for (const [file, text] of files) {
    if (!/^hubs?\//.test(file) || !file.endsWith('.yaml')) continue;
    objects.set(file, parseAllDocuments(text).map((d) => d.toJS()));
  }
  return planFleet(objects);
}

const key = (e: PlanEntry) => `${e.cluster}\u0000${e.namespace}\u0000${e.application}`;
/** What a reviewer cares about in an Application: where it comes from and where it goes. */
const shape = (e: PlanEntry) => [e.project, e.source, e.repoURL, e.destinationNamespace, e.server].join('\u0000');

/** The Applications added, removed and changed between two plans, sorted by cluster and name. */
export function comparePlans(before: FleetPlan, after: FleetPlan): ApplicationChange[] {
  const old = new Map(before.entries.map((e) => [key(e), e]));
  const out: ApplicationChange[] = [];
  for (const e of after.entries) {
    const was = old.get(key(e));
    old.delete(key(e));
    if (!was) out.push({ change: 'added', cluster: e.cluster, application: e.application, after: e });
    else if (shape(was) !== shape(e)) out.push({ change: 'changed', cluster: e.cluster, application: e.application, before: was, after: e });
  }
  for (const e of old.values()) out.push({ change: 'removed', cluster: e.cluster, application: e.application, before: e });
  return out.sort((a, b) => compareStrings(a.cluster, b.cluster) || compareStrings(a.application, b.application));
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function describe(c: ApplicationChange): string {
  if (c.change === 'added') return `added: ${code(c.after!.source)} → ${code(c.after!.destinationNamespace)} (project ${c.after!.project})`;
  if (c.change === 'removed') return `removed (was ${code(c.before!.source)})`;
  const b = c.before!;
  const a = c.after!;
  const parts: string[] = [];
  if (b.source !== a.source || b.repoURL !== a.repoURL) parts.push(`${code(b.source)} → ${code(a.source)}`);
  if (b.destinationNamespace !== a.destinationNamespace) parts.push(`namespace ${code(b.destinationNamespace)} → ${code(a.destinationNamespace)}`);
  if (b.project !== a.project) parts.push(`project ${b.project} → ${a.project}`);
  if (b.server !== a.server) parts.push(`server ${code(b.server)} → ${code(a.server)}`);
  return parts.join('; ');
}

/**
 * A Markdown section of the Application changes: one count line and a table of at most `maxRows`
 * rows (then "…and N more"); plan problems of the new tree are named first, since Argo CD would stop
 * on them. Empty when nothing changes and nothing is wrong.
 */
export function applicationChangesMarkdown(changes: readonly ApplicationChange[], after: FleetPlan, maxRows = 40): string {
  const out: string[] = [];
  if (after.problems.length > 0) {
    out.push(`> [!WARNING]\n> Argo CD would fail on ${after.problems.length} problem${after.problems.length === 1 ? '' : 's'} of this change (\`npm run plan\` lists them), for example: ${after.problems[0].file}: ${after.problems[0].object}: ${after.problems[0].message}`, '');
  }
  if (changes.length === 0) return out.join('\n');
  const n = (k: ApplicationChange['change']) => changes.filter((c) => c.change === k).length;
  const clusters = new Set(changes.map((c) => c.cluster)).size;
  out.push(`**Argo CD Applications: ${n('added')} added, ${n('removed')} removed, ${n('changed')} changed** on ${clusters} cluster${clusters === 1 ? '' : 's'} (from \`npm run plan\` of both sides).`, '');
  out.push('| cluster | Application | change |', '| --- | --- | --- |');
  for (const c of changes.slice(0, maxRows)) out.push(`| ${c.cluster || '(no cluster)'} | ${code(c.application)} | ${describe(c)} |`);
  if (changes.length > maxRows) out.push(`| … | …and ${changes.length - maxRows} more | |`);
  out.push('');
  return out.join('\n');
}
