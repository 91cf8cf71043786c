import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expandApplicationSet, ExpandResult } from '../engines/applicationset/expand.js';
import { generateParamSets } from '../engines/applicationset/generators.js';
import { clusterInventory } from '../engines/applicationset/clusters.js';
import { compileSelector } from '../engines/applicationset/selector.js';

/** An Argo CD cluster Secret, as the docs show them (decoded data). */
function secret(name: string, server: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `cluster-${name}`, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...labels }, annotations },
    stringData: { name, server, config: '{"tlsClientConfig":{"insecure":false}}' },
  };
}

function appSet(spec: Record<string, unknown>) {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'guestbook', namespace: 'argocd' }, spec };
}

const GO = { goTemplate: true, goTemplateOptions: ['missingkey=error'] };

/** name -> [server, targetRevision or chart@version, destination namespace] of each generated Application. */
function summary(r: ExpandResult): Record<string, string[]> {
  return Object.fromEntries(
    r.applications.map(({ application: a }) => {
      const spec = a.spec as any;
      const src = spec.source ?? spec.sources[0];
      return [a.metadata.name, [spec.destination.server, src.chart ? `${src.chart}@${src.targetRevision}` : `${src.path}@${src.targetRevision}`, spec.destination.namespace]];
    }),
  );
}

const messages = (r: ExpandResult) => r.problems.map((p) => `${p.path}: ${p.message}`);

// The two clusters of the generator docs: staging at https://1.2.3.4, production at https://2.4.6.8.
const staging = secret('staging', 'https://1.2.3.4', { staging: 'true', environment: 'staging', type: 'staging', 'use-kafka': 'false' }, { 'my-custom-annotation': 'HEAD-staging' });
const production = secret('production', 'https://2.4.6.8', { environment: 'production', type: 'production' });
const docClusters = [staging, production];

const guestbook = {
  metadata: { name: '{{.name}}-guestbook' },
  spec: {
    project: 'my-project',
    source: { repoURL: 'https://github.com/argoproj/argocd-example-apps/', targetRevision: 'HEAD', path: 'guestbook' },
    destination: { server: '{{.server}}', namespace: 'guestbook' },
  },
};

