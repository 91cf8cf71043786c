import type { Construct } from 'constructs';

/**
 * A file of `dist/` as the library describes it: either Kubernetes objects built by constructs into
 * a scope of their own, or plain YAML data (Helm values). The render layer turns these into bytes;
 * the library never touches the file system.
 */
export type OutputFile =
  | { readonly path: string; readonly build: (scope: Construct) => void; readonly data?: undefined }
  | { readonly path: string; readonly data: unknown; readonly build?: undefined };

/** Joins path segments with '/', without empty segments. */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/').replace(/\/+/g, '/');
}
