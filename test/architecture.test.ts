/**
 * The rooms of the repository and the library's surface, checked from the sources: engines are
 * domain-free, layers depend one way, no file or folder imports itself round a cycle, and the package
 * entry exports exactly the names below (each one a semver promise).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import { cycles, folderGraph, importGraph, importsOf, ROOT, sourceFiles } from './support/imports.js';

// Loaded with require: an ESM import of the 9 MB CommonJS typescript.js through the tsx loader costs
// about 0.5 s more than require (the module is the same).
const ts: typeof TS = createRequire(import.meta.url)('typescript');

const FILES = sourceFiles(['main.ts', 'environments', 'charts', 'engines', 'render']);
const GRAPH = importGraph(FILES);
const under = (dir: string) => FILES.filter((f) => f.startsWith(`${dir}/`));
/** The local imports of the files under `dir` that point outside every allowed folder. */
function strayImports(dir: string, allowed: readonly string[]): string[] {
  return under(dir).flatMap((f) => GRAPH.get(f)!.filter((d) => !allowed.some((a) => d.startsWith(`${a}/`))).map((d) => `${f} -> ${d}`));
}

/** Every name a package entry (default the main one) exports, types included, as the compiler sees them. */
function publicNames(file = 'charts/index.ts'): string[] {
  const entry = path.join(ROOT, file);
  // The program is the library's own code (charts/, engines/) and nothing it imports: no imports/ (5.7 MB
  // of generated bindings), no packages, no lib. That is enough to follow every `export ... from` of the
  // entry (they all lead into charts/ and engines/; a name re-exported from anywhere else would be missing
  // from the list below and fail the test) in 1 s, where the whole program took 6 s.
  const program = ts.createProgram(FILES.filter((f) => f.startsWith('charts/') || f.startsWith('engines/')).map((f) => path.join(ROOT, f)), {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true,
    noResolve: true, noLib: true, types: [],
  });
  const checker = program.getTypeChecker();
  return checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!).map((s) => s.name).sort();
}