describe('clusters generator', () => {
  // https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Cluster/ ("clusters: {}
  // Automatically use all clusters defined within Argo CD"; "Deploying to the local cluster": the local
  // cluster is targeted too when no Secret has its address)
  it('an empty selector targets every cluster Secret and the local in-cluster cluster', () => {
    const r = expandApplicationSet(appSet({ ...GO, generators: [{ clusters: {} }], template: guestbook }), docClusters);
    assert.deepEqual(summary(r), {
      'in-cluster-guestbook': ['https://kubernetes.default.svc', 'guestbook@HEAD', 'guestbook'],
      'staging-guestbook': ['https://1.2.3.4', 'guestbook@HEAD', 'guestbook'],
      'production-guestbook': ['https://2.4.6.8', 'guestbook@HEAD', 'guestbook'],
    });
    assert.deepEqual(r.problems, []);
  });

  // Same page, "Label selector": matchLabels staging: "true", and the commented matchExpressions form.
  it('a label selector narrows to the matching Secret and excludes the local cluster', () => {
    for (const selector of [{ matchLabels: { staging: 'true' } }, { matchExpressions: [{ key: 'staging', operator: 'In', values: ['true'] }] }]) {
      const r = expandApplicationSet(appSet({ ...GO, generators: [{ clusters: { selector } }], template: guestbook }), docClusters);
      assert.deepEqual(Object.keys(summary(r)), ['staging-guestbook']);
    }
  });

  // Same page, "Pass additional key-value pairs via values field": revision HEAD for type staging, stable
  // for production; values interpolate the cluster's annotations and name.
  it('values are passed as .values, rendered with the cluster\'s parameters', () => {
    const template = {
      metadata: { name: '{{.name}}-guestbook' },
      spec: {
        project: 'my-project',
        source: { repoURL: 'https://github.com/argoproj/argocd-example-apps/', targetRevision: '{{.values.revision}}', path: 'guestbook' },
        destination: { server: '{{.values.clusterName}}', namespace: 'guestbook' },
      },
    };
    const r = expandApplicationSet(
      appSet({
        ...GO,
        generators: [
          { clusters: { selector: { matchLabels: { type: 'staging' } }, values: { revision: '{{index .metadata.annotations "my-custom-annotation"}}', clusterName: '{{.name}}' } } },
          { clusters: { selector: { matchLabels: { type: 'production' } }, values: { revision: 'stable', clusterName: '{{.name}}' } } },
        ],
        template,
      }),
      docClusters,
    );
    assert.deepEqual(summary(r), {
      'staging-guestbook': ['staging', 'guestbook@HEAD-staging', 'guestbook'],
      'production-guestbook': ['production', 'guestbook@stable', 'guestbook'],
    });
  });

  // applicationset/generators/cluster_test.go (TestGenerateParamsGoTemplate, "no label selector"): goTemplate
  // params nest metadata; nameNormalized sanitizes; values cannot read other values.
  it('produces Argo CD\'s goTemplate parameters for a cluster', () => {
    const clusters = clusterInventory([secret('production_01/west', 'https://production-01.example.com', { environment: 'production', org: 'bar' }, { 'foo.argoproj.io': 'production' })], {
      inClusterEnabled: false,
    }).clusters;
    const params = generateParamSets(
      { clusters: { values: { lol1: 'lol', lol2: '{{ .values.lol1 }}{{ .values.lol1 }}', aaa: '{{ .server }}' } } },
      { clusters, goTemplate: true, missingKey: 'invalid' },
    );
    assert.deepEqual(JSON.parse(JSON.stringify(params)), [
      {
        name: 'production_01/west',
        nameNormalized: 'production-01-west',
        server: 'https://production-01.example.com',
        project: '',
        metadata: {
          annotations: { 'foo.argoproj.io': 'production' },
          labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'production', org: 'bar' },
        },
        values: { aaa: 'https://production-01.example.com', lol1: 'lol', lol2: '<no value><no value>' },
      },
    ]);
  });

  it('fails when a value reads another value under missingkey=error, naming the cluster', () => {
    const r = expandApplicationSet(appSet({ ...GO, generators: [{ clusters: { selector: { matchLabels: { type: 'staging' } }, values: { a: 'x', b: '{{.values.a}}' } } }], template: guestbook }), docClusters);
    assert.deepEqual(messages(r), [
      'spec.generators[0].clusters.values.b: cluster "staging": failed to replace templated string: template: :1:9: executing "" at <.values.a>: map has no entry for key "values" (values are rendered with the cluster\'s name, server and metadata, before values exist) (no parameter "values" in this parameter set: every param set must provide it under missingkey=error)',
    ]);
  });

  it('fails when a selector matches no cluster', () => {
    const r = expandApplicationSet(appSet({ ...GO, generators: [{ clusters: { selector: { matchLabels: { environment: 'qa' } } } }], template: guestbook }), docClusters);
    assert.deepEqual(messages(r), ['spec.generators[0].clusters: selector {"matchLabels":{"environment":"qa"}} matches no cluster: label a cluster Secret to match it, or remove the generator']);
  });
});

describe('label selectors', () => {
  const labels = { environment: 'prod', workloads: 'true' };
  it('matchLabels AND every expression; NotIn and DoesNotExist hold for an absent key', () => {
    const s = (sel: unknown) => compileSelector(sel).matches(labels);
    assert.equal(s({ matchLabels: { workloads: 'true' }, matchExpressions: [{ key: 'environment', operator: 'In', values: ['staging', 'prod'] }] }), true);
    assert.equal(s({ matchLabels: { workloads: 'true' }, matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['prod'] }] }), false);
    assert.equal(s({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }, { key: 'tier', operator: 'DoesNotExist' }] }), true);
    assert.equal(s({ matchExpressions: [{ key: 'environment', operator: 'Exists' }] }), true);
    assert.equal(s({}), true);
  });

  it('fails when the operator is unknown, In has no values, or a value is an unrendered template', () => {
    assert.throws(() => compileSelector({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }), /matchExpressions\[0\]\.operator: "Equals" is not a valid label selector operator/);
    assert.throws(() => compileSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /for 'in', 'notin' operators, values set can't be empty/);
    assert.throws(() => compileSelector({ matchLabels: { environment: '{{.environment}}' } }), /matchLabels\[environment\]: Invalid value: "\{\{\.environment\}\}"/);
  });
});

