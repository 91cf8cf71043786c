/**
 * Rules of the GitOps Bridge contract, checked on the resolved fleet (so only once everything else
 * holds): every label value a cluster Secret carries is a valid label value, and every annotation an
 * add-on's template reads is written for each cluster that runs it.
 */
import { clusterAnnotations, clusterLabels, requiredAddonAnnotations } from '../model/cluster-metadata.js';
import { resolveFleet } from '../model/resolve.js';
import { CATALOG_PATH } from './catalog.js';
import { FleetContext } from './fleet-context.js';
import { FieldProblem } from './problems.js';
import { problem } from './rule-table.js';
import { labelValueProblem } from './rules.js';

export function contractProblems(ctx: FleetContext): FieldProblem[] {
  const fleet = resolveFleet(ctx.spec, ctx.catalog);
  const indexOf = new Map(ctx.spec.clusters.map((c, i) => [c, i]));
  return fleet.clusters.flatMap((cluster) => {
    const at = `clusters[${indexOf.get(cluster.spec)}]`;
    const labels = Object.entries(clusterLabels(cluster)).flatMap(([key, value]) => {
      const p = labelValueProblem(value);
      return p ? [problem(at, `cluster Secret label ${key}: ${p}`)] : [];
    });
    const annotations = clusterAnnotations(fleet, cluster);
    const reads = [...cluster.addons].flatMap(([name, addon]) => requiredAddonAnnotations(addon.definition)
      .filter((key) => !(key in annotations))
      .map((key) => problem(
        `${CATALOG_PATH}[${ctx.catalog.indexOf(addon.definition)}]`,
        `the template of "${name}" reads annotation ${key}, which the contract does not write for cluster "${cluster.name}"`,
      )));
    return [...labels, ...reads];
  });
}
