/**
 * applyOverlay against the real kustomize: each case writes the base and the kustomization that
 * toKustomization gives into a temporary directory, runs `kubectl kustomize`, and compares its output
 * with applyOverlay object for object (as sets keyed by apiVersion/kind/namespace/name). Without
 * kubectl on PATH every case is skipped, visibly.
 */
import { describe, it, after } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { applyOverlay, containerPatch, KubeObject, Overlay, toKustomization } from '../engines/kustomize/index.js';

const HAS_KUBECTL = (() => {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
})();
const SKIP = 'kubectl not found: kustomize equivalence not checked';

const workDirs: string[] = [];
after(() => workDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** YAML that kustomize reads back unchanged: YAML 1.1 quoting (`y`, `on`, `no` stay strings). */
const yaml = (value: unknown): string => stringify(value, { version: '1.1' });

/** Runs `kubectl kustomize` on `overlay` over `base`, laid out as base/ and overlay/ directories. */
function kustomize(base: readonly KubeObject[], overlay: Overlay): { objects: KubeObject[] } | { error: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overlay-equivalence-'));
  workDirs.push(dir);
  fs.mkdirSync(path.join(dir, 'base'));
  fs.mkdirSync(path.join(dir, 'overlay'));
  fs.writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), yaml({ resources: ['resources.yaml'] }));
  fs.writeFileSync(path.join(dir, 'base', 'resources.yaml'), base.map(yaml).join('---\n'));
  const { kustomization, files } = toKustomization(overlay, ['../base']);
  fs.writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), yaml(kustomization));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'overlay', file)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'overlay', file), content);
  }
  const r = spawnSync('kubectl', ['kustomize', path.join(dir, 'overlay')], { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) return { error: r.stderr };
  const docs = parseAllDocuments(r.stdout);
  return { objects: docs.map((d) => d.toJS() as KubeObject).filter((o) => o) };
}

const keyOf = (o: KubeObject) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objs: readonly KubeObject[]) => new Map(objs.map((o) => [keyOf(o), o]));

/** Asserts applyOverlay and kustomize give the same objects; returns ours for extra checks. */
function assertEquivalent(t: TestContext, base: readonly KubeObject[], overlay: Overlay): KubeObject[] | undefined {
  if (!HAS_KUBECTL) {
    t.skip(SKIP);
    return undefined;
  }
  const ours = applyOverlay(base, overlay);
  const theirs = kustomize(base, overlay);
  assert.ok('objects' in theirs, `kustomize failed where applyOverlay did not:\n${'error' in theirs ? theirs.error : ''}`);
  const a = byKey(ours);
  const b = byKey(theirs.objects);
  assert.equal(a.size, ours.length, 'applyOverlay returned two objects with the same identity');
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), 'the two give different objects');
  for (const [key, obj] of a) assert.deepEqual(obj, b.get(key), `${key} differs`);
  return ours;
}

/** Asserts both refuse the overlay, and that ours says why. */
function assertBothFail(t: TestContext, base: readonly KubeObject[], overlay: Overlay, ourMessage: RegExp): void {
  if (!HAS_KUBECTL) {
    t.skip(SKIP);
    return;
  }
  assert.throws(() => applyOverlay(base, overlay), ourMessage);
  const theirs = kustomize(base, overlay);
  assert.ok('error' in theirs, 'kustomize accepted an overlay that applyOverlay refuses');
}

// ---------------------------------------------------------------------------------------------
// The base: a Deployment whose container uses a ConfigMap through envFrom and a volume, a Service,
// a ServiceAccount, an HPA, a PDB, an Ingress, the ConfigMap, and a few more for references.
// ---------------------------------------------------------------------------------------------

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          serviceAccountName: 'web',
          imagePullSecrets: [{ name: 'regcred' }],
          initContainers: [{ name: 'migrate', image: 'busybox:1.36', envFrom: [{ configMapRef: { name: 'web-config' } }] }],
          containers: [
            {
              name: 'app',
              image: 'nginx:1.25',
              envFrom: [{ configMapRef: { name: 'web-config' } }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'password' } } },
              ],
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
            },
            { name: 'proxy', image: 'envoyproxy/envoy:v1.30.1', ports: [{ containerPort: 9901 }] },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'web-config' } },
            { name: 'all', projected: { sources: [{ configMap: { name: 'web-config' } }, { secret: { name: 'web-secret' } }] } },
          ],
        },
      },
    },
  };
}

