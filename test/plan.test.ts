import { describe, it, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fleetOutputs } from '../charts/index.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetPlan, planFleet, planFleetView, PlanEntry, removalOf } from '../render/plan/plan.js';
import { exampleFleet } from '../environments/index.js';
import { ADDON_CATALOG } from '../charts/index.js';
import { renderTree } from '../render/render.js';
import { ChunkedWriter, fdSink, formatPlanJson, formatPlanTable, runPlan } from '../render/plan/plan-cli.js';
import { SIZES, syntheticFleet } from '../bench/synthetic-fleet.js';
import { plural } from '../engines/util/index.js';

const tree = renderTree(fleetOutputs(exampleFleet));
const plan = planFleet(tree.objects);

/** A deep copy of the rendered objects, to break one thing in. */
const objectsCopy = () => new Map([...tree.objects].map(([p, docs]) => [p, structuredClone(docs)])) as Map<string, any[]>;

const entry = (name: string): PlanEntry => {
  const e = plan.entries.find((x) => x.application === name);
  assert.ok(e, `no Application ${name} in the plan`);
  return e;
};

/** Runs `runPlan` in-process and returns its exit code, what it printed (without the last newline) and the chunks of its output. */
function run(t: TestContext, argv: string[], source = exampleFleet) {
  const chunks: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'error', (m: string) => err.push(m));
  const code = runPlan(argv, source, {}, (c) => chunks.push(c));
  t.mock.restoreAll();
  const stdout = chunks.join('');
  assert.ok(stdout === '' || stdout.endsWith('\n'), 'the output ends with a newline');
  return { code, stdout: stdout.slice(0, -1), stderr: err.join('\n'), chunks };
}

/** The table as it was formatted before it was streamed: one string built from every line (the reference). */
function referenceTable(plan: FleetPlan): string {
  const rows = plan.entries.map((e) => [e.application, e.project, e.source, e.destinationNamespace]);
  const widths = [0, 1, 2, 3].map((i) => rows.reduce((w, r) => Math.max(w, r[i].length), 0));
  const row = (e: PlanEntry) => `  ${[e.application, e.project, e.source, e.destinationNamespace].map((c, i) => c.padEnd(widths[i])).join('  ')}  removal: ${e.onRemoval}`;
  const lines: string[] = [];
  const groups = new Map<string, PlanEntry[]>();
  for (const e of plan.entries) groups.set(e.cluster, [...(groups.get(e.cluster) ?? []), e]);
  for (const c of plan.clusters) {
    const entries = groups.get(c.name) ?? [];
    const env = `${c.environment ? `environment ${c.environment}, ` : ''}${c.hub ? `hub ${c.hub}, ` : ''}`;
    lines.push(`${c.name} (${env}${c.server}): ${plural(entries.length, 'Application')}`, ...entries.map(row));
  }
  const lost = groups.get('') ?? [];
  if (lost.length > 0) lines.push(`(destination matches no cluster): ${plural(lost.length, 'Application')}`, ...lost.map((e) => `${row(e)}  -> ${e.server || '(no server)'}`));
  const generated = plan.entries.filter((e) => e.applicationSet !== undefined).length;
  const uninstall = plan.entries.filter((e) => e.onRemoval === 'uninstall').length;
  lines.push(
    '',
    `${plural(plan.entries.length, 'Application')} on ${plural(plan.clusters.filter((c) => c.applications > 0).length, 'cluster')} from ${plural(plan.applicationSets, 'ApplicationSet')} (${generated} generated, ${plan.entries.length - generated} plain)`,
    `If removed (add-on disabled, Application no longer rendered): ${uninstall} uninstall (Argo CD deletes their resources, not CRDs), ${plan.entries.length - uninstall} orphan (their resources keep running, unmanaged); removing a cluster Secret orphans all of its Applications; see docs/addon-removal.md`,
  );
  return lines.join('\n');
}

