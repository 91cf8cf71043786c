/** Rules of the add-on catalog: each entry, then dependencies between entries. */
import { AddonDefinition } from '../model/addon.js';
import { addonWaves } from '../model/addon-order.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkEach, NestedRule, problem, Rule } from './rule-table.js';
import { CHART_VERSION, dnsLabelProblem, HELM_REPO_URL, isString, OCI_REPO } from './rules.js';
import { minorNumber } from '../model/addon-versions.js';
import { AddonAnnotation, snakeCase } from '../model/contract.js';

/** `<owner>/<repo>@<tag>:<path>`, then optionally `; ` and more such references. */
const CHECKED_AGAINST = /^[\w.-]+\/[\w.-]+@[^\s:;]+:[^\s;]+(; [\w.-]+\/[\w.-]+@[^\s:;]+:[^\s;]+)*$/;

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
  {
    field: 'version',
    check: (a) => a.pins !== undefined && a.pins.length > 0 && a.pins[0].version !== a.version
      && `"${a.version}" is not the newest checked version; pins[0] is ${a.pins[0].version}: the default is the newest pin`,
  },
];

/** `ADDON_CATALOG[i].pins[j]`: a checked version, with its range and where it was checked. */
const pins: NestedRule<AddonDefinition, FleetContext> = (a, at) => (a.pins ?? []).flatMap((p, j) => {
  const pat = `${at}.pins[${j}]`;
  const out: FieldProblem[] = [];
  if (!(isString(p.version) && CHART_VERSION.test(p.version))) out.push(problem(`${pat}.version`, `"${p.version}" is not an exact chart version`));
  const min = p.kubernetes === undefined ? 0 : isString(p.kubernetes.min) ? minorNumber(p.kubernetes.min) : undefined;
  const max = p.kubernetes?.max === undefined ? Infinity : isString(p.kubernetes.max) ? minorNumber(p.kubernetes.max) : undefined;
  if (min === undefined) out.push(problem(`${pat}.kubernetes.min`, `${JSON.stringify(p.kubernetes?.min)} is not a Kubernetes minor like "1.30"`));
  if (max === undefined) out.push(problem(`${pat}.kubernetes.max`, `${JSON.stringify(p.kubernetes?.max)} is not a Kubernetes minor like "1.35"`));
  if (p.kubernetes && min !== undefined && max !== undefined && max < min) out.push(problem(`${pat}.kubernetes`, `max ${p.kubernetes.max} is below min ${p.kubernetes.min}`));
  if (!(isString(p.checkedAgainst) && CHECKED_AGAINST.test(p.checkedAgainst))) {
    out.push(problem(`${pat}.checkedAgainst`, `${JSON.stringify(p.checkedAgainst)} does not name where the pin was checked: <owner>/<repo>@<tag>:<path of Chart.yaml>`));
  }
  const earlier = (a.pins ?? []).slice(0, j).find((q) => q.version === p.version);
  if (earlier) out.push(problem(`${pat}.version`, `${p.version} is listed twice`));
  return out;
});

/** `ADDON_CATALOG[i].facts[j]`: an annotation of the add-on's own, with a pattern that compiles. */
const facts: NestedRule<AddonDefinition, FleetContext> = (a, at) => (a.facts ?? []).flatMap((f, j) => {
  const own = `${snakeCase(a.name)}_`;
  const reserved = [AddonAnnotation.iamRoleArn(a.name), AddonAnnotation.namespace(a.name), AddonAnnotation.serviceAccount(a.name)];
  if (!(isString(f.key) && /^[a-z][a-z0-9_]*$/.test(f.key) && f.key.startsWith(own)) || reserved.includes(f.key)) {
    return [problem(`${at}.facts[${j}].key`, `"${f.key}" must be a snake_case annotation key of the add-on's own, starting with ${own} (and not ${reserved.join(', ')})`)];
  }
  if (f.pattern !== undefined) {
    try {
      new RegExp(f.pattern);
    } catch (e) {
      return [problem(`${at}.facts[${j}].pattern`, `does not compile: ${(e as Error).message}`)];
    }
  }
  return [];
});

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
    ...checkEach(CATALOG_PATH, ctx.addons.items, [dependencies, pins, facts], ctx),
    ...cycles(ctx),
  ];
}
