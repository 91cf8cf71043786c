import { AddonDefinition } from './addon.js';
import { ClusterAddonSetting } from '../fleet/model.js';
import { asSetting, ResolvedFleet } from '../fleet/resolve.js';
import { joinPath, OutputFile } from '../output.js';

/** Where an add-on's values layers live, relative to the add-ons path (`repos.addons.path`). */
export interface AddonValuesLayout {
  readonly defaultFile: string;
  environmentFile(environment: string): string;
  clusterFile(cluster: string): string;
}

/** The values layout of one add-on: `values/{default,environments/<env>,clusters/<cluster>}/<addon>/values.yaml`. */
export function addonValuesFiles(addon: AddonDefinition): AddonValuesLayout {
  return {
    defaultFile: `values/default/${addon.name}/values.yaml`,
    environmentFile: (env) => `values/environments/${env}/${addon.name}/values.yaml`,
    clusterFile: (cluster) => `values/clusters/${cluster}/${addon.name}/values.yaml`,
  };
}

/**
 * The values files of every add-on that runs somewhere: the catalog defaults always, environment and
 * cluster layers only where they hold values (the Applications set `ignoreMissingValueFiles`).
 */
export function addonValuesOutputs(fleet: ResolvedFleet): OutputFile[] {
  const root = joinPath(fleet.repos.addons.path);
  const out: OutputFile[] = [];
  for (const addon of fleet.catalog) {
    const running = fleet.clusters.filter((c) => c.addons.has(addon.name));
    if (running.length === 0) continue;
    const layout = addonValuesFiles(addon);
    out.push({ path: joinPath(root, layout.defaultFile), data: addon.values ?? {} });
    for (const env of fleet.environments) {
      const values = asSetting(env.addons?.[addon.name])?.values;
      if (values && running.some((c) => c.environment === env)) out.push({ path: joinPath(root, layout.environmentFile(env.name)), data: values });
    }
    for (const cluster of running) {
      const values = asSetting<ClusterAddonSetting>(cluster.spec.addons?.[addon.name])?.values;
      if (values) out.push({ path: joinPath(root, layout.clusterFile(cluster.name)), data: values });
    }
  }
  return out;
}