/** The JSON as it was built before it was streamed: one JSON.stringify of the whole structure (the reference). */
function referenceJson(plan: FleetPlan): string {
  return JSON.stringify(
    {
      clusters: plan.clusters.map((c) => ({ name: c.name, server: c.server, environment: c.environment ?? null, file: c.file ?? null, applications: c.applications, hub: c.hub ?? null })),
      applications: plan.entries.map((e) => ({
        cluster: e.cluster || null,
        server: e.server,
        application: e.application,
        namespace: e.namespace,
        applicationSet: e.applicationSet ?? null,
        project: e.project,
        source: e.source,
        repoURL: e.repoURL,
        destinationNamespace: e.destinationNamespace,
        file: e.file,
        onRemoval: e.onRemoval,
      })),
      problems: plan.problems.map((p) => ({ file: p.file, object: p.object, message: p.message })),
    },
    null,
    2,
  );
}

describe('plan of the example fleet', () => {
  it('has no problems', () => {
    assert.deepEqual(plan.problems, []);
  });

  it('lists the add-on Applications on the hub, with chart, version, repository and namespace', () => {
    assert.deepEqual(entry('argo-cd-hub'), {
      cluster: 'hub',
      server: 'https://kubernetes.default.svc',
      application: 'argo-cd-hub',
      namespace: 'argocd',
      applicationSet: 'addon-argo-cd',
      project: 'addons',
      source: 'argo-cd@10.1.1',
      repoURL: 'https://argoproj.github.io/argo-helm',
      destinationNamespace: 'argocd',
      file: 'hub/argocd/addons/argo-cd.yaml',
      onRemoval: 'orphan',
    });
    const hubAddons = plan.entries.filter((e) => e.cluster === 'hub' && e.applicationSet?.startsWith('addon-')).map((e) => e.application);
    assert.deepEqual(hubAddons, ['argo-cd-hub', 'aws-load-balancer-controller-hub', 'cert-manager-hub', 'crossplane-hub', 'external-secrets-hub', 'metrics-server-hub']);
  });

  it('applies version pins: the prod pin of cert-manager, the spoke-prod pin of kube-prometheus-stack, else the version set of the Kubernetes minor', () => {
    // Environment pin (prod), over the newest cert-manager whose range holds 1.33 (v1.21.1, as on the hub).
    assert.equal(entry('cert-manager-spoke-prod').source, 'cert-manager@v1.20.3');
    assert.equal(entry('cert-manager-spoke-staging').source, 'cert-manager@v1.21.1');
    assert.equal(entry('cert-manager-hub').source, 'cert-manager@v1.21.1');
    // Cluster pin (spoke-prod).
    assert.equal(entry('kube-prometheus-stack-spoke-prod').source, 'kube-prometheus-stack@65.8.1');
    assert.equal(entry('kube-prometheus-stack-spoke-staging').source, 'kube-prometheus-stack@88.5.3');
    // No pin: one descheduler minor per Kubernetes minor, staging on 1.34, prod on 1.33.
    assert.equal(entry('descheduler-spoke-staging').source, 'descheduler@0.34.0');
    assert.equal(entry('descheduler-spoke-prod').source, 'descheduler@0.33.0');
    assert.equal(entry('karpenter-spoke-staging').source, 'karpenter@1.14.1');
    assert.equal(entry('karpenter-spoke-prod').source, 'karpenter@1.14.1');
  });

  it('lists workload Applications per app and spoke of its environment (the matrix of apps and clusters)', () => {
    assert.deepEqual(entry('webstore-frontend-spoke-prod'), {
      cluster: 'spoke-prod',
      server: 'https://1B2C3D4E5F60718293A4B5C6D7E8F90A.gr7.us-west-2.eks.amazonaws.com',
      application: 'webstore-frontend-spoke-prod',
      namespace: 'argocd',
      applicationSet: 'workloads-webstore',
      project: 'webstore',
      source: 'dist/apps/webstore/frontend/prod@main',
      repoURL: 'https://git.example.com/platform/cdk8s-fleet.git',
      destinationNamespace: 'webstore-prod',
      file: 'hub/argocd/workloads/webstore.yaml',
      onRemoval: 'orphan',
    });
    const workloads = (cluster: string) => plan.entries.filter((e) => e.applicationSet === 'workloads-webstore' && e.cluster === cluster).map((e) => e.application);
    assert.deepEqual(workloads('spoke-staging'), ['webstore-backend-spoke-staging', 'webstore-frontend-spoke-staging', 'webstore-mailer-spoke-staging', 'webstore-ui-spoke-staging']);
    assert.deepEqual(workloads('spoke-prod'), ['webstore-backend-spoke-prod', 'webstore-frontend-spoke-prod', 'webstore-mailer-spoke-prod']);
    assert.deepEqual(workloads('hub'), []);
    assert.equal(entry('webstore-boundaries-spoke-staging').source, 'dist/teams/webstore/staging@main');
  });

  it('every ApplicationSet generates at least one Application', () => {
    const appSets = [...tree.objects.values()].flat().filter((o: any) => o?.kind === 'ApplicationSet').map((o: any) => o.metadata.name as string);
    assert.equal(plan.applicationSets, appSets.length);
    for (const name of appSets) assert.ok(plan.entries.some((e) => e.applicationSet === name), `${name} generates nothing`);
  });

  it('lists plain Applications under the cluster their destination points to', () => {
    const root = entry('fleet-root');
    assert.equal(root.cluster, 'hub');
    assert.equal(root.applicationSet, undefined);
    assert.equal(root.source, 'dist/hub@main');
    assert.equal(root.file, 'hub/bootstrap/root-app.yaml');
  });

  it('is sorted by cluster then name, and the same every time', () => {
    const keys = plan.entries.map((e) => `${e.cluster}\u0000${e.application}`);
    assert.deepEqual(keys, [...keys].sort());
    assert.deepEqual(planFleet(tree.objects), plan);
    assert.deepEqual(plan.clusters.map((c) => [c.name, c.environment]), [['hub', 'control-plane'], ['spoke-prod', 'prod'], ['spoke-staging', 'staging']]);
  });
});

