/**
 * `object-size`: no rendered object Kubernetes would refuse for its size. The API server stores every
 * object in etcd, whose default request limit is 1.5 MiB, and ConfigMap and Secret data stop at 1 MiB;
 * an object over 1 MiB (as JSON, the form the API server receives from Argo CD) is refused here, with
 * its size, so a fleet that outgrows a list (an AppProject's destinations, say) fails at synth, not at sync.
 */
import { Finding, objectId, RenderedObjects } from './finding.js';

/** The largest object, in bytes of JSON, this project renders. */
export const MAX_OBJECT_BYTES = 1024 * 1024;

export function objectSizeFindings(rendered: RenderedObjects): Finding[] {
  const out: Finding[] = [];
  for (const [file, objects] of rendered) {
    for (const o of objects) {
      const bytes = Buffer.byteLength(JSON.stringify(o) ?? '');
      if (bytes > MAX_OBJECT_BYTES) {
        out.push({
          rule: 'object-size',
          file,
          object: objectId(o),
          message: `is ${(bytes / 1024 / 1024).toFixed(2)} MiB as JSON; Kubernetes refuses objects over 1 MiB (etcd's request limit is 1.5 MiB, ConfigMap and Secret data 1 MiB): split it`,
        });
      }
    }
  }
  return out;
}
