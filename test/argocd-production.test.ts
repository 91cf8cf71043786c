/**
 * The hub's Argo CD ready for production (issue #19 part 6): the argo-cd pin, the chart's HA setup,
 * autoscaling and PodDisruptionBudgets, metrics and ServiceMonitors, the controller's processors and
 * client limits sized per hub, and every values key the fleet sets read by the chart at the pin.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ADDON_CATALOG } from '../charts/addons/catalog.js';
import { addonValuesOutputs } from '../charts/outputs/addon-values.js';
import {
  ARGOCD_CONTROLLER_DEFAULTS,
  argoCdControllerTuning,
  MAX_SIZED_APPLICATIONS_PER_SHARD,
  argoCdControllerTuningValues,
  hubArgoCdLoad,
} from '../charts/argocd/controller-sizing.js';
import { resolveFleet } from '../charts/model/resolve.js';
import type { FleetSpec } from '../charts/model/spec.js';
import type { AddonPin } from '../charts/model/addon.js';
import { ClusterTemplate } from '../charts/model/contract.js';
import { FleetSize, SIZES, syntheticFleet } from '../bench/synthetic-fleet.js';
import { fleetCopy, render, resolved, withSpec } from './support/fleet.js';
import { fixture, undeclaredKeys } from './support/chart-values.js';

const argoCd = ADDON_CATALOG.find((a) => a.name === 'argo-cd')!;
const HUB_VALUES = 'addons/values/clusters/hub/argo-cd/values.yaml';

/** The hub's cluster layer of argo-cd values of a fleet, without rendering the rest. */
function hubLayer(spec: FleetSpec, hub = 'hub'): any {
  const fleet = resolveFleet(spec, ADDON_CATALOG);
  const file = addonValuesOutputs(fleet).find((f) => f.path.endsWith(`/clusters/${hub}/argo-cd/values.yaml`));
  return file && 'data' in file ? file.data : undefined;
}

describe('argo-cd: the pin', () => {
  it('is the newest argo-helm release in the store, its Kubernetes range from kubeVersion, every minor 1.30-1.35 covered', () => {
    assert.equal(argoCd.version, argoCd.pins![0].version);
    assert.deepEqual(argoCd.pins, [
      { version: '10.1.1', appVersion: 'v3.4.4', kubernetes: { min: '1.25' }, checkedAgainst: 'argoproj/argo-helm@argo-cd-10.1.1:charts/argo-cd/Chart.yaml' },
    ]);
    const pins: readonly AddonPin[] = ADDON_CATALOG.find((a) => a.name === 'argo-cd')!.pins!;
    for (const minor of [30, 31, 32, 33, 34, 35]) {
      assert.ok(pins.some((p) => p.kubernetes === undefined || (Number(p.kubernetes.min.split('.')[1]) <= minor && (p.kubernetes.max === undefined || Number(p.kubernetes.max.split('.')[1]) >= minor))), `1.${minor}`);
    }
  });

  it('has the values.yaml shape of every pin', () => {
    for (const pin of argoCd.pins!) {
      const file = new URL(`./fixtures/chart-values/argo-cd@${pin.version}.json`, import.meta.url);
      assert.ok(existsSync(file), `fixture of ${pin.version}`);
      const fixture = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(fixture.source, `argoproj/argo-helm@argo-cd-${pin.version}:charts/argo-cd/values.yaml`);
    }
  });
});

describe('argo-cd: every key the fleet sets is read by the chart at the pin', () => {
  const shape = fixture('argo-cd', argoCd.version)!;
  const check = (values: unknown, where: string) => {
    assert.deepEqual(undeclaredKeys(values as Record<string, unknown>, shape), [], `${where}: keys not in argo-cd ${argoCd.version}'s values.yaml nor read by a template`);
  };

  it('the catalog values', () => check(argoCd.values, 'values'));

  it('the cluster values (IAM role annotations)', () => {
    const t = new ClusterTemplate();
    check(argoCd.clusterValues!({ ...t, irsaRoleArn: () => 'arn:aws:iam::111122223333:role/hub-argo-cd' } as unknown as ClusterTemplate, argoCd), 'clusterValues');
  });

  it('the per-hub values: sharding, tuning, ServiceMonitors, single sign-on', () => {
    const spec = syntheticFleet(SIZES.find((s) => s.name === 'L')!).spec as any;
    spec.argocd = { ...spec.argocd, sharding: { replicas: 2 }, sso: fleetCopy().argocd!.sso, adminGroups: ['platform-admins'] };
    const hub = spec.clusters.find((c: any) => c.role === 'hub');
    hub.addons = { ...hub.addons, 'kube-prometheus-stack': true };
    const layer = hubLayer(spec, hub.name);
    for (const part of [layer.configs.params['controller.status.processors'], layer.controller.env, layer.server.metrics.serviceMonitor, layer.configs.cm.url, layer.controller.replicas]) assert.ok(part !== undefined);
    check(layer, 'cluster layer');
  });
});

