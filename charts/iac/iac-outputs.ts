/**
 * Reads one file the IaC wrote for a cluster into facts, each with the key it came from so that every
 * problem names the file and key. Three shapes the ecosystem already produces are read:
 *
 * - `terraform output -json`: `{ "<output>": { "value": <cluster object>, "type": ..., "sensitive": false } }`,
 *   the one output whose value is a GitOps Bridge cluster object;
 * - the GitOps Bridge `cluster` object itself (`terraform output -json <output>`, or the module's input):
 *   `cluster_name`, `environment`, `metadata` (the Secret's annotations), `addons` (its labels),
 *   optionally `server` and `config` (Argo CD's cluster config, an object or its JSON text);
 * - the fleet workshop's Secrets Manager "fleet" secret: `metadata`, `addons`, `server`, `config`, the
 *   cluster's name in `metadata.aws_cluster_name`.
 *
 * Nothing here knows the fleet: `apply-iac-outputs.ts` matches facts to clusters.
 * @see https://github.com/gitops-bridge-dev/terraform-helm-gitops-bridge (main.tf: the `cluster` variable)
 * @see https://github.com/aws-samples/fleet-management-on-amazon-eks-workshop (terraform/spokes/main.tf: the fleet secret)
 */
import type { IacOutputFile } from '../model/spec.js';
import type { Problem } from '../validate/problems.js';
import { isRecord, kindOf } from '../validate/rules.js';

/** Which shape a file had. */
export type IacShape = 'terraform-output' | 'gitops-bridge-cluster' | 'fleet-secret';

/** A value read from an IaC file and the key (path in the file) it was read at. */
export interface Fact {
  readonly value: string;
  readonly key: string;
}

/** What one IaC file says about its cluster. */
export interface ClusterFacts {
  readonly file: string;
  readonly shape: IacShape;
  /** Key path of the cluster object in the file: `''`, or `<output>.value` in terraform output -json. */
  readonly prefix: string;
  /** The EKS cluster name: `cluster_name`, else `metadata.aws_cluster_name`, else `addons.aws_cluster_name`. */
  readonly clusterName: Fact;
  /** `environment`, else the `environment` label or annotation. */
  readonly environment?: Fact;
  /** `server`: the API server endpoint. */
  readonly server?: Fact;
  /** `config.tlsClientConfig.caData`. */
  readonly caData?: Fact;
  /** `config.awsAuthConfig.roleARN`: the role Argo CD assumes to reach the cluster. */
  readonly roleArn?: Fact;
  /** `config.awsAuthConfig.clusterName`. */
  readonly authClusterName?: Fact;
  /** `metadata`: the annotations of the cluster's Argo CD Secret. */
  readonly annotations: ReadonlyMap<string, Fact>;
  /** `addons`: the labels of the cluster's Argo CD Secret (`enable_<addon>`, `kubernetes_version`...); booleans as `"true"`/`"false"`. */
  readonly labels: ReadonlyMap<string, Fact>;
}

/** The parts of Argo CD's cluster `config` that carry a credential: never in a committed file. */
const CREDENTIAL_KEYS: ReadonlyArray<readonly [string, ...string[]]> = [
  ['bearerToken'], ['username'], ['password'], ['execProviderConfig'],
  ['tlsClientConfig', 'keyData'], ['tlsClientConfig', 'certData'],
];

