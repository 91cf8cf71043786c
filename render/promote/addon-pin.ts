/**
 * `npm run promote -- addon:<name> <from-env> <to-env>`: makes the later environment run the chart
 * version of an add-on the earlier one runs, by writing it as the later environment's pin
 * (`addons.<name>.version` in environments/environments.ts), and renders again. What an environment runs
 * comes from the resolved fleet (version sets per Kubernetes minor): its pin, else the version each of
 * its clusters that run the add-on without a pin of their own gets from its Kubernetes minor. The edit
 * goes through the TypeScript parser like an app's: only the version literal changes (or `true` becomes
 * `{ version: '...' }`, or the add-on's entry is added after the last spread); anything not a literal is
 * refused with file, line and field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { ADDON_CATALOG } from '../../charts/addons/catalog.js';
import { resolveFleetSource } from '../../charts/outputs/fleet-outputs.js';
import { asSetting, ResolvedFleet } from '../../charts/model/resolve.js';
import { EnvironmentSpec, FleetSource } from '../../charts/model/spec.js';
import { formatProblem } from '../../charts/validate/problems.js';
import { ExpectedError } from '../cli-failure.js';
import { readTree } from '../tree.js';
import { PLANNED_FILE, planOfFiles } from '../diff/plan-changes.js';
import { changedLines, checkOrder, environmentOf, planLines, PromoteOptions, refusal, writeAndRender } from './promotion.js';

/** One cluster running an add-on: its name, its index in `clusters`, its Kubernetes minor and the version it gets. */
export interface ClusterRun {
  readonly cluster: string;
  /** `clusters[i]` in the fleet source. */
  readonly at: string;
  readonly kubernetesVersion: string;
  readonly version: string;
}

/** How an environment runs an add-on, from the resolved fleet. */
export interface EnvironmentAddonRun {
  /** The environment's own `addons.<name>` setting enables it: a pin written there reaches its clusters. */
  readonly enabled: boolean;
  /** The environment's pin (`addons.<name>.version`), if any. */
  readonly pin?: string;
  /** Its clusters that run the add-on without a pin of their own: the environment's pin, else the version set of their Kubernetes minor. */
  readonly unpinned: readonly ClusterRun[];
  /** Its clusters that run the add-on at a version they pin themselves (`clusters[i].addons.<name>.version`). */
  readonly pinned: readonly ClusterRun[];
}

/** What an environment runs of an add-on, per cluster, as the resolved fleet says. */
export function environmentAddon(fleet: ResolvedFleet, source: FleetSource, env: EnvironmentSpec, addon: string): EnvironmentAddonRun {
  const setting = asSetting(env.addons?.[addon]);
  const unpinned: ClusterRun[] = [];
  const pinned: ClusterRun[] = [];
  for (const c of fleet.clusters) {
    const a = c.addons.get(addon);
    if (c.environment.name !== env.name || a === undefined) continue;
    const run = { cluster: c.name, at: `clusters[${source.spec.clusters.findIndex((s) => s.name === c.name)}]`, kubernetesVersion: c.kubernetesVersion, version: a.version };
    (a.versionFrom === 'cluster pin' ? pinned : unpinned).push(run);
  }
  return { enabled: setting !== undefined && setting.enabled !== false, pin: setting?.version, unpinned, pinned };
}

/** `0.34.0 on spoke-staging (Kubernetes 1.34), 0.33.0 on spoke-prod (Kubernetes 1.33)`, grouped by version. */
export function runsText(runs: readonly ClusterRun[]): string {
  const byVersion = new Map<string, ClusterRun[]>();
  for (const r of runs) byVersion.set(r.version, [...(byVersion.get(r.version) ?? []), r]);
  return [...byVersion].map(([v, rs]) => `${v} on ${rs.map((r) => `${r.cluster} (Kubernetes ${r.kubernetesVersion})`).join(', ')}`).join(', ');
}

