/**
 * `npm run promote -- <app> <from-env> <to-env>`: makes <to-env> run the image tag <from-env> runs, by
 * changing one string literal of main.ts (the `newTag` of <to-env>'s images rule for the app's image),
 * then rendering dist/ again, and prints what changed for the pull request. Refused (exit 1, nothing
 * written): an unknown app or environment, <to-env> not after <from-env> in ENVIRONMENTS, <from-env> not
 * running that image in dist/ (synthesize and commit it first), nothing to promote, or a value that is
 * not a string literal main.ts spells out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { AppSpec } from 'cdk8s-fleet/app';

export interface PromoteOptions {
  readonly apps: readonly AppSpec[];
  /** The environments in promotion order. */
  readonly environments: readonly string[];
  /** The source file that declares the apps. */
  readonly source: string;
  /** The output folder. */
  readonly out: string;
  /** Renders `apps` into `out`; returns the number of files. */
  readonly synth: (out: string, apps: readonly AppSpec[]) => number;
}

class Refused extends Error {}

/** The app's image repository and the tag it runs in `env`, and the index of the images rule giving it. */
function runs(app: AppSpec, env: string): { repository: string; tag: string; rule: number } {
  const base = app.webService ?? app.worker;
  if (!base) throw new Refused(`${app.name}: only a webService or worker app has an image to promote`);
  const rules = app.environments[env]?.images ?? [];
  const rule = rules.findIndex((r) => r.name === base.image.repository);
  const r = rule >= 0 ? rules[rule] : undefined;
  if (r && (r.newName !== undefined || r.digest !== undefined)) throw new Refused(`${app.name}.environments.${env}.images[${rule}]: promote moves tags only (this rule sets a name or digest)`);
  const tag = r?.newTag ?? base.image.tag;
  if (!tag) throw new Refused(`${app.name}: the image has no tag in ${env}`);
  return { repository: base.image.repository, tag, rule };
}

/** Whether a file of `out/<app>/<env>/` runs `image` (the render committed for that environment). */
function rendered(out: string, app: string, env: string, image: string): boolean {
  const dir = path.join(out, app, env);
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir).some((f) => f.endsWith('.yaml') && fs.readFileSync(path.join(dir, f), 'utf8').split('\n').some((l) => l.trim() === `image: ${image}`));
}

/** A property of an object literal by its plain name. */
function prop(o: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
  }
  return undefined;
}

/** The `newTag` literal of `environments.<env>.images[rule]` of the app literal named `app` in `text`. */
function tagLiteral(file: string, text: string, app: string, env: string, rule: number): ts.StringLiteral {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: ts.ObjectLiteralExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isObjectLiteralExpression(n)) {
      const name = prop(n, 'name');
      if (name && ts.isStringLiteral(name) && name.text === app && prop(n, 'environments')) found.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const where = (n: ts.Node, field: string) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${app}.${field}`;
  if (found.length !== 1) throw new Refused(`${file}: ${found.length === 0 ? 'no' : 'more than one'} app literal named '${app}'`);
  const envs = prop(found[0], 'environments');
  const overlay = envs && ts.isObjectLiteralExpression(envs) ? prop(envs, env) : undefined;
  if (!overlay || !ts.isObjectLiteralExpression(overlay)) throw new Refused(where(found[0], `environments.${env}: not an object literal in the source`));
  const images = prop(overlay, 'images');
  if (!images || !ts.isArrayLiteralExpression(images) || rule < 0 || rule >= images.elements.length) {
    throw new Refused(where(overlay, `environments.${env}.images: add an images rule for the app's image, then promote`));
  }
  const element = images.elements[rule];
  const tag = ts.isObjectLiteralExpression(element) ? prop(element, 'newTag') : undefined;
  if (!tag || !ts.isStringLiteral(tag)) throw new Refused(where(element, `environments.${env}.images[${rule}].newTag: not a string literal`));
  return tag;
}

/** The promote command; returns the exit code. */
export function promote(args: readonly string[], o: PromoteOptions): number {
  try {
    const [name, from, to] = args;
    if (!name || !from || !to) throw new Refused('usage: npm run promote -- <app> <from-env> <to-env>');
    const app = o.apps.find((a) => a.name === name);
    if (!app) throw new Refused(`no app named '${name}' (apps: ${o.apps.map((a) => a.name).join(', ')})`);
    for (const env of [from, to]) if (!o.environments.includes(env) || !app.environments[env]) throw new Refused(`${name}.environments.${env}: the app does not run in '${env}'`);
    if (o.environments.indexOf(to) <= o.environments.indexOf(from)) throw new Refused(`'${to}' does not come after '${from}' in promotion order (${o.environments.join(' → ')})`);
    const source = runs(app, from);
    const target = runs(app, to);
    const image = `${source.repository}:${source.tag}`;
    if (!rendered(o.out, name, from, image)) throw new Refused(`${o.out}/${name}/${from}/ does not run ${image}: synthesize and commit ${from} first`);
    if (target.tag === source.tag) throw new Refused(`${name}: ${to} already runs ${image}`);
    const file = o.source;
    const text = fs.readFileSync(file, 'utf8');
    const literal = tagLiteral(path.basename(file), text, name, to, target.rule);
    if (literal.text !== target.tag) throw new Refused(`${path.basename(file)}: ${name}.environments.${to}.images[${target.rule}].newTag is '${literal.text}' in the source, '${target.tag}' as loaded`);
    const quote = text[literal.getStart()];
    const edited = `${text.slice(0, literal.getStart())}${quote}${source.tag}${quote}${text.slice(literal.getEnd())}`;
    // The apps as they will be read back: only that tag differs.
    const apps = o.apps.map((a) => a !== app ? a : {
      ...a,
      environments: { ...a.environments, [to]: { ...a.environments[to], images: a.environments[to].images!.map((r, i) => (i === target.rule ? { ...r, newTag: source.tag } : r)) } },
    });
    const files = o.synth(o.out, apps);
    fs.writeFileSync(file, edited);
    console.log([
      `## Promote ${name}: ${from} → ${to}`,
      '',
      `- ${source.repository}: ${target.tag} → ${source.tag}`,
      `- ${path.basename(file)}: ${name}.environments.${to}.images[${target.rule}].newTag`,
      `- ${from} runs it: ${o.out}/${name}/${from}/`,
      `- ${o.out}/ rendered again (${files} files): commit main.ts and ${o.out}/ and open the pull request`,
    ].join('\n'));
    return 0;
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    console.error(`promote: ${e.message}\nNothing was written.`);
    return 1;
  }
}
