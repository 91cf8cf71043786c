/**
 * The generators of an add-on's ApplicationSet that give each cluster its chart version: the version a
 * cluster runs (`ClusterAddon.version`: its pin, else its environment's, else the version set of its
 * Kubernetes minor) as the generator value `addonChartVersion`, in layers a merge generator applies in
 * order (later wins on `server`): the catalog default for every cluster with `enable_<addon>`, then one
 * generator per Kubernetes minor whose version set differs, per environment that pins, and per cluster
 * whose version is still not what the layers above give it. A layer is rendered only where it changes
 * something, so a fleet that pins nothing has one clusters generator.
 */
import type { ApplicationSetSpecGenerators } from '../../imports/argocd-applicationset-argoproj.io.js';
import { AddonDefinition } from '../model/addon.js';
import { addonVersionFor } from '../model/addon-versions.js';
import { ClusterLabel, ClusterTemplate, enableLabel, TRUE } from '../model/contract.js';
import { asSetting, ResolvedCluster, ResolvedFleet } from '../model/resolve.js';

/** Generator value key that carries the chart version pin. */
export const CHART_VERSION_KEY = 'addonChartVersion';

interface ClustersGenerator {
  readonly clusters: { readonly selector: { readonly matchLabels: Record<string, string> }; readonly values: Record<string, string> };
}

/** A layer: the labels it selects on (beside `enable_<addon>`) and the version it gives. */
interface Layer {
  readonly labels: Record<string, string>;
  readonly version: string;
  readonly selects: (c: ResolvedCluster) => boolean;
}

export function addonVersionGenerators(fleet: ResolvedFleet, addon: AddonDefinition, t: ClusterTemplate): ApplicationSetSpecGenerators[] {
  const enabled = { [enableLabel(addon.name)]: TRUE };
  const running = fleet.clusters.filter((c) => c.addons.has(addon.name));
  const layers: Layer[] = [];
  /** The version the layers so far give a cluster. */
  const given = (c: ResolvedCluster): string => {
    let v = addon.version;
    for (const l of layers) if (l.selects(c)) v = l.version;
    return v;
  };

  // Kubernetes minors, in order, whose version set differs from the default for some running cluster.
  const minors = [...new Set(running.map((c) => c.kubernetesVersion))].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  for (const minor of minors) {
    const version = addonVersionFor(addon, minor);
    if (version === undefined || version === addon.version) continue;
    layers.push({ labels: { [ClusterLabel.kubernetesVersion]: minor }, version, selects: (c) => c.kubernetesVersion === minor });
  }
  // Environments that pin, where the pin changes what one of their clusters would get.
  for (const env of fleet.environments) {
    const version = asSetting(env.addons?.[addon.name])?.version;
    if (version === undefined) continue;
    const inEnv = (c: ResolvedCluster) => c.environment === env;
    if (running.some((c) => inEnv(c) && given(c) !== version)) {
      layers.push({ labels: { [ClusterLabel.environment]: env.name }, version, selects: inEnv });
    }
  }
  // Clusters whose version the layers above do not give.
  for (const c of running) {
    const version = c.addons.get(addon.name)!.version;
    if (given(c) !== version) layers.push({ labels: { [ClusterLabel.clusterName]: c.name }, version, selects: (x) => x === c });
  }

  const generator = (labels: Record<string, string>, version: string): ClustersGenerator => {
    for (const key of Object.keys(labels)) t.labelsRead.add(key);
    return { clusters: { selector: { matchLabels: { ...enabled, ...labels } }, values: { [CHART_VERSION_KEY]: version } } };
  };
  const base = generator({}, addon.version);
  if (layers.length === 0) return [base];
  return [{ merge: { mergeKeys: ['server'], generators: [base, ...layers.map((l) => generator(l.labels, l.version))] } }];
}