describe('argo-cd: high availability (the chart README\'s "HA mode with autoscaling")', () => {
  const defaults = parse(render().get('addons/values/default/argo-cd/values.yaml')!);

  it('runs Redis HA, two or more of each stateless component, the controller as the fleet shards it', () => {
    assert.equal(defaults['redis-ha'].enabled, true);
    for (const c of ['server', 'repoServer']) {
      assert.equal(defaults[c].autoscaling.enabled, true, c);
      assert.ok(defaults[c].autoscaling.minReplicas >= 2, c);
      assert.ok(defaults[c].resources.requests.cpu && defaults[c].resources.requests.memory, `${c}: the autoscaler needs requests`);
    }
    assert.ok(defaults.applicationSet.replicas >= 2);
    assert.equal(defaults.controller.replicas, undefined, 'one controller unless sharded');
  });

  it('keeps the sharded controller replicas and algorithm in the hub layer', () => {
    const spec = fleetCopy();
    spec.argocd = { ...spec.argocd, sharding: { replicas: 3 } };
    const layer = parse(render(withSpec(spec)).get(HUB_VALUES)!);
    assert.equal(layer.controller.replicas, 3);
    assert.equal(layer.configs.params['controller.sharding.algorithm'], 'consistent-hashing');
  });

  it('lets one pod of each component go at a time', () => {
    for (const c of ['controller', 'server', 'repoServer', 'applicationSet']) assert.deepEqual(defaults[c].pdb, { enabled: true, maxUnavailable: 1 }, c);
  });

  it('serves metrics from every component', () => {
    for (const c of ['controller', 'server', 'repoServer', 'applicationSet']) assert.equal(defaults[c].metrics.enabled, true, c);
  });

  it('keeps progressive syncs and the health checks', () => {
    assert.equal(defaults.configs.params['applicationsetcontroller.enable.progressive.syncs'], true);
    assert.ok(Object.keys(defaults.configs.cm).some((k) => k === 'resource.customizations.health.kyverno.io_ClusterPolicy'));
  });
});

describe('argo-cd: ServiceMonitors only on a hub that runs kube-prometheus-stack', () => {
  it('renders none in the example (its Prometheus stack runs on a spoke)', () => {
    for (const [file, text] of render()) if (file.includes('/argo-cd/')) assert.doesNotMatch(text, /serviceMonitor/, file);
  });

  it('renders one per component, labelled for the stack\'s Prometheus, when the hub runs it', () => {
    const spec = fleetCopy();
    spec.clusters[0].addons = { ...spec.clusters[0].addons, 'kube-prometheus-stack': true };
    const layer = hubLayer(spec);
    for (const c of ['controller', 'server', 'repoServer', 'applicationSet']) {
      assert.deepEqual(layer[c].metrics.serviceMonitor, { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } }, c);
    }
    assert.equal(layer.configs.cm.url, 'https://argocd.example.com', 'single sign-on stays');
  });
});

