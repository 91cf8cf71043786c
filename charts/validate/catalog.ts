/** Rules of the add-on catalog: each entry, then dependencies between entries. */
import { AddonDefinition } from '../model/addon.js';
import { addonWaves } from '../model/addon-order.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { checkEach, NestedRule, problem, Rule } from './rule-table.js';
import { CHART_VERSION, dnsLabelProblem, GIT_URL, HELM_REPO_URL, isString, OCI_REPO } from './rules.js';
import { compareChartVersions, minorNumber } from '../model/addon-versions.js';
import { AddonAnnotation, snakeCase } from '../model/contract.js';
import { GLOB_CHARACTERS } from '../argocd/git-url.js';
import { ADDONS_PROJECT } from '../argocd/conventions.js';
import { parseTemplate } from '../../engines/go-template/parser.js';
import { GoTemplateError } from '../../engines/go-template/error.js';
import { parse as parseYaml } from 'yaml';

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
  const before = j > 0 ? a.pins![j - 1].version : undefined;
  if (!earlier && before !== undefined && isString(before) && isString(p.version) && CHART_VERSION.test(p.version) && compareChartVersions(before, p.version) < 0) {
    out.push(problem(`${pat}.version`, `${p.version} is newer than pins[${j - 1}] (${before}): list pins newest first, so a cluster gets the newest that supports its Kubernetes minor`));
  }
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

/**
 * Whether a templatePatch sets `spec.project`: its text with the Go-template actions blanked out (every
 * branch of a conditional then shows) read as YAML, or, when that does not parse, a `project:` key
 * indented under a top-level `spec:` (or inside a `spec: {...}` flow map / JSON object).
 */
