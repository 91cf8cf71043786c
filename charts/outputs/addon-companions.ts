import { clusterCompanions } from '../model/companions.js';
import { ResolvedFleet } from '../model/resolve.js';
import { addonCompanionFile, joinPath } from '../layout/dist-layout.js';
import { OutputFile } from './output-file.js';

/**
 * The companion objects of every add-on on every cluster that runs it, layered (catalog default ->
 * environment -> cluster), one object per file: `addons/companions/<cluster>/<addon>/<kind>-<name>.yaml`.
 * Validation has checked them first (schemas, references, one file per object, none removed where the
 * Application reads the folder). Each carries Argo CD's sync wave 1 (unless it sets its own), so the
 * chart's CRDs, controllers and webhooks (wave 0) are applied and healthy first.
 */
export function addonCompanionOutputs(fleet: ResolvedFleet): OutputFile[] {
  const root = joinPath(fleet.repos.addons.path);
  const out: OutputFile[] = [];
  for (const cluster of fleet.clusters) {
    for (const [name, running] of cluster.addons) {
      for (const { object } of clusterCompanions(running.definition, cluster)) {
        const kind = String(object.kind);
        const metadata = object.metadata as { name: string };
        out.push({ path: joinPath(root, addonCompanionFile(cluster.name, name, { kind, metadata })), data: withSyncWave(object) });
      }
    }
  }
  return out;
}

/** Argo CD's sync-wave annotation: companions after the chart's resources. */
export const COMPANION_SYNC_WAVE = { 'argocd.argoproj.io/sync-wave': '1' } as const;

function withSyncWave(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const annotations = (metadata.annotations ?? {}) as Record<string, string>;
  return { ...object, metadata: { ...metadata, annotations: { ...COMPANION_SYNC_WAVE, ...annotations } } };
}
