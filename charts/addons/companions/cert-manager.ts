import type { AddonCompanions, CompanionObject } from '../../model/companions.js';

/** Let's Encrypt's ACME directories. */
export const LETSENCRYPT_SERVERS = {
  'letsencrypt-staging': 'https://acme-staging-v02.api.letsencrypt.org/directory',
  'letsencrypt-prod': 'https://acme-v02.api.letsencrypt.org/directory',
} as const;

/**
 * cert-manager's companions (CRDs of cert-manager v1.21.1): a ClusterIssuer `selfsigned` everywhere; and,
 * where the cluster gives cert-manager its IAM role, the ACME ClusterIssuers `letsencrypt-staging` and
 * `letsencrypt-prod`, solving DNS01 challenges in Route 53 in the cluster's region with cert-manager's
 * ambient credentials (its role through IRSA or Pod Identity; cert-manager lets ClusterIssuers use them by
 * default). The ACME account has no email unless a setting gives one
 * (`companions: { 'letsencrypt-prod': { spec: { acme: { email } } } }`): ACME and cert-manager make it
 * optional, and Let's Encrypt no longer sends expiry mail, so nothing is lost without it.
 */
export const certManagerCompanions: AddonCompanions = (ctx) => {
  const out: Record<string, CompanionObject> = {
    selfsigned: { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } },
  };
  if (ctx.cluster.iamRoleArn === undefined) return out;
  for (const [name, server] of Object.entries(LETSENCRYPT_SERVERS)) {
    out[name] = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name },
      spec: {
        acme: {
          server,
          privateKeySecretRef: { name: `${name}-account-key` },
          solvers: [{ dns01: { route53: { region: ctx.cluster.region } } }],
        },
      },
    };
  }
  return out;
};
