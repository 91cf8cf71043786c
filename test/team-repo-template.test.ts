/**
 * templates/team-repo/, the repository an app team copies: its main.ts, bundled with esbuild against this
 * repository's sources (`cdk8s-fleet/app` is charts/app-entry.ts, `cdk8s-fleet` charts/index.ts; the
 * packages come from node_modules), renders each app and environment into `<app>/<env>/<kind>-<name>.yaml`;
 * the files hold exactly `applyOverlay(buildAppBase(app), overlay)`; the template's committed dist/ is
 * what it renders (its `check` passes) and a hand edit makes `check` fail naming the file; and the
 * folders are the ones the platform's workloads ApplicationSet of a repo-mode team reads. No network.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { build, type Plugin } from 'esbuild';
import { applyOverlay, buildAppBase, type AppSpec } from '../charts/app-entry.js';
import type { TeamSpec } from '../charts/index.js';
import { fleetCopy, objects, render, withSpec } from './support/fleet.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TEMPLATE = path.join(ROOT, 'templates', 'team-repo');
// Inside the repository, so the bundle's `require('cdk8s')` finds node_modules/ by walking up.
const tmp = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'team-repo-template-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The package's entries mapped to its sources; every other bare specifier stays a package. */
const library: Plugin = {
  name: 'cdk8s-fleet-sources',
  setup(build) {
    build.onResolve({ filter: /^cdk8s-fleet(\/app)?$/ }, (args) => ({
      path: path.join(ROOT, 'charts', args.path === 'cdk8s-fleet/app' ? 'app-entry.ts' : 'index.ts'),
    }));
    build.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
  },
};

