import { APPS_DIR } from '../layout/dist-layout.js';
import { Finding, objectId, RenderedObjects } from './finding.js';
import { objectSizeFindings } from './object-size-rules.js';
import { workloadFindings } from './workload-rules.js';

/**
 * The platform's policies that hold for what an app team renders on its own (a team repository built
 * with `cdk8s-fleet/app`), so the team repository refuses what the platform would: the workload rules
 * (Pod Security "restricted", images pinned by a tag other than latest or by a digest, requests and
 * limits, probes), no Secret at all (credentials come from an ExternalSecret), and no object over the
 * size Kubernetes accepts. `files` are the team's own paths (`<app>/<env>/<file>.yaml`); each finding
 * names the file, the object and the rule, as the platform's `npm run synth` prints them.
 */
export function appPolicyFindings(files: RenderedObjects): Finding[] {
  // The workload rules read the platform's app folders: the team's files are looked at as if there.
  const prefix = `${APPS_DIR}/`;
  const asApps = new Map([...files].map(([file, objects]) => [prefix + file, objects]));
  const secrets: Finding[] = [];
  for (const [file, objects] of files) {
    for (const o of objects) {
      if (o?.kind === 'Secret') {
        secrets.push({ rule: 'secret-credentials', file, object: objectId(o), message: 'Secrets never go into git; read credentials from AWS Secrets Manager with an ExternalSecret' });
      }
    }
  }
  return [
    ...workloadFindings(asApps).map((f) => ({ ...f, file: f.file.slice(prefix.length) })),
    ...secrets,
    ...objectSizeFindings(files),
  ];
}
