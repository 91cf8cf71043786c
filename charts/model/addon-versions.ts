/**
 * Version sets per Kubernetes release: which chart version of an add-on a cluster gets from its
 * Kubernetes minor (`kubernetes_version`), made from the catalog's pins (`AddonDefinition.pins`), each
 * checked against its upstream release with the Kubernetes minors it supports.
 */
import type { AddonDefinition, AddonPin, KubernetesRange } from './addon.js';

/**
 * The Kubernetes minors the catalog's version sets are listed for (`npm run catalog`): the releases EKS
 * runs in standard or extended support while this catalog is current, and the example fleet's.
 */
export const LISTED_KUBERNETES_MINORS: readonly string[] = ['1.30', '1.31', '1.32', '1.33', '1.34', '1.35'];

/** `1.31` -> 31 (the major is always 1); undefined when not a Kubernetes minor. */
export function minorNumber(version: string): number | undefined {
  const m = /^1\.(\d{1,2})$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** Whether a range holds a Kubernetes minor (`1.31`); false for a minor that is not one. */
export function rangeHolds(range: KubernetesRange | undefined, version: string): boolean {
  const v = minorNumber(version);
  if (range === undefined) return v !== undefined;
  const min = minorNumber(range.min);
  if (v === undefined || min === undefined || v < min) return false;
  if (range.max === undefined) return true;
  const max = minorNumber(range.max);
  return max !== undefined && v <= max;
}

/** `1.29-1.34`, `>=1.29` without a known upper bound, `any (no range stated upstream)`. */
export function rangeText(range: KubernetesRange | undefined): string {
  if (range === undefined) return 'any (no range stated upstream)';
  return range.max === undefined ? `>=${range.min}` : `${range.min}-${range.max}`;
}

/** The catalog's pin of an exact chart version, if the catalog checked that version. */
export function addonPin(addon: AddonDefinition, version: string): AddonPin | undefined {
  return addon.pins?.find((p) => p.version === version);
}

/**
 * The version a cluster on Kubernetes `kubernetesVersion` gets when nothing pins one: the newest pin
 * whose range holds that minor; the catalog's `version` for an add-on without pins; undefined when the
 * add-on has pins and none supports that minor (a validation error where the add-on is enabled).
 */
export function addonVersionFor(addon: AddonDefinition, kubernetesVersion: string): string | undefined {
  if (addon.pins === undefined || addon.pins.length === 0) return addon.version;
  return addon.pins.find((p) => rangeHolds(p.kubernetes, kubernetesVersion))?.version;
}

/** The version set of one Kubernetes minor: every add-on's version there (undefined: none supports it). */
export function versionSet(catalog: readonly AddonDefinition[], kubernetesVersion: string): Map<string, string | undefined> {
  return new Map(catalog.map((a) => [a.name, addonVersionFor(a, kubernetesVersion)]));
}

/** `the tested versions: 1.14.1 (1.30-1.35), 1.1.1 (1.25-1.31)`, for messages. */
export function pinsText(addon: AddonDefinition): string {
  return (addon.pins ?? []).map((p) => `${p.version} (Kubernetes ${rangeText(p.kubernetes)})`).join(', ');
}

/**
 * Orders chart versions by their numbers (`v1.21.1` and `1.21.1` alike): negative when `a` is older.
 * A pre-release (`1.2.0-rc.1`) comes before its release; pre-releases compare as text.
 */
export function compareChartVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.replace(/^v/, '').split(/-(.*)/s, 2);
    return { nums: core.split('+')[0].split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