describe('merge generator', () => {
  // https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Merge/ ("Base Cluster
  // generator + override Cluster generator + List generator", without goTemplate). The documented output
  // lists only the two Secret clusters, so the local cluster is switched off.
  it('overrides the base parameters where the merge keys match, in generator order (documented output)', () => {
    const r = expandApplicationSet(
      appSet({
        generators: [
          {
            merge: {
              mergeKeys: ['server'],
              generators: [
                { clusters: { values: { kafka: 'true', redis: 'false' } } },
                { clusters: { selector: { matchLabels: { 'use-kafka': 'false' } }, values: { kafka: 'false' } } },
                { list: { elements: [{ server: 'https://2.4.6.8', 'values.redis': 'true' }] } },
              ],
            },
          },
        ],
        template: {
          metadata: { name: '{{name}}' },
          spec: {
            project: '{{metadata.labels.environment}}',
            source: {
              repoURL: 'https://github.com/argoproj/argo-cd.git',
              targetRevision: 'HEAD',
              path: 'app',
              helm: { parameters: [{ name: 'kafka', value: '{{values.kafka}}' }, { name: 'redis', value: '{{values.redis}}' }] },
            },
            destination: { server: '{{server}}', namespace: 'default' },
          },
        },
      }),
      docClusters,
      { inClusterEnabled: false },
    );
    const params = Object.fromEntries(r.applications.map(({ application: a }) => [a.metadata.name, [(a.spec as any).project, ...(a.spec as any).source.helm.parameters.map((p: any) => `${p.name}=${p.value}`)]]));
    assert.deepEqual(params, { staging: ['staging', 'kafka=false', 'redis=false'], production: ['production', 'kafka=true', 'redis=true'] });
    assert.deepEqual(r.problems, []);
  });

  it('with goTemplate, merges the values maps of base and override (how add-on version pins work)', () => {
    const r = expandApplicationSet(
      appSet({
        ...GO,
        generators: [
          {
            merge: {
              mergeKeys: ['server'],
              generators: [
                { clusters: { selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } }, values: { version: '1.0.0', channel: 'stable' } } },
                { clusters: { selector: { matchLabels: { environment: 'staging' } }, values: { version: '1.1.0' } } },
              ],
            },
          },
        ],
        template: { ...guestbook, spec: { ...guestbook.spec, source: { repoURL: 'https://charts.example.com', chart: 'app-{{.values.channel}}', targetRevision: '{{.values.version}}' } } },
      }),
      docClusters,
    );
    assert.deepEqual(summary(r), {
      'staging-guestbook': ['https://1.2.3.4', 'app-stable@1.1.0', 'guestbook'],
      'production-guestbook': ['https://2.4.6.8', 'app-stable@1.0.0', 'guestbook'],
    });
  });

  // Same page, "Use value interpolation in merge" with mergeKeys [values.selector]: with goTemplate a merge
  // key is a top-level parameter name (argoproj/argo-cd#12836, #18428), so every set has the key null.
  it('fails when goTemplate merge keys name a nested value: every param set has the same (null) key', () => {
    const r = expandApplicationSet(
      appSet({
        ...GO,
        generators: [
          {
            merge: {
              mergeKeys: ['values.selector'],
              generators: [{ clusters: { values: { selector: '{{ .name }}' } } }, { list: { elements: [{ values: { selector: 'staging' } }] } }],
            },
          },
        ],
        template: guestbook,
      }),
      docClusters,
      { inClusterEnabled: false },
    );
    assert.deepEqual(messages(r), [
      'spec.generators[0].merge.generators[0]: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was {"values.selector":null} (with goTemplate a merge key is a top-level parameter name: "a.b" is not looked up inside a, see argoproj/argo-cd#12836)',
    ]);
  });

  it('fails when mergeKeys is empty or there is only one generator', () => {
    const one = expandApplicationSet(appSet({ ...GO, generators: [{ merge: { mergeKeys: ['server'], generators: [{ clusters: {} }] } }], template: guestbook }), docClusters);
    assert.deepEqual(messages(one), ['spec.generators[0].merge.generators: found less than two generators, Merge requires two or more']);
    const none = expandApplicationSet(appSet({ ...GO, generators: [{ merge: { mergeKeys: [], generators: [{ clusters: {} }, { clusters: {} }] } }], template: guestbook }), docClusters);
    assert.deepEqual(messages(none), ['spec.generators[0].merge.mergeKeys: no merge keys were specified, Merge requires at least one']);
  });
});

