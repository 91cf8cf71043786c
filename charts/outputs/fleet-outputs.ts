import { AddonDefinition } from '../model/addon.js';
import { ADDON_CATALOG } from '../addons/catalog.js';
import { FleetSource } from '../model/spec.js';
import { FleetValidationError } from '../validate/problems.js';
import { ResolvedFleet, resolveFleet } from '../model/resolve.js';
import { validateFleet } from '../validate/validate-fleet.js';
import { coreHubComponents, HubComponent, hubOutputs } from './hub-outputs.js';
import { OutputFile } from './output-file.js';
import { teamOutputs, TeamOutputs } from './team-outputs.js';
import { addonValuesOutputs } from './addon-values.js';
import { hubNames, hubSpec } from '../model/hubs.js';
import { hubDir, README_FILE } from '../layout/dist-layout.js';
import { crossplaneOutputs } from './crossplane-outputs.js';
import { fleetReadme } from '../readme/fleet-readme.js';
import { PolicyContext } from '../policy/finding.js';
import { policyContext } from '../policy/policy-context.js';

export interface FleetOutputsOptions {
  /**
   * The add-on catalog.
   * @default ADDON_CATALOG
   */
  readonly catalog?: readonly AddonDefinition[];
}

/**
 * Everything `dist/` holds for a fleet, as output files. Validates the whole input first and throws
 * one `FleetValidationError` listing every problem; nothing is built from an invalid fleet.
 */
export function fleetOutputs(source: FleetSource, options: FleetOutputsOptions = {}): OutputFile[] {
  return fleetRender(source, options).outputs;
}

/** The output files and the context the policies check them in. */
export function fleetRender(source: FleetSource, options: FleetOutputsOptions = {}): { outputs: OutputFile[]; context: PolicyContext } {
  const catalog = options.catalog ?? ADDON_CATALOG;
  const problems = validateFleet(source, catalog);
  if (problems.length > 0) throw new FleetValidationError(problems);
  const fleet = resolveFleet(source.spec, catalog);
  return { outputs: fleetFiles(fleet, source), context: policyContext(fleet) };
}

function fleetFiles(fleet: ResolvedFleet, source: FleetSource): OutputFile[] {
  const teams = teamOutputs(fleet, source);
  const shared: OutputFile[] = [...addonValuesOutputs(fleet), ...teams.files, { path: README_FILE, text: fleetReadme(fleet, { manifests: teams.manifests }) }];
  const hubs = hubNames(fleet.spec);
  if (hubs.length === 1) return [...hubFiles(fleet, teams, hubDir(fleet.hub.name, hubs)), ...shared];
  // Several hubs: each hub's own Argo CD objects come from the part of the fleet it manages.
  const perHub = hubs.flatMap((hub) => {
    const view = resolveFleet(hubSpec(fleet.spec, hub), fleet.catalog);
    return hubFiles(view, teamOutputs(view, source, { files: false }), hubDir(hub, hubs));
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
