import { Finding, objectId, RenderedObjects } from './finding.js';

/** The Pod Security admission label every rendered Namespace carries. */
export const PSS_ENFORCE = 'pod-security.kubernetes.io/enforce';
/** Levels the platform may enforce: `restricted`, or `baseline` where system pods run. */
const LEVELS = ['restricted', 'baseline'];

/**
 * `namespace-pss`: every Namespace the platform renders enforces a Pod Security Standard,
 * `restricted` or (where system pods must run) `baseline`; never `privileged`, never none.
 */
export function namespaceFindings(rendered: RenderedObjects): Finding[] {
  const out: Finding[] = [];
  for (const [file, objects] of rendered) {
    for (const o of objects as any[]) {
      if (o?.kind !== 'Namespace' || o?.apiVersion !== 'v1') continue;
      const level = o.metadata?.labels?.[PSS_ENFORCE];
      if (!LEVELS.includes(level)) {
        out.push({ rule: 'namespace-pss', file, object: objectId(o), message: `${level === undefined ? 'has no' : `has "${level}" as`} ${PSS_ENFORCE} label; every namespace enforces "restricted" (or "baseline" where system pods run)` });
      }
    }
  }
  return out;
}