const PUBLIC_NAMES = [
  'ADDONS_PROJECT', 'ADDON_CATALOG', 'AWS_RUNTIME_CONFIG', 'AccountSpec', 'AddonAnnotation', 'AddonApplicationSet',
  'AddonApplicationSetProps', 'AddonCompanions', 'AddonDefinition', 'AddonFact', 'AddonPin', 'AddonPlacement',
  'AddonSetting', 'AppDatabase', 'AppPropsError', 'AppSpec', 'AppTraffic', 'AppWorkload', 'AppWorkloadProps',
  'AppliedIacOutputs', 'ArgoCdIdentityCenter', 'ArgoCdOidc', 'ArgoCdSpec', 'ArgoCdSso', 'AutoscalingProps',
  'AwsIdentity', 'AwsProviderConfig', 'AwsProviderConfigProps', 'CHART_VERSION_KEY', 'CROSSPLANE_PACKAGES',
  'CROSSPLANE_PROJECT', 'CROSSPLANE_PROVIDER_SERVICE_ACCOUNT', 'ClusterAddon', 'ClusterAddonSetting',
  'ClusterAnnotation', 'ClusterLabel', 'ClusterLabelKey', 'ClusterSecret', 'ClusterSecretProps', 'ClusterSpec',
  'ClusterTemplate', 'CompanionContext', 'CompanionObject', 'ContainerChange', 'ContainerImage',
  'ContainerResources', 'ControllerSharding', 'CrossplanePackages', 'CrossplanePackagesProps', 'DATABASE_API_GROUP',
  'DATABASE_API_VERSION', 'DATABASE_SIZES', 'DEFAULT_POSTGRES_VERSION', 'DEFAULT_TEAM_QUOTA',
  'DatabaseExternalSecret', 'DatabaseExternalSecretProps', 'DatabaseSize', 'EnvironmentDatabases', 'EnvironmentSpec',
  'FALSE', 'Finding', 'FleetAppProject', 'FleetAppProjectProps', 'FleetApplication', 'FleetApplicationProps',
  'FleetOutputsOptions', 'FleetSource', 'FleetSpec', 'FleetValidationError', 'GUARDRAILS_PROJECT', 'Generator',
  'GeneratorOptions', 'GitCredentialField', 'GitCredentialKind', 'GitCredentialSpec', 'GitRepoSpec', 'GroupKind',
  'HelmOciRepository', 'HelmOciRepositoryProps', 'IacOutputFile', 'IacOutputs', 'ImageRule', 'JsonPatchOperation',
  'KubeObject', 'KubernetesRange', 'LabelSet', 'MANAGED_BY', 'OutputFile', 'Overlay', 'PLATFORM_PROJECT',
  'POSTGRES_CLAIM', 'Patch', 'PatchTarget', 'PostgresDatabase', 'PostgresDatabaseProps', 'PostgresDefinition',
  'PostgresRdsComposition', 'Problem', 'Replicas', 'ResolvedCluster', 'ResolvedFleet', 'ResolvedTeam',
  'SecretGenerator', 'TRUE', 'TeamAccess', 'TeamAccessProps', 'TeamBoundariesApplicationSet',
  'TeamBoundariesApplicationSetProps', 'TeamLimits', 'TeamLimitsProps', 'TeamNamespace', 'TeamNamespaceProps',
  'TeamNetworkPolicies', 'TeamNetworkPoliciesProps', 'TeamQuota', 'TeamRepoApp', 'TeamRepoSpec', 'TeamSecretStore',
  'TeamSecretStoreProps', 'TeamSpec', 'WebIngressProps', 'WebService', 'WebServiceProps', 'Worker', 'WorkerProps',
  'WorkloadApplicationSet', 'WorkloadApplicationSetProps', 'WorkloadProbes', 'WorkloadRef',
  'WorkloadServiceAccountProps', 'addonVersionFor', 'appPolicyFindings', 'applyIacOutputs', 'awsClusterValues',
  'buildAppBase', 'clusterAnnotations', 'clusterLabels', 'containerPatch', 'enableLabel', 'environmentOverlay',
  'fleetOutputs', 'formatFinding', 'formatProblem', 'hubNames', 'hubSpec', 'imageReference', 'irsaServiceAccount',
  'readIacOutputs', 'resolveFleet', 'snakeCase', 'syncWave', 'teamNamespace', 'validateFleet', 'versionSet'
];

/** `cdk8s-fleet/app`, the entry for app teams: the app constructs, the app spec and the overlays. */
const APP_ENTRY_NAMES = [
  'AppDatabase', 'AppPropsError', 'AppSpec', 'AppWorkload', 'AppWorkloadProps', 'AutoscalingProps', 'ContainerChange', 'ContainerImage',
  'ContainerResources', 'DatabaseSize', 'Finding', 'Generator', 'GeneratorOptions', 'ImageRule', 'JsonPatchOperation', 'KubeObject', 'KustomizationFiles',
  'LabelSet', 'Overlay', 'OverlayError', 'Patch', 'PatchTarget', 'Replicas', 'SecretGenerator', 'WebIngressProps', 'WebService',
  'WebServiceProps', 'Worker', 'WorkerProps', 'WorkloadProbes', 'WorkloadRef', 'WorkloadServiceAccountProps', 'appPolicyFindings', 'applyOverlay', 'buildAppBase',
  'containerPatch', 'formatFinding', 'imageReference', 'toKustomization',
];

/** The files `file` reaches through its imports (type-only ones too), itself included. */
function reachable(file: string): Set<string> {
  const seen = new Set<string>();
  const queue = [file];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    queue.push(...(GRAPH.get(f) ?? importsOf(f).local));
  }
  return seen;
}

