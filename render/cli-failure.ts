import { FleetValidationError } from '../charts/validate/problems.js';

/** A mistake on the command line: exit code 2 and the command's usage. */
export class UsageError extends Error {}

/** A failure whose message says everything (bad input, an unknown git ref): no stack trace is offered. */
export class ExpectedError extends Error {}

/**
 * The one way every command reports a failure: one clear message on stderr and the exit code (2 for a
 * usage mistake, else 1). `after` is a line that follows the message (synth says "Nothing was written.").
 * Unexpected errors offer their stack trace with DEBUG=1.
 */
export function reportFailure(e: unknown, usage: string, after?: string): number {
  const tail = after ? `\n${after}` : '';
  if (e instanceof UsageError) {
    console.error(`cdk8s-fleet: ${e.message}\n${usage}`);
    return 2;
  }
  if (e instanceof FleetValidationError || e instanceof ExpectedError) {
    console.error(`cdk8s-fleet: ${e.message}${tail}`);
    return 1;
  }
  const err = e as Error;
  console.error(`cdk8s-fleet: ${err?.message ?? String(e)}${tail}${process.env.DEBUG ? `\n${err?.stack}` : ' (set DEBUG=1 for a stack trace)'}`);
  return 1;
}
