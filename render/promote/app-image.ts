/**
 * The promotion of an app's image: what `<from-env>` runs (the library's base and overlay), that `dist/`
 * already runs it there, the edit of the `<to-env>` overlay's `images` rule in environments/teams.ts,
 * and the render. Everything is checked before anything is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppSpec, FleetSource, TeamSpec } from '../../charts/model/spec.js';
import { ImageRule, Overlay, rewriteImage, splitImage } from '../../engines/kustomize/index.js';
import { UsageError } from '../cli-failure.js';
import { editImageRule, ImageRuleEdit, LiteralChange, RuleField } from './source-edit.js';
import { appBase, AppBase, distRuns, ImageRun, ruleFor, ruleMatches, whatRuns } from './what-runs.js';
import { changedLines, checkOrder, environmentOf, planLines, PromoteOptions, refusal, writeAndRender } from './promotion.js';

const tagOf = (image: string) => {
  const s = splitImage(image);
  return [s.tag, s.digest && `@${s.digest}`].filter(Boolean).join('') || '(none)';
};

function pick(rule: ImageRule): Partial<Record<RuleField, string>> {
  return { ...(rule.newName !== undefined && { newName: rule.newName }), ...(rule.newTag !== undefined && { newTag: rule.newTag }), ...(rule.digest !== undefined && { digest: rule.digest }) };
}

/** The spec with one app's overlay for one environment replaced (everything else shared, by reference). */
function withOverlay(source: FleetSource, ti: number, ai: number, env: string, overlay: Overlay): FleetSource {
  const teams = [...source.spec.teams!];
  const team = teams[ti];
  const apps = [...team.apps];
  apps[ai] = { ...apps[ai], environments: { ...apps[ai].environments, [env]: overlay } };
  teams[ti] = { ...team, apps };
  return { ...source, spec: { ...source.spec, teams } };
}

