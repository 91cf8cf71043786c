/**
 * What the engine raises when kustomize would refuse the input: an overlay, a patch or a base object that
 * is wrong. Every refusal of the engine is an OverlayError, so a caller can tell bad input (report it
 * with the field to fix) from a bug (any other error).
 */
export class OverlayError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OverlayError';
  }
}
