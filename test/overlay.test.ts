import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyJsonPatch,
  applyOverlay,
  containerPatch,
  KubeObject,
  nameHash,
  rewriteImage,
  splitImage,
  toKustomization,
} from '../engines/kustomize/index.js';

// ---------------------------------------------------------------------------------------------
// A small base: a Deployment using a ConfigMap (envFrom and a volume), its Service, ServiceAccount,
// HPA, PDB, Ingress, the ConfigMap, and RBAC.
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
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          containers: [
            {
              name: 'app',
              image: 'nginx:1.25',
              envFrom: [{ configMapRef: { name: 'web-config' } }],
              env: [{ name: 'LOG', value: 'info' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              volumeMounts: [{ name: 'cfg', mountPath: '/etc/web' }],
            },
            { name: 'sidecar', image: 'envoyproxy/envoy:v1.30.1' },
          ],
          volumes: [{ name: 'cfg', configMap: { name: 'web-config' } }],
        },
      },
    },
  };
}

const service = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
});
const serviceAccount = (): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web' } });
const hpa = (): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 },
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
  metadata: { name: 'web' },
  spec: {
    tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
    rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
  },
});
const configMap = (): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', labels: { app: 'web' } }, data: { LEVEL: 'info' } });
const tlsSecret = (): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' } });
const role = (): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'web' }, rules: [] });
const roleBinding = (): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'web' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web' },
  subjects: [{ kind: 'ServiceAccount', name: 'web' }, { kind: 'ServiceAccount', name: 'default' }, { kind: 'User', name: 'alice' }],
});
const clusterRole = (): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'web-read' }, rules: [] });
const namespaceObj = (): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
const crd = (): KubeObject => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: {} });
const cronJob = (): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'report' },
  spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: 'nginx:1.25' }] } } } } },
});

const base = (): KubeObject[] => [deployment(), service(), serviceAccount(), hpa(), pdb(), ingress(), configMap(), tlsSecret(), role(), roleBinding()];

/** The one object of this kind (and name, if given) in a result. */
function find(objs: KubeObject[], kind: string, name?: string): any {
  const found = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.equal(found.length, 1, `expected one ${kind} ${name ?? ''}, found ${found.map((o) => o.metadata.name).join(', ') || 'none'}`);
  return found[0];
}
const podSpec = (objs: KubeObject[], name = 'web') => find(objs, 'Deployment', name).spec.template.spec;

describe('applyOverlay: general', () => {
  it('returns the base unchanged for an empty overlay, as copies', () => {
    const input = base();
    const out = applyOverlay(input, {});
    assert.deepEqual(out, base());
    assert.notEqual(out[0], input[0]);
  });

  it('does not mutate its input', () => {
    const input = base();
    applyOverlay(input, {
      namespace: 'prod',
      namePrefix: 'p-',
      commonLabels: { env: 'prod' },
      configMapGenerator: [{ name: 'web-config', behavior: 'merge', literals: { A: '1' } }],
      patches: [{ target: { kind: 'Deployment' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 9 }] }],
    });
    assert.deepEqual(input, base());
  });

  it('refuses unknown overlay fields and malformed objects', () => {
    assert.throws(() => applyOverlay(base(), { commonLabel: { a: 'b' } } as never), /overlay: unknown field "commonLabel"/);
    assert.throws(() => applyOverlay([{ kind: 'ConfigMap' } as never], {}), /base\[0\]: an object needs apiVersion, kind and metadata.name/);
    assert.throws(() => applyOverlay([configMap(), configMap()], {}), /base: .*ConfigMap, name: web-config} appears twice/);
  });
});