describe('what removing an Application does', () => {
  const app = (finalizers?: string[]) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', ...(finalizers ? { finalizers } : {}) } });
  const appSet = (preserve?: boolean) => ({ kind: 'ApplicationSet', spec: preserve === undefined ? {} : { syncPolicy: { preserveResourcesOnDeletion: preserve } } });

  it("uninstalls with Argo CD's resources finalizer, in any of its propagation forms", () => {
    for (const f of ['resources-finalizer.argocd.argoproj.io', 'resources-finalizer.argocd.argoproj.io/foreground', 'resources-finalizer.argocd.argoproj.io/background']) {
      assert.equal(removalOf(app([f])), 'uninstall', f);
      assert.equal(removalOf(app([f]), appSet(true)), 'uninstall', `${f} in a template, even with preserveResourcesOnDeletion`);
    }
  });

  it('orphans without it: a plain Application, another finalizer, or a template under preserveResourcesOnDeletion', () => {
    assert.equal(removalOf(app()), 'orphan');
    assert.equal(removalOf(app(['post-delete-finalizer.argoproj.io'])), 'orphan');
    assert.equal(removalOf(app(), appSet(true)), 'orphan');
    assert.equal(removalOf(app(['post-delete-finalizer.argoproj.io']), appSet(false)), 'orphan', 'the default finalizer is added only to a template without finalizers');
  });

  it('uninstalls a generated Application whose template has no finalizer when the ApplicationSet does not preserve resources (Argo CD adds the finalizer)', () => {
    assert.equal(removalOf(app(), appSet()), 'uninstall');
    assert.equal(removalOf(app(), appSet(false)), 'uninstall');
  });

  it('reads the rendered add-on ApplicationSets: orphan by default, uninstall where the catalog says so', () => {
    const uninstall = new Set(ADDON_CATALOG.filter((a) => a.onDisable === 'uninstall').map((a) => `addon-${a.name}`));
    for (const e of plan.entries) assert.equal(e.onRemoval, e.applicationSet && uninstall.has(e.applicationSet) ? 'uninstall' : 'orphan', e.application);
    assert.ok(plan.entries.some((e) => e.application === 'metrics-server-hub' && e.onRemoval === 'uninstall'));
    const catalog = ADDON_CATALOG.map((a) => (a.name === 'cert-manager' ? { ...a, onDisable: 'uninstall' as const } : { ...a, onDisable: 'orphan' as const }));
    const p = planFleet(renderTree(fleetOutputs(exampleFleet, { catalog })).objects);
    const addons = p.entries.filter((e) => e.applicationSet?.startsWith('addon-'));
    const certManager = addons.filter((e) => e.applicationSet === 'addon-cert-manager');
    assert.ok(certManager.length >= 2);
    assert.deepEqual(addons.filter((e) => e.onRemoval === 'uninstall'), certManager);
  });
});

