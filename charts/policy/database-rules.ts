import { Finding, objectId, PolicyContext, RenderedObjects } from './finding.js';

/**
 * `rds-safety`: composed RDS instances are encrypted and private (no patch may change that); no
 * environment opens them to the world; in production they are multi-AZ, deletion-protected, keep at
 * least 7 days of backups, take a final snapshot and are orphaned (not deleted) with their composite.
 * The Composition sets all that per environment (from the claim's namespace); a production claim that
 * carries such a field anyway is a finding (the Composition ignores it).
 */
export function databaseFindings(rendered: RenderedObjects, ctx: PolicyContext): Finding[] {
  const out: Finding[] = [];
  for (const [file, objects] of rendered) {
    for (const o of objects) {
      const add = (message: string) => out.push({ rule: 'rds-safety', file, object: objectId(o), message });
      if (o?.kind === 'Composition') {
        for (const step of o.spec?.pipeline ?? []) {
          for (const r of step.input?.resources ?? []) {
            if (r.base?.kind !== 'Instance' || !String(r.base.apiVersion).startsWith('rds.aws')) continue;
            const fp = r.base.spec?.forProvider ?? {};
            if (fp.storageEncrypted !== true) add(`composed instance ${r.name} is not encrypted`);
            if (fp.publiclyAccessible !== false) add(`composed instance ${r.name} is not private`);
            for (const p of r.patches ?? []) {
              if (/forProvider\.(storageEncrypted|publiclyAccessible|password)$/.test(p.toFieldPath ?? '')) add(`composed instance ${r.name}: a patch may change ${p.toFieldPath}`);
            }
          }
          for (const r of step.input?.resources ?? []) {
            // Per-environment values: patches whose last transform maps an environment name to the value.
            const byEnv = (toFieldPath: string): Record<string, any> =>
              (r.patches ?? []).find((p: any) => p.toFieldPath === toFieldPath && p.transforms?.length === 2 && p.transforms[1].type === 'map')?.transforms[1].map ?? {};
            const forProvider = byEnv('spec.forProvider');
            for (const [env, fp] of Object.entries(forProvider)) {
              if (String(fp?.cidrIpv4).endsWith('/0')) add(`composed ${r.name} in ${env} is open to the whole internet`);
            }
            if (r.base?.kind !== 'Instance' || !String(r.base.apiVersion).startsWith('rds.aws')) continue;
            const deletionPolicy = byEnv('spec.deletionPolicy');
            for (const env of ctx.productionEnvironments.filter((e) => e in forProvider)) {
              const fp = forProvider[env];
              if (fp.deletionProtection !== true) add(`composed instance in production (${env}) needs deletion protection`);
              if (fp.multiAz !== true) add(`composed instance in production (${env}) needs multi-AZ`);
              if (!(fp.backupRetentionPeriod >= 7)) add(`composed instance in production (${env}) needs at least 7 days of backups`);
              if (fp.skipFinalSnapshot !== false) add(`composed instance in production (${env}) needs a final snapshot`);
              if (deletionPolicy[env] !== 'Orphan') add(`composed instance in production (${env}) must be orphaned, not deleted, with its composite`);
            }
          }
        }
      }
      const params = o?.spec?.parameters;
      if (o?.kind === 'PostgreSQLInstance' && params) {
        if (String(params.allowedCidr).endsWith('/0')) add('is open to the whole internet');
        const env = file.split('/')[3];
        if (ctx.productionEnvironments.includes(env)) {
          for (const key of ['deletionProtection', 'multiAz', 'backupRetentionDays', 'skipFinalSnapshot'].filter((k) => k in params)) {
            add(`in production (${env}) sets ${key}: safety is the environment's, set by the Composition; remove it from the claim`);
          }
        }
      }
    }
  }
  return out;
}