describe('applyOverlay: the shape of the overlay', () => {
  const at = (overlay: unknown) => () => applyOverlay([deployment()], overlay as never);
  it('refuses unknown fields at every level, naming the path and the fields allowed there', () => {
    assert.throws(at({ configMapGenerator: [{ name: 'c', literal: { a: '1' } }] }), {
      message: 'overlay.configMapGenerator[0]: unknown field "literal"; the fields are name, behavior, literals, files, options',
    });
    assert.throws(at({ secretGenerator: [{ name: 's', literals: {}, typ: 'Opaque' }] }), /overlay\.secretGenerator\[0\]: unknown field "typ"; the fields are name, behavior, literals, files, options, type/);
    assert.throws(at({ labels: [{ pairs: { a: 'b' }, includeSelector: true }] }), /overlay\.labels\[0\]: unknown field "includeSelector"; the fields are pairs, includeSelectors, includeTemplates/);
    assert.throws(at({ images: [{ name: 'nginx', tag: '1' }] }), /overlay\.images\[0\]: unknown field "tag"; the fields are name, newName, newTag, digest/);
    assert.throws(at({ replicas: [{ name: 'web', replicas: 2 }] }), /overlay\.replicas\[0\]: unknown field "replicas"; the fields are name, count/);
    assert.throws(at({ generatorOptions: { disableNameSuffixHash: true, label: {} } }), /overlay\.generatorOptions: unknown field "label"; the fields are disableNameSuffixHash, labels, annotations/);
    assert.throws(at({ configMapGenerator: [{ name: 'c', options: { disableHash: true } }] }), /overlay\.configMapGenerator\[0\]\.options: unknown field "disableHash"/);
    assert.throws(at({ patches: [{ target: { kind: 'Deployment', nme: 'web' }, patch: {} }] }), /overlay\.patches\[0\]\.target: unknown field "nme"; the fields are group, version, kind, name, namespace, labelSelector, annotationSelector/);
    assert.throws(at({ patches: [{ target: { kind: 'Deployment' }, patch: [{ op: 'add', path: '/x', vaule: 1 }] }] }), /overlay\.patches\[0\]\.patch\[0\]: unknown field "vaule"; the fields are op, path, from, value/);
    assert.throws(at({ patch: [] }), /overlay: unknown field "patch"; the fields are namespace, /);
  });

  it('refuses kustomize fields the engine does not implement, saying so', () => {
    assert.throws(at({ configMapGenerator: [{ name: 'c', envs: ['app.env'] }] }), /overlay\.configMapGenerator\[0\]\.envs: kustomize's "envs" is not supported by this engine/);
    assert.throws(at({ secretGenerator: [{ name: 's', env: 'app.env' }] }), /overlay\.secretGenerator\[0\]\.env: kustomize's "env" is not supported/);
    assert.throws(at({ configMapGenerator: [{ name: 'c', namespace: 'x' }] }), /\.namespace: kustomize's "namespace" is not supported/);
    assert.throws(at({ generatorOptions: { immutable: true } }), /overlay\.generatorOptions\.immutable: kustomize's "immutable" is not supported/);
    assert.throws(at({ images: [{ name: 'nginx', tagSuffix: '-debug' }] }), /overlay\.images\[0\]\.tagSuffix: kustomize's "tagSuffix" is not supported/);
    assert.throws(at({ labels: [{ pairs: { a: 'b' }, fields: [] }] }), /overlay\.labels\[0\]\.fields: kustomize's "fields" is not supported/);
    assert.throws(at({ patches: [{ path: 'patch.yaml' }] }), /overlay\.patches\[0\]\.path: kustomize's "path" is not supported/);
    assert.throws(at({ patches: [{ patch: {}, options: { allowNameChange: true } }] }), /overlay\.patches\[0\]\.options: kustomize's "options" is not supported/);
    for (const field of ['resources', 'components', 'replacements', 'vars', 'helmCharts', 'patchesStrategicMerge', 'patchesJson6902', 'transformers', 'generators', 'configurations', 'sortOptions']) {
      assert.throws(at({ [field]: [] }), new RegExp(`^OverlayError: overlay\\.${field}: kustomize's "${field}" is not supported by this engine`));
    }
  });

  it('refuses wrong types, and kustomize\'s key=value list form for maps', () => {
    assert.throws(at({ configMapGenerator: [{ name: 'c', literals: ['A=1'] }] }), /overlay\.configMapGenerator\[0\]\.literals must be a map \{key: value\}, got a list \["A=1"\]; kustomize's "key=value" list form is not taken here/);
    assert.throws(at({ configMapGenerator: [{ name: 'c', literals: { A: 1 } }] }), /overlay\.configMapGenerator\[0\]\.literals\.A: the value must be a string, got 1/);
    assert.throws(at({ commonLabels: ['env=prod'] }), /overlay\.commonLabels must be a map/);
    assert.throws(at({ labels: [{ includeTemplates: true }] }), /overlay\.labels\[0\]\.pairs is required/);
    assert.throws(at({ labels: [{ pairs: {}, includeTemplates: 'yes' }] }), /overlay\.labels\[0\]\.includeTemplates must be true or false/);
    assert.throws(at({ configMapGenerator: [{ literals: {} }] }), /overlay\.configMapGenerator\[0\]\.name is required/);
    assert.throws(at({ configMapGenerator: [{ name: 'c', behavior: 'upsert' }] }), /overlay\.configMapGenerator\[0\]\.behavior must be create, merge or replace/);
    assert.throws(at({ images: { name: 'nginx' } }), /overlay\.images must be a list of image rules/);
    assert.throws(at({ patches: [{ target: { kind: 'Deployment' }, patch: 'spec: {}' }] }), /overlay\.patches\[0\]\.patch must be a strategic-merge patch/);
    assert.throws(at(null), /overlay must be an object/);
  });

  it('takes fields given as undefined as absent', () => {
    assert.doesNotThrow(at({ namespace: undefined, images: undefined, configMapGenerator: [{ name: 'c', literals: { a: '1' }, files: undefined, options: undefined }] }));
  });

  it('toKustomization refuses the same overlays instead of dropping the field', () => {
    assert.throws(() => toKustomization({ configMapGenerator: [{ name: 'c', literal: { a: '1' } }] } as never, ['../base']), /overlay\.configMapGenerator\[0\]: unknown field "literal"/);
  });
});

describe('applyOverlay: generators and the content hash', () => {
  it('generates a ConfigMap named with the kustomize hash and rewrites envFrom and volume references', () => {
    const out = applyOverlay([deployment()], { configMapGenerator: [{ name: 'web-config', literals: { x: '1' } }] });
    // kustomize v5.5.0 names {x: "1"} web-config-hmg6f82fh6 (checked with kubectl kustomize).
    const cm = find(out, 'ConfigMap');
    assert.equal(cm.metadata.name, 'web-config-hmg6f82fh6');
    assert.deepEqual(cm.data, { x: '1' });
    const spec = podSpec(out);
    assert.equal(spec.containers[0].envFrom[0].configMapRef.name, 'web-config-hmg6f82fh6');
    assert.equal(spec.volumes[0].configMap.name, 'web-config-hmg6f82fh6');
  });

  it('hashes data only: the name, prefix and suffix do not change the hash; Go escapes <, > and &', () => {
    const out = applyOverlay([], {
      namePrefix: 'p-',
      nameSuffix: '-s',
      configMapGenerator: [{ name: 'a', literals: { x: '1' } }, { name: 'b', literals: { x: '1', y: '<&>' } }],
    });
    assert.deepEqual(out.map((o) => o.metadata.name).sort(), ['p-a-s-hmg6f82fh6', 'p-b-s-c9hgdm4882']);
  });

  it('generates Secrets with base64 data, type Opaque by default, and their own hash', () => {
    const out = applyOverlay([], { secretGenerator: [{ name: 'sec', literals: { x: '1' } }, { name: 'tls', type: 'kubernetes.io/tls', literals: { 'tls.crt': '1', 'tls.key': '2' } }] });
    const sec = find(out, 'Secret', 'sec-bf2648c599');
    assert.deepEqual([sec.type, sec.data], ['Opaque', { x: 'MQ==' }]);
    assert.equal(find(out, 'Secret', 'tls-tmchhcb784').type, 'kubernetes.io/tls');
  });

  it('writes Secret values of 52 bytes or more as kustomize does: base64 in 70-character lines, each ending in a newline', () => {
    // kustomize v5.5.0 (kubectl kustomize) names this Secret s-d659227tf9 and writes k as two lines.
    const out = applyOverlay([], { secretGenerator: [{ name: 's', literals: { k: 'a'.repeat(60), m: 'line1' } }] });
    const sec = find(out, 'Secret');
    assert.equal(sec.metadata.name, 's-d659227tf9');
    assert.deepEqual(sec.data, { k: 'YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYW\nFhYWFhYWFh\n', m: 'bGluZTE=' });
    // 51 bytes are 68 characters: one line, no newline; 52 bytes are 72: cut, with a final newline.
    const sized = applyOverlay([], { secretGenerator: [{ name: 'a', literals: { x: 'x'.repeat(51) } }, { name: 'b', literals: { x: 'x'.repeat(52) } }, { name: 'c', literals: { x: 'é'.repeat(100) } }] });
    const data = (name: string) => find(sized, 'Secret', sized.find((o) => o.metadata.name.startsWith(`${name}-`))!.metadata.name).data.x as string;
    assert.ok(!data('a').includes('\n') && data('a').length === 68);
    assert.deepEqual(data('b').split('\n').map((l) => l.length), [70, 2, 0]);
    const lines = data('c').split('\n');
    assert.ok(lines.slice(0, -2).every((l) => l.length === 70) && lines.at(-1) === '');
    assert.equal(Buffer.from(data('c'), 'base64').toString('utf8'), 'é'.repeat(100));
  });

  it('hashes Secret stringData when a patch adds it, as kustomize does', () => {
    // kubectl kustomize v5.5.0: s-m9g2t825k7.
    const out = applyOverlay([], { secretGenerator: [{ name: 's', literals: { k: 'v' } }], patches: [{ target: { kind: 'Secret' }, patch: { stringData: { extra: 'hello' } } }] });
    assert.equal(out[0].metadata.name, 's-m9g2t825k7');
  });

  it('refuses generator values with a lone UTF-16 surrogate (no UTF-8 form)', () => {
    assert.throws(() => applyOverlay([], { secretGenerator: [{ name: 's', literals: { k: 'a\uD800b' } }] }), /secretGenerator "s" literals.k: contains a lone UTF-16 surrogate/);
    assert.doesNotThrow(() => applyOverlay([], { configMapGenerator: [{ name: 'c', literals: { k: '\u{1F600}' } }] }));
  });

  it('hashes the data as it is after patches', () => {
    const out = applyOverlay([], {
      configMapGenerator: [{ name: 'g', literals: { k: 'v' } }],
      patches: [{ target: { kind: 'ConfigMap', name: 'g' }, patch: { data: { k: 'patched' } } }],
    });
    assert.equal(out[0].metadata.name, 'g-t5c9d2kg84');
    assert.equal(nameHash(out[0]), 't5c9d2kg84');
  });

  it('merges a generator into a base ConfigMap (behavior merge): data and labels merged, name kept without hash', () => {
    const out = applyOverlay([configMap(), deployment()], {
      configMapGenerator: [{ name: 'web-config', behavior: 'merge', literals: { LEVEL: 'debug', EXTRA: '1' }, options: { labels: { gen: 'yes' } } }],
    });
    const cm = find(out, 'ConfigMap');
    assert.equal(cm.metadata.name, 'web-config');
    assert.deepEqual(cm.data, { LEVEL: 'debug', EXTRA: '1' });
    assert.deepEqual(cm.metadata.labels, { app: 'web', gen: 'yes' });
    assert.equal(podSpec(out).volumes[0].configMap.name, 'web-config');
  });

  it('replaces the data of a base ConfigMap (behavior replace) and keeps its labels', () => {
    const cm = find(applyOverlay([configMap()], { configMapGenerator: [{ name: 'web-config', behavior: 'replace', literals: { ONLY: 'this' } }] }), 'ConfigMap');
    assert.deepEqual([cm.metadata.name, cm.data, cm.metadata.labels], ['web-config', { ONLY: 'this' }, { app: 'web' }]);
  });

  it('refuses to create over an existing name and to merge into nothing', () => {
    assert.throws(
      () => applyOverlay([configMap()], { configMapGenerator: [{ name: 'web-config', literals: { a: '1' } }] }),
      /configMapGenerator "web-config": a ConfigMap named web-config already exists; use behavior merge or replace/,
    );
    assert.throws(
      () => applyOverlay([], { secretGenerator: [{ name: 'creds', behavior: 'merge', literals: { a: '1' } }] }),
      /secretGenerator "creds": behavior merge needs a Secret named creds/,
    );
    assert.throws(() => applyOverlay([], { configMapGenerator: [{ name: 'g', literals: { a: '1' }, files: { a: 'x' } }] }), /key "a" is given twice/);
  });

  it('applies generatorOptions: labels and annotations (generator wins per key), hash disabled by either', () => {
    const out = applyOverlay([], {
      generatorOptions: { labels: { a: 'global', g: '1' }, annotations: { note: 'n' } },
      configMapGenerator: [
        { name: 'one', literals: { k: 'v' }, options: { labels: { a: 'local' }, disableNameSuffixHash: true } },
        { name: 'two', literals: { k: 'v' } },
      ],
    });
    const one = find(out, 'ConfigMap', 'one');
    assert.deepEqual([one.metadata.labels, one.metadata.annotations], [{ a: 'local', g: '1' }, { note: 'n' }]);
    find(out, 'ConfigMap', 'two-bdg947hgcc');
    const none = applyOverlay([], { generatorOptions: { disableNameSuffixHash: true }, configMapGenerator: [{ name: 'x', literals: { k: 'v' } }] });
    assert.equal(none[0].metadata.name, 'x');
  });

  it('gives an empty generated ConfigMap no data field and an empty Secret data: {}', () => {
    const out = applyOverlay([], { generatorOptions: { disableNameSuffixHash: true }, configMapGenerator: [{ name: 'c' }], secretGenerator: [{ name: 's' }] });
    assert.equal('data' in find(out, 'ConfigMap'), false);
    assert.deepEqual(find(out, 'Secret').data, {});
  });
});

describe('applyOverlay: patches', () => {
  const envAndResources = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'FEATURE', value: 'on' }], resources: { requests: { cpu: '500m' }, limits: { memory: null } } }] } } },
  };

  it('merges a strategic-merge patch: env by name (patch entries first), resources merged, null deletes', () => {
    const app = podSpec(applyOverlay(base(), { patches: [{ patch: envAndResources }] })).containers[0];
    assert.deepEqual(app.env, [{ name: 'FEATURE', value: 'on' }, { name: 'LOG', value: 'info' }]);
    // kustomize keeps the emptied limits map.
    assert.deepEqual(app.resources, { requests: { cpu: '500m', memory: '128Mi' }, limits: {} });
    assert.equal(app.image, 'nginx:1.25');
  });

  it('puts patch list elements first, then the base elements it does not mention (as kustomize v5)', () => {
    const out = applyOverlay([deployment()], {
      patches: [{ patch: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy:2' }, { name: 'new', image: 'new:1' }] } } } } }],
    });
    assert.deepEqual(podSpec(out).containers.map((c: any) => c.name), ['sidecar', 'new', 'app']);
  });

  it('honours $patch: delete and $patch: replace, and replaces lists without merge key', () => {
    const spec = podSpec(
      applyOverlay([deployment()], {
        patches: [
          {
            patch: {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: { name: 'web' },
              spec: {
                template: {
                  spec: {
                    containers: [{ name: 'sidecar', $patch: 'delete' }, { name: 'app', env: [{ $patch: 'replace' }, { name: 'ONLY', value: '1' }], envFrom: [{ secretRef: { name: 's' } }] }],
                    initContainers: null,
                  },
                },
              },
            },
          },
        ],
      }),
    );
    assert.deepEqual(spec.containers.map((c: any) => c.name), ['app']);
    assert.deepEqual(spec.containers[0].env, [{ name: 'ONLY', value: '1' }]);
    assert.deepEqual(spec.containers[0].envFrom, [{ secretRef: { name: 's' } }]);
    assert.equal('initContainers' in spec, false);
  });

  it('deletes an object with a top-level $patch: delete', () => {
    const out = applyOverlay(base(), { patches: [{ patch: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, $patch: 'delete' } }] });
    assert.equal(out.some((o) => o.kind === 'Service'), false);
  });

  it('applies a targeted patch to every object selected by kind regex and label selector', () => {
    const sts: KubeObject = { ...deployment(), kind: 'StatefulSet', metadata: { name: 'db', labels: { app: 'db' } } };
    const out = applyOverlay([deployment(), sts, service()], {
      patches: [
        { target: { kind: 'Deployment|StatefulSet' }, patch: { spec: { template: { spec: { priorityClassName: 'high' } } } } },
        { target: { labelSelector: 'app in (db),!canary' }, patch: { metadata: { annotations: { picked: 'yes' } } } },
      ],
    });
    assert.equal(find(out, 'Deployment').spec.template.spec.priorityClassName, 'high');
    assert.equal(find(out, 'StatefulSet').spec.template.spec.priorityClassName, 'high');
    assert.deepEqual(find(out, 'StatefulSet').metadata.annotations, { picked: 'yes' });
    assert.equal(find(out, 'Deployment').metadata.annotations, undefined);
  });

  it('fails when a patch targets nothing', () => {
    assert.throws(
      () => applyOverlay(base(), { patches: [{ patch: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nope' }, spec: { replicas: 1 } } }] }),
      { message: 'patch targets nothing: no object matches {apiVersion: apps/v1, kind: Deployment, name: nope} (patches[0]); check apiVersion, kind and name, or give a target' },
    );
  });

  it('fails when a target selects nothing (deliberately: kustomize would skip the patch silently)', () => {
    assert.throws(
      () => applyOverlay(base(), { patches: [{ target: { kind: 'Deployment', name: 'nope' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 1 }] }] }),
      { message: 'patch targets nothing: no object matches {kind: Deployment, name: nope} (patches[0]); fix the target or remove the patch (kustomize would skip it silently)' },
    );
  });

  it('applies JSON6902 operations, with ~0/~1 escapes and - to append', () => {
    const out = applyOverlay(base(), {
      patches: [
        {
          target: { kind: 'Deployment', name: 'web' },
          patch: [
            { op: 'replace', path: '/spec/replicas', value: 4 },
            { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'NEW', value: '1' } },
            { op: 'remove', path: '/spec/template/spec/containers/1' },
            { op: 'add', path: '/metadata/annotations', value: {} },
            { op: 'add', path: '/metadata/annotations/example.com~1owner', value: 'shop~team' },
            { op: 'test', path: '/spec/replicas', value: 4 },
          ],
        },
      ],
    });
    const d = find(out, 'Deployment');
    assert.equal(d.spec.replicas, 4);
    assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name), ['app']);
    assert.deepEqual(d.spec.template.spec.containers[0].env.at(-1), { name: 'NEW', value: '1' });
    assert.deepEqual(d.metadata.annotations, { 'example.com/owner': 'shop~team' });
  });

  it('refuses a JSON6902 patch without target, and reports a failing operation', () => {
    assert.throws(() => applyOverlay(base(), { patches: [{ patch: [{ op: 'add', path: '/x', value: 1 }] }] }), /patches\[0\]: a JSON6902 patch needs a target/);
    assert.throws(
      () => applyOverlay(base(), { patches: [{ target: { kind: 'Service' }, patch: [{ op: 'test', path: '/spec/type', value: 'NodePort' }] }] }),
      /patches\[0\] on {apiVersion: v1, kind: Service, name: web}: JSON patch test \/spec\/type failed: expected "NodePort", found nothing/,
    );
  });

  it('merges ports by containerPort and protocol as kustomize does: a patch port without protocol is dropped when the base sets one', () => {
    const ports = (p: unknown[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'app', ports: p }] } } } });
    const out = applyOverlay([ports([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81 }]) as KubeObject], {
      patches: [{ patch: ports([{ containerPort: 80, name: 'lost' }, { containerPort: 81, name: 'kept' }, { containerPort: 82, protocol: 'UDP' }]) }],
    });
    assert.deepEqual(podSpec(out).containers[0].ports, [{ containerPort: 82, protocol: 'UDP' }, { containerPort: 80, protocol: 'TCP' }, { containerPort: 81, name: 'kept' }]);
  });

  it('refuses strategic-merge directives kustomize would copy into the object', () => {
    assert.throws(
      () => applyOverlay([deployment()], { patches: [{ target: { kind: 'Deployment' }, patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } } }] }),
      /strategic-merge patch at \/spec\/strategy: directive "\$retainKeys" is not supported/,
    );
  });

  it('keeps kind, name and namespace: a strategic-merge patch cannot rename', () => {
    const d = find(applyOverlay([deployment()], { patches: [{ target: { kind: 'Deployment' }, patch: { kind: 'Deployment', metadata: { name: 'other', namespace: 'x' } } }] }), 'Deployment');
    assert.deepEqual([d.metadata.name, d.metadata.namespace], ['web', undefined]);
  });
});

