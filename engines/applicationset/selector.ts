/**
 * Kubernetes label selectors as the ApplicationSet controller evaluates them: `matchLabels` AND every
 * `matchExpressions` requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`); an empty selector matches
 * everything. The clusters generator converts its selector with `metav1.LabelSelectorAsSelector`, which
 * also validates it: an invalid operator, an `In` without values or a label value that is not a valid
 * label value (an unrendered `{{.environment}}`, a URL) is an error, not a selector matching nothing.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * @see https://github.com/argoproj/argo-cd/blob/master/applicationset/generators/cluster.go (getSecretsByClusterName)
 */

/** One requirement of a selector, as written in `matchExpressions`. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** A label selector as written in a generator. */
export interface LabelSelectorSpec {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** A selector that cannot be converted: what is wrong and where inside the selector. */
export class SelectorError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

/** A validated selector, ready to match label sets. */
export interface CompiledSelector {
  /** True when the selector has neither matchLabels nor matchExpressions (it matches every label set). */
  readonly empty: boolean;
  /** Whether `labels` satisfy every requirement. */
  matches(labels: Readonly<Record<string, string>>): boolean;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: unknown, where: string): string {
  if (typeof key !== 'string') throw new SelectorError(`${where}: label key must be a string, got ${JSON.stringify(key)}`);
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const okName = name.length > 0 && name.length <= 63 && NAME.test(name);
  const okPrefix = prefix === undefined || (prefix.length > 0 && prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  if (!okName || !okPrefix) {
    throw new SelectorError(
      `${where}: Invalid value: ${JSON.stringify(key)}: a label key is an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
  return key;
}

function checkValue(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new SelectorError(`${where}: label value must be a string, got ${JSON.stringify(value)}`);
  if (value.length > 63 || !VALUE.test(value)) {
    throw new SelectorError(
      `${where}: Invalid value: ${JSON.stringify(value)}: a label value is empty or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
  return value;
}

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

const has = (labels: Readonly<Record<string, string>>, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

/**
 * Validates a selector and returns its matcher. `validateValues: false` skips the label-value syntax
 * check, as Argo CD's own copy of `LabelSelectorAsSelector` does for a generator's post-`selector`
 * (which matches generated parameters such as cluster URLs).
 */
export function compileSelector(selector: unknown, options: { readonly validateValues?: boolean } = {}): CompiledSelector {
  const validateValues = options.validateValues ?? true;
  const value = (v: unknown, where: string) => (validateValues ? checkValue(v, where) : String(v));
  if (selector === undefined || selector === null) return { empty: true, matches: () => true };
  if (typeof selector !== 'object' || Array.isArray(selector)) throw new SelectorError(`selector must be an object with matchLabels and/or matchExpressions, got ${JSON.stringify(selector)}`);
  const s = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  const requirements: Requirement[] = [];
  if (s.matchLabels !== undefined && s.matchLabels !== null) {
    if (typeof s.matchLabels !== 'object' || Array.isArray(s.matchLabels)) throw new SelectorError(`matchLabels must be a map of label to value`);
    for (const [k, v] of Object.entries(s.matchLabels)) {
      const key = checkKey(k, `matchLabels[${k}]`);
      const want = value(v, `matchLabels[${k}]`);
      requirements.push((labels) => has(labels, key) && labels[key] === want);
    }
  }
  const expressions = s.matchExpressions ?? [];
  if (!Array.isArray(expressions)) throw new SelectorError(`matchExpressions must be a list`);
  expressions.forEach((e: Partial<LabelSelectorRequirement>, i) => {
    const where = `matchExpressions[${i}]`;
    const key = checkKey(e?.key, `${where}.key`);
    const values = (e.values ?? []).map((v, j) => value(v, `${where}.values[${j}]`));
    switch (e.operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0) throw new SelectorError(`${where}: for 'in', 'notin' operators, values set can't be empty`);
        const set = new Set(values);
        requirements.push(e.operator === 'In' ? (l) => has(l, key) && set.has(l[key]) : (l) => !has(l, key) || !set.has(l[key]));
        break;
      }
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new SelectorError(`${where}: values set must be empty for exists and does not exist`);
        requirements.push(e.operator === 'Exists' ? (l) => has(l, key) : (l) => !has(l, key));
        break;
      default:
        throw new SelectorError(`${where}.operator: ${JSON.stringify(e.operator)} is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)`);
    }
  });
  const empty = Object.keys((s.matchLabels as object | undefined) ?? {}).length === 0 && expressions.length === 0;
  return { empty, matches: (labels) => requirements.every((r) => r(labels)) };
}

/** Whether `labels` match `selector` (validated first; throws {@link SelectorError}). */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  return compileSelector(selector).matches(labels);
}
