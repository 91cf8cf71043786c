/**
 * `npm run promote -- addon:<name> <from-env> <to-env>`: copies the chart version an environment runs of
 * an add-on (its `addons.<name>.version` pin, else the catalog's version) into the later environment's
 * pin in environments/environments.ts, and renders again. The edit goes through the TypeScript parser
 * like an app's: only the version literal changes (or `true` becomes `{ version: '...' }`, or the add-on's
 * entry is added after the last spread); anything not a literal is refused with file, line and field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { ADDON_CATALOG } from '../../charts/addons/catalog.js';
import { AddonSetting, EnvironmentSpec, FleetSource } from '../../charts/model/spec.js';
import { ExpectedError } from '../cli-failure.js';
import { readTree } from '../tree.js';
import { changedLines, checkOrder, environmentOf, planLines, PromoteOptions, refusal, writeAndRender } from './promotion.js';

/** What an environment's setting of an add-on says: whether it runs there, and the version it runs. */
export function addonRuns(env: EnvironmentSpec, addon: string, catalogVersion: string): { runs: boolean; version: string; pinned: boolean } {
  const setting = env.addons?.[addon];
  const object = typeof setting === 'object' && setting !== null ? (setting as AddonSetting) : undefined;
  const runs = setting === true || (object !== undefined && object.enabled !== false);
  return { runs, version: object?.version ?? catalogVersion, pinned: object?.version !== undefined };
}

/**
 * The chart versions the rendered ApplicationSet `addon-<name>` gives, per environment label of its
 * cluster generators (`undefined`: the generator for every environment, the catalog's version).
 */
export function renderedVersions(distDir: string, addon: string): Array<{ file: string; environment?: string; version: string }> {
  const out: Array<{ file: string; environment?: string; version: string }> = [];
  for (const [file, bytes] of readTree(distDir)) {
    if (!file.endsWith('.yaml')) continue;
    const text = bytes.toString('utf8');
    if (!text.includes(`name: addon-${addon}\n`)) continue;
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
      if (o?.kind !== 'ApplicationSet' || o.metadata?.name !== `addon-${addon}`) continue;
      const visit = (n: unknown): void => {
        if (Array.isArray(n)) return n.forEach(visit);
        if (n === null || typeof n !== 'object') return;
        const clusters = (n as { clusters?: { selector?: { matchLabels?: Record<string, string> }; values?: Record<string, string> } }).clusters;
        const version = clusters?.values?.addonChartVersion;
        if (typeof version === 'string') out.push({ file, environment: clusters?.selector?.matchLabels?.environment, version });
        Object.values(n).forEach(visit);
      };
      visit(o);
    }
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

/** Promotes an add-on's version pin; returns the exit code. */
export function promoteAddon(addon: string, from: string, to: string, source: FleetSource, distDir: string, options: PromoteOptions): number {
  const root = options.root ?? process.cwd();
  const f = environmentOf(source, from);
  const t = environmentOf(source, to);
  const file = f.file;
  const catalog = options.catalog ?? ADDON_CATALOG;
  const def = catalog.find((d) => d.name === addon);
  if (!def) throw refusal(file, `${f.at}.addons`, `no add-on "${addon}" in the catalog`);
  checkOrder(source, from, to);
  const fr = addonRuns(f.env, addon, def.version);
  const tr = addonRuns(t.env, addon, def.version);
  if (!fr.runs) throw refusal(file, `${f.at}.addons.${addon}`, `${from} does not run ${addon}`);
  if (!tr.runs) throw refusal(file, `${t.at}.addons.${addon}`, `${to} does not run ${addon}: enable it there first, by hand, in review`);
  const versions = renderedVersions(distDir, addon);
  const own = versions.filter((r) => r.environment === from);
  const ok = own.length > 0 ? own.some((r) => r.version === fr.version) : versions.some((r) => r.environment === undefined && r.version === fr.version);
  if (!ok) {
    const rel = path.relative(root, distDir) || '.';
    throw refusal(
      `${rel}/`,
      `${f.at}.addons.${addon}`,
      `${file} says ${from} runs ${addon} ${fr.version}, but the rendered ApplicationSet addon-${addon} gives ${from} ${(own.length > 0 ? own : versions.filter((r) => r.environment === undefined)).map((r) => r.version).join(', ') || 'no version'}: ` +
        `that change to ${from} was never rendered; run npm run synth, commit, and let ${from} run it before promoting it`,
    );
  }
  if (fr.version === tr.version) throw refusal(file, `${t.at}.addons.${addon}`, `nothing to promote: ${to} already runs ${addon} ${fr.version}`);
  const text = fs.readFileSync(path.resolve(root, file), 'utf8');
  const current = tr.pinned ? tr.version : undefined;
  const edit = editAddonPin(text, file, to, t.at, addon, current, fr.version);
  const setting = t.env.addons?.[addon];
  const environments = source.spec.environments.map((e) =>
    e !== t.env ? e : { ...e, addons: { ...e.addons, [addon]: typeof setting === 'object' ? { ...setting, version: fr.version } : { version: fr.version } } },
  );
  const next: FleetSource = { ...source, spec: { ...source.spec, environments } };
  const rendered = writeAndRender(path.resolve(root, file), text, edit.text, next, distDir, options);
  if (typeof rendered === 'number') return rendered;
  const rel = path.relative(process.cwd(), distDir) || '.';
  console.log(
    [
      '',
      `## Promote add-on ${addon}: ${from} → ${to}`,
      '',
      `- ${addon}: ${tr.version} → ${fr.version}`,
      `- ${file}:${edit.line}: ${t.at}.addons.${addon}.version: ${current === undefined ? `added '${fr.version}'` : `'${current}' → '${fr.version}'`}`,
      '- clusters of the environment that pin their own version (clusters[].addons) keep it',
      ...changedLines(rel, rendered.files),
      ...planLines(rendered),
    ].join('\n'),
  );
  return 0;
}
