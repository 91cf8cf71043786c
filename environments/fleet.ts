import type { AccountSpec, ArgoCdSpec, FleetSpec } from '../charts/index.js';

/** The example fleet, after the EKS fleet-management talk: one central account with the hub, one tenant account with spokes. */
export const name = 'fleet';

/** Argo CD runs on the hub, installed and then managed by itself (the `argo-cd` add-on). */
export const argocd: ArgoCdSpec = {
  namespace: 'argocd',
  mode: 'self-managed',
  progressiveSync: false,
};

/** This repository (its `dist/` holds what Argo CD reads) and the team workloads repository. */
export const repos: FleetSpec['repos'] = {
  addons: { url: 'https://git.example.com/platform/cdk8s-fleet.git', revision: 'main', basePath: 'dist/', path: 'addons' },
  workloads: { url: 'https://git.example.com/platform/cdk8s-fleet.git', revision: 'main', basePath: 'dist/', path: 'apps' },
};

export const accounts: AccountSpec[] = [
  { name: 'central', id: '111122223333', kind: 'central' },
  { name: 'tenant1', id: '444455556666', kind: 'tenant', crossplaneRoleArn: 'arn:aws:iam::444455556666:role/crossplane-provider-aws' },
];
