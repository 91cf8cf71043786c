/** The generated dist/README.md: marker, topology diagram (Mermaid), version and image matrices, databases. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADDON_CATALOG, fleetOutputs, resolveFleet, ResolvedFleet } from '../charts/index.js';
import { FLEET_README_MARKER, fleetReadme } from '../charts/readme/fleet-readme.js';
import { GITHUB_MERMAID_LIMITS } from '../charts/readme/topology-diagram.js';
import { addonVersionFor } from '../charts/model/addon-versions.js';
import { SIZES, syntheticFleet } from '../bench/synthetic-fleet.js';
import { exampleFleet, fleetCopy, objects, render, withSpec } from './support/fleet.js';

/** The README as `npm run synth` writes it (the image matrix reads the rendered app manifests). */
const readme = render().get('README.md')!;

/** The text between the ```mermaid fence and its closing fence. */
function mermaidBlock(md: string): string {
  const m = md.match(/```mermaid\n([\s\S]*?)\n```/);
  assert.ok(m, 'the README has a mermaid block');
  return m[1];
}

/** A section's first Markdown table as rows of cells (header first, separator dropped). */
function sectionTable(md: string, heading: string): string[][] {
  const section = md.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  assert.ok(section, `the README has a section "${heading}"`);
  const rows = section.split('\n').filter((l) => l.startsWith('| '));
  return rows.filter((_, i) => i !== 1).map((l) => l.slice(2, -2).split(' | '));
}

/** The cell of a table row (first cell equal to `row`) in the column whose header starts with `column`. */
function cellOf(tableRows: string[][], row: string, column: string): string {
  const header = tableRows[0];
  const col = header.findIndex((h) => h === column || h.startsWith(`${column}<br>`));
  assert.ok(col >= 0, `column ${column} in ${header.join(', ')}`);
  const r = tableRows.find((cells) => cells[0] === row);
  assert.ok(r, `row ${row}`);
  return r[col];
}

/**
 * Problems that would stop Mermaid or GitHub: a first line other than `flowchart`, unbalanced
 * subgraph/end, ids with other characters than letters, digits and `_`, labels with a raw quote or HTML
 * other than `<br/>` and `<b>`, edges to undeclared nodes, too many edges or characters.
 */
