/** Argo CD sync-wave annotation: lower waves are applied (and must be healthy) before higher ones. */
export function syncWave(wave: number): Record<string, string> {
  return { 'argocd.argoproj.io/sync-wave': String(wave) };
}

/** Labels on every object this project renders for Argo CD. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'cdk8s-fleet' } as const;
