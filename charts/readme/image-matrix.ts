/** The app x environment image matrix of the generated README, read from the rendered manifests. */
import { POD_SPEC_PATH } from '../../engines/kustomize/container-patch.js';
import type { KubeObject } from '../../engines/kustomize/kube-object.js';
import { ResolvedFleet, ResolvedTeam } from '../model/resolve.js';
import type { AppSpec } from '../model/spec.js';
import { appEnvironments } from './fleet-queries.js';
import { table, tableRow } from './markdown.js';

/** Key of an app's rendered manifests in an environment: `<team>/<app>/<environment>`. */
export function appManifestKey(team: string, app: string, environment: string): string {
  return `${team}/${app}/${environment}`;
}

/** What an app runs in one environment, as far as the model states it. */
interface AppRun {
  /** Image of the workload's first container; undefined when the app has no workload with a pod template. */
  readonly image?: string;
  /** `×3`, `HPA 2–6`, or undefined when the manifests do not say. */
  readonly replicas?: string;
}

function dig(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * The image and replicas of an app in an environment, read from its rendered manifests (after the
 * environment's overlay, so they are what Argo CD will apply): the first workload with a pod template,
 * and its HorizontalPodAutoscaler's bounds when there is one.
 */
function appRun(objects: readonly KubeObject[]): AppRun {
  const workload = objects.find((o) => POD_SPEC_PATH[o.kind] !== undefined);
  if (!workload) return {};
  const containers = dig(workload, [...POD_SPEC_PATH[workload.kind], 'containers']);
  const image = Array.isArray(containers) ? dig(containers[0], ['image']) : undefined;
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && dig(o, ['spec', 'scaleTargetRef', 'name']) === workload.metadata.name);
  const replicas = dig(workload, ['spec', 'replicas']);
  return {
    image: typeof image === 'string' ? image : undefined,
    replicas: hpa ? `HPA ${dig(hpa, ['spec', 'minReplicas']) ?? 1}–${dig(hpa, ['spec', 'maxReplicas'])}` : typeof replicas === 'number' ? `×${replicas}` : undefined,
  };
}

/** Splits `repo[:tag][@digest]` (the registry may have a port). */
function splitReference(ref: string): { repository: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

/** `tag`, `@sha256:<12 hex>…`, or both; with the repository when it is not the row's. */
function shortImage(ref: string, rowRepository: string): string {
  const { repository, tag, digest } = splitReference(ref);
  const d = digest ? `@${digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…')}` : '';
  const short = `${tag ?? ''}${d}`;
  return `\`${repository === rowRepository ? short : `${repository}${tag ? ':' : ''}${short}`}\``;
}

/** The matrix's row of an app (its cells unescaped), or undefined when the app runs in none of the environments. */
function appRow(envs: readonly { name: string }[], team: ResolvedTeam, app: AppSpec, manifests: ReadonlyMap<string, readonly KubeObject[]>): string[] | undefined {
  const props = app.webService ?? app.worker;
  const runs = new Map(envs.map((e) => [e.name, appRun(manifests.get(appManifestKey(team.name, app.name, e.name)) ?? [])]));
  const firstImage = [...runs.values()].find((r) => r.image)?.image;
  const repository = props ? props.image.repository : firstImage ? splitReference(firstImage).repository : '';
  const cells = envs.map((e) => {
    if (!team.environments.some((te) => te.name === e.name) || app.environments[e.name] === undefined) return '—';
    const run = runs.get(e.name)!;
    const image = run.image ? shortImage(run.image, repository) : 'runs';
    return run.replicas ? `${image} · ${run.replicas}` : image;
  });
  if (cells.every((c) => c === '—')) return undefined;
  return [`${team.name}/${app.name}`, repository ? `\`${repository}\`` : '—', ...cells];
}

/**
 * The README's "App images" section: per app its image repository and, per environment, the tag or
 * digest and the replicas read from the rendered manifests; empty when no team deploys an app.
 */
export function imageMatrix(fleet: ResolvedFleet, manifests: ReadonlyMap<string, readonly KubeObject[]>): string {
  const envs = appEnvironments(fleet);
  if (envs.length === 0) return '';
  const rows = fleet.teams.flatMap((team) => team.apps.flatMap((app) => { const row = appRow(envs, team, app, manifests); return row ? [row] : []; }));
  const note =
    'Image (tag, or digest shortened to 12 hex digits; the full reference when the environment changes the repository) and replicas of each app per environment, read from its rendered manifests. —: the app does not run there.';
  return ['## App images', '', note, '', table(['app', 'repository', ...envs.map((e) => e.name)], rows)].join('\n');
}

/**
 * An app's line of the image matrix as `imageMatrix` writes it (it starts with `| <team>/<app> |`), or
 * undefined when the matrix has no line for it. For an incremental render that changed only this app.
 */
export function imageMatrixLine(fleet: ResolvedFleet, team: ResolvedTeam, app: AppSpec, manifests: ReadonlyMap<string, readonly KubeObject[]>): string | undefined {
  const envs = appEnvironments(fleet);
  const row = envs.length === 0 ? undefined : appRow(envs, team, app, manifests);
  return row && tableRow(row);
}