function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  if (!/^flowchart (LR|TB|TD|RL|BT)$/.test(lines[0])) problems.push(`first line: ${lines[0]}`);
  const declared = new Set<string>();
  const edges: Array<[string, string, number]> = [];
  let depth = 0;
  lines.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    const at = `line ${i + 2}`;
    let m: RegExpMatchArray | null;
    if (line === 'end') {
      depth--;
      if (depth < 0) problems.push(`${at}: end without subgraph`);
    } else if ((m = line.match(/^subgraph (\S+)\["([^"]*)"\]$/))) {
      depth++;
      declared.add(m[1]);
      if (!/^[A-Za-z0-9_]+$/.test(m[1])) problems.push(`${at}: subgraph id ${m[1]}`);
    } else if ((m = line.match(/^(\S+) (-->\|[A-Za-z0-9 ]+\||-\.-) (\S+)$/))) {
      edges.push([m[1], m[3], i + 2]);
    } else if ((m = line.match(/^([^\s[(]+)(\[|\(\[)"([^"]*)"(\]|\]\)):::(\w+)$/))) {
      if (!/^[A-Za-z0-9_]+$/.test(m[1])) problems.push(`${at}: node id ${m[1]}`);
      if (declared.has(m[1])) problems.push(`${at}: ${m[1]} declared twice`);
      declared.add(m[1]);
      const html = m[3].replace(/<br\/>|<\/?b>/g, '');
      if (/[<>]/.test(html)) problems.push(`${at}: raw HTML in label ${m[3]}`);
    } else if (!/^(accTitle:|accDescr:|classDef )/.test(line)) {
      problems.push(`${at}: not understood: ${line}`);
    }
  });
  if (depth !== 0) problems.push(`${depth} subgraphs not closed`);
  for (const [from, to, line] of edges) {
    for (const id of [from, to]) if (!declared.has(id)) problems.push(`line ${line}: edge to undeclared ${id}`);
  }
  if (edges.length > GITHUB_MERMAID_LIMITS.maxEdges) problems.push(`${edges.length} edges`);
  if (text.length > GITHUB_MERMAID_LIMITS.maxTextSize) problems.push(`${text.length} characters`);
  return problems;
}

/** The example with a second hub managing a copy of the prod spoke without its cluster pin. */
function twoHubFleet(): ResolvedFleet {
  const spec = fleetCopy();
  const hub = spec.clusters.find((c) => c.role === 'hub')!;
  const prod = spec.clusters.find((c) => c.name === 'spoke-prod')!;
  const { 'kube-prometheus-stack': _pinned, ...prodAddons } = prod.addons!;
  spec.clusters.push({ ...structuredClone(hub), name: 'hub-east', region: 'us-east-1' });
  spec.clusters.push({ ...structuredClone(prod), name: 'spoke-east-prod', region: 'us-east-1', hub: 'hub-east', addons: prodAddons });
  for (const c of spec.clusters) if (c.role === 'spoke' && c.hub === undefined) c.hub = 'hub';
  return resolveFleet(spec, ADDON_CATALOG);
}

describe('fleet README', () => {
  it('starts with the do-not-edit marker and titles the fleet', () => {
    const lines = readme.split('\n');
    assert.equal(lines[0], FLEET_README_MARKER);
    assert.equal(lines[0], '<!-- Generated by cdk8s-fleet (npm run synth). Do not edit: change environments/ or charts/. -->');
    assert.equal(lines[1], '# Fleet `fleet`');
    assert.ok(readme.endsWith('```\n') || readme.endsWith('|\n'), 'ends with one newline');
  });

  it('is an output file of the fleet, written as text at dist/README.md', () => {
    const file = fleetOutputs(exampleFleet).find((f) => f.path === 'README.md');
    assert.ok(file);
    assert.equal(file.text, readme);
  });

  it('lists the folders of dist/ and the bootstrap command of README.md', () => {
    for (const folder of ['hub/bootstrap/', 'hub/apps/', 'hub/argocd/', 'hub/crossplane/', 'addons/values/', 'teams/', 'apps/']) {
      assert.ok(readme.includes(`- \`${folder}\`: `), `folder ${folder}`);
    }
    // Argo CD installed with the fleet's own values first (its health checks hold from the first sync), at the hub's version.
    assert.ok(readme.includes('```sh\nhelm install argo-cd argo-cd --repo https://argoproj.github.io/argo-helm --version 10.1.1 -n argocd --create-namespace -f dist/addons/values/default/argo-cd/values.yaml -f dist/addons/values/clusters/hub/argo-cd/values.yaml\nkubectl apply -n argocd -f dist/hub/bootstrap/root-app.yaml\n```'));
    const values = readFileSync(new URL('../dist/addons/values/default/argo-cd/values.yaml', import.meta.url), 'utf8');
    assert.match(values, /resource\.customizations\.health\.argoproj\.io_Application/, 'the install values hold the child Application health check');
    assert.ok(readme.includes('root Application `fleet-root`'));
  });

  it('draws every cluster in a subgraph of its AWS account, with its account id', () => {
    const mermaid = mermaidBlock(readme);
    for (const c of exampleFleet.spec.clusters) assert.ok(mermaid.includes(`<b>${c.name}</b>`), `cluster ${c.name}`);
    assert.ok(mermaid.includes('subgraph account_central["AWS account central (111122223333)"]'));
    assert.ok(mermaid.includes('subgraph account_tenant1["AWS account tenant1 (444455556666)"]'));
    const tenant = mermaid.slice(mermaid.indexOf('subgraph account_tenant1'));
    assert.ok(tenant.slice(0, tenant.indexOf('\n  end')).includes('cluster_spoke_prod["'), 'spoke-prod inside tenant1');
  });

  it('styles the hub apart and draws an edge from its Argo CD to each spoke', () => {
    const mermaid = mermaidBlock(readme);
    assert.match(mermaid, /cluster_hub\[".*Argo CD \(self-managed\)"\]:::hub/);
    assert.match(mermaid, /cluster_spoke_prod\[".*"\]:::spoke/);
    const edges = mermaid.split('\n').filter((l) => l.includes('-->'));
    assert.deepEqual(edges.map((l) => l.trim()).sort(), ['cluster_hub -->|Argo CD| cluster_spoke_prod', 'cluster_hub -->|Argo CD| cluster_spoke_staging']);
  });

  it('hangs one add-ons node and one apps node off each cluster: names up to 8, else the count', () => {
    const mermaid = mermaidBlock(readme);
    assert.ok(mermaid.includes('addons_hub(["6 add-ons<br/>argo-cd, aws-load-balancer-controller, cert-manager<br/>crossplane, external-secrets, metrics-server"]):::addons'));
    assert.ok(mermaid.includes('addons_spoke_staging(["13 add-ons"]):::addons'));
    assert.ok(mermaid.includes('addons_spoke_prod(["15 add-ons"]):::addons'), 'prod adds velero and aws-for-fluent-bit');
    assert.ok(mermaid.includes('apps_spoke_staging["4 apps<br/>webstore: backend, frontend, mailer, ui"]:::apps'));
    assert.ok(mermaid.includes('apps_spoke_prod["3 apps<br/>webstore: backend, frontend, mailer"]:::apps'), 'ui runs only in staging');
    assert.ok(!mermaid.includes('apps_hub'), 'the hub runs no team workloads');
    assert.ok(mermaid.includes('  cluster_spoke_prod -.- addons_spoke_prod'));
  });

  it('the Mermaid text is plausible: balanced subgraphs, sanitized ids, every edge between declared nodes', () => {
    assert.deepEqual(mermaidProblems(mermaidBlock(readme)), []);
    assert.deepEqual(mermaidProblems(mermaidBlock(fleetReadme(twoHubFleet()))), []);
    assert.deepEqual(mermaidProblems(mermaidBlock(fleetReadme(twoHubFleet(), { maxDiagramClusters: 2 }))), []);
  });

  it('the checker finds what Mermaid would refuse', () => {
    const good = mermaidBlock(readme);
    assert.match(mermaidProblems(good.replace(/\n {2}end\n/, '\n'))[0], /subgraphs not closed/);
    assert.match(mermaidProblems(`${good}\n  cluster_hub -->|Argo CD| cluster_nowhere`)[0], /edge to undeclared cluster_nowhere/);
    assert.match(mermaidProblems(good.replace('cluster_spoke_prod["', 'cluster-spoke-prod["')).join('\n'), /node id cluster-spoke-prod/);
  });

  it('escapes label text: quotes and angle brackets become entity codes', () => {
    const spec = fleetCopy();
    spec.clusters.find((c) => c.name === 'spoke-prod')!.region = 'us-"west"<2>';
    const mermaid = mermaidBlock(fleetReadme(resolveFleet(spec, ADDON_CATALOG)));
    assert.ok(mermaid.includes('us-#quot;west#quot;#lt;2#gt; · Kubernetes 1.33'));
    assert.deepEqual(mermaidProblems(mermaid), []);
  });

  it('the version matrix has a row per add-on in use, the hub first, then clusters in promotion order', () => {
    const t = sectionTable(readme, 'Add-on versions');
    assert.deepEqual(t[0], ['add-on', 'catalog', 'hub<br>control-plane', 'spoke-staging<br>staging', 'spoke-prod<br>prod']);
    const rows = t.slice(1).map((r) => r[0]);
    assert.deepEqual(rows, [...rows].sort());
    assert.ok(!rows.includes('`vpa`'), 'only add-ons that run somewhere');
  });

  it('shows environment and cluster pins in their column, in bold; — where an add-on is off', () => {
    const t = sectionTable(readme, 'Add-on versions');
    // environments.ts: prod pins cert-manager v1.20.3; the hub (1.33) and staging (1.34) run what their minor gets.
    assert.equal(cellOf(t, '`cert-manager`', 'spoke-prod'), '**v1.20.3**');
    assert.equal(cellOf(t, '`cert-manager`', 'spoke-staging'), 'v1.21.1');
    assert.equal(cellOf(t, '`cert-manager`', 'hub'), 'v1.21.1');
    assert.equal(cellOf(t, '`cert-manager`', 'catalog'), 'v1.21.1');
    assert.equal(cellOf(t, '`karpenter`', 'spoke-staging'), '1.14.1');
    assert.equal(cellOf(t, '`karpenter`', 'spoke-prod'), '1.14.1');
    assert.equal(cellOf(t, '`karpenter`', 'catalog'), '1.14.1');
    assert.equal(cellOf(t, '`karpenter`', 'hub'), '—');
    // clusters.ts: spoke-prod keeps kube-prometheus-stack 65.8.1.
    assert.equal(cellOf(t, '`kube-prometheus-stack`', 'spoke-prod'), '**65.8.1**');
    assert.equal(cellOf(t, '`kube-prometheus-stack`', 'spoke-staging'), '88.5.3');
    // Not a pin: the descheduler's version follows each cluster's Kubernetes minor (staging 1.34, prod 1.33).
    assert.equal(cellOf(t, '`descheduler`', 'catalog'), '0.36.0');
    assert.equal(cellOf(t, '`descheduler`', 'spoke-staging'), '0.34.0');
    assert.equal(cellOf(t, '`descheduler`', 'spoke-prod'), '0.33.0');
    assert.equal(cellOf(t, '`velero`', 'spoke-staging'), '—');
  });

  it('above the column limit, the version matrix has a column per environment with versions and cluster counts', () => {
    const t = sectionTable(fleetReadme(twoHubFleet(), { maxMatrixClusters: 4 }), 'Add-on versions');
    assert.deepEqual(t[0], ['add-on', 'catalog', 'control-plane<br>2 clusters', 'staging<br>1 cluster', 'prod<br>2 clusters']);
    assert.equal(cellOf(t, '`kube-prometheus-stack`', 'prod'), '**65.8.1** ×1<br>88.5.3 ×1');
    assert.equal(cellOf(t, '`velero`', 'prod'), '12.1.0');
    assert.equal(cellOf(t, '`velero`', 'staging'), '—');
    assert.equal(cellOf(t, '`crossplane`', 'control-plane'), '2.3.4');
  });

  it('the image matrix shows each webstore app per environment: tag or short digest, replicas, — where it does not run', () => {
    const t = sectionTable(readme, 'App images');
    assert.deepEqual(t[0], ['app', 'repository', 'staging', 'prod']);
    assert.deepEqual(t.slice(1).map((r) => r[0]), ['webstore/backend', 'webstore/frontend', 'webstore/mailer', 'webstore/ui']);
    assert.equal(cellOf(t, 'webstore/frontend', 'repository'), '`public.ecr.aws/acme-webstore/frontend`');
    assert.equal(cellOf(t, 'webstore/frontend', 'staging'), '`v2.0` · ×1');
    assert.equal(cellOf(t, 'webstore/frontend', 'prod'), '`v1.0` · ×3');
    assert.equal(cellOf(t, 'webstore/backend', 'staging'), '`v2.0` · HPA 2–6');
    assert.equal(cellOf(t, 'webstore/backend', 'prod'), '`v1.0` · HPA 2–12', 'the JSON6902 patch of maxReplicas is followed');
    assert.equal(cellOf(t, 'webstore/mailer', 'staging'), '`@sha256:5b0bcabd1ed2…` · ×1');
    assert.equal(cellOf(t, 'webstore/mailer', 'prod'), '`@sha256:5b0bcabd1ed2…` · ×2');
    assert.equal(cellOf(t, 'webstore/ui', 'staging'), '`v0.9.0` · ×1');
    assert.equal(cellOf(t, 'webstore/ui', 'prod'), '—');
  });

  it('the image matrix agrees with the rendered manifests of every app and environment', () => {
    const t = sectionTable(readme, 'App images');
    const rendered = objects(render()).filter((o) => o.file.startsWith('apps/'));
    let checked = 0;
    for (const { file, obj } of rendered) {
      if (obj.kind !== 'Deployment' && obj.kind !== 'HorizontalPodAutoscaler') continue;
      const [, team, app, env] = file.split('/');
      const cell = cellOf(t, `${team}/${app}`, env);
      if (obj.kind === 'HorizontalPodAutoscaler') {
        assert.ok(cell.endsWith(`HPA ${obj.spec.minReplicas}–${obj.spec.maxReplicas}`), `${file}: ${cell}`);
      } else {
        const image: string = obj.spec.template.spec.containers[0].image;
        const tag = image.includes('@') ? `@${image.split('@')[1].slice(0, 19)}…` : image.slice(image.lastIndexOf(':') + 1);
        assert.ok(cell.startsWith(`\`${tag}`), `${file}: ${image} vs ${cell}`);
        if (obj.spec.replicas !== undefined) assert.ok(cell.endsWith(` · ×${obj.spec.replicas}`), `${file}: ${obj.spec.replicas} vs ${cell}`);
      }
      checked++;
    }
    assert.equal(checked, 9, '7 Deployments (ui only in staging) and 2 HorizontalPodAutoscalers');
  });

  it('lists the databases per environment, team and app with their size', () => {
    const t = sectionTable(readme, 'Databases');
    assert.deepEqual(t.slice(1).map((r) => r.slice(0, 4)), [
      ['staging', 'webstore', 'backend', 'small'],
      ['prod', 'webstore', 'backend', 'medium'],
    ]);
  });

  it('is deterministic: the same bytes twice, and whatever the order of the input lists', () => {
    assert.equal(render().get('README.md'), readme);
    const spec = fleetCopy();
    spec.clusters.reverse();
    spec.accounts.reverse();
    spec.environments.reverse();
    const teams = spec.teams!.map((t) => ({ ...t, apps: [...t.apps].reverse() }));
    assert.equal(render(withSpec({ ...spec, teams })).get('README.md'), readme);
    assert.doesNotMatch(readme, /\d{4}-\d{2}-\d{2}|\/work\/|\/home\//, 'no dates, no absolute paths');
  });

  it('with several hubs: each hub manages its own spokes and has its own bootstrap', () => {
    const md = fleetReadme(twoHubFleet());
    const edges = mermaidBlock(md).split('\n').filter((l) => l.includes('-->')).map((l) => l.trim()).sort();
    assert.deepEqual(edges, [
      'cluster_hub -->|Argo CD| cluster_spoke_prod',
      'cluster_hub -->|Argo CD| cluster_spoke_staging',
      'cluster_hub_east -->|Argo CD| cluster_spoke_east_prod',
    ]);
    assert.match(mermaidBlock(md), /cluster_hub_east\[".*"\]:::hub/);
    assert.ok(md.includes('kubectl apply -n argocd -f dist/hubs/hub/bootstrap/root-app.yaml'));
    assert.ok(md.includes('kubectl apply -n argocd -f dist/hubs/hub-east/bootstrap/root-app.yaml'));
    const t = sectionTable(md, 'Add-on versions');
    assert.deepEqual(t[0].slice(2, 4), ['hub<br>control-plane', 'hub-east<br>control-plane'], 'hubs first');
  });

  for (const name of ['M', 'L']) {
    it(`${name} synthetic fleet: the diagram collapses spokes per account and environment and stays within GitHub's limits`, () => {
      const size = SIZES.find((s) => s.name === name)!;
      const fleet = resolveFleet(syntheticFleet(size).spec, ADDON_CATALOG);
      const md = fleetReadme(fleet);
      const mermaid = mermaidBlock(md);
      assert.ok(mermaid.length < 50_000, `${mermaid.length} characters`);
      assert.deepEqual(mermaidProblems(mermaid), []);
      assert.ok(md.includes(`${size.clusters - 1} spokes are too many to draw one by one`));
      // 10 tenant accounts x 3 environments, one box each, whose counts add up to every spoke.
      const boxes = [...mermaid.matchAll(/^ {4}spokes_\w+\["<b>\w+<\/b><br\/>(\d+) spokes?<br\/>/gm)];
      assert.equal(boxes.length, 30);
      assert.equal(boxes.reduce((n, m) => n + Number(m[1]), 0), size.clusters - 1);
      assert.equal(mermaid.split('\n').filter((l) => l.includes('-->|Argo CD|')).length, 30);
      assert.ok(!/cluster_(dev|staging|prod)_\d+/.test(mermaid), 'no box per spoke');
      // Version matrix: one column per environment, with its number of clusters.
      const t = sectionTable(md, 'Add-on versions');
      assert.deepEqual(t[0].slice(2).map((h) => h.split('<br>')[0]), ['control-plane', 'dev', 'staging', 'prod']);
      // No pin in dev: every dev cluster runs the cert-manager of its Kubernetes minor, not in bold.
      const devMinors = new Set(fleet.clusters.filter((c) => c.environment.name === 'dev').map((c) => c.kubernetesVersion));
      assert.equal(devMinors.size, 1, 'the dev spokes share a Kubernetes minor');
      const certManager = ADDON_CATALOG.find((a) => a.name === 'cert-manager')!;
      assert.equal(cellOf(t, '`cert-manager`', 'dev'), addonVersionFor(certManager, [...devMinors][0]));
      // Image matrix: a row per app.
      assert.equal(sectionTable(md, 'App images').length - 1, size.apps);
    });
  }

  it('above the box limit again, the diagram collapses spokes per environment', () => {
    const fleet = resolveFleet(syntheticFleet(SIZES.find((s) => s.name === 'M')!).spec, ADDON_CATALOG);
    const md = fleetReadme(fleet, { maxDiagramClusters: 10 });
    const mermaid = mermaidBlock(md);
    assert.deepEqual(mermaidProblems(mermaid), []);
    assert.ok(mermaid.includes('subgraph account__spokes["10 AWS accounts with spokes"]'));
    assert.deepEqual([...mermaid.matchAll(/^ {4}spokes_hub_(\w+)\["<b>\w+<\/b><br\/>(\d+) spokes/gm)].map((m) => `${m[1]} ${m[2]}`), ['dev 33', 'staging 33', 'prod 33']);
  });
});