describe('applyOverlay: namespace', () => {
  it('sets namespaced objects only, renames the Namespace object, and moves RoleBinding subjects', () => {
    const out = applyOverlay([...base(), clusterRole(), namespaceObj(), crd()], { namespace: 'shop-prod' });
    assert.equal(find(out, 'Deployment').metadata.namespace, 'shop-prod');
    assert.equal(find(out, 'ClusterRole').metadata.namespace, undefined);
    assert.equal(find(out, 'CustomResourceDefinition').metadata.namespace, undefined);
    assert.deepEqual(find(out, 'Namespace').metadata, { name: 'shop-prod' });
    assert.deepEqual(find(out, 'RoleBinding').subjects, [
      { kind: 'ServiceAccount', name: 'web', namespace: 'shop-prod' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'shop-prod' },
      { kind: 'User', name: 'alice' },
    ]);
  });

  it('replaces a namespace the object already had', () => {
    const cm = { ...configMap(), metadata: { name: 'web-config', namespace: 'old' } };
    assert.equal(applyOverlay([cm], { namespace: 'new' })[0].metadata.namespace, 'new');
  });
});

describe('applyOverlay: namePrefix and nameSuffix', () => {
  it('renames objects (not Namespaces and CRDs) and rewrites the references', () => {
    const out = applyOverlay([...base(), namespaceObj(), crd(), cronJob()], {
      namePrefix: 'shop-',
      nameSuffix: '-v2',
      configMapGenerator: [{ name: 'web-config', behavior: 'merge', literals: { A: '1' } }],
    });
    assert.equal(find(out, 'Namespace').metadata.name, 'shop');
    assert.equal(find(out, 'CustomResourceDefinition').metadata.name, 'widgets.example.com');
    const spec = podSpec(out, 'shop-web-v2');
    assert.equal(spec.serviceAccountName, 'shop-web-v2');
    assert.equal(spec.containers[0].envFrom[0].configMapRef.name, 'shop-web-config-v2');
    assert.equal(find(out, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name, 'shop-web-v2');
    const ing = find(out, 'Ingress');
    assert.equal(ing.spec.rules[0].http.paths[0].backend.service.name, 'shop-web-v2');
    assert.equal(ing.spec.tls[0].secretName, 'shop-web-tls-v2');
    const rb = find(out, 'RoleBinding');
    assert.equal(rb.roleRef.name, 'shop-web-v2');
    assert.deepEqual(rb.subjects[0], { kind: 'ServiceAccount', name: 'shop-web-v2' });
    assert.equal(find(out, 'CronJob').metadata.name, 'shop-report-v2');
  });

  it('leaves references to objects outside the overlay alone', () => {
    const spec = podSpec(applyOverlay([deployment()], { namePrefix: 'p-' }), 'p-web');
    assert.equal(spec.serviceAccountName, 'web');
    assert.equal(spec.volumes[0].configMap.name, 'web-config');
  });
});

describe('applyOverlay: labels and annotations', () => {
  it('commonLabels go to metadata, selectors and pod templates', () => {
    const out = applyOverlay(base(), { commonLabels: { env: 'prod' } });
    const d = find(out, 'Deployment');
    assert.deepEqual(d.metadata.labels, { app: 'web', env: 'prod' });
    assert.deepEqual(d.spec.selector.matchLabels, { app: 'web', env: 'prod' });
    assert.deepEqual(d.spec.template.metadata.labels, { app: 'web', env: 'prod' });
    assert.deepEqual(find(out, 'Service').spec.selector, { app: 'web', env: 'prod' });
    assert.deepEqual(find(out, 'PodDisruptionBudget').spec.selector.matchLabels, { app: 'web', env: 'prod' });
    assert.deepEqual(find(out, 'ConfigMap').metadata.labels, { app: 'web', env: 'prod' });
  });

  it('labels without selectors go to metadata only; includeTemplates adds pod templates', () => {
    const out = applyOverlay(base(), { labels: [{ pairs: { team: 'shop' } }, { pairs: { tier: 'front' }, includeTemplates: true }] });
    const d = find(out, 'Deployment');
    assert.deepEqual(d.metadata.labels, { app: 'web', team: 'shop', tier: 'front' });
    assert.deepEqual(d.spec.selector.matchLabels, { app: 'web' });
    assert.deepEqual(d.spec.template.metadata.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(find(out, 'Service').spec.selector, { app: 'web' });
  });

  it('labels with includeSelectors behave like commonLabels', () => {
    assert.deepEqual(applyOverlay(base(), { labels: [{ pairs: { env: 'prod' }, includeSelectors: true }] }), applyOverlay(base(), { commonLabels: { env: 'prod' } }));
  });

  it('commonAnnotations go to metadata and pod templates', () => {
    const out = applyOverlay([deployment(), cronJob(), service()], { commonAnnotations: { owner: 'shop' } });
    assert.deepEqual(find(out, 'Deployment').spec.template.metadata.annotations, { owner: 'shop' });
    assert.deepEqual(find(out, 'CronJob').spec.jobTemplate.spec.template.metadata.annotations, { owner: 'shop' });
    assert.deepEqual(find(out, 'Service').metadata.annotations, { owner: 'shop' });
  });
});

describe('applyOverlay: replicas', () => {
  it('matches the original and the prefixed name, and creates the field', () => {
    const sts: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: {} };
    const out = applyOverlay([deployment(), sts], { namePrefix: 'p-', replicas: [{ name: 'web', count: 5 }, { name: 'p-db', count: 3 }] });
    assert.equal(find(out, 'Deployment').spec.replicas, 5);
    assert.equal(find(out, 'StatefulSet').spec.replicas, 3);
  });

  it('fails for a name no workload has', () => {
    assert.throws(() => applyOverlay([deployment(), cronJob()], { replicas: [{ name: 'report', count: 2 }] }), /replicas\[0\]: no Deployment, StatefulSet, ReplicaSet or ReplicationController is named report/);
  });
});

describe('applyOverlay: images', () => {
  it('sets tag, digest and name of containers and initContainers, CronJobs included', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const out = applyOverlay([deployment(), cronJob()], {
      images: [
        { name: 'nginx', newName: 'registry.example.com/nginx', newTag: '1.27' },
        { name: 'busybox', digest },
        { name: 'envoyproxy/envoy', newTag: 'v1.31.0', digest },
      ],
    });
    const spec = podSpec(out);
    assert.deepEqual(spec.containers.map((c: any) => c.image), ['registry.example.com/nginx:1.27', `envoyproxy/envoy:v1.31.0@${digest}`]);
    assert.equal(spec.initContainers[0].image, `busybox@${digest}`);
    assert.equal(find(out, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].image, 'registry.example.com/nginx:1.27');
  });

  it('refuses a rule that matches no image (deliberately stricter than kustomize, which ignores it)', () => {
    assert.throws(() => applyOverlay([deployment()], { images: [{ name: 'ngnix', newTag: '1.27' }] }), (e: Error) => {
      assert.equal(e.name, 'OverlayError');
      assert.match(e.message, /^images\[0\] \(name "ngnix"\): the rule matches no container image \(the images are busybox:1\.36, envoyproxy\/envoy:v1\.30\.1, nginx:1\.25\)/);
      assert.match(e.message, /deliberately stricter than kustomize, which ignores such a rule silently/);
      return true;
    });
    // Rules apply in order: after a rename, the old name matches nothing and the new one does.
    assert.throws(() => applyOverlay([deployment()], { images: [{ name: 'nginx', newName: 'r.example.com/nginx' }, { name: 'nginx', newTag: '2' }] }), /images\[1\] \(name "nginx"\): the rule matches no container image/);
    const out = applyOverlay([deployment()], { images: [{ name: 'nginx', newName: 'r.example.com/nginx' }, { name: 'r.example.com/nginx', newTag: '2' }] });
    assert.equal(podSpec(out).containers[0].image, 'r.example.com/nginx:2');
    assert.throws(() => applyOverlay([service()], { images: [{ name: 'nginx', newTag: '2' }] }), /matches no container image \(there are no containers\)/);
  });

  it('matches the image name exactly (after tag and digest), like kustomize', () => {
    const rule = { name: 'nginx', newTag: '2' };
    assert.equal(rewriteImage('nginx', rule), 'nginx:2');
    assert.equal(rewriteImage(`nginx:1@sha256:${'b'.repeat(64)}`, rule), 'nginx:2');
    assert.equal(rewriteImage('nginxx:1', rule), 'nginxx:1');
    assert.equal(rewriteImage('docker.io/library/nginx:1', rule), 'docker.io/library/nginx:1');
    assert.deepEqual(splitImage('localhost:5000/a/b:1@sha256:x'), { name: 'localhost:5000/a/b', tag: '1', digest: 'sha256:x' });
  });
});

