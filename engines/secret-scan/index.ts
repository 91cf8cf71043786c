/**
 * A synchronous scan of text for credentials, run on every rendered file before anything is written
 * (secretlint, in `npm run check`, stays as a second layer). Two kinds of findings:
 *
 * - known token shapes anywhere in the text, after secretlint's recommended rules (AWS access keys,
 *   private keys, GitHub/GitLab/npm/Slack/Stripe/SendGrid/OpenAI/Anthropic/Vault tokens, JWTs, Docker
 *   `auth` blobs) and a URL with a password in it (`scheme://user:password@host`);
 * - a literal value under a key that names a credential (`password`, `token`, `apiKey`, `clientSecret`...,
 *   or an env var named like one), in YAML or JSON. A reference is not a credential: empty values, `$...`
 *   (Argo CD's `$secret:key`), `{{...}}` templates and `${...}` placeholders pass.
 *
 * Domain-free: it knows text and keys, not the fleet. Findings name the line and say what was found,
 * never the value.
 */

/** One credential found. */
export interface SecretFinding {
  /** 1-based line. */
  readonly line: number;
  /** What it looks like, e.g. `an AWS access key id`; never the value. */
  readonly what: string;
}

interface TokenRule {
  readonly what: string;
  readonly pattern: RegExp;
  /** Known documentation examples that are not secrets. */
  readonly allow?: RegExp;
}

const TOKENS: readonly TokenRule[] = [
  { what: 'an AWS access key id', pattern: /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/, allow: /EXAMPLE/ },
  { what: 'an AWS secret access key', pattern: /(?:aws_?secret_?access_?key|secretAccessKey)["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/i, allow: /EXAMPLEKEY/ },
  { what: 'a private key', pattern: /-----BEGIN[ ]?(?:(?:RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----/ },
  { what: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b/ },
  { what: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: 'a Slack token', pattern: /\bxox[abposr]-(?:\d-)?[A-Za-z0-9-]{10,}/ },
  { what: 'a Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { what: 'a Stripe key', pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{20,}\b/ },
  { what: 'a SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { what: 'an OpenAI key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b/ },
  { what: 'an Anthropic key', pattern: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}/ },
  { what: 'a HashiCorp Vault token', pattern: /\bhv[sb]\.[A-Za-z0-9_-]{24,}/ },
  { what: 'a JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { what: 'a Docker registry auth', pattern: /"auth"\s*:\s*"[A-Za-z0-9+/]{12,}={0,2}"/ },
  // scheme://user:password@host, not scheme://user@host and not a ${placeholder} or {{template}}
  { what: 'a password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'`]+:(?![$*{])[^\s/@"'`]+@[^\s/"'`]+/i },
];

/** Keys whose literal value is a credential (compared without `_`, `-` and case). */
const CREDENTIAL_KEYS = new Set([
  'password', 'passwd', 'pass', 'secret', 'token', 'apikey', 'apitoken', 'accesskey', 'accesstoken',
  'secretaccesskey', 'clientsecret', 'privatekey', 'authtoken', 'bearertoken', 'sshprivatekey', 'githubappprivatekey',
  'adminpassword', 'rootpassword', 'dbpassword', 'databasepassword', 'webhooksecret', 'signingkey', 'encryptionkey',
]);

/** Whether a key (or an env var name) names a credential: `password`, `adminPassword`, `DB_PASSWORD`, `API_KEY`... */
export function isCredentialKey(key: string): boolean {
  const k = key.replace(/[-_.]/g, '').toLowerCase();
  if (CREDENTIAL_KEYS.has(k)) return true;
  return /(password|passwd|secretaccesskey|apikey|apitoken|accesstoken|authtoken|privatekey|clientsecret)$/.test(k);
}

/** A value that only points at a credential kept elsewhere. */
export function isReference(value: string): boolean {
  const v = value.trim();
  return v === '' || v.startsWith('$') || /^\{\{.*\}\}$/.test(v) || /^\$\{[^}]+\}$/.test(v) || /^<[^>]+>$/.test(v);
}

function unquote(v: string): string {
  const s = v.replace(/\s+#.*$/, '').replace(/,$/, '');
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) return s.slice(1, -1);
  return s;
}

/** Whether a YAML/JSON scalar text is a literal string worth flagging (not a block, map, list, bool, number or null). */
function literal(raw: string): string | undefined {
  const v = unquote(raw.trim());
  if (v === '' || /^[|>]/.test(v) || /^[{[]/.test(v)) return undefined;
  if (/^(true|false|null|~|-?\d+(\.\d+)?)$/i.test(v)) return undefined;
  return isReference(v) ? undefined : v;
}

/** `key: value` lines whose key may name a credential (filtered by `isCredentialKey`). */
const KEY_VALUE = /^[ \t]*(?:-[ \t]+)?["']?([A-Za-z0-9_.-]*(?:pass|secret|token|key)[A-Za-z0-9_.-]*)["']?[ \t]*:[ \t]*(.*)$/i;
/** A word a credential key contains, followed by the end of a key. */
const CREDENTIAL_WORD = /(?:pass|secret|token|key)[A-Za-z0-9_.-]*["']?[ \t]*:/gi;
/** An env var `- name: X` followed by `value: ...`. */
const ENV_VAR = /^[ \t]*-[ \t]+name:[ \t]*["']?([A-Za-z0-9_.-]+)["']?[ \t]*\r?\n[ \t]*value:[ \t]*(.*)$/gm;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Every credential in a text (YAML, JSON or plain), at most one finding per line, in line order: the
 * token shapes anywhere, a `key: value` whose key names a credential, and the `value:` of an env var
 * whose name names one. Each pattern runs over the whole text, so a clean file costs one pass per pattern.
 */
export function scanText(text: string): SecretFinding[] {
  const byLine = new Map<number, string>();
  const add = (index: number, what: string) => {
    const line = lineAt(text, index);
    if (!byLine.has(line)) byLine.set(line, what);
  };
  const hasAt = text.includes('@');
  for (const rule of TOKENS) {
    if (rule.what === 'a password in a URL' && !hasAt) continue;
    if (!rule.pattern.test(text)) continue;
    const global = new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`);
    for (const m of text.matchAll(global)) {
      if (!(rule.allow && rule.allow.test(m[0]))) add(m.index!, rule.what);
    }
  }
  for (const m of text.matchAll(ENV_VAR)) {
    if (isCredentialKey(m[1]) && literal(m[2]) !== undefined) add(m.index! + m[0].indexOf('value:'), `a literal value for the env var ${m[1]} (use valueFrom.secretKeyRef)`);
  }
  // Find the credential-like words first, then read their whole line: anchoring at every line start costs more.
  const seenLines = new Set<number>();
  for (const w of text.matchAll(CREDENTIAL_WORD)) {
    const start = text.lastIndexOf('\n', w.index!) + 1;
    if (seenLines.has(start)) continue;
    seenLines.add(start);
    const end = text.indexOf('\n', w.index!);
    const m = KEY_VALUE.exec(text.slice(start, end === -1 ? undefined : end));
    if (m && isCredentialKey(m[1]) && literal(m[2]) !== undefined) add(start, `a literal value under "${m[1]}" (keep credentials in AWS Secrets Manager and reference them)`);
  }
  return [...byLine].sort(([a], [b]) => a - b).map(([line, what]) => ({ line, what }));
}
