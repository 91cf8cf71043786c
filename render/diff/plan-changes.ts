/**
 * What a change does to the Applications Argo CD runs: both trees are planned (`planFleet`, the offline
 * ApplicationSet expansion) and compared per cluster and Application, so a reviewer reads "cert-manager
 * on spoke-prod goes from v1.15.3 to v1.16.2" rather than a changed merge generator.
 */
import { parseAllDocuments } from 'yaml';
import { FleetPlan, planFleet, PlanEntry, RemovalOutcome } from '../plan/plan.js';
import { compareStrings, trimTrailingSlashes } from '../../engines/util/index.js';

/** One Application added, removed or changed on one cluster. */
export interface ApplicationChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly cluster: string;
  readonly application: string;
  /** The Application before the change; undefined when added. */
  readonly before?: PlanEntry;
  /** The Application after the change; undefined when removed. */
  readonly after?: PlanEntry;
  /**
   * For a removed Application: what Argo CD does to what it deployed. `uninstall` when the live
   * Application (the one before the change) carries the resources finalizer and its cluster stays;
   * `orphan` otherwise: no finalizer, or its cluster Secret is removed too, in which case the
   * ApplicationSet controller and the application controller drop the finalizer (the destination is
   * no cluster Argo CD knows) and nothing is deleted.
   */
  readonly removal?: { readonly outcome: RemovalOutcome; readonly clusterRemoved: boolean };
}

/** The files of dist/ that hold what Argo CD's plan reads: the YAML of hub/ (hubs/<hub>/ with several hubs). */
export const PLANNED_FILE = /^hubs?\/.*\.yaml$/;

/** The plan of a tree given as file bytes: only the hub's files hold Argo CD objects, so only they are parsed. */
export function planOfFiles(files: ReadonlyMap<string, string>): FleetPlan {
  const objects = new Map<string, unknown[]>();
  for (const [file, text] of files) {
    if (!PLANNED_FILE.test(file)) continue;
    objects.set(file, parseAllDocuments(text).map((d) => d.toJS()));
  }
  return planFleet(objects);
}

const key = (e: PlanEntry) => `${e.cluster}\u0000${e.namespace}\u0000${e.application}`;
/** What a reviewer cares about in an Application: where it comes from, where it goes, and what its removal would do. */
const shape = (e: PlanEntry) => [e.project, e.source, e.repoURL, e.destinationNamespace, e.server, e.onRemoval].join('\u0000');

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
  const servers = new Set(after.clusters.map((c) => trimTrailingSlashes(c.server)));
  for (const e of old.values()) {
    const clusterRemoved = e.cluster === '' || !servers.has(trimTrailingSlashes(e.server));
    out.push({ change: 'removed', cluster: e.cluster, application: e.application, before: e, removal: { outcome: clusterRemoved ? 'orphan' : e.onRemoval, clusterRemoved } });
  }
  return out.sort((a, b) => compareStrings(a.cluster, b.cluster) || compareStrings(a.application, b.application));
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function describe(c: ApplicationChange): string {
  if (c.change === 'added') return `added: ${code(c.after!.source)} → ${code(c.after!.destinationNamespace)} (project ${c.after!.project})`;
  if (c.change === 'removed') {
    const was = `removed (was ${code(c.before!.source)})`;
    if (c.removal?.outcome === 'uninstall') return `${was}: ⚠️ **uninstalled**: Argo CD deletes its resources on the cluster (not CRDs)`;
    if (c.removal?.clusterRemoved) return `${was}: orphaned: its cluster Secret goes too, so Argo CD deletes nothing there; its resources keep running, unmanaged`;
    return `${was}: orphaned: its resources keep running on the cluster, unmanaged`;
  }
  const b = c.before!;
  const a = c.after!;
  const parts: string[] = [];
  if (b.source !== a.source || b.repoURL !== a.repoURL) parts.push(`${code(b.source)} → ${code(a.source)}`);
  if (b.destinationNamespace !== a.destinationNamespace) parts.push(`namespace ${code(b.destinationNamespace)} → ${code(a.destinationNamespace)}`);
  if (b.project !== a.project) parts.push(`project ${b.project} → ${a.project}`);
  if (b.server !== a.server) parts.push(`server ${code(b.server)} → ${code(a.server)}`);
  if (b.onRemoval !== a.onRemoval) parts.push(`if removed: ${b.onRemoval} → ${a.onRemoval === 'uninstall' ? '**uninstall**' : a.onRemoval}`);
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
  const uninstalled = changes.filter((c) => c.removal?.outcome === 'uninstall');
  const orphaned = changes.filter((c) => c.removal?.outcome === 'orphan');
  const names = (list: readonly ApplicationChange[]) => {
    const shown = list.slice(0, 20).map((c) => `${code(c.application)} on ${c.cluster || '(no cluster)'}`);
    return `${shown.join(', ')}${list.length > shown.length ? `, …and ${list.length - shown.length} more` : ''}`;
  };
  if (uninstalled.length > 0) {
    out.push(
      `> [!CAUTION]\n> **${uninstalled.length} Application${uninstalled.length === 1 ? '' : 's'} will be uninstalled**: Argo CD deletes ${uninstalled.length === 1 ? 'its' : 'their'} resources on the cluster (CRDs stay): ${names(uninstalled)}. ` +
        'Workloads that rely on them lose them; set `onDisable: orphan` in an earlier change to keep them (docs/addon-removal.md).',
      '',
    );
  }
  if (orphaned.length > 0) {
    out.push(
      `> [!NOTE]\n> ${orphaned.length} removed Application${orphaned.length === 1 ? ' is' : 's are'} orphaned: ${orphaned.length === 1 ? 'its' : 'their'} resources keep running, no longer managed by Argo CD: ${names(orphaned)}. ` +
        'Delete them by hand when they are no longer needed (docs/addon-removal.md).',
      '',
    );
  }
  const n = (k: ApplicationChange['change']) => changes.filter((c) => c.change === k).length;
  const clusters = new Set(changes.map((c) => c.cluster)).size;
  const removedHow = n('removed') > 0 ? ` (${uninstalled.length} uninstalled, ${orphaned.length} orphaned)` : '';
  out.push(`**Argo CD Applications: ${n('added')} added, ${n('removed')} removed${removedHow}, ${n('changed')} changed** on ${clusters} cluster${clusters === 1 ? '' : 's'} (from \`npm run plan\` of both sides).`, '');
  out.push('| cluster | Application | change |', '| --- | --- | --- |');
  for (const c of changes.slice(0, maxRows)) out.push(`| ${c.cluster || '(no cluster)'} | ${code(c.application)} | ${describe(c)} |`);
  if (changes.length > maxRows) out.push(`| … | …and ${changes.length - maxRows} more | |`);
  out.push('');
  return out.join('\n');
}