describe('applyJsonPatch', () => {
  it('supports move, copy, negative indices and replace on a missing key (as kustomize)', () => {
    const out = applyJsonPatch({ a: [1, 2, 3], b: { c: 1 } }, [
      { op: 'move', from: '/b/c', path: '/d' },
      { op: 'copy', from: '/a/-1', path: '/e' },
      { op: 'replace', path: '/f', value: 'x' },
      { op: 'remove', path: '/a/0' },
    ]);
    assert.deepEqual(out, { a: [2, 3], b: {}, d: 1, e: 3, f: 'x' });
  });

  it('refuses an add whose parent is missing and an index out of range', () => {
    assert.throws(() => applyJsonPatch({}, [{ op: 'add', path: '/a/b', value: 1 }]), /JSON patch add \/a\/b: the document has no "a" on that path/);
    assert.throws(() => applyJsonPatch({ a: [] }, [{ op: 'add', path: '/a/3', value: 1 }]), /index 3 is out of range/);
  });
});

describe('containerPatch', () => {
  it('builds a targeted strategic-merge patch for one container', () => {
    const patch = containerPatch({ kind: 'Deployment', name: 'web' }, 'app', { env: { FEATURE: 'on', LOG: null }, resources: { limits: { cpu: '1' } } });
    const app = podSpec(applyOverlay([deployment()], { patches: [patch] })).containers[0];
    assert.deepEqual(app.env, [{ name: 'FEATURE', value: 'on' }]);
    assert.deepEqual(app.resources.limits, { memory: '256Mi', cpu: '1' });
    assert.throws(() => containerPatch({ kind: 'Service', name: 'web' }, 'x', {}), /containerPatch: kind Service has no pod template/);
  });
});

