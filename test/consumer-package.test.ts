/**
 * App teams in other repositories install the packed library: the tarball `npm pack` makes (its prepack
 * builds lib/ with `npm run build`'s script, or leaves it when lib/ is up to date with the sources) goes
 * into two temporary consumer projects, which compile with tsc and synthesize with cdk8s:
 *
 * - CommonJS, shaped like `cdk8s init typescript-app`: a package.json without "type", the template's
 *   tsconfig (module CommonJS, the classic node resolution, lib es2016, no skipLibCheck, so our `.d.ts`
 *   files are checked), and the oldest version of every peer dependency our ranges admit. npm must install
 *   one cdk8s, the consumer's (a second copy under cdk8s-fleet makes cdk8s fail with "can't render
 *   non-simple object of type 'Lazy'"); the app entry `cdk8s-fleet/app` must not load imports/.
 * - ESM ("type": "module", NodeNext) on the versions this repository develops with: the README's example.
 *
 * The two installs run at once and share npm's cache. This is what ships: the files the tarball lists,
 * the JS and the typings of both formats.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const OWN = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const PEERS = ['cdk8s', 'cdk8s-plus-28', 'constructs'] as const;

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    return (await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (e: any) {
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} (in ${cwd}) failed:\n${e.stdout}${e.stderr}`);
  }
}

/** The oldest version a range like `^2.68.12` admits. */
function floor(range: string): string {
  const m = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  assert.ok(m, `peer range ${range}: expected ^x.y.z`);
  return m[1];
}

