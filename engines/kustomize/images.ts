/**
 * The `images` transformer (kustomize `ImageTagTransformer`): rewrites `image` of every element of
 * every `containers` and `initContainers` list anywhere in an object (pod templates, CronJob job
 * templates, custom resources alike). As in kustomize, `name` is a regular expression matched against
 * the whole image without its tag and digest; a new tag drops the old digest, a new digest drops the
 * old tag, and giving both writes `name:tag@digest`. Entries apply in order, each to the result of the last.
 * A rule that matches no image is an error here, deliberately: kustomize ignores it silently, which hides
 * a misspelt name (the same way a `replicas` entry naming no workload is an error in both).
 */
import { isObject } from '../util/json.js';
import { Resource } from './resource.js';
import { OverlayError } from './overlay-error.js';

/** A rule for rewriting container images. */
export interface ImageRule {
  /** Image name to match (registry/repository, no tag or digest), as kustomize matches it. */
  readonly name: string;
  /**
   * Replacement registry/repository.
   * @default - keep the name
   */
  readonly newName?: string;
  /**
   * Replacement tag.
   * @default - keep the tag (unless `digest` is given)
   */
  readonly newTag?: string;
  /**
   * Replacement digest, `sha256:...`.
   * @default - keep the digest (unless `newTag` is given)
   */
  readonly digest?: string;
}

/** Splits an image reference into name, tag and digest (kustomize `image.Split`). */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  let search = image;
  let slash = image.indexOf('/');
  if (slash > 0) search = image.slice(slash);
  else slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += slash;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

const matchers = new Map<string, RegExp>();

function matcher(name: string, index: number): RegExp {
  const known = matchers.get(name);
  if (known) return known;
  try {
    const re = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
    matchers.set(name, re);
    return re;
  } catch (e) {
    throw new OverlayError(`images[${index}]: name "${name}" is not usable as kustomize uses it (a regular expression): ${(e as Error).message}`);
  }
}

/** The image after one rule, or the same image when the rule does not match. */
export function rewriteImage(image: string, rule: ImageRule, re: RegExp = matcher(rule.name, 0)): string {
  if (!re.test(image)) return image;
  let { name, tag, digest } = splitImage(image);
  if (rule.newName) name = rule.newName;
  if (rule.newTag && rule.digest) {
    tag = rule.newTag;
    digest = rule.digest;
  } else if (rule.newTag) {
    tag = rule.newTag;
    digest = '';
  } else if (rule.digest) {
    tag = '';
    digest = rule.digest;
  }
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

function visit(node: unknown, fn: (container: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    node.forEach((n) => visit(n, fn));
    return;
  }
  if (!isObject(node)) return;
  for (const key of Object.keys(node)) {
    const value = node[key];
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      for (const c of value) if (isObject(c)) fn(c);
    }
    visit(value, fn);
  }
}

/** Applies the image rules in order (in place). */
export function applyImages(resources: readonly Resource[], images: readonly ImageRule[]): void {
  images.forEach((rule, i) => {
    if (!rule || typeof rule.name !== 'string' || rule.name === '') throw new OverlayError(`images[${i}]: name is required`);
    for (const f of ['newName', 'newTag', 'digest'] as const) {
      if (rule[f] !== undefined && typeof rule[f] !== 'string') throw new OverlayError(`images[${i}] (${rule.name}): ${f} must be a string, got ${JSON.stringify(rule[f])}`);
    }
    const re = matcher(rule.name, i);
    let matched = false;
    const seen = new Set<string>();
    for (const res of resources) {
      visit(res.obj, (c) => {
        if (typeof c.image !== 'string') return;
        seen.add(c.image);
        if (!re.test(c.image)) return;
        matched = true;
        c.image = rewriteImage(c.image, rule, re);
      });
    }
    if (!matched) {
      const images = [...seen].sort();
      throw new OverlayError(
        `images[${i}] (name "${rule.name}"): the rule matches no container image${images.length ? ` (the images are ${images.slice(0, 10).join(', ')}${images.length > 10 ? ', ...' : ''})` : ' (there are no containers)'}; ` +
          'fix the name (the image without tag or digest, as in the base, after earlier rules) or remove the rule. ' +
          'This check is deliberately stricter than kustomize, which ignores such a rule silently',
      );
    }
  });
}
