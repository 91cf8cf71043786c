/**
 * A template that Argo CD would fail on (a parse error, a missing key under `missingkey=error`, a
 * function called with the wrong arguments), or one that uses Go template syntax this engine does not
 * implement (`unsupported`): never a silently different result.
 */
export class GoTemplateError extends Error {
  /** True when the template may be valid Go but uses syntax or a function this engine does not implement. */
  public readonly unsupported: boolean;

  public constructor(message: string, unsupported = false) {
    super(message);
    this.name = 'GoTemplateError';
    this.unsupported = unsupported;
  }
}

/**
 * Thrown by a function of the table when Go's exact result cannot be reproduced offline (it would be
 * invalid UTF-8, or depends on the Unicode version of Argo CD's Go build): the evaluator reports it as a
 * {@link GoTemplateError} with `unsupported` set, `... not supported by the offline engine: <message>`.
 */
export class Unsupported extends Error {}
