/** Rules of the add-on settings an environment or a cluster gives (`addons: { karpenter: { version } }`). */
import { AddonSetting, ClusterAddonSetting } from '../model/spec.js';
import { asSetting } from '../model/resolve.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkItem, problem, Rule } from './rule-table.js';
import { CHART_VERSION, IAM_ROLE_ARN, isRecord, isString, kindOf, nonJsonAt } from './rules.js';

/** One add-on's setting, and who gives it. */
interface SettingOf {
  readonly addon: string;
  readonly setting: ClusterAddonSetting;
  readonly level: 'environment' | 'cluster';
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
    field: 'iamRoleArn',
    check: ({ setting: s, level }) => s.iamRoleArn !== undefined && level === 'environment' && 'IAM roles are per cluster; set iamRoleArn on the cluster',
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
  if (settings !== undefined && !isRecord(settings)) return [problem(`${at}.addons`, `must be an object of add-on settings by add-on name, got ${kindOf(settings)}`)];
  return Object.entries(settings ?? {}).flatMap(([addon, raw]) => {
    const path = `${at}.addons.${addon}`;
    if (!ctx.addons.byName.has(addon)) return [problem(path, `unknown add-on "${addon}"; known add-ons: ${[...ctx.addons.byName.keys()].sort().join(', ')}`)];
    if (typeof raw !== 'boolean' && (raw === null || typeof raw !== 'object')) return [problem(path, `must be true, false or a setting object, got ${JSON.stringify(raw)}`)];
    return checkItem({ addon, setting: asSetting<ClusterAddonSetting>(raw)!, level }, path, SETTING, ctx);
  });
}
