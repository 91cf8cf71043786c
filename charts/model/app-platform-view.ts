/**
 * What the rest of the fleet reads of an app: everything outside the app's own manifests
 * (`apps/<team>/<app>/<env>/`) and its row of the README's image matrix depends on these fields only.
 *
 * - the name (Applications of the workloads ApplicationSet, network policies, database names);
 * - which base it has, and for a web service its port and Ingress (network policies admit the port,
 *   from the ALB when there is an Ingress);
 * - the environments it has an overlay for (the workloads ApplicationSet's list, the team's project);
 * - `connectsTo`, `internetEgress` (network policies) and `database` (Crossplane claims, the team's
 *   secret store and ExternalSecrets, IAM, the IaC contract);
 * - a `chart` function as it is (it is code, so a fleet with one is never cached).
 *
 * Everything else of an app (image, replicas, env, resources, probes, each overlay's contents...) is
 * read only by its own manifests. An incremental render relies on this: when no app's view changed,
 * the files outside the changed apps' folders are those of the last render. `test/render-fast-path.test.ts`
 * checks it against a complete render.
 */
import type { AppSpec } from './spec.js';

/** The part of an app the rest of the fleet reads (see the file's comment). */
export function appPlatformView(app: AppSpec): Record<string, unknown> {
  const web = app.webService;
  return {
    name: app.name,
    base: web ? { kind: 'webService', port: web.port, ingress: web.ingress } : app.worker ? { kind: 'worker' } : app.chart ? { kind: 'chart', chart: app.chart } : undefined,
    environments: app.environments !== null && typeof app.environments === 'object' ? Object.keys(app.environments) : app.environments,
    connectsTo: app.connectsTo,
    internetEgress: app.internetEgress,
    database: app.database,
  };
}
