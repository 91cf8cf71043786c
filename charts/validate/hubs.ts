/** Rules of the hubs: at least one, and with several, every spoke names the hub that manages it. */
import { ClusterSpec } from '../model/spec.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkEach, problem, Rule } from './rule-table.js';

type HubContext = FleetContext & { readonly hubNames: readonly string[] };

/** `clusters[i].hub`. */
const HUB_OF: readonly Rule<ClusterSpec, HubContext>[] = [
  {
    field: 'hub',
    check: (c, ctx) => c.hub === undefined && c.role === 'spoke' && ctx.hubs.length >= 2
      && `the fleet has ${ctx.hubs.length} hubs (${ctx.hubNames.join(', ')}): name the hub whose Argo CD manages spoke "${c.name}"`,
  },
  { field: 'hub', check: (c) => c.hub !== undefined && c.role === 'hub' && c.hub !== c.name && `a hub manages itself; remove hub or set it to "${c.name}"` },
  {
    field: 'hub',
    check: (c, ctx) => c.hub !== undefined && c.role !== 'hub' && !ctx.hubNames.includes(c.hub) && `unknown hub "${c.hub}"; hubs: ${ctx.hubNames.join(', ')}`,
  },
];

export function hubProblems(ctx: FleetContext): FieldProblem[] {
  const hubNames = ctx.hubs.map((i) => ctx.spec.clusters[i].name);
  return [
    ...(ctx.hubs.length === 0 ? [problem('clusters', 'no hub: one cluster must have role "hub"')] : []),
    ...checkEach('clusters', ctx.clusters.items, HUB_OF, { ...ctx, hubNames }),
  ];
}
