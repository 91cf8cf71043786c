import { Construct } from 'constructs';
import { ApplicationSet, ApplicationSetSpecTemplateSpecSources } from '../../imports/argocd-applicationset-argoproj.io.js';
import { AddonDefinition, AddonOnDisable, addonApplicationSetOnDisable, RESOURCES_FINALIZER } from '../model/addon.js';
import { addonCompanionsDir, addonValuesFiles } from '../layout/dist-layout.js';
import { deliversCompanions } from '../model/companions.js';
import { ClusterAnnotation, ClusterLabel, ClusterTemplate, AddonAnnotation } from '../model/contract.js';
import { ResolvedFleet } from '../model/resolve.js';
import { rollingSyncStrategy } from './rolling-sync.js';
import { addonVersionGenerators, CHART_VERSION_KEY } from './addon-version-generators.js';
import { ADDONS_PROJECT, APPLICATIONSET_DEFAULTS, MANAGED_BY, SYNC_RETRY, syncWave } from './conventions.js';

export { CHART_VERSION_KEY } from './addon-version-generators.js';

/** One of an add-on's `extraSources`. */
type AddonExtraSource = NonNullable<AddonDefinition['extraSources']>[number];

/** An add-on's extra source as a source of its Application (the generated binding's shape). */
function extraSourceOf(s: AddonExtraSource): ApplicationSetSpecTemplateSpecSources {
  return {
    repoUrl: s.repoUrl,
    targetRevision: s.targetRevision,
    path: s.path,
    chart: s.chart,
    ref: s.ref,
    name: s.name,
    helm: s.helm && {
      ...s.helm,
      valueFiles: s.helm.valueFiles && [...s.helm.valueFiles],
      parameters: s.helm.parameters?.map((p) => ({ ...p })),
    },
    directory: s.directory && { ...s.directory },
    kustomize: s.kustomize && {
      ...s.kustomize,
      images: s.kustomize.images && [...s.kustomize.images],
      commonLabels: s.kustomize.commonLabels && { ...s.kustomize.commonLabels },
      commonAnnotations: s.kustomize.commonAnnotations && { ...s.kustomize.commonAnnotations },
    },
  };
}

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
 * namespace and cluster facts come from the cluster Secret's annotations. An add-on with companion
 * objects gets a third source: its folder `companions/<cluster>/<addon>/` of the add-ons repository.
 * The catalog's escape hatches go in as written: `extraSources` after those, `templatePatch` and
 * `ignoreApplicationDifferences` on the ApplicationSet (docs/addons.md, "Escape hatches").
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

    const generators = addonVersionGenerators(fleet, addon, t);

    const files = addonValuesFiles(addon.name);
    const repoBase = `$values/${t.annotation(ClusterAnnotation.addonsRepoBasepath)}${t.annotation(ClusterAnnotation.addonsRepoPath)}`;
    const valueFiles = [
      `${repoBase}/${files.defaultFile}`,
      `${repoBase}/${files.environmentFile(t.label(ClusterLabel.environment))}`,
      `${repoBase}/${files.clusterFile(t.name)}`,
    ];
    const valuesObject = addon.clusterValues?.(t, addon);
    // The add-on's companion objects (NodePools, ClusterIssuers, policies...), from this repository:
    // `<addons path>/companions/<cluster>/<addon>/`, which validation keeps non-empty for every cluster here.
    const companions = deliversCompanions(addon, fleet.clusters)
      ? [{
          repoUrl: t.annotation(ClusterAnnotation.addonsRepoUrl),
          targetRevision: t.annotation(ClusterAnnotation.addonsRepoRevision),
          path: `${t.annotation(ClusterAnnotation.addonsRepoBasepath)}${t.annotation(ClusterAnnotation.addonsRepoPath)}/${addonCompanionsDir(t.name, addon.name)}`,
        }]
      : [];

    const syncOptions = ['CreateNamespace=true'];
    if (addon.serverSideApply) syncOptions.push('ServerSideApply=true');
    if (addon.webhooks) syncOptions.push('RespectIgnoreDifferences=true');
    // Companions are custom resources of the chart's own CRDs: on the first sync their kinds do not exist yet.
    if (companions.length > 0) syncOptions.push('SkipDryRunOnMissingResource=true');

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
        // Escape hatches (docs/addons.md): a per-Application patch, and fields the controller leaves alone.
        templatePatch: addon.templatePatch,
        ignoreApplicationDifferences: addon.ignoreApplicationDifferences?.map((d) => ({
          name: d.name,
          jsonPointers: d.jsonPointers && [...d.jsonPointers],
          jqPathExpressions: d.jqPathExpressions && [...d.jqPathExpressions],
        })),
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
              ...companions,
              // Escape hatch: the catalog's further sources, as written (validation checks them).
              ...(addon.extraSources ?? []).map(extraSourceOf),
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
