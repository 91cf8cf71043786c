import { AddonDefinition } from '../model/addon.js';
import { ADDON_CATALOG } from '../addons/catalog.js';
import { FleetSource } from '../model/spec.js';
import { FleetValidationError, Problem } from '../validate/problems.js';
import { AppManifestStore, FleetApps, renderFleetApps } from './app-manifests.js';
import { ResolvedFleet, resolveFleet } from '../model/resolve.js';
import { validateFleet } from '../validate/validate-fleet.js';
import { applyIacOutputs } from '../iac/apply-iac-outputs.js';
import { atInputIndex, SplitPending, splitPending } from '../iac/pending-clusters.js';
import { coreHubComponents, HubComponent, hubOutputs } from './hub-outputs.js';
import { OutputFile } from './output-file.js';
import { teamOutputs, TeamOutputs } from './team-outputs.js';
import { addonValuesOutputs, clusterValuesFiles } from './addon-values.js';
import { addonCompanionOutputs } from './addon-companions.js';
import { hubNames, hubSpec } from '../model/hubs.js';
import { hubDir, README_FILE } from '../layout/dist-layout.js';
import { crossplaneOutputs } from './crossplane-outputs.js';
import { crossplaneIamOutputs } from './iam-crossplane.js';
import { ArgoCdInstall, fleetReadme } from '../readme/fleet-readme.js';
import { PolicyContext } from '../policy/finding.js';
import { policyContext } from '../policy/policy-context.js';
import { secretStoreIamOutputs } from './iam-secret-stores.js';
import { argoCdCapabilityOutputs, gitCredentialsIamOutputs } from './iam-git-credentials.js';
import { iacContractOutputs } from './iac-contract.js';

export interface FleetOutputsOptions {
  /**
   * The add-on catalog.
   * @default ADDON_CATALOG
   */
  readonly catalog?: readonly AddonDefinition[];
  /**
   * App manifests rendered before, to reuse for apps whose spec, team and platform have not changed.
   * Reuse never changes the output: the store answers only for exactly the same input and code.
   * @default - none: every app is rendered
   */
  readonly appManifests?: AppManifestStore;
}

/**
 * Everything `dist/` holds for a fleet, as output files. Validates the whole input first and throws
 * one `FleetValidationError` listing every problem; nothing is built from an invalid fleet.
 */
export function fleetOutputs(source: FleetSource, options: FleetOutputsOptions = {}): OutputFile[] {
  const render = fleetRender(source, options);
  if (!render.ok) throw new FleetValidationError(render.problems);
  return render.outputs;
}

