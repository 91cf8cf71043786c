/**
 * The kustomization.yaml that expresses an overlay, for `kubectl kustomize` (or Argo CD) to apply to
 * the same resources. Generator file contents become files written next to the kustomization; patches
 * are inlined. Pure: returns the content, writes nothing. Write the result as YAML 1.1-safe text
 * (`stringify(x, { version: '1.1' })` of the `yaml` package): kustomize reads kustomization.yaml as
 * YAML 1.1, where an unquoted `y`, `no` or `on` is a boolean.
 */
import { stringify } from 'yaml';
import { Generator, SecretGenerator } from './generators.js';
import { isJsonPatch } from './json6902.js';
import { isObject } from '../util/json.js';
import { Overlay } from './overlay.js';
import { checkOverlayShape } from './overlay-schema.js';

/** A kustomization and the files it refers to. */
export interface KustomizationFiles {
  /** The kustomization.yaml content, as an object. */
  readonly kustomization: Record<string, unknown>;
  /** Files the kustomization refers to, by file name; write them next to kustomization.yaml. */
  readonly files: Record<string, string>;
}

/**
 * A `key=value` literal that kustomize reads back as exactly `value`: kustomize strips one pair of
 * matching surrounding quotes, so a value that has them is wrapped in one more pair.
 */
function literal(key: string, value: string): string {
  const quoted = value.length > 0 && (value[0] === '"' || value[0] === "'") && value[0] === value[value.length - 1];
  return `${key}=${quoted ? `"${value}"` : value}`;
}

function defined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function generator(kind: 'configmap' | 'secret', gen: Generator & { type?: string }, index: number, files: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: gen.name };
  if (gen.behavior) out.behavior = gen.behavior;
  if (gen.type !== undefined) out.type = gen.type;
  const literals = Object.entries(gen.literals ?? {});
  if (literals.length) out.literals = literals.map(([k, v]) => literal(k, v));
  const fileEntries = Object.entries(gen.files ?? {});
  if (fileEntries.length) {
    out.files = fileEntries.map(([k, content], j) => {
      // Flat, unique and safe whatever the key: written next to kustomization.yaml.
      const path = `${kind}-${index}-${j}-${k.replace(/[^-._a-zA-Z0-9]/g, '_')}`;
      files[path] = content;
      return `${k}=${path}`;
    });
  }
  if (gen.options) out.options = defined({ ...gen.options });
  return out;
}

/**
 * The kustomization (apiVersion kustomize.config.k8s.io/v1beta1) that applies `overlay` to
 * `resources` (paths or URLs, as kustomize takes them), and the generator files it needs.
 *
 * kustomize refuses resource files outside the kustomization's directory (`../base/resources.yaml`)
 * unless run with `--load-restrictor LoadRestrictionsNone`; give a directory with its own
 * kustomization.yaml (`../base`) instead.
 */
export function toKustomization(overlay: Overlay, resources: string[]): KustomizationFiles {
  // The same shape check as applyOverlay: a misspelt or unimplemented field is refused, not dropped.
  checkOverlayShape(overlay);
  const files: Record<string, string> = {};
  const k: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...resources],
  };
  if (overlay.namespace) k.namespace = overlay.namespace;
  if (overlay.namePrefix) k.namePrefix = overlay.namePrefix;
  if (overlay.nameSuffix) k.nameSuffix = overlay.nameSuffix;
  if (overlay.commonLabels) k.commonLabels = { ...overlay.commonLabels };
  if (overlay.labels) k.labels = overlay.labels.map((l) => defined({ pairs: { ...l.pairs }, includeSelectors: l.includeSelectors, includeTemplates: l.includeTemplates }));
  if (overlay.commonAnnotations) k.commonAnnotations = { ...overlay.commonAnnotations };
  if (overlay.images) k.images = overlay.images.map((i) => defined({ name: i.name, newName: i.newName, newTag: i.newTag, digest: i.digest }));
  if (overlay.replicas) k.replicas = overlay.replicas.map((r) => ({ name: r.name, count: r.count }));
  if (overlay.configMapGenerator) k.configMapGenerator = overlay.configMapGenerator.map((g, i) => generator('configmap', g, i, files));
  if (overlay.secretGenerator) k.secretGenerator = overlay.secretGenerator.map((g: SecretGenerator, i) => generator('secret', g, i, files));
  if (overlay.generatorOptions) k.generatorOptions = defined({ ...overlay.generatorOptions });
  if (overlay.patches) {
    k.patches = overlay.patches.map((p) => {
      let body: unknown = p.patch;
      if (!isJsonPatch(p.patch) && p.target) {
        // kustomize parses a targeted strategic-merge patch as an object, so it needs a kind and a
        // name; it then ignores both and patches every target.
        const patch = { ...(p.patch as Record<string, unknown>) };
        const meta = isObject(patch.metadata) ? { ...patch.metadata } : {};
        if (typeof patch.kind !== 'string') patch.kind = p.target.kind && /^\w+$/.test(p.target.kind) ? p.target.kind : 'Object';
        if (typeof meta.name !== 'string') meta.name = 'patch-target';
        patch.metadata = meta;
        body = patch;
      }
      return defined({ target: p.target ? defined({ ...p.target }) : undefined, patch: stringify(body, { version: '1.1' }) });
    });
  }
  return { kustomization: k, files };
}