describe('plan problems', () => {
  it('fails when a template reads an annotation a selected cluster lacks', () => {
    const objects = objectsCopy();
    delete objects.get('hub/argocd/clusters/spoke-prod.yaml')![0].metadata.annotations.cert_manager_namespace;
    const p = planFleet(objects);
    assert.deepEqual(p.problems, [
      {
        file: 'hub/argocd/addons/cert-manager.yaml',
        object: 'ApplicationSet/addon-cert-manager',
        message:
          'spec.template.spec.destination.namespace: cluster "spoke-prod": template: :1:11: executing "" at <.metadata.annotations.cert_manager_namespace>: map has no entry for key "cert_manager_namespace" (the cluster Secret of "spoke-prod" has no annotation "cert_manager_namespace": write it on every cluster this generator selects, or select only clusters that have it)',
      },
    ]);
    assert.equal(p.entries.some((e) => e.application === 'cert-manager-spoke-prod'), false);
    assert.equal(p.entries.some((e) => e.application === 'cert-manager-spoke-staging'), true);
  });

  it('fails when a selector matches no cluster', () => {
    const objects = objectsCopy();
    const teams = objects.get('hub/argocd/teams/webstore.yaml')![0];
    const selector = teams.spec.generators[0].clusters.selector;
    selector.matchExpressions[0].values = ['qa'];
    assert.deepEqual(planFleet(objects).problems, [
      {
        file: 'hub/argocd/teams/webstore.yaml',
        object: 'ApplicationSet/team-webstore',
        message: `spec.generators[0].clusters: selector ${JSON.stringify(selector)} matches no cluster: label a cluster Secret to match it, or remove the generator`,
      },
    ]);
  });

  it('fails when two Applications have one name in one namespace', () => {
    const objects = objectsCopy();
    const extra = structuredClone(objects.get('hub/apps/addons.yaml')![0]);
    extra.metadata.name = 'argo-cd-hub';
    objects.set('hub/apps/extra.yaml', [extra]);
    assert.deepEqual(planFleet(objects).problems, [
      {
        file: 'hub/argocd/addons/argo-cd.yaml',
        object: 'ApplicationSet/addon-argo-cd',
        message:
          'two Applications named argo-cd-hub in namespace argocd: Application/argo-cd-hub (hub/apps/extra.yaml) and ApplicationSet/addon-argo-cd (hub/argocd/addons/argo-cd.yaml); Argo CD keeps one object per name, so they overwrite each other: rename one',
      },
    ]);
  });

  it('finds every name two ApplicationSets both generate, among thousands, naming the first as the owner', () => {
    const objects = objectsCopy();
    const secret = objects.get('hub/argocd/clusters/spoke-prod.yaml')![0];
    for (let i = 0; i < 3000; i++) {
      const s = structuredClone(secret);
      s.metadata.name = `cluster-c${i}`;
      s.stringData.name = `c${i}`;
      s.stringData.server = `https://c${i}.example.com`;
      objects.set(`hub/argocd/clusters/c${i}.yaml`, [s]);
    }
    const copy = structuredClone(objects.get('hub/argocd/addons/keda.yaml')![0]);
    copy.metadata.name = 'addon-keda-copy';
    objects.set('hub/argocd/zz/keda-copy.yaml', [copy]);
    const p = planFleet(objects);
    const keda = p.entries.filter((e) => e.applicationSet === 'addon-keda');
    assert.ok(keda.length > 3000, `${keda.length} keda Applications`);
    assert.deepEqual(
      p.problems,
      keda
        .map((e) => ({
          file: 'hub/argocd/addons/keda.yaml',
          object: 'ApplicationSet/addon-keda',
          message: `two Applications named ${e.application} in namespace argocd: ApplicationSet/addon-keda (hub/argocd/addons/keda.yaml) and ApplicationSet/addon-keda-copy (hub/argocd/zz/keda-copy.yaml); Argo CD keeps one object per name, so they overwrite each other: rename one`,
        }))
        .sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)),
    );
  });

  it('fails when a generated Application names a project that does not exist', () => {
    const objects = objectsCopy();
    objects.get('hub/argocd/addons/keda.yaml')![0].spec.template.spec.project = 'nope';
    const messages = planFleet(objects).problems.map((p) => p.message);
    assert.deepEqual(messages, [
      'Application keda-spoke-prod: spec.project: application references project nope which does not exist: render that AppProject or fix the project',
      'Application keda-spoke-staging: spec.project: application references project nope which does not exist: render that AppProject or fix the project',
    ]);
  });

  // Its speed is the bench's to measure (npm run bench -- --fleet L --command plan), not a timed test's.
  it('plans 500 clusters and 50 ApplicationSets: every Application, no problem', () => {
    const objects = new Map<string, unknown[]>();
    const secret = tree.objects.get('hub/argocd/clusters/spoke-prod.yaml')![0] as any;
    for (let i = 0; i < 500; i++) {
      const s = structuredClone(secret);
      s.metadata.name = `cluster-c${i}`;
      s.stringData.name = `c${i}`;
      s.stringData.server = `https://c${i}.example.com`;
      s.metadata.labels.environment = i % 2 ? 'prod' : 'staging';
      objects.set(`hub/argocd/clusters/c${i}.yaml`, [s]);
    }
    const appSets = [...tree.objects.values()].flat().filter((o: any) => o?.kind === 'ApplicationSet' && o.metadata.name !== 'addon-argo-cd' && o.metadata.name !== 'addon-crossplane') as any[];
    for (let k = 0; k < 50; k++) {
      const a = structuredClone(appSets[k % appSets.length]);
      a.metadata.name = `${a.metadata.name}-${k}`;
      a.spec.template.metadata.name = `${k}-${a.spec.template.metadata.name}`;
      objects.set(`hub/argocd/synthetic/${k}.yaml`, [a]);
    }
    for (const [p, docs] of tree.objects) if (p.startsWith('hub/argocd/projects/')) objects.set(p, docs);
    const p = planFleet(objects);
    assert.deepEqual(p.problems.filter((x) => !x.message.includes('matches no cluster')), []);
    assert.ok(p.entries.length > 20_000, `${p.entries.length} Applications`);
    assert.equal(new Set(p.entries.map((e) => `${e.cluster}/${e.application}`)).size, p.entries.length, 'one entry per Application and cluster');
  });
});