const service = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
});
const serviceAccount = (): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web' } });
const hpa = (): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 6,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
  },
});
const pdb = (): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
});
const ingress = (): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', annotations: { 'alb.ingress.kubernetes.io/scheme': 'internal' } },
  spec: {
    ingressClassName: 'alb',
    tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
    rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
  },
});
const configMap = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', labels: { app: 'web' } },
  data: { LOG_FORMAT: 'json', 'app.properties': 'cache=on\n' },
});
const secret = (): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-secret' }, type: 'Opaque', data: { password: 'aHVudGVyMg==' } });
const role = (): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name: 'web' },
  rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['web-config'], verbs: ['get'] }],
});
const roleBinding = (): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'web' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web' },
  subjects: [{ kind: 'ServiceAccount', name: 'web' }, { kind: 'ServiceAccount', name: 'default' }],
});
const cronJob = (): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'report' },
  spec: {
    schedule: '0 * * * *',
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', serviceAccountName: 'web', containers: [{ name: 'report', image: 'nginx:1.25', envFrom: [{ configMapRef: { name: 'web-config' } }] }] } } } },
  },
});
const namespaceObj = (): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
const clusterRole = (): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'web-read' }, rules: [] });

/** The required base: Deployment, Service, ServiceAccount, HPA, PDB, Ingress, ConfigMap. */
const base = (): KubeObject[] => [deployment(), service(), serviceAccount(), hpa(), pdb(), ingress(), configMap()];
/** The base and a Secret, RBAC and a CronJob for more references. */
const wideBase = (): KubeObject[] => [...base(), secret(), role(), roleBinding(), cronJob()];

const find = (objs: KubeObject[], kind: string): any => objs.find((o) => o.kind === kind);