describe('matrix generator', () => {
  // https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Matrix/ ("Git Directory
  // generator + Cluster generator"). The plan has no Git, so a list generator gives the two directories the
  // Git generator finds, with its goTemplate parameter shape (path.path, path.basename).
  it('combines every parameter set of the first child with every one of the second (documented output)', () => {
    const r = expandApplicationSet(
      appSet({
        ...GO,
        generators: [
          {
            matrix: {
              generators: [
                {
                  list: {
                    elements: [
                      { path: { path: '/examples/git-generator-directory/cluster-addons/argo-workflows', basename: 'argo-workflows' } },
                      { path: { path: '/examples/git-generator-directory/cluster-addons/prometheus-operator', basename: 'prometheus-operator' } },
                    ],
                  },
                },
                { clusters: { selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } } } },
              ],
            },
          },
        ],
        template: {
          metadata: { name: '{{.path.basename}}-{{.name}}' },
          spec: {
            project: '{{index .metadata.labels "environment"}}',
            source: { repoURL: 'https://github.com/argoproj/argo-cd.git', targetRevision: 'HEAD', path: '{{.path.path}}' },
            destination: { server: '{{.server}}', namespace: '{{.path.basename}}' },
          },
        },
      }),
      docClusters,
    );
    assert.deepEqual(summary(r), {
      'argo-workflows-staging': ['https://1.2.3.4', '/examples/git-generator-directory/cluster-addons/argo-workflows@HEAD', 'argo-workflows'],
      'argo-workflows-production': ['https://2.4.6.8', '/examples/git-generator-directory/cluster-addons/argo-workflows@HEAD', 'argo-workflows'],
      'prometheus-operator-staging': ['https://1.2.3.4', '/examples/git-generator-directory/cluster-addons/prometheus-operator@HEAD', 'prometheus-operator'],
      'prometheus-operator-production': ['https://2.4.6.8', '/examples/git-generator-directory/cluster-addons/prometheus-operator@HEAD', 'prometheus-operator'],
    });
    assert.deepEqual(r.applications.map((a) => (a.application.spec as any).project).sort(), ['production', 'production', 'staging', 'staging']);
  });

  // Same page, "Using Parameters from one child generator in another child generator": the cluster
  // selector uses {{.path.basename}} from the first child (again a list standing in for Git files).
  it('renders the second child with each parameter set of the first (documented output), and reports a set that selects nothing', () => {
    const clusters = [secret('dev-cluster', 'https://dev.example.com', { 'kubernetes.io/environment': 'dev' }), secret('prod-cluster', 'https://prod.example.com', { 'kubernetes.io/environment': 'prod' })];
    const r = expandApplicationSet(
      appSet({
        ...GO,
        generators: [
          {
            matrix: {
              generators: [
                { list: { elements: [{ path: { basename: 'dev' } }, { path: { basename: 'prod' } }, { path: { basename: 'qa' } }] } },
                { clusters: { selector: { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster', 'kubernetes.io/environment': '{{.path.basename}}' } } } },
              ],
            },
          },
        ],
        template: guestbook,
      }),
      clusters,
    );
    assert.deepEqual(Object.keys(summary(r)), ['dev-cluster-guestbook', 'prod-cluster-guestbook']);
    assert.deepEqual(messages(r), [
      'spec.generators[0].matrix.generators[1].clusters: selector {"matchLabels":{"argocd.argoproj.io/secret-type":"cluster","kubernetes.io/environment":"qa"}} (interpolated with path.basename=qa) matches no cluster: label a cluster Secret to match it, or remove the generator',
    ]);
  });

  // Same page, "Overriding parameters from one child generator in another child generator": stage values
  // (first child) win over global values (second child); the documented results.
  it('the first child\'s parameters win where both children set one (documented output)', () => {
    const params = generateParamSets(
      {
        matrix: {
          generators: [
            { list: { elements: [{ stageName: 'test', cpuRequest: '100m', debugEnabled: true }, { stageName: 'staging' }, { stageName: 'production', memoryLimit: '512Mi', debugEnabled: false }] } },
            { list: { elements: [{ cpuRequest: '200m', memoryLimit: '256Mi', debugEnabled: true }] } },
          ],
        },
      },
      { clusters: [], goTemplate: true, missingKey: 'error' },
    );
    assert.deepEqual(params, [
      { stageName: 'test', cpuRequest: '100m', memoryLimit: '256Mi', debugEnabled: true },
      { stageName: 'staging', cpuRequest: '200m', memoryLimit: '256Mi', debugEnabled: true },
      { stageName: 'production', cpuRequest: '200m', memoryLimit: '512Mi', debugEnabled: false },
    ]);
  });

  // Same page, "Example: Two Git Generators Using pathParamPrefix": without goTemplate, identical keys with
  // different values fail.
  it('fails without goTemplate when the children give one key different values', () => {
    assert.throws(
      () => generateParamSets({ matrix: { generators: [{ list: { elements: [{ path: 'a' }] } }, { list: { elements: [{ path: 'b' }] } }] } }, { clusters: [], goTemplate: false, missingKey: 'invalid' }),
      /found duplicate key path with different value, a: a ,b: b/,
    );
  });

  it('fails when a matrix has three children, or combinations nest twice', () => {
    const list = { list: { elements: [{ a: 'x' }] } };
    assert.throws(() => generateParamSets({ matrix: { generators: [list, list, list] } }, { clusters: [], goTemplate: true, missingKey: 'error' }), /found more than two generators, Matrix support only two/);
    assert.throws(
      () => generateParamSets({ matrix: { generators: [list, { matrix: { generators: [list, { matrix: { generators: [list, list] } }] } }] } }, { clusters: [], goTemplate: true, missingKey: 'error' }),
      /child generator generated no parameters \(matrix and merge generators can be nested only once\)/,
    );
  });

  it('fails when the second child\'s values read cluster parameters: they are rendered with the first child\'s first', () => {
    const r = expandApplicationSet(
      appSet({ ...GO, generators: [{ matrix: { generators: [{ list: { elements: [{ app: 'a' }] } }, { clusters: { values: { cluster: '{{.name}}' } } }] } }], template: guestbook }),
      docClusters,
    );
    assert.deepEqual(messages(r), [
      'spec.generators[0].matrix.generators[1].clusters.values.cluster: failed to replace parameters in generator: template: :1:2: executing "" at <.name>: map has no entry for key "name" (interpolated with app=a) (no parameter "name" in this parameter set: every param set must provide it under missingkey=error)',
    ]);
  });
});

describe('list generator', () => {
  // https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-List/ (without goTemplate)
  it('gives each element\'s keys as parameters (documented example)', () => {
    const r = expandApplicationSet(
      appSet({
        generators: [{ list: { elements: [{ cluster: 'engineering-dev', url: 'https://kubernetes.default.svc' }] } }],
        template: {
          metadata: { name: '{{cluster}}-guestbook' },
          spec: {
            project: 'my-project',
            source: { repoURL: 'https://github.com/argoproj/argo-cd.git', targetRevision: 'HEAD', path: 'applicationset/examples/list-generator/guestbook/{{cluster}}' },
            destination: { server: '{{url}}', namespace: 'guestbook' },
          },
        },
      }),
      [],
    );
    assert.deepEqual(summary(r), { 'engineering-dev-guestbook': ['https://kubernetes.default.svc', 'applicationset/examples/list-generator/guestbook/engineering-dev@HEAD', 'guestbook'] });
    assert.equal(r.applications[0].application.metadata.namespace, 'argocd');
  });

  // https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/GoTemplate/ ("Basic Go template usage")
  it('with goTemplate, renders one Application per element (documented example)', () => {
    const r = expandApplicationSet(
      appSet({
        ...GO,
        generators: [
          {
            list: {
              elements: [
                { cluster: 'engineering-dev', url: 'https://1.2.3.4' },
                { cluster: 'engineering-prod', url: 'https://2.4.6.8' },
                { cluster: 'finance-preprod', url: 'https://9.8.7.6' },
              ],
            },
          },
        ],
        template: {
          metadata: { name: '{{.cluster}}-guestbook' },
          spec: {
            project: 'my-project',
            source: { repoURL: 'https://github.com/infra-team/cluster-deployments.git', targetRevision: 'HEAD', path: 'guestbook/{{.cluster}}' },
            destination: { server: '{{.url}}', namespace: 'guestbook' },
          },
        },
      }),
      [],
    );
    assert.deepEqual(summary(r), {
      'engineering-dev-guestbook': ['https://1.2.3.4', 'guestbook/engineering-dev@HEAD', 'guestbook'],
      'engineering-prod-guestbook': ['https://2.4.6.8', 'guestbook/engineering-prod@HEAD', 'guestbook'],
      'finance-preprod-guestbook': ['https://9.8.7.6', 'guestbook/finance-preprod@HEAD', 'guestbook'],
    });
  });

  // Generators-List, "Dynamically generated elements": elementsYaml from the first matrix child, here a list
  // element holding the content of list-elementsYaml-example.yaml instead of the Git file.
  it('elementsYaml adds the elements of a YAML list rendered from the first matrix child (documented example)', () => {
    const components = [
      { name: 'component1', chart: 'podinfo', version: '6.3.2', releaseName: 'component1', repoUrl: 'https://stefanprodan.github.io/podinfo', namespace: 'component1' },
      { name: 'component2', chart: 'podinfo', version: '6.3.3', releaseName: 'component2', repoUrl: 'ghcr.io/stefanprodan/charts', namespace: 'component2' },
    ];
    const r = expandApplicationSet(
      appSet({
        ...GO,
        generators: [{ matrix: { generators: [{ list: { elements: [{ key: { components } }] } }, { list: { elements: [], elementsYaml: '{{ .key.components | toJson }}' } }] } }],
        template: {
          metadata: { name: '{{.name}}' },
          spec: {
            project: 'default',
            sources: [{ chart: '{{.chart}}', repoURL: '{{.repoUrl}}', targetRevision: '{{.version}}', helm: { releaseName: '{{.releaseName}}' } }],
            destination: { server: 'https://kubernetes.default.svc', namespace: '{{.namespace}}' },
          },
        },
      }),
      [],
    );
    assert.deepEqual(summary(r), {
      component1: ['https://kubernetes.default.svc', 'podinfo@6.3.2', 'component1'],
      component2: ['https://kubernetes.default.svc', 'podinfo@6.3.3', 'component2'],
    });
  });

  it('fails when two elements generate one Application name', () => {
    const spec = { ...guestbook.spec, destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' } };
    const r = expandApplicationSet(appSet({ ...GO, generators: [{ list: { elements: [{ a: '1' }, { a: '2' }] } }], template: { metadata: { name: 'same' }, spec } }), []);
    assert.deepEqual(messages(r), [
      'spec.template.metadata.name: ApplicationSet guestbook contains applications with duplicate name: same: make the name template include what tells the parameter sets apart (the cluster, the app)',
    ]);
    assert.equal(r.applications.length, 1);
  });
});