/** The key path of a field below a prefix: `gitops_bridge_cluster.value.metadata.aws_region`. */
export function keyAt(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/** Reads one IaC output file. Every problem names `input.file` and the key. */
export function parseIacOutput(input: IacOutputFile): { facts?: ClusterFacts; problems: Problem[] } {
  const problems: Problem[] = [];
  const fail = (path: string, message: string) => {
    problems.push({ file: input.file, path, message });
    return { problems };
  };
  let doc: unknown;
  try {
    doc = JSON.parse(input.text);
  } catch (e) {
    return fail('$', `is not JSON (${(e as Error).message}); write it with terraform output -json, or as the fleet secret's JSON`);
  }
  if (!isRecord(doc)) return fail('$', `must be a JSON object, got ${kindOf(doc)}`);

  let cluster: Record<string, unknown>;
  let prefix = '';
  let shape: IacShape;
  if (isRecord(doc.metadata)) {
    cluster = doc;
    shape = doc.cluster_name !== undefined ? 'gitops-bridge-cluster' : 'fleet-secret';
  } else if (Object.keys(doc).length > 0 && Object.values(doc).every((o) => isRecord(o) && 'value' in o)) {
    // terraform output -json: every output, sensitive ones in plain text.
    const outputs = doc as Record<string, Record<string, unknown>>;
    const sensitive = Object.keys(outputs).filter((k) => outputs[k].sensitive === true).sort();
    if (sensitive.length > 0) {
      return fail(`${sensitive[0]}.sensitive`, `output "${sensitive[0]}" is sensitive, and terraform output -json writes sensitive values in plain text into this committed file; write only the cluster's output: terraform output -json <output> > ${input.file}`);
    }
    const candidates = Object.keys(outputs).filter((k) => isRecord(outputs[k].value) && isRecord((outputs[k].value as Record<string, unknown>).metadata)).sort();
    if (candidates.length !== 1) {
      return fail('$', candidates.length === 0
        ? `none of the outputs (${Object.keys(outputs).sort().join(', ')}) holds a GitOps Bridge cluster object (cluster_name, environment, metadata, addons); add one, like output "gitops_bridge_cluster" { value = { cluster_name = module.eks.cluster_name, metadata = local.addons_metadata, ... } }`
        : `outputs ${candidates.join(' and ')} both hold a cluster object; one file describes one cluster: write one output (terraform output -json <output>)`);
    }
    prefix = `${candidates[0]}.value`;
    cluster = outputs[candidates[0]].value as Record<string, unknown>;
    shape = 'terraform-output';
  } else {
    return fail('$', 'is neither terraform output -json (outputs with "value"), a GitOps Bridge cluster object (cluster_name, metadata, addons) nor the fleet secret (metadata, addons, server, config)');
  }

  const strings = (field: 'metadata' | 'addons'): Map<string, Fact> => {
    const found = new Map<string, Fact>();
    const raw = cluster[field];
    if (raw === undefined) return found;
    if (!isRecord(raw)) {
      problems.push({ file: input.file, path: keyAt(prefix, field), message: `must be a map of strings, got ${kindOf(raw)}` });
      return found;
    }
    for (const [k, v] of Object.entries(raw)) {
      const key = keyAt(prefix, `${field}.${k}`);
      if (typeof v === 'string') found.set(k, { value: v, key });
      else if (typeof v === 'boolean' || typeof v === 'number') found.set(k, { value: String(v), key });
      else if (v !== null) problems.push({ file: input.file, path: key, message: `must be a string, got ${kindOf(v)}` });
    }
    return found;
  };
  const annotations = strings('metadata');
  const labels = strings('addons');
  const text = (value: unknown, key: string): Fact | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return { value, key };
    problems.push({ file: input.file, path: key, message: `must be a string, got ${kindOf(value)}` });
    return undefined;
  };

  const clusterName = text(cluster.cluster_name, keyAt(prefix, 'cluster_name')) ?? annotations.get('aws_cluster_name') ?? labels.get('aws_cluster_name');
  const environment = text(cluster.environment, keyAt(prefix, 'environment')) ?? labels.get('environment') ?? annotations.get('environment');
  const server = text(cluster.server, keyAt(prefix, 'server'));

  let config: Record<string, unknown> | undefined;
  const configKey = keyAt(prefix, 'config');
  if (typeof cluster.config === 'string') {
    try {
      const parsed: unknown = JSON.parse(cluster.config);
      if (isRecord(parsed)) config = parsed;
      else problems.push({ file: input.file, path: configKey, message: `must hold a JSON object (Argo CD's cluster config), got ${kindOf(parsed)}` });
    } catch (e) {
      problems.push({ file: input.file, path: configKey, message: `is not JSON (${(e as Error).message}); write it with jsonencode()` });
    }
  } else if (isRecord(cluster.config)) {
    config = cluster.config;
  } else if (cluster.config !== undefined && cluster.config !== null) {
    problems.push({ file: input.file, path: configKey, message: `must be Argo CD's cluster config (an object or its JSON text), got ${kindOf(cluster.config)}` });
  }
  let caData: Fact | undefined;
  let roleArn: Fact | undefined;
  let authClusterName: Fact | undefined;
  if (config) {
    for (const path of CREDENTIAL_KEYS) {
      let v: unknown = config;
      for (const k of path) v = isRecord(v) ? v[k] : undefined;
      if (v !== undefined && v !== null && v !== '') {
        problems.push({ file: input.file, path: `${configKey}.${path.join('.')}`, message: 'is a credential, and this file is committed: Argo CD reaches EKS clusters through IAM (awsAuthConfig); remove it from the output' });
      }
    }
    const tls = isRecord(config.tlsClientConfig) ? config.tlsClientConfig : {};
    const auth = isRecord(config.awsAuthConfig) ? config.awsAuthConfig : {};
    if (tls.insecure === true || tls.insecure === 'true') {
      problems.push({ file: input.file, path: `${configKey}.tlsClientConfig.insecure`, message: 'is true: Argo CD would not verify the API server; output caData (module.eks.cluster_certificate_authority_data) and insecure = false' });
    }
    caData = text(tls.caData, `${configKey}.tlsClientConfig.caData`);
    roleArn = text(auth.roleARN, `${configKey}.awsAuthConfig.roleARN`);
    authClusterName = text(auth.clusterName, `${configKey}.awsAuthConfig.clusterName`);
  }

  if (clusterName === undefined) {
    problems.push({ file: input.file, path: keyAt(prefix, 'cluster_name'), message: 'is missing: the file must name its EKS cluster (cluster_name, or metadata.aws_cluster_name)' });
  }
  if (problems.length > 0 || clusterName === undefined) return { problems };
  return {
    facts: { file: input.file, shape, prefix, clusterName, environment, server, caData, roleArn, authClusterName, annotations, labels },
    problems,
  };
}
