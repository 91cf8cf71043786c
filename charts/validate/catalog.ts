/** Rules of the add-on catalog: each entry, then dependencies between entries. */
import { AddonDefinition } from '../model/addon.js';
import { addonWaves } from '../model/addon-order.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkEach, NestedRule, problem, Rule } from './rule-table.js';
import { CHART_VERSION, dnsLabelProblem, HELM_REPO_URL, isString, OCI_REPO } from './rules.js';

/** Where the catalog's problems are reported. */
export const CATALOG_FILE = 'charts/addons/catalog.ts';
/** How the catalog's problems name it (`ADDON_CATALOG[3].version`). */
export const CATALOG_PATH = 'ADDON_CATALOG';

/** `ADDON_CATALOG[i]`: one add-on. */
const ENTRY: readonly Rule<AddonDefinition, FleetContext>[] = [
  { field: 'name', check: (a) => dnsLabelProblem(a.name) },
  { field: 'name', check: (a, ctx, i) => ctx.addons.earlierSameName.has(i) && `add-on "${a.name}" is defined twice; names must be unique` },
  {
    field: 'onDisable',
    check: (a) => a.onDisable !== undefined && a.onDisable !== 'uninstall' && a.onDisable !== 'orphan'
      && `${JSON.stringify(a.onDisable)} is not what disabling does; use "uninstall" (Argo CD deletes the add-on's resources) or "orphan" (they keep running, unmanaged)`,
  },
  { field: 'version', check: (a) => !(isString(a.version) && CHART_VERSION.test(a.version)) && `"${a.version}" is not an exact chart version (semver such as 1.2.3 or v1.2.3)` },
  {
    field: 'repoUrl',
    check: (a) => a.oci
      ? !OCI_REPO.test(a.repoUrl) && `"${a.repoUrl}" is not an OCI registry path without scheme (like public.ecr.aws/karpenter)`
      : !HELM_REPO_URL.test(a.repoUrl) && `"${a.repoUrl}" is not an https:// Helm repository URL; set oci: true for OCI registries`,
  },
  { field: 'namespace', check: (a) => dnsLabelProblem(a.namespace) },
  { field: 'serviceAccount', check: (a) => a.serviceAccount !== undefined && dnsLabelProblem(a.serviceAccount) },
  { field: 'chart', check: (a) => !(isString(a.chart) && a.chart.length > 0) && 'chart name is empty' },
];

/** `ADDON_CATALOG[i].dependsOn[j]`: every dependency is in the catalog. */
const dependencies: NestedRule<AddonDefinition, FleetContext> = (a, at, ctx) =>
  (a.dependsOn ?? []).flatMap((d, j) => (ctx.addons.byName.has(d) ? [] : [problem(`${at}.dependsOn[${j}]`, `"${a.name}" depends on unknown add-on "${d}"`)]));

/** No dependency cycle; reported at the first add-on of each cycle. */
function cycles(ctx: FleetContext): FieldProblem[] {
  return addonWaves(ctx.catalog).cycles.map((cycle) => {
    const i = ctx.catalog.findIndex((a) => a.name === cycle[0]);
    return problem(`${CATALOG_PATH}[${i}].dependsOn`, `dependency cycle between add-ons: ${cycle.join(' -> ')}; remove one of these dependencies`);
  });
}

export function catalogProblems(ctx: FleetContext): FieldProblem[] {
  return [
    ...checkEach(CATALOG_PATH, ctx.addons.items, ENTRY, ctx),
    ...checkEach(CATALOG_PATH, ctx.addons.items, [dependencies], ctx),
    ...cycles(ctx),
  ];
}
