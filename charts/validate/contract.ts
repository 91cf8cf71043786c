/**
 * Rules of the GitOps Bridge contract, checked on the resolved fleet (so only once everything else
 * holds): every label value a cluster Secret carries is a valid label value, and every annotation an
 * add-on's template reads is written for each cluster that runs it.
 */
import { clusterAnnotations, clusterLabels, requiredAddonAnnotations } from '../model/cluster-metadata.js';
import type { AddonDefinition } from '../model/addon.js';
import type { ResolvedFleet } from '../model/resolve.js';
import { CATALOG_PATH } from './catalog.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { problem } from './rule-table.js';
import { labelValueProblem } from './rules.js';

/** The contract's problems, on the fleet as resolved from `ctx` (validateFleet resolves it once, for the companions too). */
export function contractProblems(ctx: FleetContext, fleet: ResolvedFleet): FieldProblem[] {
  const indexOf = new Map(ctx.spec.clusters.map((c, i) => [c, i]));
  // What an add-on's template reads is the same on every cluster: asked once per add-on.
  const required = new Map<AddonDefinition, string[]>();
  const requiredOf = (a: AddonDefinition) => required.get(a) ?? required.set(a, requiredAddonAnnotations(a)).get(a)!;
  return fleet.clusters.flatMap((cluster) => {
    const at = `clusters[${indexOf.get(cluster.spec)}]`;
    const labels = Object.entries(clusterLabels(cluster)).flatMap(([key, value]) => {
      const p = labelValueProblem(value);
      return p ? [problem(at, `cluster Secret label ${key}: ${p}`)] : [];
    });
    const annotations = clusterAnnotations(fleet, cluster);
    const reads = [...cluster.addons].flatMap(([name, addon]) => requiredOf(addon.definition)
      .filter((key) => !(key in annotations))
      .map((key) => problem(
        `${CATALOG_PATH}[${ctx.catalog.indexOf(addon.definition)}]`,
        `the template of "${name}" reads annotation ${key}, which the contract does not write for cluster "${cluster.name}"`,
      )));
    return [...labels, ...reads];
  });
}
