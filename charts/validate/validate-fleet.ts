import { AddonDefinition } from '../model/addon.js';
import { resolveFleet } from '../model/resolve.js';
import { FleetSource } from '../model/spec.js';
import { accountProblems } from './accounts.js';
import { CATALOG_FILE, CATALOG_PATH, catalogProblems } from './catalog.js';
import { clusterProblems } from './clusters.js';
import { contractProblems } from './contract.js';
import { companionProblems } from './companions.js';
import { databaseProblems } from './databases.js';
import { environmentProblems } from './environments.js';
import { FleetContext, fleetContext } from './fleet-context.js';
import { fleetSettingProblems } from './fleet-settings.js';
import { hubProblems } from './hubs.js';
import { FieldProblem, Problem } from './problems.js';
import { Section } from './rule-table.js';
import { teamProblems } from './teams.js';

/** The sections of the input, checked in this order; each one's rules are in its own file. */
const SECTIONS: readonly Section<FleetContext>[] = [
  catalogProblems,
  fleetSettingProblems,
  accountProblems,
  environmentProblems,
  clusterProblems,
  teamProblems,
  databaseProblems,
  hubProblems,
];

/**
 * Checks a fleet and the add-on catalog in one pass and returns every problem, each naming the file
 * and field to fix. An empty list means `resolveFleet()` may be called.
 */
export function validateFleet(source: FleetSource, catalog: readonly AddonDefinition[]): Problem[] {
  const ctx = fleetContext(source.spec, catalog);
  let found = SECTIONS.flatMap((section) => section(ctx));
  // The contract and the companions are checked on the resolved fleet, which needs valid input: resolved once for both.
  if (found.length === 0) {
    const fleet = resolveFleet(source.spec, catalog);
    found = [...contractProblems(ctx, fleet), ...companionProblems(ctx, fleet)];
  }
  return found.map((p) => inFile(source, p));
}

/** A problem with its file: the catalog's, or the one the source names for the path's top-level field. */
function inFile(source: FleetSource, p: FieldProblem): Problem {
  const top = p.path.split(/[.[]/)[0];
  if (top === CATALOG_PATH) return { file: CATALOG_FILE, ...p };
  const file = source.files[top as keyof FleetSource['files']] ?? source.files.default ?? 'environments/index.ts';
  return { file, ...p };
}
