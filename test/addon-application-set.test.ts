import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, CHART_VERSION_KEY, formatProblem, FleetSpec, validateFleet } from '../charts/index.js';
import { addonWaves } from '../charts/model/addon-order.js';
import { exampleFleet, fleetCopy, objects, render, resolved, withSpec } from './support/fleet.js';
import { addonApplicationSetOnDisable } from '../charts/model/addon.js';

const appsetOf = (files: Map<string, string>, addon: string) =>
  objects(files).find((o) => o.obj.kind === 'ApplicationSet' && o.obj.metadata.name === `addon-${addon}`)?.obj;

const files = render();

describe('AddonApplicationSet', () => {
  it('renders one ApplicationSet per add-on that runs somewhere, in its own file', () => {
    const appsets = objects(files).filter((o) => o.obj.kind === 'ApplicationSet' && o.obj.metadata.name.startsWith('addon-'));
    assert.ok(appsets.length >= 10);
    for (const { file, obj } of appsets) assert.equal(file, `hub/argocd/addons/${obj.metadata.name.replace(/^addon-/, '')}.yaml`);
    assert.equal(appsetOf(files, 'gatekeeper'), undefined, 'gatekeeper is enabled nowhere');
    assert.ok(appsetOf(files, 'velero'));
  });

  it('uses Go templates with missingkey=error and preserves resources on deletion', () => {
    const a = appsetOf(files, 'cert-manager');
    assert.equal(a.spec.goTemplate, true);
    assert.deepEqual(a.spec.goTemplateOptions, ['missingkey=error']);
    assert.equal(a.spec.syncPolicy.preserveResourcesOnDeletion, true);
  });

  it('selects clusters by enable_<addon> and names Applications after the cluster', () => {
    const a = appsetOf(files, 'aws-load-balancer-controller');
    assert.deepEqual(a.spec.generators, [
      { clusters: { selector: { matchLabels: { enable_aws_load_balancer_controller: 'true' } }, values: { [CHART_VERSION_KEY]: '3.5.0' } } },
    ]);
    assert.equal(a.spec.template.metadata.name, 'aws-load-balancer-controller-{{.nameNormalized}}');
    assert.deepEqual(
      Object.fromEntries(['environment', 'cluster', 'component'].map((k) => [k, a.spec.template.metadata.labels[k]])),
      { environment: '{{.metadata.labels.environment}}', cluster: '{{.name}}', component: 'aws-load-balancer-controller' },
    );
  });

  it('renders version pins only where they differ: Kubernetes version, then environment pin, then cluster pin, merged on server', () => {
    const layers = (addon: string) => {
      const merge = appsetOf(files, addon).spec.generators[0].merge;
      assert.deepEqual(merge.mergeKeys, ['server'], addon);
      return merge.generators.map((g: any) => [g.clusters.selector.matchLabels, g.clusters.values[CHART_VERSION_KEY]]);
    };
    // Every cluster's minor (1.33, 1.34) gets cert-manager v1.21.1: no Kubernetes layer; prod pins v1.20.3.
    assert.deepEqual(layers('cert-manager'), [
      [{ enable_cert_manager: 'true' }, 'v1.21.1'],
      [{ enable_cert_manager: 'true', environment: 'prod' }, 'v1.20.3'],
    ]);
    // One descheduler minor per Kubernetes minor: a layer for each minor the fleet's clusters run.
    assert.deepEqual(layers('descheduler'), [
      [{ enable_descheduler: 'true' }, '0.36.0'],
      [{ enable_descheduler: 'true', kubernetes_version: '1.33' }, '0.33.0'],
      [{ enable_descheduler: 'true', kubernetes_version: '1.34' }, '0.34.0'],
    ]);
    assert.deepEqual(layers('kube-prometheus-stack'), [
      [{ enable_kube_prometheus_stack: 'true' }, '88.5.3'],
      [{ enable_kube_prometheus_stack: 'true', cluster_name: 'spoke-prod' }, '65.8.1'],
    ]);
  });

  it('a pin equal to the default renders no override', () => {
    const spec = fleetCopy();
    // v1.21.1 is what prod's Kubernetes minor (1.33) gets unpinned.
    spec.environments[2].addons = { ...spec.environments[2].addons, 'cert-manager': { version: 'v1.21.1' } };
    assert.equal(appsetOf(render(withSpec(spec)), 'cert-manager').spec.generators[0].merge, undefined);
  });

  it('is a Helm multi-source with a $values ref and values layered default -> environment -> cluster', () => {
    const [values, chart] = appsetOf(files, 'karpenter').spec.template.spec.sources;
    assert.equal(values.ref, 'values');
    assert.equal(values.repoURL, '{{.metadata.annotations.addons_repo_url}}');
    assert.equal(chart.repoURL, 'public.ecr.aws/karpenter');
    assert.equal(chart.targetRevision, `{{.values.${CHART_VERSION_KEY}}}`);
    const prefix = '$values/{{.metadata.annotations.addons_repo_basepath}}{{.metadata.annotations.addons_repo_path}}/values';
    assert.deepEqual(chart.helm.valueFiles, [
      `${prefix}/default/karpenter/values.yaml`,
      `${prefix}/environments/{{.metadata.labels.environment}}/karpenter/values.yaml`,
      `${prefix}/clusters/{{.name}}/karpenter/values.yaml`,
    ]);
    assert.equal(chart.helm.ignoreMissingValueFiles, true);
    assert.equal(chart.helm.valuesObject.serviceAccount.annotations['eks.amazonaws.com/role-arn'], '{{.metadata.annotations.karpenter_iam_role_arn}}');
  });

  it('renders the values layers into dist/ where they hold values', () => {
    assert.ok(files.has('addons/values/default/aws-ebs-csi-driver/values.yaml'));
    assert.match(files.get('addons/values/environments/prod/kube-prometheus-stack/values.yaml')!, /retention: 15d/);
    assert.match(files.get('addons/values/clusters/spoke-prod/kube-prometheus-stack/values.yaml')!, /replicas: 2/);
    assert.equal(files.has('addons/values/environments/staging/velero/values.yaml'), false);
  });

  it('takes namespace and IAM role from annotations, and deploys to the cluster server', () => {
    const spec = appsetOf(files, 'external-dns').spec.template.spec;
    assert.deepEqual(spec.destination, { namespace: '{{.metadata.annotations.external_dns_namespace}}', server: '{{.server}}' });
    assert.equal(spec.project, 'addons');
  });

  it('uses ServerSideApply for large CRDs and ignores webhook caBundle differences', () => {
    const kps = appsetOf(files, 'kube-prometheus-stack').spec.template.spec;
    assert.ok(kps.syncPolicy.syncOptions.includes('ServerSideApply=true'));
    assert.ok(kps.syncPolicy.syncOptions.includes('RespectIgnoreDifferences=true'));
    assert.deepEqual(kps.ignoreDifferences.map((d: any) => d.kind), ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
    assert.deepEqual(kps.ignoreDifferences[0].jqPathExpressions, ['.webhooks[]?.clientConfig.caBundle']);
    // Large CRDs, but the 3.9.0 chart renders no webhook configuration: nothing to ignore.
    const kyverno = appsetOf(files, 'kyverno').spec.template.spec;
    assert.ok(kyverno.syncPolicy.syncOptions.includes('ServerSideApply=true'));
    assert.equal(kyverno.syncPolicy.syncOptions.includes('RespectIgnoreDifferences=true'), false);
    assert.equal(kyverno.ignoreDifferences, undefined);
    const ms = appsetOf(files, 'metrics-server').spec.template.spec;
    assert.deepEqual(ms.syncPolicy.syncOptions, ['CreateNamespace=true']);
    assert.equal(ms.ignoreDifferences, undefined);
  });

  it('never prunes Argo CD itself', () => {
    assert.equal(appsetOf(files, 'argo-cd').spec.template.spec.syncPolicy.automated.prune, false);
  });

  it('offers RollingSync in promotion order as an option', () => {
    assert.equal(appsetOf(files, 'karpenter').spec.strategy, undefined);
    const spec = fleetCopy();
    spec.argocd = { ...spec.argocd, progressiveSync: true };
    spec.environments.reverse();
    const strategy = appsetOf(render(withSpec(spec)), 'karpenter').spec.strategy;
    assert.equal(strategy.type, 'RollingSync');
    assert.deepEqual(strategy.rollingSync.steps.map((s: any) => s.matchExpressions[0].values[0]), ['control-plane', 'staging', 'prod']);
  });

  it('turns dependencies into sync waves', () => {
    const { waves, cycles } = addonWaves(ADDON_CATALOG);
    assert.deepEqual(cycles, []);
    assert.ok(waves.get('opentelemetry-operator')! > waves.get('cert-manager')!);
    assert.ok(waves.get('ingress-nginx')! > waves.get('aws-load-balancer-controller')!);
    assert.equal(appsetOf(files, 'cert-manager').metadata.annotations['argocd.argoproj.io/sync-wave'], '0');
  });

  it('finds dependency cycles', () => {
    const cyc = addonWaves([
      { ...ADDON_CATALOG[0], name: 'a', dependsOn: ['b'] },
      { ...ADDON_CATALOG[0], name: 'b', dependsOn: ['c'] },
      { ...ADDON_CATALOG[0], name: 'c', dependsOn: ['a'] },
    ]).cycles;
    assert.deepEqual(cyc, [['a', 'b', 'c', 'a']]);
  });
});

describe('the add-on catalog', () => {
  const names = ADDON_CATALOG.map((a) => a.name);
  it('holds at least 20 add-ons of the EKS Blueprints / GitOps Bridge catalog', () => {
    for (const n of ['aws-load-balancer-controller', 'cert-manager', 'external-dns', 'external-secrets', 'karpenter', 'metrics-server',
      'cluster-autoscaler', 'aws-ebs-csi-driver', 'aws-efs-csi-driver', 'kube-prometheus-stack', 'argo-rollouts', 'argo-workflows',
      'argo-events', 'kyverno', 'crossplane', 'ingress-nginx', 'velero', 'aws-for-fluent-bit', 'aws-node-termination-handler', 'keda',
      'vpa', 'gatekeeper', 'opentelemetry-operator', 'aws-gateway-api-controller', 'argo-cd']) {
      assert.ok(names.includes(n), `missing ${n}`);
    }
    assert.ok(names.length >= 20);
  });

  it('flags OCI charts and registers them with Argo CD, credential-free', () => {
    assert.deepEqual(ADDON_CATALOG.filter((a) => a.oci).map((a) => a.name).sort(), [
      'ack-dynamodb-controller', 'ack-eks-controller', 'ack-iam-controller', 'ack-rds-controller', 'ack-s3-controller',
      'aws-gateway-api-controller', 'aws-node-termination-handler', 'karpenter',
    ]);
    const repo = objects(files).find((o) => o.file === 'hub/argocd/repositories/karpenter.yaml')!.obj;
    assert.deepEqual(repo.stringData, { enableOCI: 'true', name: 'karpenter', type: 'helm', url: 'public.ecr.aws/karpenter' });
    assert.equal(repo.metadata.labels['argocd.argoproj.io/secret-type'], 'repository');
  });
});

describe('add-on removal (onDisable)', () => {
  const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
  const withOnDisable = (name: string, onDisable: 'uninstall' | 'orphan') => ADDON_CATALOG.map((a) => (a.name === name ? { ...a, onDisable } : a));
  const finalizersOf = (f: Map<string, string>, addon: string) => appsetOf(f, addon).spec.template.metadata.finalizers;
  const problems = (spec: FleetSpec, catalog = ADDON_CATALOG) => validateFleet(withSpec(spec), catalog).map(formatProblem);
  const setting = (owner: { addons?: Record<string, unknown> }, addon: string, extra: Record<string, unknown>) => {
    const current = owner.addons?.[addon];
    owner.addons = { ...owner.addons, [addon]: { ...(typeof current === 'object' ? current : {}), ...extra } };
  };

  it("renders the catalog's decision: the resources finalizer exactly where disabling uninstalls, resources preserved when the ApplicationSet goes", () => {
    const appsets = objects(files).filter((o) => o.obj.kind === 'ApplicationSet' && o.obj.metadata.name.startsWith('addon-'));
    const uninstalled: string[] = [];
    for (const { obj } of appsets) {
      const addon = ADDON_CATALOG.find((a) => `addon-${a.name}` === obj.metadata.name)!;
      assert.deepEqual(obj.spec.template.metadata.finalizers, addon.onDisable === 'uninstall' ? [FINALIZER] : undefined, obj.metadata.name);
      assert.equal(obj.spec.syncPolicy.preserveResourcesOnDeletion, true);
      if (addon.onDisable === 'uninstall') uninstalled.push(addon.name);
    }
    assert.deepEqual(uninstalled.sort(), ['aws-for-fluent-bit', 'descheduler', 'external-dns', 'metrics-server', 'reloader'], 'the example runs these stateless add-ons, which uninstall');
  });

  it("uninstalls where the catalog says so: Argo CD's resources finalizer in the template, the rest unchanged", () => {
    const f = render(exampleFleet, withOnDisable('velero', 'uninstall'));
    assert.deepEqual(finalizersOf(f, 'velero'), [FINALIZER]);
    assert.equal(finalizersOf(f, 'karpenter'), undefined);
    const { finalizers: _f, ...rest } = appsetOf(f, 'velero').spec.template.metadata;
    assert.deepEqual(rest, appsetOf(files, 'velero').spec.template.metadata);
    assert.deepEqual(render(exampleFleet, withOnDisable('velero', 'uninstall')), f, 'deterministic');
  });

  it('an environment or cluster setting overrides the catalog, when every cluster of the add-on agrees', () => {
    const spec = fleetCopy();
    setting(spec.clusters.find((c) => c.name === 'spoke-prod')! as any, 'velero', { onDisable: 'uninstall' });
    assert.deepEqual(problems(spec), []);
    assert.deepEqual(finalizersOf(render(withSpec(spec)), 'velero'), [FINALIZER]);

    const back = fleetCopy();
    setting(back.environments.find((e) => e.name === 'prod')! as any, 'velero', { onDisable: 'orphan' });
    assert.deepEqual(problems(back, withOnDisable('velero', 'uninstall')), []);
    assert.equal(finalizersOf(render(withSpec(back), withOnDisable('velero', 'uninstall')), 'velero'), undefined);

    const all = fleetCopy();
    for (const env of all.environments) setting(env as any, 'cert-manager', { onDisable: 'uninstall' });
    assert.deepEqual(problems(all), []);
    assert.deepEqual(finalizersOf(render(withSpec(all)), 'cert-manager'), [FINALIZER]);
  });

  it("refuses different onDisable values among one hub's clusters of an add-on: one template decides for all", () => {
    const spec = fleetCopy();
    const prod = spec.environments.findIndex((e) => e.name === 'prod');
    setting(spec.environments[prod] as any, 'cert-manager', { onDisable: 'uninstall' });
    const found = problems(spec).filter((p) => p.includes('onDisable'));
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], new RegExp(`environments\\[${prod}\\]\\.addons\\.cert-manager\\.onDisable: "uninstall" here, but hub \\(orphan\\), spoke-staging \\(orphan\\) of the same hub run "cert-manager" too, .*one ApplicationSet \\(addon-cert-manager\\)`));
    assert.throws(() => render(withSpec(spec)), /environments\[\d\]\.addons\.cert-manager\.onDisable: "uninstall" here/, 'synth validates first');
    const certManager = ADDON_CATALOG.find((a) => a.name === 'cert-manager')!;
    assert.throws(() => addonApplicationSetOnDisable(resolved(spec), certManager), /add-on "cert-manager": one ApplicationSet renders it for all of a hub's clusters, so they need one onDisable, got orphan on hub, spoke-staging; uninstall on spoke-prod/);
  });

  it('refuses a value other than uninstall or orphan', () => {
    const spec = fleetCopy();
    const i = spec.clusters.findIndex((c) => c.name === 'spoke-prod');
    setting(spec.clusters[i] as any, 'velero', { onDisable: 'delete' });
    assert.ok(problems(spec).some((p) => p.includes(`clusters[${i}].addons.velero.onDisable: must be "uninstall" (Argo CD deletes what the add-on installed when it is disabled) or "orphan"`)), problems(spec).join('\n'));
  });
});
