import type { AddonCompanions, CompanionObject } from '../../model/companions.js';
import { MANAGED_BY } from '../../argocd/conventions.js';

/** What a rule does with a violation: `Enforce` refuses the request, `Audit` admits it and reports it. */
export type KyvernoFailureAction = 'Enforce' | 'Audit';

/**
 * The namespaces the policies apply to: the team namespaces the platform renders (labelled with the
 * platform's managed-by label and their `team`), the ones whose workloads the render-time rules check
 * (charts/policy/workload-rules.ts reads everything under `apps/`).
 */
export const TEAM_NAMESPACE_SELECTOR = {
  matchLabels: { ...MANAGED_BY },
  matchExpressions: [{ key: 'team', operator: 'Exists' }],
};

/** A ClusterPolicy of validate rules on Pods of the team namespaces (Kyverno generates the rules for Pod controllers). */
function podPolicy(name: string, title: string, rules: ReadonlyArray<{ name: string; message: string; validate: Record<string, unknown> }>): CompanionObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name,
      annotations: { 'policies.kyverno.io/title': title, 'policies.kyverno.io/subject': 'Pod' },
    },
    spec: {
      background: true,
      rules: rules.map((r) => ({
        name: r.name,
        match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector: TEAM_NAMESPACE_SELECTOR } }] },
        validate: { failureAction: 'Enforce' as KyvernoFailureAction, message: r.message, ...r.validate },
      })),
    },
  };
}

/** A pattern over every container and init container of a pod. */
const allContainers = (container: Record<string, unknown>) => ({ pattern: { spec: { containers: [container], '=(initContainers)': [container] } } });

/**
 * Kyverno's companions (CRDs of kyverno v1.19.0): ClusterPolicies (kyverno.io/v1, the storage version)
 * mirroring the render-time workload rules of charts/policy/workload-rules.ts, with the same rule ids, on
 * the same namespaces (the team namespaces):
 * - `pss-restricted`: Pod Security "restricted" at the latest version (Kyverno's podSecurity rule, the
 *   standard the render-time rule checks field by field);
 * - `image-pinned`: every image has a tag or digest, and the tag is not `latest`;
 * - `resources-set`: CPU and memory requests and limits on every container;
 * - `probes-present`: a liveness probe on every container (the render-time rule also wants a readiness
 *   probe where a container serves a port; that part stays at render time).
 * Every rule enforces (`failureAction: Enforce`) in every environment: `npm run synth` already refuses
 * what they refuse for everything in git, so in the cluster they stop only what bypasses git. An
 * environment that wants reports first sets a rule to Audit by name, e.g.
 * `companions: { 'image-pinned': { spec: { rules: [{ name: 'disallow-latest-tag', validate: { failureAction: 'Audit' } }] } } }`
 * (lists of named objects merge by name).
 */
export const kyvernoCompanions: AddonCompanions = () => {
  const policies = [
    podPolicy('pss-restricted', 'Pod Security restricted', [
      { name: 'restricted', message: 'Pods of team namespaces meet Pod Security "restricted".', validate: { podSecurity: { level: 'restricted', version: 'latest' } } },
    ]),
    podPolicy('image-pinned', 'Pinned images', [
      { name: 'require-image-tag', message: 'Every image is pinned by a tag or a digest.', validate: allContainers({ image: '*:*' }) },
      { name: 'disallow-latest-tag', message: 'No image uses the tag latest.', validate: allContainers({ image: '!*:latest' }) },
    ]),
    podPolicy('resources-set', 'Requests and limits', [
      {
        name: 'require-requests-limits',
        message: 'Every container sets CPU and memory requests and limits.',
        validate: allContainers({ resources: { requests: { cpu: '?*', memory: '?*' }, limits: { cpu: '?*', memory: '?*' } } }),
      },
    ]),
    podPolicy('probes-present', 'Liveness probes', [
      { name: 'require-liveness-probe', message: 'Every container has a liveness probe.', validate: { pattern: { spec: { containers: [{ livenessProbe: { periodSeconds: '>0' } }] } } } },
    ]),
  ];
  return Object.fromEntries(policies.map((p) => [(p.metadata as { name: string }).name, p]));
};