describe('toKustomization', () => {
  it('writes the kustomization fields, generator files and inlined patches', () => {
    const { kustomization, files } = toKustomization(
      {
        namespace: 'prod',
        namePrefix: 'p-',
        images: [{ name: 'nginx', newTag: '1.27' }],
        configMapGenerator: [{ name: 'cfg', literals: { A: '1', Q: '"quoted"' }, files: { 'app.properties': 'a=1\n' } }],
        patches: [{ target: { kind: 'Deployment' }, patch: { spec: { replicas: 3 } } }],
      },
      ['../base'],
    );
    assert.equal(kustomization.apiVersion, 'kustomize.config.k8s.io/v1beta1');
    assert.equal(kustomization.kind, 'Kustomization');
    assert.deepEqual(kustomization.resources, ['../base']);
    assert.deepEqual(kustomization.configMapGenerator, [{ name: 'cfg', literals: ['A=1', 'Q=""quoted""'], files: ['app.properties=configmap-0-0-app.properties'] }]);
    assert.deepEqual(files, { 'configmap-0-0-app.properties': 'a=1\n' });
    // A targeted strategic-merge patch gets the kind and name kustomize insists on (and ignores).
    assert.deepEqual(kustomization.patches, [{ target: { kind: 'Deployment' }, patch: 'spec:\n  replicas: 3\nkind: Deployment\nmetadata:\n  name: patch-target\n' }]);
  });
});
