/**
 * Edits an app's image rule in the fleet's source text with the TypeScript compiler's parser: finds the
 * team's object literal (`name: '<team>'` with `apps`), the app's (`name: '<app>'`), then
 * `environments.<env>.images[<i>]`, and replaces the string literals of `newTag` / `newName` / `digest`
 * (or inserts the property, the rule, or the `images` list). Only those characters change; everything
 * else of the file keeps its bytes. Whatever is not a literal the edit can be sure of (a variable, a
 * call, a spread, a template with substitutions) is refused with the file, line and field.
 */
import ts from 'typescript';
import { ExpectedError } from '../cli-failure.js';

/** The rule fields a promotion writes. */
export type RuleField = 'newName' | 'newTag' | 'digest';
const RULE_FIELDS: readonly RuleField[] = ['newName', 'newTag', 'digest'];

/** An edit of one image rule of an app's environment overlay. */
export interface ImageRuleEdit {
  readonly team: string;
  readonly app: string;
  readonly environment: string;
  /** Where the rule is in the data, for messages: `teams[0].apps[0].environments.prod.images[0]`. */
  readonly at: string;
  /** The rule's index in the overlay's `images`, with the list's length as loaded; undefined: add a rule. */
  readonly index?: number;
  /** The length of the overlay's `images` as loaded (0 when it has none). */
  readonly count: number;
  /** The values as loaded, for the rule being changed: the source's literals must say the same. */
  readonly current: Partial<Record<RuleField, string>>;
  /** The values to write. A field of `current` absent here would have to be removed: refused. */
  readonly next: Partial<Record<RuleField, string>>;
  /** For a new rule: its `name`, and the environment whose rule's `name` expression to copy (same scope). */
  readonly name?: { readonly value: string; readonly copyFrom?: { readonly environment: string; readonly index: number } };
}

/** One literal changed (or written) in the file. */
export interface LiteralChange {
  readonly line: number;
  readonly field: string;
  readonly from?: string;
  readonly to: string;
}

export interface SourceEdit {
  readonly text: string;
  readonly changes: readonly LiteralChange[];
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isParenthesizedExpression(n) || ts.isTypeAssertionExpression(n)) n = n.expression;
  return n;
}

function isLiteral(node: ts.Expression): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

function propertyName(p: ts.ObjectLiteralElementLike): string | undefined {
  if (!p.name) return undefined;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNoSubstitutionTemplateLiteral(p.name)) return p.name.text;
  return undefined;
}

/** Writes a string literal in the quote style of the literal it replaces (single quotes for a new one). */
function quote(value: string, like?: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, sf?: ts.SourceFile): string {
  const q = like && sf ? sf.text[like.getStart(sf)] : "'";
  const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').split(q).join(`\\${q}`);
  return `${q}${escaped}${q}`;
}

