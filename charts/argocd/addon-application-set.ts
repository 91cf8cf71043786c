import { Construct } from 'constructs';
import { ApplicationSet } from '../../imports/argocd-applicationset-argoproj.io.js';
import { AddonDefinition, AddonOnDisable, addonApplicationSetOnDisable, RESOURCES_FINALIZER } from '../model/addon.js';
import { addonValuesFiles } from '../layout/dist-layout.js';
import { ClusterAnnotation, ClusterLabel, ClusterTemplate, AddonAnnotation, enableLabel, TRUE } from '../model/contract.js';
import { asSetting, ResolvedFleet } from '../model/resolve.js';
import { rollingSyncStrategy } from './rolling-sync.js';
import { ADDONS_PROJECT, APPLICATIONSET_DEFAULTS, MANAGED_BY, SYNC_RETRY, syncWave } from './conventions.js';

/** Generator value key that carries the chart version pin. */
export const CHART_VERSION_KEY = 'addonChartVersion';

export interface AddonApplicationSetProps {
  /** The resolved fleet. */
  readonly fleet: ResolvedFleet;
  /** The add-on this ApplicationSet installs. */
  readonly addon: AddonDefinition;
}

/**
 * One ApplicationSet per add-on, after the GitOps Bridge: the clusters generator selects every cluster
 * Secret labelled `enable_<addon>: "true"`; version pins per environment and per cluster are merged in
 * as generator values, only where they differ from what they override; the chart's values come in
 * layers default -> environment -> cluster from this repository (`$values`), and the IAM role,
 * namespace and cluster facts come from the cluster Secret's annotations.
 *
 * Disabling the add-on on a cluster (or removing the ApplicationSet) makes Argo CD delete the
 * cluster's Application; what happens to what it installed is the add-on's `onDisable`: `uninstall`
 * puts Argo CD's `resources-finalizer.argocd.argoproj.io` in the template (deletion cascades to the
 * resources), `orphan` renders no finalizer (with `preserveResourcesOnDeletion` Argo CD adds none, and
 * the resources stay, unmanaged). See docs/addon-removal.md.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Merge/
 */
export class AddonApplicationSet extends Construct {
  /** The ApplicationSet's name: `addon-<addon>`. */
  public readonly name: string;
  /** The template's references into the cluster Secret, for contract checks. */
  public readonly template: ClusterTemplate;
  /** What disabling the add-on does on every cluster this ApplicationSet renders. */
  public readonly onDisable: AddonOnDisable;
  /** The rendered ApplicationSet. */
  public readonly applicationSet: ApplicationSet;

  public constructor(scope: Construct, id: string, props: AddonApplicationSetProps) {
    super(scope, id);
    const { fleet, addon } = props;
    // Which credentials the clusters running the add-on use decides its service-account annotation.
    const t = new ClusterTemplate({ identities: fleet.clusters.filter((c) => c.addons.has(addon.name)).map((c) => c.identity) });
    this.template = t;
    this.name = `addon-${addon.name}`;
    this.onDisable = addonApplicationSetOnDisable(fleet, addon);

    const enabled = { [enableLabel(addon.name)]: TRUE };
    const base = {
      clusters: { selector: { matchLabels: enabled }, values: { [CHART_VERSION_KEY]: addon.version } },
    };
    // Pins: environment pins where they differ from the default, cluster pins where they differ from
    // what the cluster would get from its environment. Later generators win in a merge on `server`.
    const overrides: Array<typeof base> = [];
    for (const env of fleet.environments) {
      const runsInEnv = fleet.clusters.some((c) => c.environment === env && c.addons.has(addon.name));
      const envVersion = asSetting(env.addons?.[addon.name])?.version;
      if (runsInEnv && envVersion !== undefined && envVersion !== addon.version) {
        overrides.push({
          clusters: { selector: { matchLabels: { ...enabled, [ClusterLabel.environment]: env.name } }, values: { [CHART_VERSION_KEY]: envVersion } },
        });
      }
    }
    for (const cluster of fleet.clusters) {
      const running = cluster.addons.get(addon.name);
      if (!running) continue;
      const envVersion = asSetting(cluster.environment.addons?.[addon.name])?.version ?? addon.version;
      if (running.version !== envVersion) {
        overrides.push({
          clusters: { selector: { matchLabels: { ...enabled, [ClusterLabel.clusterName]: cluster.name } }, values: { [CHART_VERSION_KEY]: running.version } },
        });
      }
    }
    const generators = overrides.length === 0 ? [base] : [{ merge: { mergeKeys: ['server'], generators: [base, ...overrides] } }];

    const files = addonValuesFiles(addon.name);
    const repoBase = `$values/${t.annotation(ClusterAnnotation.addonsRepoBasepath)}${t.annotation(ClusterAnnotation.addonsRepoPath)}`;
    const valueFiles = [
      `${repoBase}/${files.defaultFile}`,
      `${repoBase}/${files.environmentFile(t.label(ClusterLabel.environment))}`,
      `${repoBase}/${files.clusterFile(t.name)}`,
    ];
    const valuesObject = addon.clusterValues?.(t, addon);

    const syncOptions = ['CreateNamespace=true'];
    if (addon.serverSideApply) syncOptions.push('ServerSideApply=true');
    if (addon.webhooks) syncOptions.push('RespectIgnoreDifferences=true');

    this.applicationSet = new ApplicationSet(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: fleet.argocdNamespace,
        labels: { ...MANAGED_BY, component: addon.name },
        annotations: syncWave(fleet.addonWaves.get(addon.name) ?? 0),
      },
      spec: {
        ...APPLICATIONSET_DEFAULTS,
        generators,
        strategy: fleet.progressiveSync ? rollingSyncStrategy(fleet) : undefined,
        template: {
          metadata: {
            name: `${addon.name}-${t.nameNormalized}`,
            finalizers: this.onDisable === 'uninstall' ? [RESOURCES_FINALIZER] : undefined,
            labels: {
              ...MANAGED_BY,
              environment: t.label(ClusterLabel.environment),
              cluster: t.name,
              component: addon.name,
            },
          },
          spec: {
            project: ADDONS_PROJECT,
            sources: [
              {
                repoUrl: t.annotation(ClusterAnnotation.addonsRepoUrl),
                targetRevision: t.annotation(ClusterAnnotation.addonsRepoRevision),
                ref: 'values',
              },
              {
                repoUrl: addon.repoUrl,
                chart: addon.chart,
                targetRevision: t.value(CHART_VERSION_KEY),
                helm: {
                  releaseName: addon.releaseName ?? addon.name,
                  ignoreMissingValueFiles: true,
                  valueFiles,
                  valuesObject,
                },
              },
            ],
            destination: {
              server: t.server,
              namespace: t.annotation(AddonAnnotation.namespace(addon.name)),
            },
            syncPolicy: {
              automated: { prune: addon.prune ?? true, selfHeal: true },
              syncOptions,
              retry: SYNC_RETRY,
            },
            ignoreDifferences: addon.webhooks
              ? ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].map((kind) => ({
                  group: 'admissionregistration.k8s.io',
                  kind,
                  jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
                }))
              : undefined,
          },
        },
      },
    });
  }
}
