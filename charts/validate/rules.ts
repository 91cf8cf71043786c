/** Shared value rules of the fleet model: one definition each, used by validation and tests. */
import { isObject } from '../../engines/util/index.js';

/** RFC 1123 label: what Kubernetes requires of namespace and most object names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes label value: at most 63 characters, alphanumeric at both ends. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Exact chart version: semver with an optional leading `v`. Ranges are not pins. */
export const CHART_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
/** Git clone URL over https or ssh. */
export const GIT_URL = /^(https:\/\/[^\s/]+\/\S+|ssh:\/\/\S+@[^\s/]+\/\S+|[\w.-]+@[\w.-]+:\S+)$/;
/** Helm repository over https. */
export const HELM_REPO_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;
/** OCI registry path without scheme (`public.ecr.aws/karpenter`). */
export const OCI_REPO = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/;
export const AWS_ACCOUNT_ID = /^\d{12}$/;
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
export const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
/** An EKS API server endpoint as Argo CD's cluster `server`: https, a host, nothing after it but an optional '/'. */
export const API_SERVER_ENDPOINT = /^https:\/\/[^\s/]+\/?$/;
export const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** EKS cluster name as AWS allows it. */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
export const KUBERNETES_MINOR = /^1\.\d{1,2}$/;
export const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A git revision Argo CD follows: a branch, tag or commit, never the implicit `HEAD`. */
export const GIT_REVISION = /^(?!HEAD$)[\w./-]+$/;

/** Human-readable reason for a failed DNS-1123 label check. */
export function dnsLabelProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `must be a non-empty string, got ${JSON.stringify(value)}`;
  if (value.length > 63) return `"${value}" is ${value.length} characters; at most 63 are allowed (DNS-1123 label)`;
  if (!DNS1123_LABEL.test(value)) {
    return `"${value}" is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Human-readable reason for a failed label value check. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `label value "${value}" is ${value.length} characters; at most 63 are allowed`;
  if (!LABEL_VALUE.test(value)) return `label value "${value}" may hold only letters, digits, '-', '_' and '.', alphanumeric at both ends`;
  return undefined;
}

/** A plain object (not null, not a list), its fields read as the model's types. */
export const isRecord = isObject as (v: unknown) => v is Record<string, any>;

export function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/** How deep plain data may nest: deeper is almost surely a mistake (or a cycle), and would overflow the stack later. */
export const MAX_DATA_DEPTH = 64;

/**
 * The first place in a value that is not plain JSON data, as `<path> is <what>`, or undefined: NaN,
 * Infinity, a function, symbol or bigint, `undefined` (JSON drops it), a Date, Map, Set, RegExp or any
 * other class instance (JSON makes them `{}` or a string), a `__proto__` key, a cycle, or nesting deeper
 * than `MAX_DATA_DEPTH`.
 */
export function nonJsonAt(value: unknown, at = '', seen: Set<object> = new Set()): string | undefined {
  const where = at || '.';
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${where} is ${value}`;
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return `${where} is a ${typeof value}`;
  if (value === undefined) return `${where} is undefined (JSON would drop it; remove it or give null)`;
  if (value === null || typeof value !== 'object') return undefined;
  if (seen.has(value)) return `${where} refers back to a value that contains it (a cycle)`;
  if (seen.size >= MAX_DATA_DEPTH) return `${where} is nested more than ${MAX_DATA_DEPTH} levels deep`;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    const name = (value as object).constructor?.name ?? 'an object with a prototype';
    return `${where} is a ${name}, not plain data (JSON would make it ${value instanceof Date ? 'a string' : '{}'}); give a string, number, boolean, list or object`;
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const p = nonJsonAt(value[i], `${at}[${i}]`, seen);
        if (p) return p;
      }
      return undefined;
    }
    for (const k of Object.keys(value)) {
      if (k === '__proto__') return `${at}.__proto__ is not allowed as a key`;
      const p = nonJsonAt((value as Record<string, unknown>)[k], `${at}.${k}`, seen);
      if (p) return p;
    }
    if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return `${at}.__proto__ is not allowed as a key`;
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/** Argo CD's name for its local cluster (`KubernetesInClusterName`); only a hub's Secret may carry it. */
export const IN_CLUSTER_NAME = 'in-cluster';

/**
 * Whether `caData` (base64, as `aws eks describe-cluster --query cluster.certificateAuthority.data`
 * prints it) decodes to a PEM certificate block. Argo CD base64-decodes `tlsClientConfig.caData`
 * ([]byte in JSON) and hands the PEM to client-go.
 */
export function isBase64PemCertificate(caData: string): boolean {
  if (!BASE64.test(caData) || caData.length % 4 !== 0) return false;
  const pem = Buffer.from(caData, 'base64').toString('latin1');
  return /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/.test(pem);
}

/**
 * The key under which Argo CD finds a cluster by its server URL: it trims trailing '/' (the cluster
 * informer's URL index); the host is compared without case here too, because DNS and TLS ignore it, so
 * `https://ABC.eks...` and `https://abc.eks.../` are one API server.
 */
export function serverKey(server: string): string {
  const trimmed = server.replace(/\/+$/, '');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/]*)(.*)$/.exec(trimmed);
  return m ? `${m[1].toLowerCase()}${m[2].toLowerCase()}${m[3]}` : trimmed;
}

/** The account id of an IAM role ARN (`arn:aws:iam::<account>:role/...`), or undefined when it is not one. */
export function roleArnAccount(arn: unknown): string | undefined {
  return isString(arn) && IAM_ROLE_ARN.test(arn) ? arn.split(':')[4] : undefined;
}

/** How pods may get AWS credentials (`AwsIdentity`). */
export const IDENTITIES: readonly string[] = ['irsa', 'pod-identity'];

/** Why a value is not an `AwsIdentity`, or false. */
export function identityProblem(value: unknown): string | false {
  return !IDENTITIES.includes(value as string) && `${JSON.stringify(value)} is not an identity; use ${IDENTITIES.map((x) => `"${x}"`).join(' or ')}`;
}


export { kindOf, show } from '../../engines/util/index.js';

/**
 * The longest Application name Argo CD is given here: with label resource tracking it becomes the value
 * of the `app.kubernetes.io/instance` label on every object, and label values stop at 63 characters.
 */
export const MAX_APPLICATION_NAME = 63;

/** Why a generated Application name is too long, or false. */
export function applicationNameProblem(name: string, what: string): string | false {
  return name.length > MAX_APPLICATION_NAME
    && `the Application of ${what} would be named "${name}" (${name.length} characters); Argo CD puts it in the app.kubernetes.io/instance label under label tracking, which allows ${MAX_APPLICATION_NAME}: shorten the name`;
}
