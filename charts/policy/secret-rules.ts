import { Finding, objectId, RenderedObjects } from './finding.js';

/** Keys that mean a Secret carries a credential. */
const CREDENTIAL_KEYS = ['bearerToken', 'password', 'sshPrivateKey', 'keyData', 'username', 'githubAppPrivateKey', 'tlsClientCertKey', 'token'];

/**
 * `secret-credentials`: the only Secrets allowed are Argo CD's credential-free cluster, repository and
 * repo-creds Secrets (a repository's credentials come from an ExternalSecret, or for the EKS capability
 * are named by `secretArn`); no `data`, and no credential field in `stringData` (nor in a cluster's `config`).
 */
export function secretFindings(rendered: RenderedObjects): Finding[] {
  const out: Finding[] = [];
  for (const [file, objects] of rendered) {
    for (const o of objects) {
      if (o?.kind !== 'Secret') continue;
      const add = (message: string) => out.push({ rule: 'secret-credentials', file, object: objectId(o), message });
      const type = o.metadata?.labels?.['argocd.argoproj.io/secret-type'];
      if (type !== 'cluster' && type !== 'repository' && type !== 'repo-creds') {
        add('Secrets never go into git; read credentials from AWS Secrets Manager with an ExternalSecret');
        continue;
      }
      if (o.data !== undefined) add('has base64 data; Argo CD cluster and repository Secrets here hold public data in stringData only');
      const fields = { ...(o.stringData ?? {}) };
      let config: any = {};
      try {
        config = fields.config ? JSON.parse(fields.config) : {};
      } catch {
        add('stringData.config is not JSON');
      }
      const found = [
        ...Object.keys(fields).filter((k) => CREDENTIAL_KEYS.includes(k)),
        ...Object.keys(config).filter((k) => CREDENTIAL_KEYS.includes(k)).map((k) => `config.${k}`),
        ...Object.keys(config.tlsClientConfig ?? {}).filter((k) => k === 'keyData' || k === 'certData').map((k) => `config.tlsClientConfig.${k}`),
      ];
      for (const k of found) add(`carries the credential field ${k}; Argo CD must reach clusters through awsAuthConfig (IAM) instead`);
    }
  }
  return out;
}
