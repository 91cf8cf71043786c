/**
 * What an environment runs of an app: the effective image of each of the app's base images, by the
 * library's own logic (the base from `buildAppBase`, the overlay's `images` rules applied as kustomize
 * applies them with `rewriteImage`, checked against what `applyOverlay` renders), and what the committed
 * render in `dist/` holds for the app in that environment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AppSpec } from '../../charts/model/spec.js';
import { buildAppBase } from '../../charts/outputs/app-manifests.js';
import { appDir } from '../../charts/layout/dist-layout.js';
import { applyOverlay, ImageRule, KubeObject, Overlay, rewriteImage, splitImage } from '../../engines/kustomize/index.js';

/** Every container and init container image anywhere in the objects, in order, once each. */
export function containerImages(objects: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        for (const c of value) if (c && typeof c === 'object' && typeof (c as { image?: unknown }).image === 'string') seen.add((c as { image: string }).image);
      }
      visit(value);
    }
  };
  visit(objects);
  return [...seen];
}

/** A sentinel tag no real rule writes: a rule matched an image when rewriting with it changes the image. */
const PROBE = 'promote-probe\u0000';

/** Whether an `images` rule applies to the image, as kustomize matches it (the rule's `name` against the image without tag and digest). */
export function ruleMatches(image: string, rule: ImageRule): boolean {
  return rewriteImage(image, { name: rule.name, newTag: PROBE }) !== image;
}

/** One base image of an app and what an environment runs instead. */
export interface ImageRun {
  /** The image as the base renders it (`repository:tag` or `repository@digest`). */
  readonly base: string;
  /** The image in the environment, after the overlay's `images` rules. */
  readonly effective: string;
  /** Indexes of the overlay's `images` rules that match the image (on the way, in order). */
  readonly rules: readonly number[];
}

/** The base objects of an app and the images they run. */
export interface AppBase {
  readonly objects: readonly KubeObject[];
  readonly images: readonly string[];
}

export function appBase(app: AppSpec): AppBase {
  const objects = buildAppBase(app);
  return { objects, images: containerImages(objects) };
}

/**
 * What the overlay runs instead of each base image. Throws the overlay's own error (an `OverlayError`)
 * when the overlay does not render, and an Error when the rendered objects do not run the image the
 * `images` rules give (a patch sets the image): then the promotion is not an edit of `images`.
 */
export function whatRuns(base: AppBase, overlay: Overlay): ImageRun[] {
  const rendered = new Set(containerImages(applyOverlay(base.objects, overlay)));
  return base.images.map((image) => {
    let effective = image;
    const rules: number[] = [];
    (overlay.images ?? []).forEach((rule, i) => {
      if (!ruleMatches(effective, rule)) return;
      rules.push(i);
      effective = rewriteImage(effective, rule);
    });
    if (!rendered.has(effective)) {
      throw new Error(`the overlay's images rules give ${effective} for ${image}, but the rendered objects run ${[...rendered].join(', ') || 'no image'} (a patch sets the image)`);
    }
    return { base: image, effective, rules };
  });
}

/** The images of an app's folder in a rendered output folder (`dist/apps/<team>/<app>/<env>/`). */
export interface DistRun {
  /** The folder, relative to the output folder's parent as given (`dist/apps/webstore/frontend/staging`). */
  readonly folder: string;
  readonly exists: boolean;
  readonly images: readonly string[];
}

/** Reads the container images of every YAML file of the app's folder for the environment in `distDir`. */
export function distRuns(distDir: string, team: string, app: string, environment: string): DistRun {
  const folder = path.join(distDir, appDir(team, app, environment));
  if (!fs.existsSync(folder)) return { folder, exists: false, images: [] };
  const objects: unknown[] = [];
  for (const file of fs.readdirSync(folder).sort()) {
    if (!file.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8'))) objects.push(doc.toJS());
  }
  return { folder, exists: true, images: containerImages(objects) };
}

/** The fields of an `images` rule that make `base` into `target`: the new name when it differs, the tag, the digest. */
export function ruleFor(base: string, target: string): Pick<ImageRule, 'newName' | 'newTag' | 'digest'> {
  const b = splitImage(base);
  const t = splitImage(target);
  return { ...(t.name !== b.name && { newName: t.name }), ...(t.tag && { newTag: t.tag }), ...(t.digest && { digest: t.digest }) };
}
