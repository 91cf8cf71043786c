/**
 * The Markdown of a rendered diff, for a PR comment: title and counts, a table per group, then each
 * group's objects with their diffs folded in `<details>`. Stays under a size limit by dropping diff
 * bodies first, then object lines, then table rows, and always says what it left out.
 */
import { FileGroup } from './groups.js';
import { formatHunks } from '../../engines/diff/line-diff.js';
import { ObjectChange, TreeComparison } from './object-diff.js';
import { plural } from '../../engines/util/index.js';

/** Hidden marker on the first line, by which CI finds its previous comment to edit it. */
export const DIFF_MARKER = '<!-- cdk8s-fleet-diff -->';

/** GitHub refuses comments over 65,536 characters; this leaves room. */
export const DEFAULT_MAX_CHARS = 60_000;

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** The git ref compared with, as the user wrote it (`main`, `origin/main`, `HEAD~3`). */
  readonly baseRef: string;
  /**
   * The commit the ref resolved to; its short form is shown beside the ref.
   * @default - not shown
   */
  readonly baseCommit?: string;
  /**
   * How the ref's tree was obtained: rendered from the ref's code, or its committed dist/.
   * @default 'rendered'
   */
  readonly baseSource?: 'rendered' | 'committed';
  /**
   * What the ref is compared with.
   * @default 'working tree'
   */
  readonly head?: string;
  /**
   * Most characters of the Markdown. Beyond it, diff bodies are left out (from the end), then object
   * lines, then table rows; the title, counts and a note of what was left out always remain.
   * @default 60000 (GitHub's comment limit is 65,536)
   */
  readonly maxChars?: number;
  /**
   * Added and removed objects up to this many lines show their YAML; longer ones only their line count.
   * @default 30
   */
  readonly shortLines?: number;
  /**
   * The command that shows everything, named in the note when something is left out.
   * @default - `npm run diff -- <baseRef>`
   */
  readonly command?: string;
  /**
   * A section placed after the counts, before the groups: the Applications Argo CD will add, remove or
   * change per cluster (`applicationChangesMarkdown`). It counts toward `maxChars` and is never shortened.
   * @default - none
   */
  readonly applications?: string;
}

const SYMBOL = { added: '+', removed: '-', changed: '~' } as const;

/** A code span that survives backticks in its text. */
function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(runs.reduce((w, r) => Math.max(w, r.length), 0) + 1);
  return fence.length === 1 ? `\`${text}\`` : `${fence} ${text} ${fence}`;
}

