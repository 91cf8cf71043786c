import { normalizeGitUrl } from '../argocd/git-url.js';
import { APPS_DIR, appFileOwner, teamDir } from '../layout/dist-layout.js';
import { Finding, objectId, PolicyContext, RenderedObjects } from './finding.js';
import { podReferences, podSpecOf } from './workload-rules.js';

const dirOf = (file: string) => file.slice(0, file.lastIndexOf('/'));

/** Expands a template string over generator parameters: repository annotations, list elements, environments. */
function expand(template: string, ctx: PolicyContext, params: ReadonlyArray<Record<string, string>>): string[] {
  const withAnnotations = template.replace(/\{\{\.metadata\.annotations\.(\w+)\}\}/g, (m, k) => ctx.annotations[k] ?? m);
  return [...new Set(params.map((p) => withAnnotations.replace(/\{\{\.(\w+)\}\}/g, (m, k) => p[k] ?? m)))];
}

/** Parameter sets an ApplicationSet's template sees, as far as paths need them: list elements and environments. */
function generatorParams(appset: any, ctx: PolicyContext): Array<Record<string, string>> {
  const lists: Array<Record<string, string>> = [];
  let envs: string[] | undefined;
  const visit = (g: any) => {
    if (!g) return;
    if (g.list) lists.push(...g.list.elements);
    for (const e of g.clusters?.selector?.matchExpressions ?? []) if (e.key === 'environment' && e.operator === 'In') envs = e.values;
    for (const child of [...(g.matrix?.generators ?? []), ...(g.merge?.generators ?? [])]) visit(child);
  };
  for (const g of appset.spec?.generators ?? []) visit(g);
  const base = lists.length ? lists : [{}];
  return base.flatMap((el) => (el.environment ? [{ ...el }] : (envs ?? ctx.environments).map((environment) => ({ ...el, environment }))));
}

/**
 * Cross-references: `ref-project` (every Application and ApplicationSet names a rendered AppProject),
 * `ref-path` (every path into this repository exists in dist/; a team's own repository is not looked
 * into), `ref-config` (every ConfigMap or Secret a workload reads is rendered beside it, a Secret by the
 * platform's ExternalSecret in the team's boundaries `teams/<team>/<env>/`), `ref-service` (every
 * Service selects a rendered workload).
 */
export function referenceFindings(rendered: RenderedObjects, ctx: PolicyContext): Finding[] {
  const out: Finding[] = [];
  // Every file and every folder above it, so a path check is one lookup.
  const known = new Set<string>();
  for (const p of rendered.keys()) {
    known.add(p);
    for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) known.add(p.slice(0, i));
  }
  const projects = new Set<string>();
  for (const objects of rendered.values()) for (const o of objects) if (o?.kind === 'AppProject') projects.add(o.metadata.name);
  const exists = (repoPath: string) => {
    if (!repoPath.startsWith(ctx.basePath) || repoPath.includes('{{')) return true; // another repository, or not ours to expand
    return known.has(repoPath.slice(ctx.basePath.length).replace(/\/$/, ''));
  };

  // A repository named literally that is not the platform's (a team's own repository): its paths are not in dist/.
  const platformRepos = ctx.platformRepos;
  const otherRepository = (repoURL: unknown) =>
    platformRepos !== undefined && typeof repoURL === 'string' && !repoURL.includes('{{') && !platformRepos.includes(normalizeGitUrl(repoURL));

  const byDir = new Map<string, any[]>();
  for (const [file, objects] of rendered) byDir.set(dirOf(file), [...(byDir.get(dirOf(file)) ?? []), ...objects]);

  for (const [file, objects] of rendered) {
    for (const o of objects) {
      const add = (rule: string, message: string) => out.push({ rule, file, object: objectId(o), message });
      if (o?.kind === 'Application' || o?.kind === 'ApplicationSet') {
        const spec = o.kind === 'Application' ? o.spec : o.spec?.template?.spec;
        if (!projects.has(spec?.project)) add('ref-project', `project "${spec?.project}" is not rendered`);
        const params = o.kind === 'Application' ? [{}] : generatorParams(o, ctx);
        for (const source of [spec?.source, ...(spec?.sources ?? [])].filter(Boolean)) {
          if (source.path && !otherRepository(source.repoURL)) {
            for (const p of expand(source.path, ctx, params)) if (!exists(p)) add('ref-path', `source path ${p} does not exist in dist/`);
          }
          const first = source.helm?.valueFiles?.[0];
          if (first) {
            for (const p of expand(first.replace(/^\$values\//, ''), ctx, params)) if (!exists(p)) add('ref-path', `values file ${p} does not exist in dist/`);
          }
        }
      }
    }
    if (!file.startsWith(`${APPS_DIR}/`)) continue;
    const here = byDir.get(dirOf(file)) ?? [];
    const configMaps = new Set(here.filter((x) => x.kind === 'ConfigMap').map((x) => x.metadata.name));
    // A Secret is made by an ExternalSecret: the platform's, in the team's boundaries (teams/<team>/<env>/), or one beside it.
    const owner = appFileOwner(file);
    const boundaries = owner ? teamDir(owner.team, owner.environment) : undefined;
    const makers = [...here, ...(boundaries ? byDir.get(boundaries) ?? [] : [])];
    const secrets = new Set(makers.filter((x) => x.kind === 'ExternalSecret').map((x) => x.spec?.target?.name ?? x.metadata.name));
    for (const o of objects) {
      const add = (rule: string, message: string) => out.push({ rule, file, object: objectId(o), message });
      const pod = podSpecOf(o);
      if (pod) {
        const required = podReferences(pod).filter((r) => !r.optional);
        const cms = required.filter((r) => r.kind === 'ConfigMap').map((r) => r.name);
        const secs = required.filter((r) => r.kind === 'Secret').map((r) => r.name);
        for (const n of cms) if (!configMaps.has(n)) add('ref-config', `reads ConfigMap ${n}, which is not rendered beside it`);
        for (const n of secs) if (!secrets.has(n)) add('ref-config', `reads Secret ${n}, which no ExternalSecret in ${boundaries ?? 'its folder'}/ produces`);
      }
      if (o?.kind === 'Service' && o.spec?.selector && o.spec.type !== 'ExternalName') {
        const selected = here.some((w) => {
          const labels = (w.kind === 'Pod' ? w.metadata?.labels : podSpecOf(w) && (w.spec?.template?.metadata?.labels ?? w.spec?.jobTemplate?.spec?.template?.metadata?.labels)) ?? {};
          return podSpecOf(w) && Object.entries(o.spec.selector).every(([k, v]) => labels[k] === v);
        });
        if (!selected) add('ref-service', `selector ${JSON.stringify(o.spec.selector)} selects no rendered workload`);
      }
    }
  }
  return out;
}