export function templatePatchSetsProject(text: string): boolean {
  const blank = text.replace(/\{\{[\s\S]*?\}\}/g, '');
  try {
    const doc: unknown = parseYaml(blank);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return false;
    const spec = (doc as Record<string, unknown>).spec;
    return spec !== null && typeof spec === 'object' && !Array.isArray(spec) && 'project' in spec;
  } catch {
    // blanking broke the YAML: scan the lines
  }
  if (/["']?spec["']?\s*:\s*\{\s*["']?project["']?\s*:/.test(blank)) return true;
  let specChild: number | undefined; // indentation of spec's keys, once seen; -1 outside spec
  for (const line of blank.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) specChild = /^["']?spec["']?\s*:/.test(line) ? undefined : -1;
    else if (specChild !== -1) {
      specChild ??= indent;
      if (indent === specChild && /^\s+["']?project["']?\s*:/.test(line)) return true;
    }
  }
  return false;
}

/** `ADDON_CATALOG[i].templatePatch`: a non-empty Go template that parses, and leaves `spec.project` alone. */
const templatePatch: NestedRule<AddonDefinition, FleetContext> = (a, at) => {
  if (a.templatePatch === undefined) return [];
  const path = `${at}.templatePatch`;
  if (!(isString(a.templatePatch) && a.templatePatch.trim().length > 0)) {
    return [problem(path, `must be a non-empty string (a Go template of a patch of the add-on's Application), got ${JSON.stringify(a.templatePatch)}`)];
  }
  try {
    parseTemplate(a.templatePatch);
  } catch (e) {
    if (!(e instanceof GoTemplateError)) throw e;
    if (!e.unsupported) return [problem(path, `does not parse as a Go template: ${e.message}`)];
  }
  if (templatePatchSetsProject(a.templatePatch)) {
    return [problem(path, `sets spec.project, which Argo CD resets to the template's ("${ADDONS_PROJECT}") after applying the patch: remove it (the add-ons AppProject is fixed)`)];
  }
  return [];
};

/** `ADDON_CATALOG[i].ignoreApplicationDifferences[j]`: what to leave alone, by JSON pointer or jq path. */
const ignoreDifferences: NestedRule<AddonDefinition, FleetContext> = (a, at) => {
  if (a.ignoreApplicationDifferences === undefined) return [];
  if (!Array.isArray(a.ignoreApplicationDifferences)) return [problem(`${at}.ignoreApplicationDifferences`, 'must be a list of { name?, jsonPointers?, jqPathExpressions? }')];
  return a.ignoreApplicationDifferences.flatMap((d, j) => {
    const pat = `${at}.ignoreApplicationDifferences[${j}]`;
    const out: FieldProblem[] = [];
    if (d.name !== undefined && !(isString(d.name) && d.name.length > 0)) out.push(problem(`${pat}.name`, `${JSON.stringify(d.name)} is not an Application name; leave it out to match every Application`));
    const pointers: readonly unknown[] = d.jsonPointers ?? [];
    const jq: readonly unknown[] = d.jqPathExpressions ?? [];
    if (pointers.length === 0 && jq.length === 0) out.push(problem(pat, 'ignores nothing: give jsonPointers (like /spec/syncPolicy) or jqPathExpressions (like .spec.source.helm.valuesObject)'));
    pointers.forEach((p, k) => {
      if (!(isString(p) && p.startsWith('/'))) out.push(problem(`${pat}.jsonPointers[${k}]`, `${JSON.stringify(p)} is not a JSON pointer: it starts with '/' (RFC 6901, like /spec/syncPolicy/automated)`));
    });
    jq.forEach((q, k) => {
      if (!(isString(q) && q.trim().length > 0)) out.push(problem(`${pat}.jqPathExpressions[${k}]`, `${JSON.stringify(q)} is not a jq path expression (like .spec.source.helm.valuesObject)`));
    });
    return out;
  });
};

/** Argo CD's rule for a source's `ref` (util/argo GetRefSources). */
const REF_KEY = /^[a-zA-Z0-9_-]+$/;

/**
 * `ADDON_CATALOG[i].extraSources[j]`: a source Argo CD accepts among several (util/argo
 * validateSourcePermissions: repoURL and one of path, chart, ref), from a repository the AppProject can list.
 */
const extraSources: NestedRule<AddonDefinition, FleetContext> = (a, at) => {
  if (a.extraSources === undefined) return [];
  if (!Array.isArray(a.extraSources)) return [problem(`${at}.extraSources`, 'must be a list of sources { repoUrl, targetRevision, path | chart | ref }')];
  const refs = new Set<string>(['values']); // the add-on's values source
  return a.extraSources.flatMap((src, j) => {
    const pat = `${at}.extraSources[${j}]`;
    const out: FieldProblem[] = [];
    const has = (v: unknown) => v !== undefined;
    if (!has(src.path) && !has(src.chart) && !has(src.ref)) {
      out.push(problem(pat, 'needs path (a Git folder), chart (a Helm chart) or ref (value files for the other sources): Argo CD requires one of them for each of several sources'));
    }
    if (has(src.path) && has(src.chart)) out.push(problem(`${pat}.chart`, 'give path (a Git folder) or chart (a Helm chart), not both'));
    for (const f of ['path', 'chart'] as const) {
      if (has(src[f]) && !(isString(src[f]) && src[f].trim().length > 0)) out.push(problem(`${pat}.${f}`, `${JSON.stringify(src[f])} is empty; leave it out instead`));
    }
    if (isString(src.path) && (src.path.startsWith('/') || src.path.split('/').includes('..'))) {
      out.push(problem(`${pat}.path`, `"${src.path}" must be relative to the repository root, without '..'`));
    }
    if (has(src.ref)) {
      if (!(isString(src.ref) && REF_KEY.test(src.ref))) out.push(problem(`${pat}.ref`, `${JSON.stringify(src.ref)} may hold only letters, digits, '_' and '-' (Argo CD refuses other refs)`));
      else if (refs.has(src.ref)) out.push(problem(`${pat}.ref`, `"${src.ref}" is already a ref of this Application's sources${src.ref === 'values' ? ' (the add-on\'s values)' : ''}: Argo CD refuses two sources with one ref`));
      else refs.add(src.ref);
    }
    if (has(src.chart)) {
      if (!(isString(src.repoUrl) && HELM_REPO_URL.test(src.repoUrl))) {
        out.push(problem(`${pat}.repoUrl`, `"${src.repoUrl}" is not an https:// Helm repository URL (a chart from an OCI registry needs a repository entry: make it an add-on of its own)`));
      }
      if (!(isString(src.targetRevision) && CHART_VERSION.test(src.targetRevision))) out.push(problem(`${pat}.targetRevision`, `"${src.targetRevision}" is not an exact chart version (semver such as 1.2.3)`));
    } else {
      if (!(isString(src.repoUrl) && GIT_URL.test(src.repoUrl) && !GLOB_CHARACTERS.test(src.repoUrl))) {
        out.push(problem(`${pat}.repoUrl`, `"${src.repoUrl}" is not a Git repository URL (https://host/org/repo, ssh:// or git@host:org/repo, without glob characters: it is listed in the add-ons AppProject)`));
      }
      if (!(isString(src.targetRevision) && /^\S+$/.test(src.targetRevision))) out.push(problem(`${pat}.targetRevision`, `${JSON.stringify(src.targetRevision)} is not a Git revision (a tag, branch or commit)`));
    }
    if (src.helm !== undefined && !has(src.chart) && !has(src.path)) out.push(problem(`${pat}.helm`, 'Helm options need a chart or a path to render'));
    for (const f of ['directory', 'kustomize'] as const) {
      if (src[f] !== undefined && !has(src.path)) out.push(problem(`${pat}.${f}`, `${f} options apply to a Git path: give path`));
    }
    if (src.directory !== undefined && src.kustomize !== undefined) out.push(problem(`${pat}.kustomize`, 'give directory or kustomize options, not both: Argo CD renders a path one way'));
    return out;
  });
};

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
    ...checkEach(CATALOG_PATH, ctx.addons.items, [dependencies, pins, facts, templatePatch, ignoreDifferences, extraSources], ctx),
    ...cycles(ctx),
  ];
}