describe('npm run plan', () => {
  it('prints one header per cluster, one row per Application and a count line', (t) => {
    const r = run(t, ['plan']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `hub (environment control-plane, https://kubernetes.default.svc): ${plan.clusters[0].applications} Applications`);
    assert.match(lines[1], /^ {2}argo-cd-hub +addons +argo-cd@10\.1\.1 +argocd +removal: orphan$/);
    const generated = plan.entries.filter((e) => e.applicationSet).length;
    assert.equal(
      lines.at(-2),
      `${plan.entries.length} Applications on 3 clusters from ${plan.applicationSets} ApplicationSets (${generated} generated, ${plan.entries.length - generated} plain)`,
    );
    const uninstalls = plan.entries.filter((e) => e.onRemoval === 'uninstall').length;
    assert.ok(uninstalls > 0);
    assert.match(lines.at(-1)!, new RegExp(`^If removed \\(add-on disabled, Application no longer rendered\\): ${uninstalls} uninstall .*, ${plan.entries.length - uninstalls} orphan `));
  });

  it('says per Application what removing it does: uninstall for an add-on whose catalog says so', () => {
    const catalog = ADDON_CATALOG.map((a) => (a.name === 'velero' ? { ...a, onDisable: 'uninstall' as const } : { ...a, onDisable: 'orphan' as const }));
    const out: string[] = [];
    const code = runPlan(['plan'], exampleFleet, { catalog }, (c) => out.push(c));
    assert.equal(code, 0);
    const velero = out.join('').split('\n').filter((l) => /^ {2}velero-/.test(l));
    assert.ok(velero.length > 0);
    for (const l of velero) assert.match(l, / removal: uninstall$/);
    assert.match(out.join(''), new RegExp(`: ${velero.length} uninstall \\(`));
  });

  it('--json prints {clusters, applications, problems} with every field present', (t) => {
    const r = run(t, ['--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['clusters', 'applications', 'problems']);
    assert.deepEqual(json.clusters[0], { name: 'hub', server: 'https://kubernetes.default.svc', environment: 'control-plane', file: 'hub/argocd/clusters/hub.yaml', applications: plan.clusters[0].applications, hub: null });
    assert.deepEqual(
      json.applications.find((a: any) => a.application === 'fleet-root'),
      {
        cluster: 'hub',
        server: 'https://kubernetes.default.svc',
        application: 'fleet-root',
        namespace: 'argocd',
        applicationSet: null,
        project: 'platform',
        source: 'dist/hub@main',
        repoURL: 'https://git.example.com/platform/cdk8s-fleet.git',
        destinationNamespace: 'argocd',
        file: 'hub/bootstrap/root-app.yaml',
        onRemoval: 'orphan',
      },
    );
    assert.equal(json.applications.length, plan.entries.length);
    assert.deepEqual(json.problems, []);
  });

  it('fails with exit code 2 on an unknown option', (t) => {
    const r = run(t, ['plan', '--yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^cdk8s-fleet: unknown option "--yaml"\nusage: main.ts plan \[--json\]/);
  });
});

describe('streamed output', () => {
  it('the chunked writer hands over everything in order, in chunks of about the size asked, when full or at the end', () => {
    const chunks: string[] = [];
    const w = new ChunkedWriter((c) => chunks.push(c), 100);
    const written: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = `line ${i} ${'é'.repeat(i % 7)}\n`;
      written.push(s);
      w.write(s);
      if (i === 3) assert.deepEqual(chunks, [], 'nothing is handed over before a chunk is full');
    }
    w.end();
    assert.equal(chunks.join(''), written.join(''));
    assert.ok(chunks.length > 100, `${chunks.length} chunks`);
    for (const c of chunks.slice(0, -1)) assert.ok(c.length >= 100 && c.length < 100 + 20, `chunk of ${c.length} characters`);
    const n = chunks.length;
    w.end();
    w.write('');
    w.end();
    assert.equal(chunks.length, n, 'no empty chunks');
  });

  it('writes every byte to a file descriptor, in UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-sink-'));
    try {
      const file = join(dir, 'out.txt');
      const fd = openSync(file, 'w');
      const text = Array.from({ length: 5000 }, (_, i) => `${i} ünïcødé ✓\n`).join('');
      const w = new ChunkedWriter(fdSink(fd), 1000);
      for (const line of text.split(/(?<=\n)/)) w.write(line);
      w.end();
      closeSync(fd);
      assert.equal(readFileSync(file, 'utf8'), text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits for a slow reader of a pipe Node made non-blocking, and stops quietly when the reader goes away', () => {
    const lines = 100_000;
    const script = `
      const { ChunkedWriter, fdSink } = await import(${JSON.stringify(new URL('../render/plan/plan-cli.ts', import.meta.url).href)});
      console.log('start'); // process.stdout on a pipe: Node makes the pipe non-blocking (EAGAIN when full)
      const out = new ChunkedWriter(fdSink(1));
      for (let i = 0; i < ${lines}; i++) out.write('line ' + i + ' ' + 'x'.repeat(40) + '\\n');
      out.end();
      console.error('done');`;
    const node = `"$NODE" --import tsx --input-type=module -e "$SCRIPT"`;
    const env = { ...process.env, NODE: process.execPath, SCRIPT: script };
    const expected = 'start\n'.length + Array.from({ length: lines }, (_, i) => `line ${i} ${'x'.repeat(40)}\n`.length).reduce((a, b) => a + b, 0);
    const slow = execFileSync('sh', ['-c', `${node} | (sleep 0.3; wc -c)`], { encoding: 'utf8', env });
    assert.equal(Number(slow.trim()), expected, 'every byte, in spite of a full pipe');
    // head reads 5 bytes and exits: the rest of the output meets EPIPE. What the script prints on stderr and its
    // exit code go around the pipe (fd 3).
    const gone = execFileSync('sh', ['-c', `exec 3>&1; (${node} 2>&3; echo "exit $?" >&3) | head -c 5`], { encoding: 'utf8', env });
    assert.equal(gone, 'startdone\nexit 0\n', 'the script ends normally when the reader is gone');
  });

  it('the example fleet: table and JSON byte for byte what one string of the whole plan was, and the JSON parses back', (t) => {
    const table = run(t, ['plan']);
    assert.equal(table.stdout, referenceTable(plan));
    assert.equal(formatPlanTable(plan), referenceTable(plan));
    const json = run(t, ['--json']);
    assert.equal(json.stdout, referenceJson(plan));
    assert.equal(formatPlanJson(plan), referenceJson(plan));
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(referenceJson(plan)));
  });

  it('a synthetic M fleet: the same, written in chunks of about 64 KB', (t) => {
    const size = SIZES.find((s) => s.name === 'M')!;
    const m = planFleet(renderTree(fleetOutputs(syntheticFleet(size, {}))).objects);
    assert.ok(m.entries.length > 10_000, `${m.entries.length} Applications`);
    const json = run(t, ['--json'], syntheticFleet(size, {}));
    assert.equal(json.code, 0, json.stderr);
    const reference = referenceJson(m);
    assert.ok(json.chunks.length >= Math.floor(reference.length / (1 << 16)), `${json.chunks.length} chunks for ${reference.length} characters`);
    for (const c of json.chunks.slice(0, -1)) assert.ok(c.length >= 1 << 16 && c.length < (1 << 16) + 4096, `chunk of ${c.length} characters`);
    assert.equal(json.stdout, reference);
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(reference));
    const table = run(t, ['plan'], syntheticFleet(size, {}));
    assert.equal(table.stdout, referenceTable(m));
  });

  it('with problems, an Application on no cluster and several hubs: table and JSON as one string of the whole plan was', () => {
    const objects = objectsCopy();
    const root = structuredClone(objects.get('hub/apps/addons.yaml')![0]);
    root.metadata.name = 'nowhere';
    root.spec.destination = { server: 'https://gone.example.com', namespace: 'x' };
    objects.set('hub/apps/nowhere.yaml', [root]);
    const extra = structuredClone(objects.get('hub/apps/addons.yaml')![0]);
    extra.metadata.name = 'argo-cd-hub';
    objects.set('hub/apps/extra.yaml', [extra]);
    const broken = planFleet(objects);
    assert.ok(broken.problems.length >= 2, JSON.stringify(broken.problems));
    assert.ok(broken.entries.some((e) => e.cluster === ''));
    assert.equal(formatPlanTable(broken), referenceTable(broken));
    assert.equal(formatPlanJson(broken), referenceJson(broken));
    const hubs: FleetPlan = { ...broken, clusters: broken.clusters.map((c, i) => ({ ...c, hub: i % 2 ? 'hub-eu' : 'hub' })) };
    assert.equal(formatPlanTable(hubs), referenceTable(hubs));
    assert.equal(formatPlanJson(hubs), referenceJson(hubs));
    const empty: FleetPlan = { entries: [], problems: [], clusters: [], applicationSets: 0 };
    assert.equal(formatPlanTable(empty), referenceTable(empty));
    assert.equal(formatPlanJson(empty), referenceJson(empty));
  });

  it('the compact plan reads back as the plan', () => {
    const view = planFleetView(tree.objects);
    assert.equal(view.entries.length, plan.entries.length);
    assert.deepEqual(Array.from({ length: view.entries.length }, (_, i) => view.entries.at(i)), plan.entries);
    assert.deepEqual(view.entries.at(-1), plan.entries.at(-1));
    assert.equal(view.entries.at(plan.entries.length), undefined);
    assert.deepEqual([...plan.entries.keys()].reverse().map((i) => view.entries.at(i)), [...plan.entries].reverse(), 'read in any order');
  });

  it('prints a plan whose entries are not grouped by cluster as it always did: per cluster, in their order', () => {
    const shuffled: FleetPlan = { ...plan, entries: plan.entries.map((e, i) => ({ e, k: (i * 7919) % plan.entries.length })).sort((a, b) => a.k - b.k).map(({ e }) => e) };
    assert.equal(formatPlanTable(shuffled), referenceTable(shuffled));
    const lost: FleetPlan = { ...plan, entries: [...plan.entries, { ...plan.entries[0], cluster: '', server: 'https://gone.example.com', application: 'lost' }] };
    assert.equal(formatPlanTable(lost), referenceTable(lost));
    assert.match(formatPlanTable(lost), /\(destination matches no cluster\): 1 Application\n {2}lost .* -> https:\/\/gone\.example\.com\n/);
  });
});