/** Promotes an app's image; returns the exit code. */
export function promoteApp(target: string, from: string, to: string, source: FleetSource, distDir: string, options: PromoteOptions): number {
  const root = options.root ?? process.cwd();
  const file = source.files.teams ?? source.files.default ?? 'environments/index.ts';
  const [teamName, appName, ...rest] = target.split('/');
  if (!teamName || !appName || rest.length > 0) throw new UsageError(`"${target}" is not <team>/<app> (or addon:<name>)`);
  const teams = source.spec.teams ?? [];
  const ti = teams.findIndex((t) => t.name === teamName);
  if (ti < 0) throw refusal(file, 'teams', `no team "${teamName}" (${teams.map((t) => t.name).join(', ') || 'none'})`);
  const team: TeamSpec = teams[ti];
  if ((team as { repo?: unknown }).repo !== undefined) {
    throw refusal(file, `teams[${ti}].repo`, `team ${teamName} renders its apps in its own repository: promote there (its overlays are not in this fleet's source)`);
  }
  const ai = team.apps.findIndex((a) => a.name === appName);
  if (ai < 0) throw refusal(file, `teams[${ti}].apps`, `team ${teamName} has no app "${appName}" (${team.apps.map((a) => a.name).join(', ') || 'none'})`);
  const app: AppSpec = team.apps[ai];
  const at = `teams[${ti}].apps[${ai}]`;
  environmentOf(source, from);
  environmentOf(source, to);
  for (const env of [from, to]) {
    if (!team.environments.includes(env)) throw refusal(file, `teams[${ti}].environments`, `team ${teamName} is not in ${env} (${team.environments.join(', ')})`);
  }
  checkOrder(source, from, to);
  for (const env of [from, to]) {
    if (app.environments[env] === undefined) {
      const runs = Object.keys(app.environments).filter((e) => team.environments.includes(e));
      throw refusal(file, `${at}.environments.${env}`, `${teamName}/${appName} does not run in ${env} (it runs in ${runs.join(', ') || 'no environment'}): give it a ${env} overlay first, by hand, in review`);
    }
  }

  // What each environment runs: the library's base and overlay.
  let base: AppBase;
  try {
    base = appBase(app);
  } catch (e) {
    throw refusal(file, at, `the app does not render: ${(e as Error).message}`);
  }
  if (base.images.length === 0) throw refusal(file, at, 'the app runs no container image: nothing to promote');
  const runs = (env: string): ImageRun[] => {
    try {
      return whatRuns(base, app.environments[env]);
    } catch (e) {
      throw refusal(file, `${at}.environments.${env}`, (e as Error).message);
    }
  };
  const fromRuns = runs(from);
  const toRuns = runs(to);

  // The committed render must already run it in <from-env>: a change never synthesized is not promoted.
  const dist = distRuns(distDir, teamName, appName, from);
  const folder = path.relative(root, dist.folder) || '.';
  for (const r of fromRuns) {
    if (!dist.images.includes(r.effective)) {
      throw refusal(
        `${folder}/`,
        `${at}.environments.${from}`,
        `${file} says ${from} runs ${r.effective}, but ${dist.exists ? `the rendered manifests there run ${dist.images.join(', ') || 'no image'}` : 'that folder does not exist'}: ` +
          `that change to ${from} was never rendered; run npm run synth, commit, and let ${from} run it before promoting it`,
      );
    }
  }

  const changes = fromRuns.map((r, k) => ({ from: r, to: toRuns[k] })).filter((c) => c.from.effective !== c.to.effective);
  if (changes.length === 0) {
    throw refusal(file, `${at}.environments.${to}`, `nothing to promote: ${to} already runs what ${from} runs (${fromRuns.map((r) => r.effective).join(', ')})`);
  }

  // The edits, one image at a time, on the text and on the spec alike.
  const text = fs.readFileSync(path.resolve(root, file), 'utf8');
  let edited = text;
  let next = source;
  let overlay: Overlay = app.environments[to];
  const literals: LiteralChange[] = [];
  const lines: string[] = [];
  for (const c of changes) {
    const images = overlay.images ?? [];
    const matching = images.map((rule, i) => ({ rule, i })).filter(({ i }) => c.to.rules.includes(i));
    const field = `${at}.environments.${to}.images`;
    if (matching.length > 1) throw refusal(file, field, `${matching.length} rules (${matching.map(({ i }) => i).join(', ')}) match ${c.from.base}: edit by hand`);
    const target = ruleFor(c.from.base, c.from.effective);
    let edit: ImageRuleEdit;
    let rules: ImageRule[];
    if (matching.length === 1) {
      const { rule, i } = matching[0];
      edit = { team: teamName, app: appName, environment: to, at: `${field}[${i}]`, index: i, count: images.length, current: pick(rule), next: target };
      rules = images.map((r, j) => (j === i ? { name: r.name, ...target } : r));
    } else {
      const fromRule = c.from.rules.length === 1 ? c.from.rules[0] : undefined;
      const name = fromRule !== undefined ? app.environments[from].images![fromRule].name : splitImage(c.from.base).name;
      edit = {
        team: teamName, app: appName, environment: to, at: `${field}[${images.length}]`, count: images.length, current: {}, next: target,
        name: { value: name, ...(fromRule !== undefined && { copyFrom: { environment: from, index: fromRule } }) },
      };
      rules = [...images, { name, ...target }];
    }
    const check = rules.reduce((image, rule) => (ruleMatches(image, rule) ? rewriteImage(image, rule) : image), c.from.base);
    if (check !== c.from.effective) throw refusal(file, field, `the rule ${JSON.stringify({ ...target })} would make ${check}, not ${c.from.effective}: edit by hand`);
    const result = editImageRule(edited, file, edit);
    edited = result.text;
    literals.push(...result.changes);
    overlay = { ...overlay, images: rules };
    next = withOverlay(source, ti, ai, to, overlay);
    lines.push(`- ${splitImage(c.from.base).name}: ${tagOf(c.to.effective)} → ${tagOf(c.from.effective)} (${c.to.effective} → ${c.from.effective})`);
  }
  // The spec as edited runs in <to-env> what <from-env> runs: the edit did what it says.
  const after = whatRuns(base, overlay);
  if (after.some((r, k) => r.effective !== fromRuns[k].effective)) throw new Error(`the edited overlay runs ${after.map((r) => r.effective).join(', ')}`);

  const rel = path.relative(process.cwd(), path.resolve(distDir)) || '.';
  const rendered = writeAndRender(path.resolve(root, file), text, edited, next, distDir, options);
  if (typeof rendered === 'number') return rendered;
  console.log(
    [
      '',
      `## Promote ${teamName}/${appName}: ${from} → ${to}`,
      '',
      ...lines,
      ...literals.map((l) => `- ${file}:${l.line}: ${l.field}: ${l.from === undefined ? `added ${l.to}` : `'${l.from}' → '${l.to}'`}`),
      `- ${from} runs it: ${folder}/ (the render in ${rel}/ before this change)`,
      ...changedLines(rel, rendered.files),
      ...planLines(rendered),
    ].join('\n'),
  );
  return 0;
}