/** A fleet's render: its files and the context the policies check them in, or every problem of its input. */
export type FleetRender =
  | {
      readonly ok: true;
      readonly outputs: OutputFile[];
      readonly context: PolicyContext;
      /** What the commands say beside a successful render: deprecated add-ons the fleet runs, one line each. */
      readonly notices: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Validates, resolves and renders a fleet in stages, each of which returns its problems as values:
 * the clusters' facts from the IaC outputs (`applyIacOutputs`), the input rules (`validateFleet`), then the apps with the rules that need their rendered objects
 * (`renderFleetApps`); the files are placed only when there is no problem.
 */
export function fleetRender(input: FleetSource, options: FleetOutputsOptions = {}): FleetRender {
  const resolved = resolveFleetSource(input, options.catalog ?? ADDON_CATALOG);
  if (!resolved.ok) return resolved;
  const { fleet, source, split, inInput } = resolved;
  const apps = renderFleetApps(fleet, source, options.appManifests);
  if (apps.problems.length > 0) return { ok: false, problems: inInput(apps.problems) };
  // The IaC contract also covers the clusters the IaC has yet to create.
  const planned = split.pending.length === 0 ? fleet : resolveFleet({ ...source.spec, clusters: [...source.spec.clusters, ...split.pending] }, fleet.catalog);
  return { ok: true, outputs: fleetFiles(fleet, apps.manifests, planned), context: policyContext(fleet), notices: deprecationNotices(fleet) };
}

/** One line per deprecated add-on the fleet runs: where, why, and what to use instead. */
export function deprecationNotices(fleet: ResolvedFleet): string[] {
  return fleet.catalog.flatMap((a) => {
    const on = fleet.clusters.filter((c) => c.addons.has(a.name)).map((c) => c.name);
    const where = on.length <= 5 ? on.join(', ') : `${on.slice(0, 5).join(', ')} and ${on.length - 5} more clusters`;
    return a.deprecated && on.length > 0 ? [`add-on ${a.name} (on ${where}) is deprecated: ${a.deprecated}`] : [];
  });
}

/** A fleet with its IaC facts in place, validated and resolved; or every problem of its input. */
export type ResolvedFleetSource =
  | {
      readonly ok: true;
      readonly fleet: ResolvedFleet;
      /** The source with the IaC's facts in place (pending clusters left out). */
      readonly source: FleetSource;
      readonly split: SplitPending;
      /** Problems of the source named by their index in the input, pending clusters included. */
      readonly inInput: (problems: readonly Problem[]) => Problem[];
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * The first stages of a render, for the commands that need the resolved fleet and no file (`catalog`):
 * the clusters' facts from the IaC outputs (`applyIacOutputs`), the input rules (`validateFleet`), `resolveFleet`.
 */
export function resolveFleetSource(input: FleetSource, catalog: readonly AddonDefinition[]): ResolvedFleetSource {
  const split = splitPending(input, catalog);
  if (split.problems.length > 0) return { ok: false, problems: split.problems };
  const inInput = (problems: readonly Problem[]) => problems.map((p) => atInputIndex(p, split.inputIndex));
  const iac = applyIacOutputs(split.source, catalog, split.pending);
  if (iac.problems.length > 0) return { ok: false, problems: inInput(iac.problems) };
  const source = iac.source;
  const problems = validateFleet(source, catalog);
  if (problems.length > 0) return { ok: false, problems: inInput(problems) };
  return { ok: true, fleet: resolveFleet(source.spec, catalog), source, split, inInput };
}

function fleetFiles(fleet: ResolvedFleet, manifests: FleetApps['manifests'], planned: ResolvedFleet): OutputFile[] {
  const teams = teamOutputs(fleet, manifests);
  const iam = [...secretStoreIamOutputs(fleet), ...gitCredentialsIamOutputs(fleet), ...argoCdCapabilityOutputs(fleet), ...crossplaneIamOutputs(fleet)];
  const iac = iacContractOutputs(planned, iam.map((f) => f.path));
  const shared: OutputFile[] = [...addonValuesOutputs(fleet), ...addonCompanionOutputs(fleet), ...teams.files, ...iam, ...iac, { path: README_FILE, text: fleetReadme(fleet, { manifests, argoCdInstall: argoCdInstalls(fleet) }) }];
  const hubs = hubNames(fleet.spec);
  if (hubs.length === 1) return [...hubFiles(fleet, teams, hubDir(fleet.hub.name, hubs)), ...shared];
  // Several hubs: each hub's own Argo CD objects come from the part of the fleet it manages.
  const perHub = hubs.flatMap((hub) => {
    const view = resolveFleet(hubSpec(fleet.spec, hub), fleet.catalog);
    return hubFiles(view, teamOutputs(view), hubDir(hub, hubs));
  });
  return [...perHub, ...shared];
}

/** A hub's own files: bootstrap, children, AppProjects, cluster Secrets, ApplicationSets, Crossplane. */
function hubFiles(fleet: ResolvedFleet, teams: TeamOutputs, dir: string): OutputFile[] {
  const crossplane = crossplaneOutputs(fleet, dir);
  const components: HubComponent[] = coreHubComponents(fleet).map((c) =>
    c.name === 'projects' ? { ...c, files: [...c.files, ...teams.projects, ...crossplane.projects] } : c,
  );
  return [...hubOutputs(fleet, [...components, ...crossplane.components, ...teams.components], dir), ...crossplane.files];
}

/** Per hub, the Argo CD chart and values files to install it with before the root. */
function argoCdInstalls(fleet: ResolvedFleet): Map<string, ArgoCdInstall> {
  const out = new Map<string, ArgoCdInstall>();
  for (const hub of fleet.clusters.filter((c) => c.role === 'hub')) {
    const argo = hub.addons.get('argo-cd');
    if (!argo) continue;
    const d = argo.definition;
    out.set(hub.name, { chart: d.chart, repoUrl: d.repoUrl, version: argo.version, releaseName: d.releaseName ?? d.name, valuesFiles: clusterValuesFiles(fleet, d, hub) });
  }
  return out;
}
