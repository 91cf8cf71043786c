import { ADDON_CATALOG } from '../../charts/addons/catalog.js';
import { FleetOutputsOptions, resolveFleetSource } from '../../charts/outputs/fleet-outputs.js';
import { FleetSource } from '../../charts/model/spec.js';
import { FleetValidationError } from '../../charts/validate/problems.js';
import { reportFailure, UsageError } from '../cli-failure.js';
import { catalogReport, CatalogReport } from './catalog-model.js';

const USAGE = `usage: main.ts catalog [--json]
  catalog         every add-on of the catalog: chart, repository, namespace, the IAM it needs, what it depends on,
                  its version per Kubernetes minor (the version sets), each checked version with the upstream
                  release it was checked against, and the clusters of the fleet that run it, at which version and why
  catalog --json  the same as JSON for tools: { kubernetesMinors, addons }`;

/** `npm run catalog`: prints the catalog report; exit 1 on bad fleet input, 2 on a usage error. */
export function runCatalog(args: readonly string[], source: FleetSource, options: FleetOutputsOptions = {}): number {
  try {
    const unknown = args.filter((a) => a !== '--json');
    if (unknown.length > 0) throw new UsageError(`unknown argument ${unknown[0]}`);
    const catalog = options.catalog ?? ADDON_CATALOG;
    const resolved = resolveFleetSource(source, catalog);
    if (!resolved.ok) throw new FleetValidationError(resolved.problems);
    const report = catalogReport(catalog, resolved.fleet);
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatCatalog(report));
    return 0;
  } catch (e) {
    return reportFailure(e, USAGE);
  }
}

/** Columns padded to their widest cell, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

/** The report as text: add-ons, version sets, checked versions, where the fleet runs each. */
export function formatCatalog(report: CatalogReport): string {
  const out: string[] = [];
  const n = report.addons.length;
  out.push(`${n} add-ons (charts/addons/entries/<name>.ts). Enable one with enable_<name> on a cluster, or addons: { <name>: true } in environments/.`, '');
  out.push(...table([
    ['ADD-ON', 'CHART', 'REPOSITORY', 'NAMESPACE', 'IAM', 'DEPENDS ON', 'RUNS ON'],
    ...report.addons.map((a) => [
      a.deprecated ? `${a.name} (deprecated)` : a.name,
      `${a.chart} ${a.version}`,
      a.oci ? `oci://${a.repoUrl}` : a.repoUrl,
      a.namespace,
      a.iam === null ? '-' : [a.iam.managedPolicyArns.length > 0 && `${a.iam.managedPolicyArns.length} managed`, a.iam.ownPolicy && 'own policy'].filter(Boolean).join(' + ') || 'role',
      a.dependsOn.join(',') || '-',
      a.enabledOn.map((e) => e.cluster).join(',') || '-',
    ]),
  ]));
  out.push('', 'VERSION SETS: the version a cluster gets from its Kubernetes minor (kubernetes_version) when nothing pins one; - : no checked version supports it', '');
  out.push(...table([['ADD-ON', ...report.kubernetesMinors], ...report.addons.map((a) => [a.name, ...report.kubernetesMinors.map((m) => a.versionSets[m] ?? '-')])]));
  out.push('', 'CHECKED VERSIONS: each pin, the Kubernetes minors it supports, and the upstream release it was checked against', '');
  out.push(...table([
    ['ADD-ON', 'VERSION', 'APP', 'KUBERNETES', 'CHECKED AGAINST'],
    ...report.addons.flatMap((a) => a.pins.map((p) => [a.name, p.version, p.appVersion ?? '-', p.kubernetes === null ? 'not stated upstream' : p.kubernetes.max ? `${p.kubernetes.min}-${p.kubernetes.max}` : `>=${p.kubernetes.min}`, p.checkedAgainst])),
  ]));
  const running = report.addons.flatMap((a) => a.enabledOn.map((e) => [e.cluster, a.name, e.version, e.from, e.kubernetesVersion, e.checked ? 'yes' : 'NO: not a checked version for this Kubernetes minor']));
  out.push('', 'THE FLEET: what each cluster runs, at which version and why', '');
  out.push(...table([['CLUSTER', 'ADD-ON', 'VERSION', 'FROM', 'KUBERNETES', 'CHECKED'], ...running.sort((x, y) => (x[0] + x[1] < y[0] + y[1] ? -1 : 1))]));
  const deprecated = report.addons.filter((a) => a.deprecated);
  if (deprecated.length > 0) out.push('', 'DEPRECATED', '', ...deprecated.map((a) => `${a.name}: ${a.deprecated}`));
  return `${out.join('\n')}\n`;
}
