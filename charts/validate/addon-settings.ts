/** Rules of the add-on settings an environment or a cluster gives (`addons: { karpenter: { version } }`). */
import { AddonSetting, ClusterAddonSetting } from '../model/spec.js';
import { asSetting, isEnabled } from '../model/resolve.js';
import { addonOnDisable } from '../model/addon.js';
import { hubNames, hubOf } from '../model/hubs.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkItem, problem, Rule } from './rule-table.js';
import { CHART_VERSION, IAM_ROLE_ARN, isRecord, isString, kindOf, nonJsonAt } from './rules.js';

/** One add-on's setting, and who gives it. */
interface SettingOf {
  readonly addon: string;
  readonly setting: ClusterAddonSetting;
  readonly level: 'environment' | 'cluster';
  /** The name of the environment or cluster that gives the setting. */
  readonly owner: string;
}

/**
 * The clusters of one hub that would run `addon` with another `onDisable` than the setting gives, with
 * theirs: one ApplicationSet per add-on and hub renders them all, and its template's finalizers are one.
 * The clusters the setting itself covers (its environment's, or the cluster) are the ones compared against.
 */
function onDisableConflicts({ addon, setting, level, owner }: SettingOf, ctx: FleetContext): string[] {
  const definition = ctx.addons.byName.get(addon)!;
  const clusters = ctx.clusters.items.map(([c]) => c).filter((c) => isRecord(c) && typeof c.name === 'string');
  const hubs = hubNames(ctx.spec);
  const envOf = (c: (typeof clusters)[number]) => ctx.environments.byName.get(c.environment);
  const running = clusters.filter((c) => isEnabled(c, envOf(c), addon));
  const covered = running.filter((c) => (level === 'cluster' ? c.name === owner : c.environment === owner && asSetting<ClusterAddonSetting>(c.addons?.[addon])?.onDisable === undefined));
  const out = new Set<string>();
  for (const mine of covered) {
    const hub = hubOf(mine, hubs);
    for (const other of running) {
      if (other === mine || hubOf(other, hubs) !== hub) continue;
      const theirs = addonOnDisable(definition, asSetting<ClusterAddonSetting>(other.addons?.[addon]), asSetting(envOf(other)?.addons?.[addon]));
      if (theirs !== setting.onDisable && covered.every((c) => c !== other)) out.add(`${other.name} (${theirs})`);
    }
  }
  return [...out].sort();
}

/** `<environment or cluster>.addons.<addon>`: a known add-on's setting. */
const SETTING: readonly Rule<SettingOf, FleetContext>[] = [
  {
    field: 'version',
    check: ({ setting: s }) => s.version !== undefined && !(isString(s.version) && CHART_VERSION.test(s.version)) && `"${s.version}" is not an exact chart version (semver such as 1.2.3)`,
  },
  { field: 'values', check: ({ setting: s }) => s.values !== undefined && !isRecord(s.values) && 'must be an object of Helm values' },
  {
    field: 'values',
    check: ({ setting: s }) => {
      const bad = s.values !== undefined && nonJsonAt(s.values);
      return bad && `must be JSON data: ${bad.replace(/^\./, '')}`;
    },
  },
  {
    field: 'onDisable',
    check: ({ setting: s }) => s.onDisable !== undefined && s.onDisable !== 'uninstall' && s.onDisable !== 'orphan'
      && `must be "uninstall" (Argo CD deletes what the add-on installed when it is disabled) or "orphan" (it keeps running, unmanaged), got ${JSON.stringify(s.onDisable)}`,
  },
  {
    field: 'onDisable',
    check: (item, ctx) => {
      if (item.setting.onDisable !== 'uninstall' && item.setting.onDisable !== 'orphan') return false;
      const others = onDisableConflicts(item, ctx);
      return others.length > 0 && `"${item.setting.onDisable}" here, but ${others.join(', ')} of the same hub run "${item.addon}" too, and one ApplicationSet (addon-${item.addon}) renders the add-on for all of a hub's clusters with one template, whose finalizers decide for every Application: give them all one onDisable (or set it in the catalog); see docs/addon-removal.md`;
    },
  },
  {
    field: 'iamRoleArn',
    check: ({ setting: s, level }) => s.iamRoleArn !== undefined && level === 'environment' && 'IAM roles are per cluster; set iamRoleArn on the cluster',
  },
  {
    field: 'facts',
    check: ({ setting: s, level }) => s.facts !== undefined && level === 'environment' && 'facts of the IaC contract are per cluster; give them on the cluster (or in its IaC output)',
  },
  {
    field: 'facts',
    check: ({ addon, setting: s, level }, ctx) => {
      if (s.facts === undefined || level !== 'cluster') return false;
      if (!isRecord(s.facts)) return `must be an object of annotation key -> value, got ${kindOf(s.facts)}`;
      const known = (ctx.addons.byName.get(addon)!.facts ?? []).map((f) => f.key);
      const unknown = Object.keys(s.facts).filter((k) => !known.includes(k));
      return unknown.length > 0 && `${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a fact of ${addon}; its facts: ${known.join(', ') || 'none'}`;
    },
  },
  {
    field: 'iamRoleArn',
    check: ({ addon, setting: s, level }, ctx) => s.iamRoleArn !== undefined && level === 'cluster' && !ctx.addons.byName.get(addon)!.iamRole
      && `add-on "${addon}" does not use an IAM role; remove iamRoleArn`,
  },
  {
    field: 'iamRoleArn',
    check: ({ addon, setting: s, level }, ctx) => s.iamRoleArn !== undefined && level === 'cluster' && ctx.addons.byName.get(addon)!.iamRole
      && !(isString(s.iamRoleArn) && IAM_ROLE_ARN.test(s.iamRoleArn)) && `"${s.iamRoleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
  },
];

/** The `addons` map of an environment or a cluster at `at`: an object of known add-ons, each true, false or a setting. */
export function addonSettingProblems(
  settings: Readonly<Record<string, boolean | AddonSetting>> | undefined,
  at: string,
  ctx: FleetContext,
  level: SettingOf['level'],
): FieldProblem[] {
  // `at` is `environments[i]` or `clusters[i]`: the environment or cluster that gives the settings.
  const index = Number(/\[(\d+)\]$/.exec(at)?.[1] ?? -1);
  const owners = level === 'cluster' ? ctx.clusters.items : ctx.environments.items;
  const named = owners.find(([, i]) => i === index)?.[0]?.name;
  const owner = typeof named === 'string' ? named : '';
  if (settings !== undefined && !isRecord(settings)) return [problem(`${at}.addons`, `must be an object of add-on settings by add-on name, got ${kindOf(settings)}`)];
  return Object.entries(settings ?? {}).flatMap(([addon, raw]) => {
    const path = `${at}.addons.${addon}`;
    if (!ctx.addons.byName.has(addon)) return [problem(path, `unknown add-on "${addon}"; known add-ons: ${[...ctx.addons.byName.keys()].sort().join(', ')}`)];
    if (typeof raw !== 'boolean' && (raw === null || typeof raw !== 'object')) return [problem(path, `must be true, false or a setting object, got ${JSON.stringify(raw)}`)];
    return checkItem({ addon, setting: asSetting<ClusterAddonSetting>(raw)!, level, owner }, path, SETTING, ctx);
  });
}
