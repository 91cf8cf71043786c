import { Finding, objectId, PolicyContext, RenderedObjects } from './finding.js';

/**
 * `rds-safety`: composed RDS instances are encrypted and private (no patch may change that); claims are
 * never open to the world; in production they are multi-AZ, deletion-protected, keep at least 7 days of
 * backups and take a final snapshot.
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
        }
      }
      const params = o?.spec?.parameters;
      if (o?.kind === 'PostgreSQLInstance' && params) {
        if (String(params.allowedCidr).endsWith('/0')) add('is open to the whole internet');
        const env = file.split('/')[3];
        if (ctx.productionEnvironments.includes(env)) {
          if (params.deletionProtection !== true) add(`in production (${env}) needs deletion protection`);
          if (params.multiAz !== true) add(`in production (${env}) needs multi-AZ`);
          if (!(params.backupRetentionDays >= 7)) add(`in production (${env}) needs at least 7 days of backups`);
          if (params.skipFinalSnapshot !== false) add(`in production (${env}) needs a final snapshot`);
        }
      }
    }
  }
  return out;
}