describe('applyOverlay is equivalent to kubectl kustomize', () => {
  it('generated ConfigMaps get the content hash and envFrom and volume references follow', (t) => {
    const out = assertEquivalent(t, base().filter((o) => o.kind !== 'ConfigMap'), {
      configMapGenerator: [{ name: 'web-config', literals: { LOG_FORMAT: 'json', MARKUP: '<b>&amp;</b>' }, files: { 'app.properties': 'cache=on\nsize=10\n' } }],
    });
    if (!out) return;
    const name = find(out, 'ConfigMap').metadata.name;
    assert.match(name, /^web-config-[a-z0-9]{10}$/);
    const spec = find(out, 'Deployment').spec.template.spec;
    assert.deepEqual([spec.containers[0].envFrom[0].configMapRef.name, spec.volumes[0].configMap.name, spec.initContainers[0].envFrom[0].configMapRef.name], [name, name, name]);
  });

  it('namePrefix and nameSuffix rename objects and every reference follows', (t) => {
    assertEquivalent(t, [...wideBase(), namespaceObj()], {
      namePrefix: 'shop-',
      nameSuffix: '-v2',
      configMapGenerator: [{ name: 'extra', literals: { A: '1' } }],
      secretGenerator: [{ name: 'web-tls', type: 'kubernetes.io/tls', literals: { 'tls.crt': 'CRT', 'tls.key': 'KEY' } }],
    });
  });

  it('images: digest, newName and newTag, in containers, initContainers and CronJobs', (t) => {
    assertEquivalent(t, wideBase(), {
      images: [
        { name: 'nginx', newName: 'registry.example.com/shop/nginx', newTag: '1.27.0' },
        { name: 'busybox', digest: `sha256:${'a'.repeat(64)}` },
        { name: 'envoyproxy/envoy', newTag: 'v1.31.0', digest: `sha256:${'b'.repeat(64)}` },
      ],
    });
  });

  it('a JSON6902 patch', (t) => {
    assertEquivalent(t, base(), {
      patches: [
        {
          target: { kind: 'Deployment', name: 'web' },
          patch: [
            { op: 'replace', path: '/spec/replicas', value: 4 },
            { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'REGION', value: 'eu-west-1' } },
            { op: 'remove', path: '/spec/template/spec/containers/1' },
            { op: 'add', path: '/metadata/annotations', value: { 'example.com/owner': 'shop' } },
            { op: 'copy', from: '/metadata/labels', path: '/spec/template/metadata/annotations' },
            { op: 'test', path: '/spec/replicas', value: 4 },
          ],
        },
        { target: { kind: 'Service' }, patch: [{ op: 'add', path: '/metadata/annotations', value: {} }, { op: 'add', path: '/metadata/annotations/a~1b~0c', value: 'x' }] },
      ],
    });
  });

  it('a strategic-merge patch adding an env var and changing resources (also via containerPatch)', (t) => {
    assertEquivalent(t, base(), {
      patches: [
        {
          patch: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'web' },
            spec: {
              template: {
                spec: {
                  containers: [{ name: 'app', env: [{ name: 'FEATURE_X', value: 'on' }, { name: 'LOG_LEVEL', value: 'debug' }], resources: { requests: { cpu: '500m' }, limits: { cpu: '1', memory: null } } }],
                },
              },
            },
          },
        },
        containerPatch({ kind: 'Deployment', name: 'web' }, 'proxy', { env: { ADMIN_PORT: '9901' }, resources: { limits: { memory: '64Mi' } } }),
      ],
    });
  });

  it('labels with and without selectors', (t) => {
    assertEquivalent(t, wideBase(), {
      commonLabels: { env: 'prod' },
      labels: [{ pairs: { team: 'shop' } }, { pairs: { tier: 'front' }, includeTemplates: true }, { pairs: { 'app.kubernetes.io/part-of': 'shop' }, includeSelectors: true }],
    });
  });

  it('namespace and commonAnnotations', (t) => {
    assertEquivalent(t, [...wideBase(), namespaceObj(), clusterRole()], {
      namespace: 'shop-prod',
      commonAnnotations: { 'example.com/team': 'shop', 'example.com/on-call': 'y' },
    });
  });

  it('replicas by original and by prefixed name', (t) => {
    const sts: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { serviceName: 'web', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } } },
    };
    assertEquivalent(t, [...base(), sts], { namePrefix: 'p-', replicas: [{ name: 'web', count: 5 }, { name: 'p-db', count: 3 }] });
  });

  it('generator behavior merge over a base ConfigMap (and replace over a base Secret)', (t) => {
    assertEquivalent(t, wideBase(), {
      generatorOptions: { labels: { generated: 'true' } },
      configMapGenerator: [{ name: 'web-config', behavior: 'merge', literals: { LOG_FORMAT: 'text', EXTRA: '1' }, options: { annotations: { merged: 'yes' } } }],
      secretGenerator: [{ name: 'web-secret', behavior: 'replace', literals: { password: 's3cr3t' } }],
    });
  });

  it('everything at once', (t) => {
    assertEquivalent(t, [...wideBase(), secret(), namespaceObj()].filter((o, i, all) => all.findIndex((x) => x.kind === o.kind && x.metadata.name === o.metadata.name) === i), {
      namespace: 'shop-prod',
      namePrefix: 'shop-',
      nameSuffix: '-v1',
      commonLabels: { env: 'prod' },
      labels: [{ pairs: { team: 'shop' }, includeTemplates: true }],
      commonAnnotations: { note: 'managed' },
      images: [{ name: 'nginx', newTag: '1.27.0' }],
      replicas: [{ name: 'web', count: 3 }],
      generatorOptions: { annotations: { generated: 'yes' } },
      configMapGenerator: [
        { name: 'web-config', behavior: 'merge', literals: { Z: '1' } },
        { name: 'flags', files: { 'flags.json': '{"beta": true}\n' } },
      ],
      secretGenerator: [{ name: 'regcred', type: 'kubernetes.io/dockerconfigjson', literals: { '.dockerconfigjson': '{"auths":{}}' } }],
      patches: [
        containerPatch({ kind: 'Deployment', name: 'web' }, 'app', { env: { FLAGS_FILE: '/etc/flags/flags.json' } }),
        {
          patch: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'web' },
            spec: { template: { spec: { containers: [{ name: 'app', envFrom: [{ configMapRef: { name: 'web-config' } }, { configMapRef: { name: 'flags' } }] }] } } },
          },
        },
        { target: { kind: 'HorizontalPodAutoscaler' }, patch: [{ op: 'replace', path: '/spec/maxReplicas', value: 10 }] },
      ],
    });
  });

  it('strategic-merge list rules: element order, $patch directives, multi-key ports', (t) => {
    assertEquivalent(t, base(), {
      patches: [
        {
          patch: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'web' },
            spec: {
              strategy: { $patch: 'delete' },
              template: {
                spec: {
                  tolerations: [{ key: 'spot', operator: 'Exists' }],
                  containers: [
                    { name: 'proxy', ports: [{ containerPort: 9901, name: 'admin' }, { containerPort: 9902, protocol: 'UDP' }] },
                    { name: 'debug', image: 'busybox:1.36', args: ['sleep', 'infinity'] },
                    { name: 'app', ports: [{ containerPort: 8080, name: 'dropped-by-kustomize' }], volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }] },
                  ],
                  volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'all', $patch: 'delete' }],
                },
              },
            },
          },
        },
        { patch: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443, name: 'https', targetPort: 8443 }] } } },
      ],
    });
  });

  it('targeted patches by regular expression and label selector, and object deletion', (t) => {
    assertEquivalent(t, wideBase(), {
      patches: [
        { target: { kind: 'Deployment|CronJob' }, patch: { metadata: { annotations: { checked: 'yes' } } } },
        { target: { name: 'web-.*', version: 'v1' }, patch: { metadata: { labels: { 'name-matched': 'yes' } } } },
        { target: { labelSelector: 'app=web,!canary', kind: 'Service' }, patch: { spec: { type: 'NodePort' } } },
        { target: { kind: 'PodDisruptionBudget' }, patch: { $patch: 'delete' } },
      ],
    });
  });

  it('secret generators referenced from imagePullSecrets, Ingress tls and env, across namespace and prefix', (t) => {
    assertEquivalent(t, wideBase().filter((o) => o.kind !== 'Secret'), {
      namespace: 'prod',
      namePrefix: 'a-',
      secretGenerator: [
        { name: 'regcred', type: 'kubernetes.io/dockerconfigjson', literals: { '.dockerconfigjson': '{"auths":{}}' } },
        { name: 'web-tls', type: 'kubernetes.io/tls', files: { 'tls.crt': 'CRT\n', 'tls.key': 'KEY\n' } },
        { name: 'web-secret', literals: { password: 'p', quoted: '"kept"', empty: '' } },
      ],
    });
  });

  it('errors in the same places', (t) => {
    assertBothFail(t, base(), { patches: [{ patch: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nope' }, spec: { replicas: 1 } } }] }, /Error: patch targets nothing: no object matches/);
    assertBothFail(t, base(), { patches: [{ patch: [{ op: 'add', path: '/x', value: 1 }] }] }, /needs a target/);
    assertBothFail(t, base(), { replicas: [{ name: 'nope', count: 1 }] }, /no Deployment, StatefulSet, ReplicaSet or ReplicationController is named nope/);
    assertBothFail(t, base(), { configMapGenerator: [{ name: 'web-config', literals: { A: '1' } }] }, /already exists/);
    assertBothFail(t, base(), { configMapGenerator: [{ name: 'missing', behavior: 'merge', literals: { A: '1' } }] }, /there is none/);
    assertBothFail(t, base(), { patches: [{ target: { kind: 'Deployment' }, patch: [{ op: 'remove', path: '/spec/nothing' }] }] }, /nothing to remove/);
  });

  it('the deliberate difference: an images rule that matches nothing fails here, kustomize ignores it', (t) => {
    if (!HAS_KUBECTL) return t.skip(SKIP);
    const overlay: Overlay = { images: [{ name: 'ngnix', newTag: '1.27.0' }] };
    assert.throws(() => applyOverlay(base(), overlay), /images\[0\] \(name "ngnix"\): the rule matches no container image .*stricter than kustomize/);
    const theirs = kustomize(base(), overlay);
    assert.ok('objects' in theirs, 'kustomize now refuses such a rule: say so in the error message');
    assert.deepEqual(byKey(theirs.objects), byKey(applyOverlay(base(), {})), 'kustomize no longer ignores such a rule: drop the deliberate difference');
  });

  it('the deliberate difference: a target that selects nothing fails here, kustomize skips the patch', (t) => {
    if (!HAS_KUBECTL) return t.skip(SKIP);
    const overlay: Overlay = { patches: [{ target: { kind: 'Deployment', name: 'nothing-matches' }, patch: { spec: { replicas: 1 } } }] };
    assert.throws(() => applyOverlay(base(), overlay), /patch targets nothing: no object matches {kind: Deployment, name: nothing-matches}/);
    const theirs = kustomize(base(), overlay);
    assert.ok('objects' in theirs && theirs.objects.length === base().length, 'kustomize no longer skips such a patch: drop the deliberate difference');
  });
});

// ---------------------------------------------------------------------------------------------
// Secret data: kustomize (kyaml encodeBase64) writes base64 cut into 70-character lines, each ending
// in a newline, once the encoding reaches 70 characters (52 bytes of value), and hashes that text.
// ---------------------------------------------------------------------------------------------

/** Runs `kubectl kustomize` on a kustomization.yaml written as given (for fields toKustomization never writes). */
function kustomizeRaw(kustomization: string): { stdout: string; status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overlay-equivalence-raw-'));
  workDirs.push(dir);
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization);
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { stdout: r.stdout, status: r.status, stderr: r.stderr };
}

const lineLengths = (v: string): number[] => v.split('\n').map((l) => l.length);

describe('secret values of 52 bytes or more are equivalent to kubectl kustomize (base64 in 70-character lines)', () => {
  const withoutSecret = () => wideBase().filter((o) => o.kind !== 'Secret');

  for (const [label, value] of [
    ['51 bytes (68 characters of base64: one line)', 'a'.repeat(51)],
    ['52 bytes (72 characters: the first cut value)', 'b'.repeat(52)],
    ['60 bytes', 'c'.repeat(60)],
    ['200 bytes', `${'0123456789'.repeat(19)}abcdefghij`],
    ['210 bytes (280 characters: exactly four lines)', 'e'.repeat(210)],
    ['52 bytes of 26 two-byte characters', 'é'.repeat(26)],
    ['a multi-line value', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUY2VydGlmaWNhdGUtZm9yLXRlc3RzMAoGCCqGSM49BAMC\n-----END CERTIFICATE-----\n'],
  ] as const) {
    it(`${label}: same data, same name hash, references follow`, (t) => {
      const out = assertEquivalent(t, withoutSecret(), { namePrefix: 'p-', secretGenerator: [{ name: 'web-secret', literals: { password: value } }] });
      if (!out) return;
      const sec = find(out, 'Secret');
      const encoded = Buffer.from(value, 'utf8').toString('base64');
      if (encoded.length < 70) assert.equal(sec.data.password, encoded);
      else {
        assert.equal(sec.data.password.replace(/\n/g, ''), encoded);
        const lengths = lineLengths(sec.data.password);
        assert.equal(lengths.at(-1), 0, 'the last line ends in a newline');
        assert.ok(lengths.slice(0, -2).every((n) => n === 70) && lengths.at(-2)! <= 70, `lines of 70: ${lengths}`);
      }
      const env = find(out, 'Deployment').spec.template.spec.containers[0].env[1];
      assert.equal(env.valueFrom.secretKeyRef.name, sec.metadata.name);
    });
  }

  it('literals and files of every size in one Secret, and a secret with a type', (t) => {
    assertEquivalent(t, withoutSecret(), {
      secretGenerator: [
        {
          name: 'web-secret',
          literals: { short: 'x', long: 'y'.repeat(200), multi: `first line\nsecond line\n${'z'.repeat(60)}` },
          files: { 'config.ini': `[db]\nhost = db.example.com\nport = 5432\npassword = ${'p'.repeat(64)}\n` },
        },
        { name: 'web-tls', type: 'kubernetes.io/tls', files: { 'tls.crt': `-----BEGIN CERTIFICATE-----\n${'Q'.repeat(64)}\n${'R'.repeat(64)}\n-----END CERTIFICATE-----\n`, 'tls.key': 'k'.repeat(52) } },
      ],
    });
  });

  it('behavior merge and replace over a base Secret with long values', (t) => {
    assertEquivalent(t, wideBase(), { secretGenerator: [{ name: 'web-secret', behavior: 'merge', literals: { token: 't'.repeat(120) } }] });
    assertEquivalent(t, wideBase(), { secretGenerator: [{ name: 'web-secret', behavior: 'replace', literals: { token: 't'.repeat(120) } }] });
  });

  it('a patch adding stringData to a generated Secret changes its hash in both', (t) => {
    const out = assertEquivalent(t, withoutSecret(), {
      secretGenerator: [{ name: 'web-secret', literals: { password: 'q'.repeat(100) } }],
      patches: [{ target: { kind: 'Secret' }, patch: { stringData: { extra: 'hello' } } }],
    });
    if (out) assert.ok(find(out, 'Secret').stringData);
  });
});

describe('fields the engine refuses, as kubectl kustomize refuses them', () => {
  it('an unknown field in a generator, a label set or an image rule is refused by kustomize too', (t) => {
    if (!HAS_KUBECTL) return t.skip(SKIP);
    for (const [raw, ours] of [
      ['configMapGenerator:\n- name: c\n  literal:\n  - a=1\n', { configMapGenerator: [{ name: 'c', literal: { a: '1' } }] }],
      ['labels:\n- pairs: {a: b}\n  includeSelector: true\n', { labels: [{ pairs: { a: 'b' }, includeSelector: true }] }],
      ['images:\n- name: nginx\n  tag: "1"\n', { images: [{ name: 'nginx', tag: '1' }] }],
    ] as const) {
      assert.throws(() => applyOverlay(base(), ours as never), /unknown field/);
      const r = kustomizeRaw(raw);
      assert.notEqual(r.status, 0, `kustomize accepted:\n${raw}`);
      assert.match(r.stderr, /unknown field/);
    }
  });
});