describe('argo-cd: the controller sized for what the hub manages', () => {
  const sized = (size: FleetSize) => {
    const fleet = resolveFleet(syntheticFleet(size).spec, ADDON_CATALOG);
    return { load: hubArgoCdLoad(fleet, fleet.hub), fleet };
  };

  it('counts the example hub\'s Applications: add-ons per cluster, team boundaries and deliveries', () => {
    const fleet = resolved();
    const load = hubArgoCdLoad(fleet, fleet.hub);
    const addons = fleet.clusters.reduce((n, c) => n + c.addons.size, 0);
    const boundaries = fleet.teams.reduce((n, t) => n + t.environments.reduce((m, e) => m + t.clusters(e.name).length, 0), 0);
    const deliveries = fleet.teams.reduce((n, t) => n + t.deliveries.reduce((m, d) => m + t.clusters(d.environment).length, 0), 0);
    assert.equal(load.clusters, fleet.clusters.length);
    assert.equal(load.applications, addons + boundaries + deliveries);
    assert.ok(load.largestCluster > 0 && load.largestCluster <= load.applications);
  });

  it('counts for each hub only the clusters it manages', () => {
    const spec = fleetCopy();
    const hub = spec.clusters.find((c) => c.name === 'hub')!;
    spec.clusters.push({ ...structuredClone(hub), name: 'hub-eu', region: 'eu-west-1', vpcId: 'vpc-0e1f2a3b4c5d6e7f8' } as typeof hub);
    spec.clusters.find((c) => c.name === 'spoke-staging')!.hub = 'hub-eu';
    spec.clusters.find((c) => c.name === 'spoke-prod')!.hub = 'hub';
    const two = resolveFleet(spec, ADDON_CATALOG);
    const byHub = ['hub', 'hub-eu'].map((h) => hubArgoCdLoad(two, two.clusters.find((c) => c.name === h)!));
    assert.deepEqual(byHub.map((l) => l.clusters), [2, 2]);
    const one = resolved();
    const single = hubArgoCdLoad(one, one.hub);
    assert.equal(byHub[0].applications + byHub[1].applications, single.applications + two.clusters.find((c) => c.name === 'hub-eu')!.addons.size);
  });

  it('uses Argo CD\'s defaults for a small hub, and writes nothing for them', () => {
    const fleet = resolved();
    const tuning = argoCdControllerTuning(hubArgoCdLoad(fleet, fleet.hub), 1);
    assert.deepEqual({ ...tuning, applicationsPerShard: 0 }, { ...ARGOCD_CONTROLLER_DEFAULTS, applicationsPerShard: 0, capped: false });
    assert.deepEqual(argoCdControllerTuningValues(tuning), {});
    const layer = parse(render().get(HUB_VALUES)!);
    assert.equal(layer.configs.params, undefined);
    assert.equal(layer.controller, undefined);
  });

  it('follows Argo CD\'s rule of thumb: 50 status and 25 operation processors for 1000 Applications', () => {
    const t = argoCdControllerTuning({ clusters: 10, applications: 1000, largestCluster: 100 }, 1);
    assert.deepEqual(t, { applicationsPerShard: 1000, capped: false, statusProcessors: 50, operationProcessors: 25, kubectlParallelismLimit: 50, k8sClientQps: 125, k8sClientBurst: 250 });
  });

  it('stops growing one shard at MAX_SIZED_APPLICATIONS_PER_SHARD and says so', () => {
    const at = argoCdControllerTuning({ clusters: 10, applications: MAX_SIZED_APPLICATIONS_PER_SHARD, largestCluster: 500 }, 1);
    const past = argoCdControllerTuning({ clusters: 100, applications: 20 * MAX_SIZED_APPLICATIONS_PER_SHARD, largestCluster: 500 }, 1);
    assert.deepEqual(at, { applicationsPerShard: 5000, capped: false, statusProcessors: 250, operationProcessors: 125, kubectlParallelismLimit: 250, k8sClientQps: 625, k8sClientBurst: 1250 });
    assert.deepEqual({ ...past, applicationsPerShard: 5000, capped: false }, at);
    assert.equal(past.capped, true);
    assert.equal(argoCdControllerTuning({ clusters: 100, applications: 20 * MAX_SIZED_APPLICATIONS_PER_SHARD, largestCluster: 500 }, 20).capped, false, 'enough shards');
  });

  it('grows the processors and client limits with the fleet, per shard', () => {
    const loads = SIZES.map((s) => sized(s).load);
    assert.ok(loads.every((l, i) => i === 0 || l.applications > loads[i - 1].applications), 'S < M < L');
    const tunings = loads.map((l) => argoCdControllerTuning(l, 1));
    for (let i = 1; i < tunings.length; i++) {
      for (const k of ['statusProcessors', 'operationProcessors', 'kubectlParallelismLimit', 'k8sClientQps', 'k8sClientBurst'] as const) assert.ok(tunings[i][k] >= tunings[i - 1][k], `${k} ${SIZES[i].name}`);
    }
    const large = tunings[tunings.length - 1];
    assert.ok(large.statusProcessors > ARGOCD_CONTROLLER_DEFAULTS.statusProcessors && large.operationProcessors > ARGOCD_CONTROLLER_DEFAULTS.operationProcessors);
    assert.ok(large.k8sClientBurst === 2 * large.k8sClientQps);
    // Sharding spreads the Applications, never below the busiest cluster's.
    const mid = { clusters: 40, applications: 2000, largestCluster: 120 };
    assert.ok(argoCdControllerTuning(mid, 4).statusProcessors < argoCdControllerTuning(mid, 1).statusProcessors);
    const L = loads[loads.length - 1];
    assert.equal(argoCdControllerTuning(L, 10_000).applicationsPerShard, L.largestCluster);
  });

  it('writes the tuning into the large hub\'s layer: params and the client environment', () => {
    const { fleet, load } = sized(SIZES.find((s) => s.name === 'L')!);
    const t = argoCdControllerTuning(load, 1);
    const layer = hubLayer(fleet.spec, fleet.hub.name);
    assert.equal(layer.configs.params['controller.status.processors'], t.statusProcessors);
    assert.equal(layer.configs.params['controller.operation.processors'], t.operationProcessors);
    assert.equal(layer.configs.params['controller.kubectl.parallelism.limit'], t.kubectlParallelismLimit);
    assert.deepEqual(layer.controller.env, [
      { name: 'ARGOCD_K8S_CLIENT_QPS', value: String(t.k8sClientQps) },
      { name: 'ARGOCD_K8S_CLIENT_BURST', value: String(t.k8sClientBurst) },
    ]);
  });
});
