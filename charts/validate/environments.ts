/** Rules of the environments: names, promotion order, the add-ons they enable. */
import { EnvironmentSpec } from '../model/spec.js';
import { addonSettingProblems } from './addon-settings.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkEach, listShape, Rule } from './rule-table.js';
import { dnsLabelProblem, show } from './rules.js';

/** `environments[i]`: one environment. */
const ENVIRONMENT: readonly Rule<EnvironmentSpec, FleetContext>[] = [
  { field: 'name', check: (e) => dnsLabelProblem(e.name) },
  { field: 'name', check: (e, ctx, i) => ctx.environments.earlierSameName.has(i) && `environment "${e.name}" is defined twice` },
  {
    field: 'promotionOrder',
    check: (e) => !(Number.isInteger(e.promotionOrder) && e.promotionOrder >= 0) && `must be a whole number >= 0, got ${show(e.promotionOrder)}`,
  },
  {
    field: 'promotionOrder',
    check: (e, ctx, i) => {
      if (!Number.isInteger(e.promotionOrder)) return false;
      const earlier = ctx.environments.items.find(([o, j]) => j < i && o.promotionOrder === e.promotionOrder);
      return earlier !== undefined
        && `${e.promotionOrder} is also the promotionOrder of environment "${earlier[0].name}" (environments[${earlier[1]}]): changes would roll out to both at once, in no order you chose; give each environment its own place`;
    },
  },
  (e, at, ctx) => addonSettingProblems(e.addons, at, ctx, 'environment'),
];

export function environmentProblems(ctx: FleetContext): FieldProblem[] {
  return [...listShape('environments', ctx.spec.environments, 'environments'), ...checkEach('environments', ctx.environments.items, ENVIRONMENT, ctx)];
}