export function editImageRule(text: string, file: string, edit: ImageRuleEdit): SourceEdit {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const refuse = (n: ts.Node | undefined, field: string, why: string): never => {
    throw new ExpectedError(`${file}${n ? `:${line(n)}` : ''}: ${field}: ${why}; nothing was written (edit it by hand)`);
  };
  /** The property `name` of an object literal: a plain `key: value`, or a refusal when written otherwise. */
  const prop = (obj: ts.ObjectLiteralExpression, name: string, field: string): ts.PropertyAssignment | undefined => {
    let found: ts.PropertyAssignment | undefined;
    // A spread after the property (or with no such property) may set it: what the text says is not what runs.
    let spread: ts.SpreadAssignment | undefined;
    for (const p of obj.properties) {
      if (ts.isSpreadAssignment(p)) spread = p;
      if (propertyName(p) !== name) continue;
      if (!ts.isPropertyAssignment(p)) refuse(p, field, `written as ${ts.isShorthandPropertyAssignment(p) ? 'a shorthand property (a variable)' : 'a method or accessor'}, not a literal`);
      found = p as ts.PropertyAssignment;
      spread = undefined;
    }
    if (spread) refuse(spread, field, `the object has a spread (...${spread.expression.getText(sf).slice(0, 60)}) that may set ${name}, so its value is not known from the text`);
    return found;
  };
  const objectAt = (node: ts.Expression, field: string): ts.ObjectLiteralExpression => {
    const n = unwrap(node);
    return ts.isObjectLiteralExpression(n) ? n : refuse(n, field, `not an object literal (${n.getText(sf).slice(0, 60)})`);
  };
  const arrayAt = (node: ts.Expression, field: string): ts.ArrayLiteralExpression => {
    const n = unwrap(node);
    if (!ts.isArrayLiteralExpression(n)) return refuse(n, field, `not an array literal (${n.getText(sf).slice(0, 60)})`);
    for (const e of n.elements) if (ts.isSpreadElement(e)) refuse(e, field, `the list has a spread (${e.getText(sf).slice(0, 60)}), so its elements are not known from the text`);
    return n;
  };
  /** The object literal with `name: '<value>'` (a literal) among the elements of a list. */
  const named = (list: ts.ArrayLiteralExpression, value: string, field: string): ts.ObjectLiteralExpression => {
    const matches = list.elements.filter((e) => {
      const o = unwrap(e);
      if (!ts.isObjectLiteralExpression(o)) return false;
      const p = o.properties.find((q) => propertyName(q) === 'name');
      return p !== undefined && ts.isPropertyAssignment(p) && isLiteral(unwrap(p.initializer)) && (unwrap(p.initializer) as ts.StringLiteral).text === value;
    });
    if (matches.length !== 1) refuse(list, field, matches.length === 0 ? `no element written as an object literal with name: '${value}'` : `${matches.length} elements with name: '${value}'`);
    return unwrap(matches[0]) as ts.ObjectLiteralExpression;
  };

  // The team: the one object literal of the file with `name: '<team>'` and `apps`.
  const teams: ts.ObjectLiteralExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isObjectLiteralExpression(n)) {
      const name = n.properties.find((p) => propertyName(p) === 'name');
      const apps = n.properties.find((p) => propertyName(p) === 'apps');
      if (name && apps && ts.isPropertyAssignment(name) && isLiteral(unwrap(name.initializer)) && (unwrap(name.initializer) as ts.StringLiteral).text === edit.team) teams.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const at = edit.at.replace(/\.images\[\d+\]$/, '');
  const appAt = at.replace(/\.environments\..*$/, '');
  const teamAt = appAt.replace(/\.apps\[\d+\]$/, '');
  if (teams.length !== 1) refuse(undefined, teamAt, teams.length === 0 ? `no object literal with name: '${edit.team}' and apps (the team must be written as a literal to be promoted)` : `${teams.length} object literals with name: '${edit.team}' and apps`);
  const appsProp = prop(teams[0], 'apps', `${teamAt}.apps`) ?? refuse(teams[0], `${teamAt}.apps`, 'missing');
  const app = named(arrayAt(appsProp.initializer, `${teamAt}.apps`), edit.app, `${teamAt}.apps`);
  const envsProp = prop(app, 'environments', `${appAt}.environments`) ?? refuse(app, `${appAt}.environments`, 'missing');
  const envs = objectAt(envsProp.initializer, `${appAt}.environments`);
  const envProp = prop(envs, edit.environment, at) ?? refuse(envs, at, 'no such property written as a literal');
  const overlay = objectAt(envProp.initializer, at);
  const imagesProp = prop(overlay, 'images', `${at}.images`);
  const images = imagesProp && arrayAt(imagesProp.initializer, `${at}.images`);
  if ((images?.elements.length ?? 0) !== edit.count) {
    refuse(images ?? overlay, `${at}.images`, `the text has ${images?.elements.length ?? 0} rules where the loaded fleet has ${edit.count}`);
  }

  const replacements: Replacement[] = [];
  const changes: LiteralChange[] = [];
  const fieldsText = (fields: Partial<Record<RuleField, string>>) => RULE_FIELDS.filter((f) => fields[f] !== undefined).map((f) => `${f}: ${quote(fields[f]!)}`);

  if (edit.index !== undefined) {
    const ruleAt = `${at}.images[${edit.index}]`;
    const rule = objectAt(images!.elements[edit.index], ruleAt);
    for (const f of RULE_FIELDS) {
      const p = prop(rule, f, `${ruleAt}.${f}`);
      const value = p && unwrap(p.initializer);
      if (value && !isLiteral(value)) refuse(value, `${ruleAt}.${f}`, `not a string literal (${value.getText(sf).slice(0, 60)})`);
      const literal = value as ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | undefined;
      if ((literal?.text ?? undefined) !== edit.current[f]) {
        refuse(literal ?? rule, `${ruleAt}.${f}`, `the text says ${literal ? quote(literal.text) : 'nothing'} where the loaded fleet has ${edit.current[f] === undefined ? 'nothing' : quote(edit.current[f]!)}`);
      }
      const next = edit.next[f];
      if (next === edit.current[f]) continue;
      if (next === undefined) refuse(literal!, `${ruleAt}.${f}`, `the promotion would have to remove ${f}`);
      if (literal) {
        replacements.push({ start: literal.getStart(sf), end: literal.end, text: quote(next!, literal, sf) });
        changes.push({ line: line(literal), field: `${ruleAt}.${f}`, from: literal.text, to: next! });
      } else {
        const last = rule.properties[rule.properties.length - 1];
        replacements.push(last ? { start: last.end, end: last.end, text: `, ${f}: ${quote(next!)}` } : { start: rule.getStart(sf) + 1, end: rule.getStart(sf) + 1, text: ` ${f}: ${quote(next!)} ` });
        changes.push({ line: line(rule), field: `${ruleAt}.${f}`, to: next! });
      }
    }
  } else {
    // A new rule: its name written as the other environment's rule writes it (a sibling: same scope), else a literal.
    let nameText = quote(edit.name!.value);
    const from = edit.name?.copyFrom;
    if (from) {
      const fromEnv = prop(envs, from.environment, `${appAt}.environments.${from.environment}`);
      const fromImages = fromEnv && ts.isObjectLiteralExpression(unwrap(fromEnv.initializer)) ? prop(unwrap(fromEnv.initializer) as ts.ObjectLiteralExpression, 'images', '') : undefined;
      const list = fromImages && unwrap(fromImages.initializer);
      const element = list && ts.isArrayLiteralExpression(list) ? list.elements[from.index] : undefined;
      const o = element && unwrap(element);
      const nameProp = o && ts.isObjectLiteralExpression(o) ? o.properties.find((p) => propertyName(p) === 'name') : undefined;
      if (nameProp && ts.isPropertyAssignment(nameProp)) nameText = nameProp.initializer.getText(sf);
    }
    const ruleText = `{ ${[`name: ${nameText}`, ...fieldsText(edit.next)].join(', ')} }`;
    const ruleAt = `${at}.images[${edit.count}]`;
    if (images) {
      const last = images.elements[images.elements.length - 1];
      replacements.push(last ? { start: last.end, end: last.end, text: `, ${ruleText}` } : { start: images.getStart(sf) + 1, end: images.getStart(sf) + 1, text: ruleText });
      changes.push({ line: line(images), field: ruleAt, to: ruleText });
    } else {
      const first = overlay.properties[0];
      const start = overlay.getStart(sf);
      replacements.push(first ? { start: first.getStart(sf), end: first.getStart(sf), text: `images: [${ruleText}], ` } : { start, end: overlay.end, text: `{ images: [${ruleText}] }` });
      changes.push({ line: line(overlay), field: `${at}.images`, to: `[${ruleText}]` });
    }
  }

  let out = text;
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) out = out.slice(0, r.start) + r.text + out.slice(r.end);
  const after = ts.createSourceFile(file, out, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS) as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] };
  if ((after.parseDiagnostics?.length ?? 0) > 0) refuse(undefined, at, `the edit would not parse (${ts.flattenDiagnosticMessageText(after.parseDiagnostics![0].messageText, ' ')})`);
  return { text: out, changes };
}
