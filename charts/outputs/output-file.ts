import type { Construct } from 'constructs';

/**
 * A file of `dist/` as the library describes it: either Kubernetes objects built by constructs into
 * a scope of their own, plain YAML data (Helm values), or text written as is (the generated
 * `README.md`: its generator writes its own do-not-edit marker). The render layer turns these into bytes;
 * the library never touches the file system.
 */
export type OutputFile =
  | { readonly path: string; readonly build: (scope: Construct) => void; readonly data?: undefined; readonly text?: undefined }
  | { readonly path: string; readonly data: unknown; readonly build?: undefined; readonly text?: undefined }
  | { readonly path: string; readonly text: string; readonly build?: undefined; readonly data?: undefined };

/** A JSON document (an IAM document, the IaC contract) as a file of `dist/`: indented JSON with a final newline. */
export function jsonFile(path: string, value: unknown): OutputFile {
  return { path, text: `${JSON.stringify(value, null, 2)}\n` };
}
