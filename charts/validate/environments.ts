/** Rules of the environments: names, promotion order, the add-ons they enable. */
import { EnvironmentSpec } from '../model/spec.js';
import { addonSettingProblems } from './addon-settings.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkEach, listShape, Rule } from './rule-table.js';
import { dnsLabelProblem } from './rules.js';

/** `environments[i]`: one environment. */
const ENVIRONMENT: readonly Rule<EnvironmentSpec, FleetContext>[] = [
  { field: 'name', check: (e) => dnsLabelProblem(e.name) },
  { field: 'name', check: (e, ctx, i) => ctx.environments.earlierSameName.has(i) && `environment "${e.name}" is defined twice` },
  {
    field: 'promotionOrder',
    check: (e) => !(Number.isInteger(e.promotionOrder) && e.promotionOrder >= 0) && `must be a whole number >= 0, got ${JSON.stringify(e.promotionOrder)}`,
  },
  (e, at, ctx) => addonSettingProblems(e.addons, at, ctx, 'environment'),
];

export function environmentProblems(ctx: FleetContext): FieldProblem[] {
  return [...listShape('environments', ctx.spec.environments, 'environments'), ...checkEach('environments', ctx.environments.items, ENVIRONMENT, ctx)];
}