/** Every folder below `dir` that is node_modules/<name>, for each name. */
function installedCopies(dir: string, names: readonly string[]): Map<string, string[]> {
  const out = new Map(names.map((n) => [n, [] as string[]]));
  const walk = (nm: string) => {
    if (!fs.existsSync(nm)) return;
    for (const entry of fs.readdirSync(nm)) {
      if (entry.startsWith('.')) continue;
      const pkgs = entry.startsWith('@') ? fs.readdirSync(path.join(nm, entry)).map((e) => `${entry}/${e}`) : [entry];
      for (const pkg of pkgs) {
        out.get(pkg)?.push(path.relative(dir, path.join(nm, pkg)));
        walk(path.join(nm, pkg, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return out;
}

/** An app team's repository as `cdk8s init typescript-app` makes it, with the library's app entry. */
const CJS_MAIN = `import * as fs from 'fs';
import { Construct } from 'constructs';
import { App, Chart, ChartProps } from 'cdk8s';
import { applyOverlay, buildAppBase, toKustomization, WebService, type AppSpec, type KubeObject } from 'cdk8s-fleet/app';
import { TeamNamespace, teamNamespace } from 'cdk8s-fleet';

const checkout: AppSpec = {
  name: 'checkout',
  webService: {
    image: { repository: 'public.ecr.aws/acme/checkout', tag: 'v3.1.0' },
    ingress: { host: 'checkout.example.com', scheme: 'internet-facing' },
  },
  environments: {
    staging: { images: [{ name: 'public.ecr.aws/acme/checkout', newTag: 'v3.2.0' }], replicas: [{ name: 'checkout', count: 1 }] },
    prod: { replicas: [{ name: 'checkout', count: 3 }] },
  },
};

export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { }) {
    super(scope, id, props);
    new TeamNamespace(this, 'namespace', { name: teamNamespace('web', 'prod'), team: 'web', environment: 'prod' });
    new WebService(this, 'checkout', { ...checkout.webService!, name: 'checkout' });
  }
}

const app = new App();
new MyChart(app, 'checkout', { disableResourceNameHashes: true });
app.synth();

// Each environment: the base with its overlay, in memory, and the kustomization it equals.
const base: KubeObject[] = buildAppBase(checkout);
for (const env of ['staging', 'prod']) {
  fs.writeFileSync(env + '.json', JSON.stringify(applyOverlay(base, checkout.environments[env])));
  fs.writeFileSync(env + '.kustomization.json', JSON.stringify(toKustomization(checkout.environments[env], ['../base']).kustomization));
}
`;

/** What a CommonJS process loads for `require('cdk8s-fleet/app')`, and what a deep require gets. */
const CJS_PROBE = `require('cdk8s-fleet/app');
let deep;
try { require('cdk8s-fleet/lib/cjs/engines/yaml/writer.js'); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ loaded: Object.keys(require.cache).filter((f) => f.includes('cdk8s-fleet')), deep }));
`;

/** The README's example, in an ESM project. */
const ESM_MAIN = `import * as fs from 'node:fs';
import { App, Chart } from 'cdk8s';
import { WebService, Worker, type KubeObject, type Overlay } from 'cdk8s-fleet/app';
import * as appEntry from 'cdk8s-fleet/app';
import * as fleet from 'cdk8s-fleet';
import { applyOverlay, toKustomization } from 'cdk8s-fleet/kustomize';

const app = new App({ outdir: 'dist' });
const chart = new Chart(app, 'checkout', { disableResourceNameHashes: true });
new WebService(chart, 'checkout', {
  image: { repository: 'public.ecr.aws/acme/checkout', tag: 'v3.1.0' },
  autoscaling: { minReplicas: 2, maxReplicas: 10 },
  ingress: { host: 'checkout.example.com', scheme: 'internet-facing' },
  serviceAccount: { iamRoleArn: 'arn:aws:iam::444455556666:role/checkout' },
});
new Worker(chart, 'checkout-jobs', {
  image: { repository: 'public.ecr.aws/acme/checkout-jobs', tag: 'v3.1.0' },
  livenessCommand: ['/app/healthcheck'],
});
app.synth();

// The documented use of the kustomize subpath: a prod overlay applied in memory, and the kustomization it equals.
const prod: Overlay = { images: [{ name: 'public.ecr.aws/acme/checkout', newTag: 'v3.2.0' }], replicas: [{ name: 'checkout-jobs', count: 3 }] };
const objects = applyOverlay(chart.toJson() as KubeObject[], prod);
fs.writeFileSync('prod.json', JSON.stringify(objects));
fs.writeFileSync('kustomization.json', JSON.stringify(toKustomization(prod, ['../base']).kustomization));
// The app entry and the main entry are one library: the same classes and functions.
fs.writeFileSync('same.json', JSON.stringify([fleet.WebService === WebService, fleet.Worker === Worker, appEntry.applyOverlay === applyOverlay]));
`;

describe('the library as an npm package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-consumer-'));
  const cjs = path.join(work, 'cjs');
  const esm = path.join(work, 'esm');
  const template = path.join(work, 'team-repo');
  let listed: string[] = [];

  before(async () => {
    // npm pack runs prepack (scripts/build.mjs --if-changed); --json tells us the tarball's name and files.
    const packed = JSON.parse(await run(NPM, ['pack', '--json', '--loglevel=error', '--pack-destination', work], ROOT));
    const tarball = path.join(work, packed[0].filename);
    listed = packed[0].files.map((f: { path: string }) => f.path);

    fs.mkdirSync(cjs);
    fs.writeFileSync(path.join(cjs, 'package.json'), JSON.stringify({
      name: 'checkout-manifests', version: '1.0.0', main: 'main.js', types: 'main.ts', license: 'Apache-2.0', private: true,
      dependencies: { ...Object.fromEntries(PEERS.map((p) => [p, floor(OWN.peerDependencies[p])])), 'cdk8s-fleet': `file:${tarball}` },
      // The consumers compile with this project's tsc (OWN.devDependencies.typescript), so only its types are installed.
      devDependencies: { '@types/node': OWN.devDependencies['@types/node'] },
    }, null, 2));
    fs.copyFileSync(path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), path.join(cjs, 'tsconfig.json'));
    fs.writeFileSync(path.join(cjs, 'main.ts'), CJS_MAIN);

    fs.mkdirSync(esm);
    fs.writeFileSync(path.join(esm, 'package.json'), JSON.stringify({
      name: 'checkout-manifests', private: true, type: 'module',
      dependencies: { ...Object.fromEntries(PEERS.map((p) => [p, OWN.devDependencies[p]])), 'cdk8s-fleet': `file:${tarball}` },
      devDependencies: { '@types/node': OWN.devDependencies['@types/node'] },
    }, null, 2));
    fs.writeFileSync(path.join(esm, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'out', types: ['node'] },
      include: ['main.ts'],
    }));
    fs.writeFileSync(path.join(esm, 'main.ts'), ESM_MAIN);

    // The team repository template as an app team copies it, with its own package.json and tsconfig; the
    // library from the tarball. It compiles with this project's tsc (its ts-node only runs that compiler).
    fs.cpSync(path.join(ROOT, 'templates', 'team-repo'), template, { recursive: true, filter: (f) => !f.includes('node_modules') });
    const own = JSON.parse(fs.readFileSync(path.join(template, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(template, 'package.json'), JSON.stringify({
      ...own,
      dependencies: { ...own.dependencies, 'cdk8s-fleet': `file:${tarball}` },
      // typescript for promote.ts (the version this project pins, from npm's cache); ts-node is not needed here.
      devDependencies: { '@types/node': own.devDependencies['@types/node'], typescript: OWN.devDependencies.typescript },
    }, null, 2));

    // --omit=optional: cdk8s 2.68.12 lists backport (a release tool, 100+ packages) as an optional dependency.
    const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', '--loglevel=error'];
    await Promise.all([run(NPM, install, cjs), run(NPM, install, esm), run(NPM, install, template)]);
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('packs lib/ as built (a pack right after a build builds nothing), with no sources, tests or build state', async () => {
    const stamp = path.join(ROOT, 'lib', '.build-stamp');
    const built = fs.statSync(stamp).mtimeMs;
    const again = await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--if-changed'], { cwd: ROOT, encoding: 'utf8' });
    assert.match(again.stderr, /lib\/ is up to date with the sources: not rebuilt/);
    assert.equal(fs.statSync(stamp).mtimeMs, built);

    for (const f of ['lib/esm/charts/index.js', 'lib/esm/charts/index.d.ts', 'lib/cjs/charts/index.js', 'lib/cjs/charts/index.d.ts', 'lib/cjs/package.json',
      'lib/esm/charts/app-entry.js', 'lib/cjs/charts/app-entry.d.ts', 'lib/cjs/engines/kustomize/index.js', 'package.json', 'README.md']) {
      assert.ok(listed.includes(f), `the package ships ${f}`);
    }
    const stray = listed.filter((f) => !/^(lib\/(esm|cjs)\/(charts|engines|imports)\/.+\.(js|d\.ts)|lib\/cjs\/package\.json|package\.json|README\.md|docs\/[\w-]+\.md)$/.test(f));
    assert.deepEqual(stray, [], 'nothing but the two builds, README and docs (no sources, tests, example data, stamp or source maps)');
    // Every module of each format, and its typings, in the other too.
    const modules = (format: string) => listed.filter((f) => f.startsWith(`lib/${format}/`) && f !== 'lib/cjs/package.json').map((f) => f.slice(`lib/${format}/`.length)).sort();
    assert.deepEqual(modules('cjs'), modules('esm'));
  });

  it('installs into a CommonJS project like `cdk8s init typescript-app` on the oldest peers, one cdk8s, and synthesizes', async () => {
    const copies = installedCopies(cjs, PEERS);
    for (const p of PEERS) {
      assert.deepEqual(copies.get(p), [path.join('node_modules', p)], `npm installed one ${p}, the consumer's`);
      assert.equal(JSON.parse(fs.readFileSync(path.join(cjs, 'node_modules', p, 'package.json'), 'utf8')).version, floor(OWN.peerDependencies[p]));
    }

    await run(process.execPath, [TSC, '-p', '.'], cjs);
    const [, probe] = await Promise.all([run(process.execPath, ['main.js'], cjs), run(process.execPath, ['-e', CJS_PROBE], cjs)]);

    const objects = parseAllDocuments(fs.readFileSync(path.join(cjs, 'dist', 'checkout.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).filter((k) => /^(Namespace|Deployment|Ingress)\//.test(k)).sort(),
      ['Deployment/checkout', 'Ingress/checkout', 'Namespace/web-prod']);
    const image = (objs: any[]) => objs.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].image;
    const replicas = (objs: any[]) => objs.find((o) => o.kind === 'Deployment').spec.replicas;
    const staging = JSON.parse(fs.readFileSync(path.join(cjs, 'staging.json'), 'utf8'));
    const prod = JSON.parse(fs.readFileSync(path.join(cjs, 'prod.json'), 'utf8'));
    assert.equal(image(objects), 'public.ecr.aws/acme/checkout:v3.1.0');
    assert.deepEqual([image(staging), replicas(staging)], ['public.ecr.aws/acme/checkout:v3.2.0', 1]);
    assert.deepEqual([image(prod), replicas(prod)], ['public.ecr.aws/acme/checkout:v3.1.0', 3]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(cjs, 'prod.kustomization.json'), 'utf8')).replicas, [{ name: 'checkout', count: 3 }]);

    // require() gets the CommonJS build; the app entry loads none of imports/; internals stay unreachable.
    const { loaded, deep } = JSON.parse(probe);
    assert.ok(loaded.length > 10 && loaded.every((f: string) => f.includes(`${path.sep}lib${path.sep}cjs${path.sep}`)), loaded.join('\n'));
    assert.deepEqual(loaded.filter((f: string) => f.includes(`${path.sep}cjs${path.sep}imports${path.sep}`)), []);
    assert.equal(deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('installs into an ESM project (NodeNext) on the current peers, and synthesizes the README\'s example', async () => {
    await run(process.execPath, [TSC, '-p', '.'], esm);
    await run(process.execPath, ['out/main.js'], esm);

    const out = fs.readFileSync(path.join(esm, 'dist', 'checkout.k8s.yaml'), 'utf8');
    const objects = parseAllDocuments(out).map((d) => d.toJS());
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    assert.deepEqual(kinds, [
      'Deployment/checkout', 'Deployment/checkout-jobs', 'HorizontalPodAutoscaler/checkout', 'Ingress/checkout',
      'PodDisruptionBudget/checkout', 'PodDisruptionBudget/checkout-jobs', 'Service/checkout',
      'ServiceAccount/checkout', 'ServiceAccount/checkout-jobs',
    ]);
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'checkout');
    assert.equal(deployment.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, false);
    assert.equal(deployment.spec.template.spec.containers[0].image, 'public.ecr.aws/acme/checkout:v3.1.0');

    // cdk8s-fleet/kustomize: the overlay engine, for the documented use (an overlay in memory, its kustomization).
    const prod = JSON.parse(fs.readFileSync(path.join(esm, 'prod.json'), 'utf8'));
    const image = (o: any) => o.spec.template.spec.containers[0].image;
    assert.equal(image(prod.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'checkout')), 'public.ecr.aws/acme/checkout:v3.2.0');
    assert.equal(prod.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'checkout-jobs').spec.replicas, 3);
    const kustomization = JSON.parse(fs.readFileSync(path.join(esm, 'kustomization.json'), 'utf8'));
    assert.deepEqual(kustomization.resources, ['../base']);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(esm, 'same.json'), 'utf8')), [true, true, true]);
    // Nothing else is reachable: the internals are not part of the package's API.
    await assert.rejects(run(process.execPath, ['--input-type=module', '-e', "await import('cdk8s-fleet/lib/esm/engines/yaml/writer.js')"], esm), /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('the team repository template works as copied: its tsconfig compiles main.ts against the installed package, and its check passes on its committed dist/', async () => {
    await run(process.execPath, [TSC, '-p', '.'], template);
    const check = await run(process.execPath, ['lib/main.js', 'check'], template);
    assert.match(check, /dist\/ is up to date/);
    fs.appendFileSync(path.join(template, 'dist', 'checkout', 'prod', 'deployment-checkout.yaml'), '# edited\n');
    await assert.rejects(run(process.execPath, ['lib/main.js', 'check'], template), /dist\/checkout\/prod\/deployment-checkout\.yaml/);
  });
});
