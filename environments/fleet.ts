import type { AccountSpec, ArgoCdSpec, FleetSpec } from '../charts/index.js';

/** The example fleet, after the EKS fleet-management talk: one central account with the hub, one tenant account with spokes. */
export const name = 'fleet';

/** Argo CD runs on the hub, installed and then managed by itself (the `argo-cd` add-on). */
export const argocd: ArgoCdSpec = {
  namespace: 'argocd',
  mode: 'self-managed',
  progressiveSync: false,
  // Sign-in through the company's OIDC provider; the client secret stays in the Secret `argocd-oidc`
  // (key `clientSecret`, labelled app.kubernetes.io/part-of: argocd), referenced, never written here.
  sso: {
    oidc: {
      url: 'https://argocd.example.com',
      issuer: 'https://login.example.com',
      clientId: 'argocd',
      clientSecret: '$argocd-oidc:clientSecret',
    },
  },
  // Argo CD admins; every other group only sees and syncs its own team's Applications (default deny).
  adminGroups: ['platform-admins'],
};

/**
 * This repository (its `dist/` holds what Argo CD reads) and the team workloads repository, both private:
 * Argo CD reads every repository under `https://git.example.com/platform/` with the HTTPS token in the
 * AWS Secrets Manager secret `argocd/git/git.example.com` (JSON `{"username": ..., "token": ...}`, in the
 * hub's account and region; named by ARN, which both External Secrets and the EKS capability accept), made
 * into a `repo-creds` Secret by External Secrets. Only the reference is here.
 */
export const repos: FleetSpec['repos'] = {
  addons: { url: 'https://git.example.com/platform/cdk8s-fleet.git', revision: 'main', basePath: 'dist/', path: 'addons' },
  workloads: { url: 'https://git.example.com/platform/cdk8s-fleet.git', revision: 'main', basePath: 'dist/', path: 'apps' },
  credentials: [
    {
      name: 'git-example-com',
      url: 'https://git.example.com/platform/',
      match: 'prefix',
      kind: 'https-token',
      secret: 'arn:aws:secretsmanager:us-west-2:111122223333:secret:argocd/git/git.example.com-Ab12Cd',
    },
  ],
};

export const accounts: AccountSpec[] = [
  { name: 'central', id: '111122223333', kind: 'central' },
  { name: 'tenant1', id: '444455556666', kind: 'tenant', crossplaneRoleArn: 'arn:aws:iam::444455556666:role/crossplane-provider-aws' },
];
