import { AddonDefinition } from './addons/addon.js';
import { ADDON_CATALOG } from './addons/catalog.js';
import { FleetSource } from './fleet/model.js';
import { FleetValidationError } from './fleet/problems.js';
import { ResolvedFleet, resolveFleet } from './fleet/resolve.js';
import { validateFleet } from './fleet/validate.js';
import { coreHubComponents, HubComponent, hubOutputs } from './hub/hub-outputs.js';
import { OutputFile } from './output.js';
import { teamOutputs } from './teams/team-outputs.js';
import { crossplaneOutputs } from './crossplane/crossplane-outputs.js';
import { PolicyContext } from './policy/finding.js';
import { policyContext } from './policy/policy-context.js';

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
  const crossplane = crossplaneOutputs(fleet);
  const components: HubComponent[] = coreHubComponents(fleet).map((c) =>
    c.name === 'projects' ? { ...c, files: [...c.files, ...teams.projects, ...crossplane.projects] } : c,
  );
  return [...hubOutputs(fleet, [...components, ...crossplane.components, ...teams.components]), ...crossplane.files, ...teams.files];
}
