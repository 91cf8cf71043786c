import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { synthesizeScope } from './synthesize-scope.js';
import { AppSpec } from '../model/spec.js';
import { Problem } from '../validate/problems.js';
import { ResolvedTeam } from '../model/resolve.js';
import { applyOverlay, KubeObject, Overlay, OverlayError } from '../../engines/kustomize/index.js';
import { AppPropsError } from '../apps/app-workload.js';
import { WebService } from '../apps/web-service.js';
import { Worker } from '../apps/worker.js';

/** The Secret (made by External Secrets on the spoke) an app's database connection is in: `<app>-database`. */
export function databaseSecretName(app: string): string {
  return `${app}-database`;
}

/** The base objects of an app, built once in a cdk8s App of their own. */
export function buildAppBase(app: AppSpec): KubeObject[] {
  const cdk = new App({ outdir: '/nonexistent' });
  const chart = new Chart(cdk, app.name, { disableResourceNameHashes: true });
  const scope = new Construct(chart, 'base');
  // An app with a database reads its connection from the Secret its ExternalSecret makes.
  const envFromSecrets = app.database ? [...(app.webService ?? app.worker)?.envFromSecrets ?? [], databaseSecretName(app.name)] : undefined;
  if (app.webService) new WebService(scope, app.name, { ...app.webService, name: app.name, ...(envFromSecrets && { envFromSecrets }) });
  else if (app.worker) new Worker(scope, app.name, { ...app.worker, name: app.name, ...(envFromSecrets && { envFromSecrets }) });
  else app.chart?.(scope);
  return synthesizeScope(scope) as KubeObject[];
}

/**
 * The overlay an environment gets: the team's own overlay plus what the platform sets: the team's
 * namespace and a `team` label on objects and pod templates (not on selectors, which stay stable).
 */
export function environmentOverlay(team: ResolvedTeam, environment: string, overlay: Overlay): Overlay {
  return {
    ...overlay,
    namespace: team.namespace(environment),
    labels: [...(overlay.labels ?? []), { pairs: { team: team.name }, includeSelectors: false, includeTemplates: true }],
  };
}

/** Rendered objects of one app in every environment it runs in, or the problems that stop it. */
export interface AppManifests {
  readonly byEnvironment: ReadonlyMap<string, readonly KubeObject[]>;
  readonly problems: readonly Problem[];
}

/** Errors that mean the input is wrong: an app construct's props, or an overlay kustomize would refuse. */
function isInputError(e: unknown): e is AppPropsError | OverlayError {
  return e instanceof AppPropsError || e instanceof OverlayError;
}

/**
 * Renders an app for each of its environments: base once, then the environment overlay with
 * kustomize semantics. Input errors become problems naming the file and field (`teams[0].apps[1]...`);
 * any other error is a bug and propagates.
 */
export function renderAppManifests(team: ResolvedTeam, app: AppSpec, at: string, file: string): AppManifests {
  const byEnvironment = new Map<string, KubeObject[]>();
  const problems: Problem[] = [];
  let base: KubeObject[];
  try {
    base = buildAppBase(app);
  } catch (e) {
    if (!isInputError(e)) throw e;
    return { byEnvironment, problems: [{ file, path: at, message: e.message }] };
  }
  for (const env of team.environments) {
    const overlay = app.environments[env.name];
    if (overlay === undefined) continue;
    const path = `${at}.environments.${env.name}`;
    try {
      const objects = applyOverlay(base, environmentOverlay(team, env.name, overlay));
      for (const o of objects) {
        if (o.kind === 'Secret') {
          problems.push({ file, path, message: `renders Secret "${o.metadata.name}": Secrets are never rendered into git; read credentials with an ExternalSecret` });
        }
      }
      byEnvironment.set(env.name, objects);
    } catch (e) {
      if (!isInputError(e)) throw e;
      problems.push({ file, path, message: e.message });
    }
  }
  return { byEnvironment, problems };
}

