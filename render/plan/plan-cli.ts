import { FleetPlan, planFleet, PlanEntry } from './plan.js';
import { FleetOutputsOptions } from '../../charts/outputs/fleet-outputs.js';
import { FleetSource } from '../../charts/model/spec.js';
import { reportFailure, UsageError } from '../cli-failure.js';
import { renderChecked } from '../cli.js';
import { plural } from '../../engines/util/index.js';

const USAGE = `usage: main.ts plan [--json]
  plan         print, per cluster, every Application Argo CD will generate from the rendered ApplicationSets
               and cluster Secrets, and the plain Applications: name, project, source, namespace, and what
               removing it would do (uninstall: Argo CD deletes its resources; orphan: they keep running)
  plan --json  the same as JSON for tools: { clusters, applications, problems }
Exit 1 when Argo CD would fail on something (each problem on stderr), 2 on a usage error.`;



/**
 * The plan as a table: one header line per cluster (environment, server, count), then one aligned row
 * per Application (name, project, source, destination namespace, and what removing it would do:
 * `removal: uninstall` or `removal: orphan`), then a count line. Applications whose destination matches
 * no cluster come last, under their own header.
 */
export function formatPlanTable(plan: FleetPlan): string {
  const rows = plan.entries.map((e) => [e.application, e.project, e.source, e.destinationNamespace]);
  // A loop, not Math.max(...rows): spreading ~500k rows of an L fleet overflows the call stack.
  const widths = [0, 1, 2, 3].map((i) => rows.reduce((w, r) => Math.max(w, r[i].length), 0));
  const row = (e: PlanEntry) =>
    `  ${[e.application, e.project, e.source, e.destinationNamespace]
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')}  removal: ${e.onRemoval}`;
  const lines: string[] = [];
  const groups = new Map<string, PlanEntry[]>();
  for (const e of plan.entries) {
    const group = groups.get(e.cluster);
    if (group) group.push(e);
    else groups.set(e.cluster, [e]);
  }
  for (const c of plan.clusters) {
    const entries = groups.get(c.name) ?? [];
    const env = `${c.environment ? `environment ${c.environment}, ` : ''}${c.hub ? `hub ${c.hub}, ` : ''}`;
    lines.push(`${c.name} (${env}${c.server}): ${plural(entries.length, 'Application')}`);
    lines.push(...entries.map(row));
  }
  const lost = groups.get('') ?? [];
  if (lost.length > 0) {
    lines.push(`(destination matches no cluster): ${plural(lost.length, 'Application')}`);
    lines.push(...lost.map((e) => `${row(e)}  -> ${e.server || '(no server)'}`));
  }
  const generated = plan.entries.filter((e) => e.applicationSet !== undefined).length;
  const plain = plan.entries.length - generated;
  const onClusters = plan.clusters.filter((c) => c.applications > 0).length;
  const uninstall = plan.entries.filter((e) => e.onRemoval === 'uninstall').length;
  lines.push(
    '',
    `${plural(plan.entries.length, 'Application')} on ${plural(onClusters, 'cluster')} from ${plural(plan.applicationSets, 'ApplicationSet')}` +
      ` (${generated} generated, ${plain} plain)`,
    `If removed (add-on disabled, Application no longer rendered): ${uninstall} uninstall (Argo CD deletes their resources, not CRDs),` +
      ` ${plan.entries.length - uninstall} orphan (their resources keep running, unmanaged); removing a cluster Secret orphans all of its Applications; see docs/addon-removal.md`,
  );
  return lines.join('\n');
}

/** The plan as stable JSON for tools: every field always present (null where there is no value), sorted. */
export function formatPlanJson(plan: FleetPlan): string {
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

/** The fleet's own repositories, which Argo CD must have credentials for unless `repos.public` says they are public. */
export function privateGitRepos(source: FleetSource): string[] {
  const repos = source.spec.repos;
  if (!repos || repos.public === true) return [];
  return [...new Set([repos.addons?.url, repos.workloads?.url].filter((u): u is string => typeof u === 'string'))];
}

/**
 * `npm run plan`: renders the fleet in memory (input validation and policies as in synth), expands every
 * ApplicationSet against the cluster Secrets with Argo CD's semantics, and prints what Argo CD will run
 * where (`--json` for tools). Returns the exit code: 1 with one line per problem on stderr when Argo CD
 * would fail on something, 2 on a usage error. `argv` may start with the command name `plan`.
 */
export function runPlan(argv: readonly string[], source: FleetSource, options: FleetOutputsOptions = {}): number {
  const args = argv[0] === 'plan' ? argv.slice(1) : argv;
  try {
    let json = false;
    for (const a of args) {
      if (a === '--json') json = true;
      else if (a === '-h' || a === '--help') {
        console.log(USAGE);
        return 0;
      } else throw new UsageError(`unknown option ${JSON.stringify(a)}`);
    }
    const tree = renderChecked(source, options);
    if (typeof tree === 'number') return tree;
    const plan = planFleet(tree.objects, { argocdNamespace: source.spec.argocd?.namespace ?? 'argocd', privateGitRepos: privateGitRepos(source) });
    console.log(json ? formatPlanJson(plan) : formatPlanTable(plan));
    if (plan.problems.length === 0) return 0;
    const n = plan.problems.length;
    console.error(
      [`cdk8s-fleet: ${n} problem${n === 1 ? '' : 's'} Argo CD would fail on:`, ...plan.problems.map((p) => `  ${p.file}: ${p.object}: ${p.message}`)].join('\n'),
    );
    return 1;
  } catch (e) {
    return reportFailure(e, USAGE);
  }
}