/** The versions in order of first appearance, once each. */
const versionsOf = (runs: readonly ClusterRun[]) => [...new Set(runs.map((r) => r.version))];

/**
 * What the offline plan of DIR (`npm run plan`'s ApplicationSet expansion) gives each cluster of the
 * ApplicationSet `addon-<name>`: cluster name -> the Applications' `chart@version` sources.
 */
export function plannedAddonSources(distDir: string, addon: string): Map<string, string[]> {
  const files = new Map([...readTree(distDir)].filter(([f]) => PLANNED_FILE.test(f)).map(([f, b]) => [f, b.toString('utf8')]));
  const out = new Map<string, string[]>();
  for (const e of planOfFiles(files).entries) {
    if (e.applicationSet === `addon-${addon}`) out.set(e.cluster, [...(out.get(e.cluster) ?? []), e.source]);
  }
  return out;
}

function propertyName(p: ts.ObjectLiteralElementLike): string | undefined {
  if (!p.name) return undefined;
  return ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNoSubstitutionTemplateLiteral(p.name) ? p.name.text : undefined;
}

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Sets `addons.<addon>.version` of the environment `<env>` (an object literal with `name: '<env>'` and `promotionOrder`) in the text. */
export function editAddonPin(text: string, file: string, env: string, at: string, addon: string, current: string | undefined, version: string): { text: string; line: number } {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const refuse = (n: ts.Node | undefined, field: string, why: string): never => {
    throw new ExpectedError(`${file}${n ? `:${line(n)}` : ''}: ${field}: ${why}; nothing was written (edit it by hand)`);
  };
  const unwrap = (e: ts.Expression): ts.Expression => (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e) ? unwrap(e.expression) : e);
  const found: ts.ObjectLiteralExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isObjectLiteralExpression(n)) {
      const name = n.properties.find((p) => propertyName(p) === 'name');
      if (name && ts.isPropertyAssignment(name) && ts.isStringLiteral(unwrap(name.initializer)) && (unwrap(name.initializer) as ts.StringLiteral).text === env && n.properties.some((p) => propertyName(p) === 'promotionOrder')) found.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (found.length !== 1) refuse(undefined, at, found.length === 0 ? `no object literal with name: '${env}' and promotionOrder` : `${found.length} object literals with name: '${env}'`);
  const addonsProp = found[0].properties.find((p) => propertyName(p) === 'addons');
  if (!addonsProp || !ts.isPropertyAssignment(addonsProp)) return refuse(addonsProp ?? found[0], `${at}.addons`, 'not written as addons: { ... }');
  const addons = unwrap(addonsProp.initializer);
  if (!ts.isObjectLiteralExpression(addons)) return refuse(addons, `${at}.addons`, `not an object literal (${addons.getText(sf).slice(0, 60)})`);
  const field = `${at}.addons.${addon}`;
  const props = [...addons.properties];
  const lastSpread = props.map((p, i) => (ts.isSpreadAssignment(p) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  const index = props.findIndex((p) => propertyName(p) === addon);
  let start: number;
  let end: number;
  let replacement: string;
  let where: ts.Node;
  if (index < 0) {
    if (current !== undefined) refuse(addons, field, `the text has no ${addon} entry, where the loaded fleet pins ${current}`);
    // After everything (spreads included), on a line of its own when the object is written one entry a line.
    const last = props[props.length - 1];
    if (!last) return refuse(addons, field, 'the add-ons object is empty');
    const lineStart = text.lastIndexOf('\n', last.getStart(sf)) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const multiline = text.slice(addons.getStart(sf), addons.end).includes('\n');
    const key = /^[A-Za-z_$][\w$]*$/.test(addon) ? addon : quote(addon);
    const entry = `${key}: { version: ${quote(version)} }`;
    const comma = addons.properties.hasTrailingComma;
    start = end = comma ? text.indexOf(',', last.end) + 1 : last.end;
    replacement = multiline ? `${comma ? '' : ','}\n${indent}${entry}${comma ? ',' : ''}` : `, ${entry}`;
    where = last;
  } else {
    const p = props[index];
    if (index < lastSpread) refuse(props[lastSpread], field, `a spread after the ${addon} entry may set it`);
    if (!ts.isPropertyAssignment(p)) return refuse(p, field, 'not written as a literal');
    const value = unwrap(p.initializer);
    where = value;
    if (value.kind === ts.SyntaxKind.TrueKeyword) {
      if (current !== undefined) refuse(value, field, `the text says true where the loaded fleet pins ${current}`);
      [start, end, replacement] = [value.getStart(sf), value.end, `{ version: ${quote(version)} }`];
    } else if (ts.isObjectLiteralExpression(value)) {
      if (value.properties.some(ts.isSpreadAssignment)) refuse(value, field, 'the setting has a spread');
      const v = value.properties.find((q) => propertyName(q) === 'version');
      if (v) {
        if (!ts.isPropertyAssignment(v) || !ts.isStringLiteral(unwrap(v.initializer))) return refuse(v, `${field}.version`, `not a string literal (${v.getText(sf).slice(0, 60)})`);
        const literal = unwrap(v.initializer) as ts.StringLiteral;
        if (literal.text !== current) refuse(literal, `${field}.version`, `the text says '${literal.text}' where the loaded fleet has ${current ?? 'no pin'}`);
        const q = text[literal.getStart(sf)];
        [start, end, replacement, where] = [literal.getStart(sf), literal.end, `${q}${version}${q}`, literal];
      } else {
        if (current !== undefined) refuse(value, field, `the text has no version where the loaded fleet pins ${current}`);
        const last = value.properties[value.properties.length - 1];
        [start, end, replacement] = last ? [last.end, last.end, `, version: ${quote(version)}`] : [value.getStart(sf), value.end, `{ version: ${quote(version)} }`];
      }
    } else {
      return refuse(value, field, `not true or an object literal (${value.getText(sf).slice(0, 60)})`);
    }
  }
  return { text: text.slice(0, start) + replacement + text.slice(end), line: line(where) };
}

/** Promotes an add-on's version: `<to-env>` gets the version `<from-env>` runs as its pin; returns the exit code. */
export function promoteAddon(addon: string, from: string, to: string, source: FleetSource, distDir: string, options: PromoteOptions): number {
  const root = options.root ?? process.cwd();
  const f = environmentOf(source, from);
  const t = environmentOf(source, to);
  const file = f.file;
  const catalog = options.catalog ?? ADDON_CATALOG;
  const def = catalog.find((d) => d.name === addon);
  if (!def) throw refusal(file, `${f.at}.addons`, `no add-on "${addon}" in the catalog`);
  checkOrder(source, from, to);
  const resolved = resolveFleetSource(source, catalog);
  if (!resolved.ok) {
    const n = resolved.problems.length;
    throw new ExpectedError(`the fleet input has ${n} problem${n === 1 ? '' : 's'} (npm run synth says the same); fix ${n === 1 ? 'it' : 'them'} before promoting; nothing was written:\n${resolved.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  const fr = environmentAddon(resolved.fleet, source, f.env, addon);
  const tr = environmentAddon(resolved.fleet, source, t.env, addon);
  const fromField = `${f.at}.addons.${addon}`;
  const clustersFile = source.files.clusters ?? source.files.default ?? 'environments/index.ts';
  const pinsText = (runs: readonly ClusterRun[]) => runs.map((r) => `${clustersFile}: ${r.at}.addons.${addon}.version: ${r.version}`).join(', ');
  const toField = `${t.at}.addons.${addon}`;

  // What <from-env> runs: its pin, else the version its clusters without a pin of their own get from their Kubernetes minor.
  if (fr.unpinned.length === 0 && fr.pinned.length === 0) throw refusal(file, fromField, `${from} does not run ${addon}`);
  if (fr.unpinned.length === 0) {
    throw refusal(file, fromField, `every cluster of ${from} that runs ${addon} pins its own version (${pinsText(fr.pinned)}): ${from} as an environment runs no version of it to promote`);
  }
  const fromVersions = versionsOf(fr.unpinned);
  if (fromVersions.length > 1) {
    throw refusal(
      file,
      `${fromField}.version`,
      `${from} runs more than one version of ${addon}, each cluster the one of its Kubernetes minor: ${runsText(fr.unpinned)}; ` +
        `pin one in ${from} first (${fromField}.version), render, and let ${from} run it before promoting it`,
    );
  }
  const version = fromVersions[0];

  // What <to-env> runs.
  if (!tr.enabled) throw refusal(file, toField, `${to} does not run ${addon}: enable it there first, by hand, in review`);
  if (tr.unpinned.length === 0) {
    const own = tr.pinned.length === 0 ? `no cluster of ${to} runs ${addon}` : `every cluster of ${to} that runs ${addon} pins its own version (${pinsText(tr.pinned)})`;
    throw refusal(file, toField, `nothing to promote: ${own}, so a pin of ${to} changes nothing`);
  }
  if (tr.unpinned.every((r) => r.version === version)) throw refusal(file, toField, `nothing to promote: ${to} already runs ${addon} ${version} (${runsText(tr.unpinned)})`);

  // dist/ runs it in <from-env>: the offline plan of the ApplicationSet addon-<name> gives every such cluster that version.
  const planned = plannedAddonSources(distDir, addon);
  const rel = path.relative(root, distDir) || '.';
  const versionOf = (s: string) => s.slice(s.lastIndexOf('@') + 1);
  const notRendered = fr.unpinned.filter((r) => !(planned.get(r.cluster) ?? []).some((s) => versionOf(s) === version));
  if (notRendered.length > 0) {
    throw refusal(
      `${rel}/`,
      fromField,
      `${file} says ${from} runs ${addon} ${version} (${runsText(fr.unpinned)}), but the plan of ${rel}/ (ApplicationSet addon-${addon}) gives ` +
        `${notRendered.map((r) => `${r.cluster} ${planned.get(r.cluster)?.join(', ') || 'no Application'}`).join(', ')}: ` +
        `that change to ${from} was never rendered; run npm run synth, commit, and let ${from} run it before promoting it`,
    );
  }

  const text = fs.readFileSync(path.resolve(root, file), 'utf8');
  const edit = editAddonPin(text, file, to, t.at, addon, tr.pin, version);
  const setting = t.env.addons?.[addon];
  const environments = source.spec.environments.map((e) =>
    e !== t.env ? e : { ...e, addons: { ...e.addons, [addon]: typeof setting === 'object' ? { ...setting, version } : { version } } },
  );
  const next: FleetSource = { ...source, spec: { ...source.spec, environments } };
  const rendered = writeAndRender(path.resolve(root, file), text, edit.text, next, distDir, options);
  if (typeof rendered === 'number') return rendered;
  const out = path.relative(process.cwd(), distDir) || '.';
  console.log(
    [
      '',
      `## Promote add-on ${addon}: ${from} → ${to}`,
      '',
      `- ${addon}: ${versionsOf(tr.unpinned).join(', ')} → ${version} (${tr.unpinned.map((r) => r.cluster).join(', ')})`,
      `- ${from} runs it: ${fr.unpinned.map((r) => r.cluster).join(', ')} (the plan of ${rel}/ before this change)`,
      `- ${file}:${edit.line}: ${toField}.version: ${tr.pin === undefined ? `added '${version}'` : `'${tr.pin}' → '${version}'`}`,
      ...tr.pinned.map((r) => `- ${r.cluster} pins its own version (${pinsText([r])}) and keeps it`),
      ...changedLines(out, rendered.files),
      ...planLines(rendered),
    ].join('\n'),
  );
  return 0;
}