describe('architecture', () => {
  it('reads the import graph (a sanity check of the reader itself)', () => {
    assert.ok(FILES.length > 100);
    assert.ok(GRAPH.get('charts/index.ts')!.includes('charts/model/spec.ts'));
    assert.ok(importsOf('engines/kustomize/overlay.ts').local.includes('engines/util/json.ts'));
  });

  it('keeps the engines domain-free: they import only other engines and npm packages, never cdk8s', () => {
    assert.deepEqual(strayImports('engines', ['engines']), []);
    const packages = under('engines').flatMap((f) => importsOf(f).packages.map((p) => `${f}: ${p}`));
    assert.deepEqual(packages.filter((p) => /: (cdk8s|cdk8s-plus-28|constructs)$/.test(p)), []);
  });

  it('depends one way: environments -> charts -> engines; render -> charts; the library never imports render or data', () => {
    assert.deepEqual(strayImports('charts', ['charts', 'engines', 'imports']), []);
    assert.deepEqual(strayImports('environments', ['environments', 'charts']), []);
    assert.deepEqual(strayImports('render', ['render', 'charts', 'engines']), []);
  });

  it('keeps the model at the bottom: it imports only the model, the dist/ layout and the engines', () => {
    assert.deepEqual(strayImports('charts/model', ['charts/model', 'charts/layout', 'engines']), []);
    assert.deepEqual(strayImports('charts/layout', ['engines']), []);
  });

  it('has no import cycle between files', () => {
    assert.deepEqual(cycles(GRAPH), []);
  });

  it('has no import cycle between folders', () => {
    assert.deepEqual(cycles(folderGraph(GRAPH)), []);
  });

  it('spells dist/ folder names only in the layout module', () => {
    const constants = /export const (HUB_DIR|HUBS_DIR|TEAMS_DIR|APPS_DIR|ADDONS_DIR|CROSSPLANE_DIR|IAM_DIR)\b/;
    const defined = FILES.filter((f) => constants.test(ts.sys.readFile(path.join(ROOT, f)) ?? ''));
    assert.deepEqual(defined, ['charts/layout/dist-layout.ts']);
  });

  it('exports from the package entry the model, the constructs and the overlay types, and nothing of the engines or the render', () => {
    const names = publicNames();
    for (const internal of ['GoTemplate', 'strategicMerge', 'planFleet', 'checkPolicies', 'synthesizeScope', 'applyOverlay', 'expandApplicationSet', 'writeYaml']) {
      assert.ok(!names.includes(internal), `${internal} is internal`);
    }
    for (const promised of ['FleetSpec', 'WebService', 'Worker', 'Overlay', 'ClusterSecret', 'AddonApplicationSet', 'PostgresDatabase', 'validateFleet']) {
      assert.ok(names.includes(promised), `${promised} is public`);
    }
    // The whole list: a change here is a change of the package's API, reviewed as one.
    assert.deepEqual(names, PUBLIC_NAMES);
  });

  it('keeps the app entry (cdk8s-fleet/app) slim: its import graph never reaches imports/, and it exports the names below', () => {
    const files = reachable('charts/app-entry.ts');
    assert.ok(files.has('charts/apps/web-service.ts') && files.has('engines/kustomize/overlay.ts'), 'the reader follows the entry');
    assert.deepEqual([...files].filter((f) => f.startsWith('imports/')), []);
    // The main entry does reach them (the Argo CD constructs): the check above can fail.
    assert.ok([...reachable('charts/index.ts')].some((f) => f.startsWith('imports/')));
    assert.deepEqual(publicNames('charts/app-entry.ts'), APP_ENTRY_NAMES);
    // One library: every name of the app entry is a name of the main entry or of cdk8s-fleet/kustomize.
    const elsewhere = new Set([...PUBLIC_NAMES, ...publicNames('engines/kustomize/index.ts')]);
    assert.deepEqual(APP_ENTRY_NAMES.filter((n) => !elsewhere.has(n)), []);
  });

  it('keeps the library loadable as CommonJS: no import.meta in charts/ or engines/ (esbuild would leave it empty in lib/cjs)', () => {
    assert.deepEqual(FILES.filter((f) => /^(charts|engines)\//.test(f) && /\bimport\.meta\b/.test(ts.sys.readFile(path.join(ROOT, f)) ?? '')), []);
  });
});