/** A fenced code block, indented for a list item, with a fence longer than any backtick run inside. */
function fenced(lang: string, text: string): string {
  const runs = text.match(/`{3,}/g) ?? [];
  const fence = '`'.repeat(Math.max(2, ...runs.map((r) => r.length)) + 1);
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return [`${fence}${lang}`, ...body.slice(0, -1).split('\n'), fence].map((l) => (l === '' ? '' : `  ${l}`)).join('\n');
}

function lineCount(text: string | undefined): number {
  if (!text) return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/** One object's line, and the body that may fold under it. */
interface Item {
  /** The line when its body is shown (or when it has none). */
  readonly line: string;
  /** The line when its body is left out for size. */
  readonly lineWithout: string;
  /**
   * The folded diff or YAML, indented for the list item, without a final newline.
   * @default - none
   */
  readonly body?: string;
  /** What the body is, for the note: a diff, or the content of an added or removed object. */
  readonly bodyKind?: 'diff' | 'content';
}

/** The changes of one group, as list items, and their counts. */
interface Section {
  readonly group: FileGroup;
  readonly items: readonly Item[];
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

/** What the object is: Deployment `backend` (webstore-prod), Helm values, file. */
function subjectText(c: ObjectChange): string {
  if (c.subject === 'object') return `${c.kind} ${code(c.name ?? '(no name)')}${c.namespace ? ` (${c.namespace})` : ''}`;
  return c.path.startsWith('addons/values/') ? 'Helm values' : 'file';
}

/** The list line of a change and its folded diff or content: `- `~` Kind `name` (namespace) · env · `file` · +a −r`. */
function item(c: ObjectChange, shortLines: number): Item {
  const parts = [`- ${code(SYMBOL[c.change])} ${subjectText(c)}`];
  if (c.group.environment !== undefined) parts.push(`· ${c.group.environment}`);
  parts.push(`· ${code(c.path)}`);
  if (c.movedFrom !== undefined) parts.push(`· moved from ${code(c.movedFrom)}`);
  if (c.subject === 'file') parts.push('· comments, formatting or document order only');
  if (c.change === 'changed') {
    const d = c.diff;
    if (!d || d.hunks.length === 0) {
      const line = `${parts.join(' ')} · same content`;
      return { line, lineWithout: line };
    }
    const line = `${parts.join(' ')} · +${d.added} −${d.removed}`;
    return {
      line,
      lineWithout: `${line} · diff left out`,
      body: ['  <details><summary>diff</summary>', '', fenced('diff', formatHunks(d)), '', '  </details>'].join('\n'),
      bodyKind: 'diff',
    };
  }
  const text = (c.change === 'added' ? c.after : c.before) ?? '';
  const n = lineCount(text);
  const line = `${parts.join(' ')} · ${plural(n, 'line')}`;
  if (n > shortLines || n === 0) return { line, lineWithout: line };
  const lang = c.subject === 'object' || /\.ya?ml$/.test(c.path) ? 'yaml' : c.path.endsWith('.md') ? 'markdown' : '';
  return {
    line,
    lineWithout: `${line} · content left out`,
    body: [`  <details><summary>${lang === 'yaml' ? 'YAML' : 'content'}</summary>`, '', fenced(lang, text), '', '  </details>'].join('\n'),
    bodyKind: 'content',
  };
}

function sections(changes: readonly ObjectChange[], shortLines: number): Section[] {
  const out: Array<{ group: FileGroup; items: Item[]; added: number; removed: number; changed: number }> = [];
  for (const c of changes) {
    let s = out[out.length - 1];
    if (!s || s.group.key !== c.group.key) {
      s = { group: c.group, items: [], added: 0, removed: 0, changed: 0 };
      out.push(s);
    }
    s.items.push(item(c, shortLines));
    s[c.change]++;
  }
  return out;
}

/** What was left out, for the note. */
interface Omitted {
  diffs: number;
  contents: number;
  lines: number;
  sections: number;
  rows: number;
}

function note(o: Omitted, maxChars: number, command: string): string {
  const parts: string[] = [];
  if (o.diffs > 0) parts.push(`the diffs of ${plural(o.diffs, 'changed object')}`);
  if (o.contents > 0) parts.push(`the content of ${plural(o.contents, 'added or removed object')}`);
  if (o.lines > 0) parts.push(`${plural(o.lines, 'object line')}${o.sections > 0 ? ` (all those of ${plural(o.sections, 'group')})` : ''}`);
  if (o.rows > 0) parts.push(`${plural(o.rows, 'row')} of the table`);
  if (parts.length === 0) return '';
  return `\n---\n_Shortened to stay under ${maxChars} characters: left out ${parts.join(', ')}. ${code(command)} shows it all locally._\n`;
}

/**
 * The Markdown of a comparison, for a PR comment. Starts with {@link DIFF_MARKER}. When nothing differs,
 * one line says so. Otherwise: a title with the refs and counts, a table of added / removed / changed
 * per group, then one section per group (hub, clusters, environments, all clusters, teams, apps, docs)
 * listing each object as `+` / `-` / `~`, kind, name (namespace), environment, file, with its diff
 * folded in `<details>`. Never longer than `maxChars` (unless even the title and counts are longer).
 */
export function renderMarkdown(comparison: TreeComparison, options: MarkdownOptions): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const shortLines = options.shortLines ?? 30;
  const head = options.head ?? 'working tree';
  const command = options.command ?? `npm run diff -- ${options.baseRef}`;
  const short = options.baseCommit?.slice(0, 7);
  const base = `${code(options.baseRef)}${short && !options.baseCommit!.startsWith(options.baseRef) ? ` (${short})` : ''}`;
  const how = options.baseSource === 'committed' ? 'read from its committed dist/' : 'rendered from its code';
  const { changes } = comparison;

  if (changes.length === 0) {
    return `${DIFF_MARKER}\n**cdk8s-fleet diff:** no differences between ${base} and the ${head}: ${plural(comparison.files, 'rendered file')}, all identical (${code(options.baseRef)} ${how}).\n`;
  }

  const all = sections(changes, shortLines);
  const count = (k: ObjectChange['change']) => changes.filter((c) => c.change === k).length;
  const moved = changes.filter((c) => c.movedFrom !== undefined).length;
  const top = [
    DIFF_MARKER,
    `### cdk8s-fleet diff: ${base} → ${head}`,
    '',
    `**${count('added')} added, ${count('removed')} removed, ${count('changed')} changed** ${changes.length === 1 ? 'object' : 'objects'} in ${plural(all.length, 'group')}${moved > 0 ? ` (${moved} moved to another file)` : ''}, in ${plural(comparison.filesDiffering, 'file')}; ${code(options.baseRef)} ${how}.`,
    '',
    ...(options.applications ? [options.applications] : []),
  ].join('\n');
  const row = (label: string, s: { added: number; removed: number; changed: number }) => `| ${label} | ${s.added} | ${s.removed} | ${s.changed} |`;
  const table = (rows: number) => {
    const shown = all.slice(0, rows).map((s) => row(s.group.label, s));
    const rest = all.slice(rows);
    if (rest.length > 0) {
      const sum = (k: 'added' | 'removed' | 'changed') => rest.reduce((n, s) => n + s[k], 0);
      shown.push(row(`…and ${plural(rest.length, 'more group')}`, { added: sum('added'), removed: sum('removed'), changed: sum('changed') }));
    }
    return ['| group | added | removed | changed |', '| --- | ---: | ---: | ---: |', ...shown, ''].join('\n');
  };

  /**
   * The document with the bodies `shown` says, at most `cap` lines per group, the first `limit` lines
   * overall (groups after that without a section), and the first `rows` rows of the table.
   */
  const assemble = (shown: (i: number) => boolean, cap: number, limit: number, rows: number): { text: string; omitted: Omitted } => {
    const omitted: Omitted = { diffs: 0, contents: 0, lines: 0, sections: 0, rows: all.length - rows };
    const out = [top, table(rows)];
    let index = 0;
    let listed = 0;
    for (const s of all) {
      const n = Math.min(s.items.length, cap, Math.max(0, limit - listed));
      for (let i = n; i < s.items.length; i++) {
        const it = s.items[i];
        if (it.body !== undefined) omitted[it.bodyKind === 'diff' ? 'diffs' : 'contents']++;
      }
      if (n === 0 && listed >= limit) {
        omitted.sections++;
        omitted.lines += s.items.length;
        index += s.items.length;
        continue;
      }
      out.push(`#### ${s.group.label}`, '');
      for (let i = 0; i < n; i++) {
        const it = s.items[i];
        // The blank line after </details> ends the HTML block, so the next item is Markdown again.
        if (it.body !== undefined && shown(index + i)) out.push(it.line, it.body, '');
        else {
          out.push(it.lineWithout);
          if (it.body !== undefined) omitted[it.bodyKind === 'diff' ? 'diffs' : 'contents']++;
        }
      }
      if (s.items.length > n) {
        out.push(`- …and ${s.items.length - n} more`);
        omitted.lines += s.items.length - n;
      }
      if (out[out.length - 1] !== '') out.push('');
      listed += n;
      index += s.items.length;
    }
    if (omitted.sections > 0) {
      out.push(`_…and ${plural(omitted.sections, 'more group')}: see the table._`, '');
    }
    return { text: out.join('\n'), omitted };
  };
  const finish = (r: { text: string; omitted: Omitted }) => `${r.text}${note(r.omitted, maxChars, command)}`;
  /** The largest n in [0, hi] for which `fits(n)`, given that fits is monotone and fits(0). */
  const largestFitting = (hi: number, fits: (n: number) => boolean) => {
    let lo = 0;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  const items = all.flatMap((s) => s.items);
  const full = assemble(() => true, Infinity, Infinity, all.length);
  if (full.text.length <= maxChars) return full.text;

  // The longest the note can be: every kind of omission with counts no larger than the totals.
  const reserve = note({ diffs: items.length, contents: items.length, lines: items.length, sections: all.length, rows: all.length }, maxChars, command).length;
  const budget = maxChars - reserve;
  const fits = (shown: (i: number) => boolean, cap: number, limit: number, rows: number) => assemble(shown, cap, limit, rows).text.length <= budget;
  const none = () => false;

  // 1. Every line, and as many bodies as fit in document order (what does not fit is left out, from the end).
  const bare = assemble(none, Infinity, Infinity, all.length);
  if (bare.text.length <= budget) {
    let left = budget - bare.text.length;
    const shown: number[] = [];
    items.forEach((it, i) => {
      if (it.body === undefined) return;
      // [line, body, ''] instead of [lineWithout], each joined by a newline.
      const extra = it.line.length + 1 + it.body.length + 2 - it.lineWithout.length;
      if (extra <= left) {
        shown.push(i);
        left -= extra;
      }
    });
    // The sums above are exact; should they ever not be, bodies go from the end until it fits.
    const set = new Set(shown);
    let result = assemble((i) => set.has(i), Infinity, Infinity, all.length);
    while (result.text.length > budget && shown.length > 0) {
      set.delete(shown.pop()!);
      result = assemble((i) => set.has(i), Infinity, Infinity, all.length);
    }
    return finish(result);
  }

  // 2. No bodies; the same number of lines in every group, as many as fit (at least one each).
  const largest = all.reduce((w, s) => Math.max(w, s.items.length), -Infinity);
  if (fits(none, 1, Infinity, all.length)) {
    return finish(assemble(none, largestFitting(largest, (cap) => cap === 0 || fits(none, cap, Infinity, all.length)), Infinity, all.length));
  }

  // 3. The whole table, then object lines in document order as far as they fit.
  if (fits(none, Infinity, 0, all.length)) {
    return finish(assemble(none, Infinity, largestFitting(items.length, (limit) => limit === 0 || fits(none, Infinity, limit, all.length)), all.length));
  }

  // 4. The table alone, as many rows as fit.
  return finish(assemble(none, Infinity, 0, largestFitting(all.length, (rows) => rows === 0 || fits(none, Infinity, 0, rows))));
}
