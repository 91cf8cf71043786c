/**
 * Issue #19 part 7: the per add-on escape hatches of the GitOps Bridge v2 chart (templatePatch,
 * ignoreApplicationDifferences, extra sources): rendered into the add-on's ApplicationSet, checked by
 * validation, and evaluated by the plan's ApplicationSet engine as Argo CD v3.5.1 does, with Argo CD's own
 * test vectors (applicationset/controllers/template/patch_test.go, test/e2e/applicationset_test.go
 * TestTemplatePatch, docs/operator-manual/applicationset/Template.md "Template Patch").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, validateFleet } from '../charts/index.js';
import { AddonDefinition } from '../charts/model/addon.js';
import { templatePatchSetsProject } from '../charts/validate/catalog.js';
import { expandApplicationSet } from '../engines/applicationset/expand.js';
import { applyTemplatePatch, parseTemplatePatch, patchApplication, TemplatePatchError } from '../engines/applicationset/template-patch.js';
import { planFleet } from '../render/plan/plan.js';
import { renderTree } from '../render/render.js';
import { fleetOutputs } from '../charts/index.js';
import { exampleFleet, objects, render, withSpec, fleetCopy } from './support/fleet.js';
import { crdsAvailable, CRDS_DIR, schemaProblems } from './support/schemas.js';

const ADDON = 'cert-manager';
const PROD_PATCH = `{{- if eq .metadata.labels.environment "prod" }}
spec:
  syncPolicy:
    automated: null
{{- end }}
`;
const EXTRA_GIT = 'https://github.com/example-org/platform-extras.git';
const EXTRA_HELM = 'https://charts.example.com/stable';

const withHatches = (hatches: Partial<AddonDefinition>): AddonDefinition[] =>
  ADDON_CATALOG.map((a) => (a.name === ADDON ? { ...a, ...hatches } : a));

const HATCHES: Partial<AddonDefinition> = {
  templatePatch: PROD_PATCH,
  ignoreApplicationDifferences: [{ jsonPointers: ['/spec/syncPolicy'] }, { name: 'cert-manager-hub', jqPathExpressions: ['.spec.sources[1].helm.valuesObject'] }],
  extraSources: [
    { repoUrl: EXTRA_GIT, targetRevision: 'v1.2.0', path: 'cert-manager/extras', directory: { recurse: true } },
    { repoUrl: EXTRA_HELM, targetRevision: '0.4.1', chart: 'issuer-bundle', helm: { releaseName: 'issuers', valuesObject: { acme: true } } },
  ],
};
const catalog = withHatches(HATCHES);
const files = render(exampleFleet, catalog);
const appset = objects(files).find((o) => o.obj.kind === 'ApplicationSet' && o.obj.metadata.name === `addon-${ADDON}`)!.obj;
const secrets = objects(files).filter((o) => o.obj.kind === 'Secret' && o.obj.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster').map((o) => o.obj);

describe('add-on escape hatches: rendering', () => {
  it('renders each hatch into the add-on ApplicationSet', () => {
    assert.equal(appset.spec.templatePatch, PROD_PATCH);
    assert.deepEqual(appset.spec.ignoreApplicationDifferences, HATCHES.ignoreApplicationDifferences);
    const sources = appset.spec.template.spec.sources;
    assert.deepEqual(sources.slice(-2), [
      { repoURL: EXTRA_GIT, targetRevision: 'v1.2.0', path: 'cert-manager/extras', directory: { recurse: true } },
      { repoURL: EXTRA_HELM, targetRevision: '0.4.1', chart: 'issuer-bundle', helm: { releaseName: 'issuers', valuesObject: { acme: true } } },
    ]);
    assert.equal(sources[0].ref, 'values', 'the values and chart sources come first');
  });

  it('passes the pinned ApplicationSet CRD schema', (t) => {
    if (!crdsAvailable()) return t.skip(`CRDs not found at ${CRDS_DIR}`);
    assert.deepEqual(schemaProblems(appset), []);
  });

  it('permits the extra sources\' repositories in the add-ons AppProject', () => {
    const project = objects(files).find((o) => o.obj.kind === 'AppProject' && o.obj.metadata.name === 'addons')!.obj;
    for (const url of [EXTRA_GIT, EXTRA_HELM]) assert.ok(project.spec.sourceRepos.includes(url), url);
  });

  it('renders nothing new for an add-on without hatches', () => {
    const plain = objects(render()).find((o) => o.obj.kind === 'ApplicationSet' && o.obj.metadata.name === `addon-${ADDON}`)!.obj;
    assert.equal(plain.spec.templatePatch, undefined);
    assert.equal(plain.spec.ignoreApplicationDifferences, undefined);
    assert.equal(plain.spec.template.spec.sources.length, appset.spec.template.spec.sources.length - 2);
  });
});

describe('add-on escape hatches: validation', () => {
  const problemsOf = (hatches: Partial<AddonDefinition>) =>
    validateFleet(withSpec(fleetCopy()), withHatches(hatches)).filter((p) => p.path.startsWith('ADDON_CATALOG'));
  const index = ADDON_CATALOG.findIndex((a) => a.name === ADDON);
  const at = `ADDON_CATALOG[${index}]`;

  it('accepts the hatches above', () => assert.deepEqual(problemsOf(HATCHES), []));

  const rows: Array<[string, Partial<AddonDefinition>, string, RegExp]> = [
    ['empty templatePatch', { templatePatch: '  ' }, 'templatePatch', /non-empty string/],
    ['templatePatch that does not parse', { templatePatch: 'spec: {{ .name ' }, 'templatePatch', /does not parse as a Go template/],
    ['templatePatch setting the project', { templatePatch: 'spec:\n  project: default\n' }, 'templatePatch', /sets spec.project, which Argo CD resets to the template's/],
    ['templatePatch setting the project in a branch', { templatePatch: '{{ if .name }}\nspec:\n  project: "{{ .name }}"\n{{ end }}' }, 'templatePatch', /sets spec.project/],
    ['an entry that ignores nothing', { ignoreApplicationDifferences: [{ name: 'x' }] }, 'ignoreApplicationDifferences[0]', /ignores nothing/],
    ['a JSON pointer without /', { ignoreApplicationDifferences: [{ jsonPointers: ['spec/syncPolicy'] }] }, 'ignoreApplicationDifferences[0].jsonPointers[0]', /starts with '\/'/],
    ['an extra source with no path, chart or ref', { extraSources: [{ repoUrl: EXTRA_GIT, targetRevision: 'main' }] }, 'extraSources[0]', /needs path .*chart .*ref/],
    ['an extra source with path and chart', { extraSources: [{ repoUrl: EXTRA_HELM, targetRevision: '1.0.0', path: 'x', chart: 'y' }] }, 'extraSources[0].chart', /not both/],
    ['an extra chart from an OCI registry', { extraSources: [{ repoUrl: 'public.ecr.aws/org', targetRevision: '1.0.0', chart: 'y' }] }, 'extraSources[0].repoUrl', /https:\/\/ Helm repository/],
    ['an extra chart with a version range', { extraSources: [{ repoUrl: EXTRA_HELM, targetRevision: '^1.0', chart: 'y' }] }, 'extraSources[0].targetRevision', /exact chart version/],
    ['an extra Git source with a glob URL', { extraSources: [{ repoUrl: 'https://github.com/org/*', targetRevision: 'main', path: 'x' }] }, 'extraSources[0].repoUrl', /Git repository URL/],
    ['an extra source reusing the values ref', { extraSources: [{ repoUrl: EXTRA_GIT, targetRevision: 'main', ref: 'values' }] }, 'extraSources[0].ref', /already a ref/],
    ['an extra source with a bad ref', { extraSources: [{ repoUrl: EXTRA_GIT, targetRevision: 'main', ref: 'my.values' }] }, 'extraSources[0].ref', /letters, digits/],
    ['an extra source with an empty revision', { extraSources: [{ repoUrl: EXTRA_GIT, targetRevision: '', path: 'x' }] }, 'extraSources[0].targetRevision', /not a Git revision/],
    ['kustomize options on a chart', { extraSources: [{ repoUrl: EXTRA_HELM, targetRevision: '1.0.0', chart: 'y', kustomize: { namePrefix: 'a-' } }] }, 'extraSources[0].kustomize', /apply to a Git path/],
  ];
  for (const [what, hatches, field, message] of rows) {
    it(`refuses ${what}, with file and field`, () => {
      const found = problemsOf(hatches);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0].path, `${at}.${field}`);
      assert.match(found[0].message, message);
      assert.match(found[0].file, /^charts\/addons\//);
    });
  }

  it('finds spec.project in YAML, flow and JSON patches, and not elsewhere', () => {
    assert.equal(templatePatchSetsProject('spec: { project: x }'), true);
    assert.equal(templatePatchSetsProject('{"spec": {"project": "{{ .name }}"}}'), true);
    assert.equal(templatePatchSetsProject('spec:\n  source:\n    helm:\n      valuesObject:\n        project: x\n'), false);
    assert.equal(templatePatchSetsProject('metadata:\n  labels:\n    project: x\n'), false);
    assert.equal(templatePatchSetsProject(PROD_PATCH), false);
  });
});

describe('add-on escape hatches: the plan evaluates templatePatch per cluster', () => {
  it('removes automated sync on prod clusters only, and keeps the rest of syncPolicy', () => {
    const out = expandApplicationSet(appset, secrets);
    assert.deepEqual(out.problems, []);
    assert.ok(out.applications.length >= 2);
    const envs = new Set<string>();
    for (const { application, params } of out.applications) {
      const env = (params.metadata as any).labels.environment as string;
      envs.add(env);
      const sync = application.spec.syncPolicy as any;
      assert.equal(sync.automated === undefined, env === 'prod', `${application.metadata.name} (${env})`);
      assert.ok(sync.syncOptions.includes('CreateNamespace=true'));
      assert.equal(application.spec.project, 'addons');
    }
    assert.ok(envs.has('prod') && envs.size > 1, `clusters of several environments run ${ADDON}: ${[...envs]}`);
  });

  it('plans the patched ApplicationSet without problems; a $patch directive is refused as unsupported', () => {
    const clean = planFleet(renderTree(fleetOutputs(exampleFleet, { catalog })).objects);
    assert.deepEqual(clean.problems.filter((p) => p.object === `ApplicationSet/addon-${ADDON}`), []);
    const broken = structuredClone(appset);
    broken.spec.templatePatch = 'spec:\n  syncPolicy:\n    $patch: replace\n    syncOptions: []\n';
    const out = expandApplicationSet(broken, secrets);
    assert.ok(out.problems.length > 0);
    for (const p of out.problems) {
      assert.equal(p.path, 'spec.templatePatch');
      assert.equal(p.unsupported, true);
      assert.match(p.message, /directive \$patch/);
    }
    assert.equal(out.applications.length, 0, 'an Application the plan cannot evaluate is not listed');
  });

  it('keeps the template\'s project whatever the patch says', () => {
    const sneaky = structuredClone(appset);
    sneaky.spec.templatePatch = 'spec:\n  project: default\n  destination:\n    namespace: elsewhere\n';
    const out = expandApplicationSet(sneaky, secrets);
    assert.deepEqual(out.problems, []);
    for (const { application } of out.applications) {
      assert.equal(application.spec.project, 'addons');
      assert.equal((application.spec.destination as any).namespace, 'elsewhere');
    }
  });

  it('reports a patch that fails to render as Argo CD would (RenderTemplateParamsError), per cluster', () => {
    const bad = structuredClone(appset);
    bad.spec.templatePatch = 'metadata:\n  annotations:\n    team: "{{ .metadata.labels.no_such_label }}"\n';
    const out = expandApplicationSet(bad, secrets);
    assert.ok(out.problems.length > 0);
    for (const p of out.problems) {
      assert.equal(p.path, 'spec.templatePatch');
      assert.notEqual(p.unsupported, true);
      assert.match(p.message, /^cluster "[^"]+": error replacing values in templatePatch: .*no_such_label/);
    }
  });
});

describe('template-patch engine: Argo CD v3.5.1 vectors', () => {
  // patch_test.go Test_ApplyTemplatePatch: the template Application of every case.
  const template = (finalizers = true) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'my-cluster-guestbook', namespace: 'namespace', ...(finalizers ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}) },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
    },
  });
  const patched = () => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'my-cluster-guestbook', namespace: 'namespace', finalizers: ['resources-finalizer.argocd.argoproj.io'], annotations: { 'annotation-some-key': 'annotation-some-value' } },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/argoproj/argocd-example-apps.git',
        targetRevision: 'HEAD',
        path: 'guestbook',
        helm: { valueFiles: ['values.test.yaml', 'values.big.yaml'] },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      syncPolicy: { automated: { prune: true } },
    },
  });

  it('patch with JSON', () => {
    const patch = `{
				"metadata": {
					"annotations": {
						"annotation-some-key": "annotation-some-value"
					}
				},
				"spec": {
					"source": {
						"helm": {
							"valueFiles": [
								"values.test.yaml",
								"values.big.yaml"
							]
						}
					},
					"syncPolicy": {
						"automated": {
							"prune": true
						}
					}
				}
			}`;
    assert.deepEqual(applyTemplatePatch(template(), parseTemplatePatch(patch)), patched());
  });

  it('patch with YAML', () => {
    const patch = `
metadata:
  annotations:
    annotation-some-key: annotation-some-value
spec:
  source:
    helm:
      valueFiles:
        - values.test.yaml
        - values.big.yaml
  syncPolicy:
    automated:
      prune: true`;
    assert.deepEqual(applyTemplatePatch(template(), parseTemplatePatch(patch)), patched());
  });

  it('project field isn\'t overwritten', () => {
    assert.deepEqual(applyTemplatePatch(template(false), parseTemplatePatch('\nspec:\n  project: my-project')), template(false));
  });

  it('TestError: "hello world" is not an Application', () => {
    assert.throws(() => applyTemplatePatch({}, parseTemplatePatch('hello world')), (e) => e instanceof TemplatePatchError && !e.unsupported);
  });

  it('e2e TestTemplatePatch: a JSON patch with range and if, from a list generator', () => {
    const appSet = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'patch-test', namespace: 'argocd' },
      spec: {
        goTemplate: true,
        template: {
          metadata: { name: '{{.cluster}}-guestbook' },
          spec: {
            project: 'default',
            source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' },
            destination: { server: '{{.url}}', namespace: 'guestbook' },
          },
        },
        templatePatch: `{
		"metadata": {
			"annotations": {
				{{- range $k, $v := .annotations }}
				"{{ $k }}": "{{ $v }}"
				{{- end }}
			}
		},
		{{- if .createNamespace }}
		"spec": {
			"syncPolicy": {
				"syncOptions": [
					"CreateNamespace=true"
				]
			}
		}
		{{- end }}
	}
	`,
        generators: [{ list: { elements: [{ cluster: 'my-cluster', url: 'https://kubernetes.default.svc', createNamespace: true, annotations: { 'annotation-some-key': 'annotation-some-value' } }] } }],
      },
    };
    // `range $k, $v := ...`: variables are beyond the plan's Go-template engine: refused, never guessed.
    const refusedRun = expandApplicationSet(appSet, []);
    assert.equal(refusedRun.applications.length, 0);
    assert.ok(refusedRun.problems.length === 1 && refusedRun.problems[0].unsupported && /variables are not supported/.test(refusedRun.problems[0].message));
    // The same patch with the annotations written by toJson instead of a range gives Argo CD's expected Application.
    const { templatePatch } = appSet.spec;
    const same = { ...appSet, spec: { ...appSet.spec, templatePatch: templatePatch.replace(/\{\n(\s*)\{\{- range [\s\S]*?\{\{- end \}\}\n\s*\}/, '{{ toJson .annotations }}') } };
    assert.notEqual(same.spec.templatePatch, templatePatch);
    const out = expandApplicationSet(same, []);
    assert.deepEqual(out.problems, []);
    const app = out.applications[0].application;
    assert.deepEqual(app.metadata, { name: 'my-cluster-guestbook', namespace: 'argocd', annotations: { 'annotation-some-key': 'annotation-some-value' } });
    assert.deepEqual(app.spec, {
      project: 'default',
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    });
  });

  it('the documented example: value files from a list, automated sync by a parameter', () => {
    const appSet = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'guestbook', namespace: 'argocd' },
      spec: {
        goTemplate: true,
        generators: [{ list: { elements: [
          { cluster: 'engineering-dev', url: 'https://kubernetes.default.svc', autoSync: true, prune: true, valueFiles: ['values.large.yaml', 'values.debug.yaml'] },
          { cluster: 'engineering-prod', url: 'https://kubernetes.default.svc', autoSync: false, prune: false, valueFiles: [] },
        ] } }],
        template: {
          metadata: { name: '{{ .cluster }}-deployment' },
          spec: {
            project: 'default',
            source: { repoURL: 'https://github.com/infra-team/cluster-deployments.git', targetRevision: 'HEAD', path: 'guestbook/{{ .cluster }}' },
            destination: { server: '{{ .url }}', namespace: 'guestbook' },
          },
        },
        templatePatch: `spec:
  source:
    helm:
      valueFiles:
      {{- range $valueFile := .valueFiles }}
        - {{ $valueFile }}
      {{- end }}
{{- if .autoSync }}
  syncPolicy:
    automated:
      prune: {{ .prune }}
{{- end }}
`,
      },
    };
    const refusedRun = expandApplicationSet(appSet, []);
    // {{range}} is beyond the plan's Go-template engine: refused for every parameter set, never guessed.
    assert.equal(refusedRun.problems.length, 2);
    for (const p of refusedRun.problems) assert.ok(p.unsupported && /not supported by the plan's template engine/.test(p.message), p.message);
    // The same patch with the list written by toJson.
    const same = { ...appSet, spec: { ...appSet.spec, templatePatch: appSet.spec.templatePatch.replace(/valueFiles:\n[\s\S]*?\{\{- end \}\}/, 'valueFiles: {{ toJson .valueFiles }}') } };
    assert.notEqual(same.spec.templatePatch, appSet.spec.templatePatch);
    const out = expandApplicationSet(same, []);
    assert.deepEqual(out.problems, []);
    const [dev, prod] = out.applications.map((a) => a.application.spec as any);
    assert.deepEqual(dev.source.helm, { valueFiles: ['values.large.yaml', 'values.debug.yaml'] });
    assert.deepEqual(dev.syncPolicy, { automated: { prune: true } });
    assert.deepEqual(prod.source.helm, { valueFiles: [] });
    assert.equal(prod.syncPolicy, undefined);
  });
});

describe('template-patch engine: strategic merge semantics and refusals', () => {
  const app = {
    metadata: { name: 'a', labels: { x: '1' }, finalizers: ['f'] },
    spec: { project: 'p', destination: { server: 's', namespace: 'n' }, syncPolicy: { automated: { prune: true }, syncOptions: ['A=true', 'B=true'] }, sources: [{ repoURL: 'r', chart: 'c', helm: { valuesObject: { a: { b: 1 }, c: 2 } } }] },
  };
  const patch = (text: string) => applyTemplatePatch(app, parseTemplatePatch(text));
  const refused = (text: string, message: RegExp) =>
    assert.throws(() => patch(text), (e) => e instanceof TemplatePatchError && e.unsupported && message.test(e.message));

  it('merges maps, replaces lists, deletes on null, leaves the input untouched', () => {
    const before = structuredClone(app);
    const out = patch('spec:\n  syncPolicy:\n    automated: ~\n    syncOptions: [C=true]\nmetadata:\n  labels: { tier: "2" }\n');
    assert.deepEqual(out.spec, { ...app.spec, syncPolicy: { syncOptions: ['C=true'] } });
    assert.deepEqual((out.metadata as any).labels, { x: '1', tier: '2' });
    assert.deepEqual(app, before);
  });

  it('reads YAML 1.1 scalars as yaml.v2 does (yes/on/y are booleans), nulls of new maps are discarded', () => {
    assert.deepEqual(parseTemplatePatch('a: yes\nb: on\nc: y\nd: No\ne: 1.5\nf: 010.x\ng: "yes"\nh: ~\ni: 12\n'), { a: true, b: true, c: true, d: false, e: 1.5, f: '010.x', g: 'yes', h: null, i: 12 });
    assert.deepEqual(patch('spec:\n  info: { a: null }\n').spec, { ...app.spec, info: {} });
    assert.equal(parseTemplatePatch('  \n# nothing\n'), null);
    assert.equal(patch(''), app, 'an empty patch changes nothing');
  });

  it('reports what Argo CD refuses: a wrong type where the Application type has another', () => {
    assert.throws(() => patch('spec:\n  syncPolicy:\n    automated:\n      prune: "true"\n'), (e) => e instanceof TemplatePatchError && !e.unsupported && /prune is a string where .* has a boolean/.test(e.message));
    assert.throws(() => patch('metadata:\n  labels:\n    tier: 1\n'), (e) => e instanceof TemplatePatchError && !e.unsupported);
    assert.throws(() => patch('- a\n'), (e) => e instanceof TemplatePatchError && !e.unsupported);
  });

  it('refuses what it cannot reproduce exactly', () => {
    refused('spec:\n  $patch: replace\n', /directive \$patch/);
    refused('spec:\n  $retainKeys: [project]\n', /directive \$retainKeys/);
    refused('metadata:\n  $setElementOrder/finalizers: [f]\n', /directive/);
    refused('metadata:\n  $deleteFromPrimitiveList/finalizers: [f]\n', /directive/);
    refused('metadata:\n  finalizers: [g]\n', /patchStrategy merge/);
    refused('spec:\n  destination: null\n', /writes back empty/);
    refused('spec:\n  syncPolicy:\n    syncOptions: [null]\n', /null inside the list/);
    refused('spec:\n  sources: [{ repoURL: r, chart: null }]\n', /null inside the list spec.sources/);
    refused('spec:\n  revisionHistoryLimit: 0x10\n', /YAML 1.1 may read as a number/);
    refused('a: &x 1\nb: *x\n', /anchor/);
    refused('spec: !!map {}\n', /tag/);
    refused('a: 1\n---\nb: 2\n', /several YAML documents/);
    refused('a: 1\na: 2\n', /twice/);
    refused('1: a\n', /map key/);
    refused('metadata:\n  labels: { y: "2" }\n', /map key .*"y"/); // yaml.v2 reads the key y as true
    refused('a: 0777\n', /YAML 1.1 may read as a number/);
    refused('a: 1_000\n', /YAML 1.1 may read as a number/);
    const withValues = { spec: { source: { helm: { valuesObject: { a: { b: 1 }, c: 2 } } } } };
    assert.throws(() => applyTemplatePatch(withValues, parseTemplatePatch('spec:\n  source:\n    helm:\n      valuesObject:\n        a: { d: 1 }\n')), (e) => e instanceof TemplatePatchError && e.unsupported && /RawExtension/.test(e.message));
    assert.deepEqual(applyTemplatePatch(withValues, parseTemplatePatch('spec:\n  source:\n    helm:\n      valuesObject:\n        c: 3\n        e: { f: 1 }\n')).spec, { source: { helm: { valuesObject: { a: { b: 1 }, c: 3, e: { f: 1 } } } } });
  });

  it('renders the patch with the template\'s engine: Go templates, or fasttemplate without goTemplate', () => {
    const params = { name: 'c1', metadata: { labels: { environment: 'prod' } } };
    assert.deepEqual(patchApplication(app, 'metadata:\n  labels:\n    env: "{{ .metadata.labels.environment }}"\n', params, { goTemplate: true, missingKey: 'error' }).metadata, { ...app.metadata, labels: { x: '1', env: 'prod' } });
    assert.deepEqual(patchApplication(app, 'metadata:\n  labels:\n    who: "{{name}}"\n', params, { goTemplate: false, missingKey: 'invalid' }).metadata, { ...app.metadata, labels: { x: '1', who: 'c1' } });
  });
});