const bundle = path.join(tmp, 'main.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bundle, ...args], { cwd: tmp, encoding: 'utf8' });
/** Files below `dir`, relative, sorted. */
const list = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();

let apps: readonly AppSpec[];
const out = path.join(tmp, 'dist');

before(async () => {
  await build({
    entryPoints: [path.join(TEMPLATE, 'main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    outfile: bundle, plugins: [library], logLevel: 'silent',
  });
  apps = createRequire(bundle)(bundle).APPS;
  const synth = run('synth', '--out', out);
  assert.equal(synth.status, 0, synth.stderr);
});

describe('the team repository template', () => {
  it('writes each app\'s environments under <app>/<env>/, one <kind>-<name>.yaml per object', () => {
    assert.ok(apps.length > 0);
    const expected = apps.flatMap((app) => Object.keys(app.environments).flatMap((env) =>
      applyOverlay(buildAppBase(app), app.environments[env]).map((o) => `${app.name}/${env}/${o.kind}-${o.metadata.name}.yaml`.toLowerCase()))).sort();
    assert.deepEqual(list(out), expected);
    const folders = [...new Set(list(out).map((f) => path.posix.dirname(f)))].sort();
    assert.deepEqual(folders, apps.flatMap((a) => Object.keys(a.environments).map((e) => `${a.name}/${e}`)).sort());
    assert.ok(folders.length >= 2, 'the template shows an app with more than one environment');
  });

  it('each file holds the object applyOverlay(buildAppBase(app), overlay) gives', () => {
    for (const app of apps) {
      for (const [env, overlay] of Object.entries(app.environments)) {
        for (const obj of applyOverlay(buildAppBase(app), overlay)) {
          const file = path.join(out, `${app.name}/${env}/${obj.kind}-${obj.metadata.name}.yaml`.toLowerCase());
          assert.deepEqual(parse(fs.readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(obj)), file);
        }
      }
    }
    // The overlays are applied: staging and prod run different tags of the same image.
    const image = (env: string) => parse(fs.readFileSync(path.join(out, `checkout/${env}/deployment-checkout.yaml`), 'utf8')).spec.template.spec.containers[0].image;
    assert.notEqual(image('staging'), image('prod'));
  });

  it('its committed dist/ is what main.ts renders: check passes, and a second synth is byte-identical', () => {
    const committed = path.join(TEMPLATE, 'dist');
    const check = run('check', '--out', committed);
    assert.equal(check.status, 0, check.stderr);
    for (const f of list(committed)) assert.equal(fs.readFileSync(path.join(out, f), 'utf8'), fs.readFileSync(path.join(committed, f), 'utf8'), f);
    assert.deepEqual(list(out), list(committed));
  });

  it('check fails with exit 1 naming each file that was edited by hand, removed or not rendered', () => {
    const edited = path.join(tmp, 'edited');
    fs.cpSync(out, edited, { recursive: true });
    const file = 'checkout/prod/deployment-checkout.yaml';
    fs.writeFileSync(path.join(edited, file), fs.readFileSync(path.join(edited, file), 'utf8').replace(/image: .*/, 'image: public.ecr.aws/acme/checkout:hand-edit'));
    fs.rmSync(path.join(edited, 'checkout/staging/service-checkout.yaml'));
    fs.writeFileSync(path.join(edited, 'checkout/prod/configmap-stray.yaml'), 'kind: ConfigMap\n');
    const check = run('check', '--out', edited);
    assert.equal(check.status, 1, check.stdout);
    const named = check.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().slice(edited.length + 1));
    assert.deepEqual(named, ['checkout/prod/configmap-stray.yaml', file, 'checkout/staging/service-checkout.yaml']);
  });

  it('its folders are the ones the workloads ApplicationSet of a repo-mode team reads (repo.path: dist)', () => {
    const spec = fleetCopy();
    const url = 'https://git.example.com/payments/payments-apps.git';
    (spec.teams as TeamSpec[]).push({
      name: 'payments', group: 'payments-developers', environments: ['staging', 'prod'], apps: [],
      repo: { url, revision: 'main', path: 'dist', public: true, apps: apps.map((a) => ({ name: a.name, environments: Object.keys(a.environments), port: 8080 })) },
    } as TeamSpec);
    const appset = objects(render(withSpec(spec))).find((o) => o.file === 'hub/argocd/workloads/payments.yaml')!.obj;
    const template: string = appset.spec.template.spec.source.path;
    const elements: { app: string; environment: string }[] = appset.spec.generators[0].matrix.generators[0].list.elements;
    const read = elements.map((e) => template.replace('{{.app}}', e.app).replace('{{.environment}}', e.environment)).sort();
    // The repository's root holds dist/: each folder Argo CD reads is one the template wrote.
    const written = [...new Set(list(out).map((f) => `dist/${path.posix.dirname(f)}`))].sort();
    assert.deepEqual(read, written);
  });

  it('refuses what the platform\'s policies refuse (here a pod on the host network, and a Secret), naming file, object and rule, and writes nothing', async () => {
    const mod = createRequire(bundle)(bundle) as { render: (apps: readonly AppSpec[]) => Map<string, string>; PolicyFindings: new (...a: never[]) => Error & { findings: string[] } };
    assert.ok(mod.render(apps).size > 0, 'the template\'s own apps pass');
    // A copy of main.ts whose app runs on the host network in prod and renders a Secret in staging.
    const source = fs.readFileSync(path.join(TEMPLATE, 'main.ts'), 'utf8');
    const marker = 'export const APPS: readonly AppSpec[] = [checkout];';
    assert.ok(source.includes(marker));
    const bad = source.replace(marker, `const broken: AppSpec = { ...checkout, environments: {
  ...checkout.environments,
  prod: { ...checkout.environments.prod, patches: [{ target: { kind: 'Deployment', name: 'checkout' }, patch: { spec: { template: { spec: { hostNetwork: true } } } } }] },
  staging: { ...checkout.environments.staging, secretGenerator: [{ name: 'db', literals: { password: 'hunter2' } }] },
} };
${marker.replace('[checkout]', '[broken]')}`);
    const badMain = path.join(tmp, 'bad-main.ts');
    fs.copyFileSync(path.join(TEMPLATE, 'promote.ts'), path.join(tmp, 'promote.ts'));
    fs.writeFileSync(badMain, bad.replace(/^/, `// copy of ${path.join(TEMPLATE, 'main.ts')}\n`));
    const badBundle = path.join(tmp, 'bad-main.cjs');
    await build({ entryPoints: [badMain], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: badBundle, plugins: [library], logLevel: 'silent', absWorkingDir: TEMPLATE });
    const badOut = path.join(tmp, 'bad-out');
    fs.mkdirSync(badOut, { recursive: true });
    fs.writeFileSync(path.join(badOut, 'kept.yaml'), 'kept: true\n');
    const r = spawnSync(process.execPath, [badBundle, 'synth', '--out', badOut], { cwd: tmp, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /checkout\/prod\/deployment-checkout\.yaml: Deployment\/checkout: \[pss-restricted\] uses the host network/);
    assert.match(r.stderr, /checkout\/staging\/secret-db[-\w]*\.yaml: Secret\/db[-\w]*: \[secret-credentials\]/);
    assert.match(r.stderr, /Nothing was written\.$/m);
    assert.deepEqual(list(badOut), ['kept.yaml'], 'the output folder is untouched');
  });

  it('npm run promote moves the tag staging runs to prod: one literal of main.ts, dist/ rendered again; refused out of order or when staging is not rendered', async () => {
    const repo = path.join(tmp, 'promo');
    fs.mkdirSync(repo);
    for (const f of ['main.ts', 'promote.ts']) fs.copyFileSync(path.join(TEMPLATE, f), path.join(repo, f));
    fs.cpSync(path.join(TEMPLATE, 'dist'), path.join(repo, 'dist'), { recursive: true });
    const promoBundle = path.join(repo, 'main.cjs');
    const bundleIt = () => build({ entryPoints: [path.join(repo, 'main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: promoBundle, plugins: [library], logLevel: 'silent' });
    await bundleIt();
    const promo = (...args: string[]) => spawnSync(process.execPath, [promoBundle, ...args], { cwd: repo, encoding: 'utf8' });
    const before = fs.readFileSync(path.join(repo, 'main.ts'), 'utf8');
    const snapshot = () => [fs.readFileSync(path.join(repo, 'main.ts'), 'utf8'), ...list(path.join(repo, 'dist')).map((f) => fs.readFileSync(path.join(repo, 'dist', f), 'utf8'))];

    // Out of promotion order, and an unknown app: refused, nothing written.
    const unchanged = snapshot();
    for (const args of [['checkout', 'prod', 'staging'], ['nope', 'staging', 'prod']]) {
      const r = promo('promote', ...args);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /Nothing was written\./);
      assert.deepEqual(snapshot(), unchanged);
    }

    const ok = promo('promote', 'checkout', 'staging', 'prod');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /public\.ecr\.aws\/acme\/checkout: v3\.1\.0 → v3\.2\.0/);
    const after = fs.readFileSync(path.join(repo, 'main.ts'), 'utf8');
    // Exactly one literal changed: prod's newTag.
    const changed = before.split('\n').map((l, i) => [l, after.split('\n')[i]]).filter(([a, b]) => a !== b);
    assert.equal(changed.length, 1);
    assert.match(changed[0][0], /newTag: 'v3\.1\.0'/);
    assert.equal(changed[0][1], changed[0][0].replace("'v3.1.0'", "'v3.2.0'"));
    const prodImage = parse(fs.readFileSync(path.join(repo, 'dist/checkout/prod/deployment-checkout.yaml'), 'utf8')).spec.template.spec.containers[0].image;
    assert.equal(prodImage, 'public.ecr.aws/acme/checkout:v3.2.0');
    // The edited main.ts renders what promote wrote: check passes.
    await bundleIt();
    const check = promo('check');
    assert.equal(check.status, 0, check.stderr);

    // staging moved on in main.ts but not rendered: what staging runs is not in dist/, so refused.
    fs.writeFileSync(path.join(repo, 'main.ts'), after.replace("newTag: 'v3.2.0'", "newTag: 'v3.3.0'"));
    await bundleIt();
    const stale = snapshot();
    const r = promo('promote', 'checkout', 'staging', 'prod');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /dist\/checkout\/staging\/ does not run public\.ecr\.aws\/acme\/checkout:v3\.3\.0/);
    assert.deepEqual(snapshot(), stale);
  });
});
