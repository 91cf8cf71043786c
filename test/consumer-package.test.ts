/**
 * An app team in another repository installs the packed library and writes a chart with it: the
 * tarball from `npm pack` goes into a temporary consumer project that compiles with tsc and
 * synthesizes with cdk8s, the way the README shows.
 *
 * lib/ is built here rather than by `npm pack`'s prepack (`npm run build`, a full tsc build: about 20 s
 * of CPU, most of it tsc printing the JS of the 5.7 MB of imports/): the `.d.ts` files come from tsc with
 * tsconfig.build.json and `--noCheck` (`npm test` type-checks the same sources beside the tests, with the
 * same compiler options), the JS from esbuild, one file per source into the same layout (about 0.3 s).
 * The consumer loading every module of both entry points (below) is what proves that JS links.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * Builds lib/ from tsconfig.build.json, as `npm run build` lays it out (rootDir `.`, outDir `lib`): the
 * declarations with tsc (no type check: `npm test` runs one), the JS with esbuild, both at once.
 */
async function buildLib(): Promise<void> {
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8'));
  const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
  const outDir = path.join(ROOT, config.compilerOptions.outDir ?? base.compilerOptions.outDir);
  // "charts/**/*.ts" and the like: every .ts file (not .d.ts) under each folder.
  const entryPoints = (config.include as string[]).flatMap((glob) => {
    const m = /^([\w-]+)\/\*\*\/\*\.ts$/.exec(glob);
    assert.ok(m, `tsconfig.build.json include ${glob}: not of the form <folder>/**/*.ts`);
    return (fs.readdirSync(path.join(ROOT, m[1]), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => path.join(ROOT, m[1], f));
  });
  const esbuild = await import('esbuild');
  await Promise.all([
    promisify(execFile)(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--noCheck', '--emitDeclarationOnly'], { cwd: ROOT }),
    esbuild.build({
      entryPoints,
      outdir: outDir,
      outbase: ROOT,
      format: 'esm',
      platform: 'node',
      target: (base.compilerOptions.target as string).toLowerCase(),
      tsconfig: path.join(ROOT, 'tsconfig.build.json'),
      logLevel: 'error',
    }),
  ]);
}

/** The consumer's code: what the README shows an app team. */
const CONSUMER_MAIN = `import * as fs from 'node:fs';
import { App, Chart } from 'cdk8s';
import { WebService, Worker, type KubeObject, type Overlay } from 'cdk8s-fleet';
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
`;

describe('the library as an npm package', () => {
  it('installs from a packed tarball, compiles and synthesizes in a consumer project', { timeout: 240_000 }, async (t) => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-consumer-'));
    t.after(() => fs.rmSync(work, { recursive: true, force: true }));
    const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    // lib/ as prepack builds it; --json tells us the tarball's name.
    await buildLib();
    const packed = JSON.parse(run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT));
    const tarball = path.join(work, packed[0].filename);
    const listed: string[] = packed[0].files.map((f: { path: string }) => f.path);
    assert.ok(listed.includes('lib/charts/index.js') && listed.includes('lib/charts/index.d.ts'), 'the package ships JS and types');
    assert.ok(!listed.some((f) => f.startsWith('test/') || f.startsWith('environments/') || f.endsWith('.ts') && !f.endsWith('.d.ts')), 'no sources, tests or example data');

    const consumer = path.join(work, 'consumer');
    fs.mkdirSync(consumer);
    const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({
      name: 'checkout-manifests', private: true, type: 'module',
      dependencies: { 'cdk8s-fleet': `file:${tarball}`, cdk8s: own.dependencies.cdk8s, constructs: own.dependencies.constructs },
      // The consumer compiles with this project's tsc (own.devDependencies.typescript), so only its types are installed.
      devDependencies: { '@types/node': own.devDependencies['@types/node'] },
    }, null, 2));
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'out', types: ['node'] },
      include: ['main.ts'],
    }));
    fs.writeFileSync(path.join(consumer, 'main.ts'), CONSUMER_MAIN);

    run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], consumer);
    run(process.execPath, [TSC, '-p', '.'], consumer);
    run(process.execPath, ['out/main.js'], consumer);

    const out = fs.readFileSync(path.join(consumer, 'dist', 'checkout.k8s.yaml'), 'utf8');
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
    const prod = JSON.parse(fs.readFileSync(path.join(consumer, 'prod.json'), 'utf8'));
    const image = (o: any) => o.spec.template.spec.containers[0].image;
    assert.equal(image(prod.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'checkout')), 'public.ecr.aws/acme/checkout:v3.2.0');
    assert.equal(prod.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'checkout-jobs').spec.replicas, 3);
    const kustomization = JSON.parse(fs.readFileSync(path.join(consumer, 'kustomization.json'), 'utf8'));
    assert.deepEqual(kustomization.resources, ['../base']);
    // Nothing else is reachable: the internals are not part of the package's API.
    assert.throws(() => run(process.execPath, ['--input-type=module', '-e', "await import('cdk8s-fleet/lib/engines/yaml/writer.js')"], consumer), /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
