import { FleetValidationError } from '../charts/validate/problems.js';

/** A mistake on the command line: exit code 2 and the command's usage. */
export class UsageError extends Error {}

/** A failure whose message says everything (bad input, an unknown git ref): no stack trace is offered. */
export class ExpectedError extends Error {}

/** An error of the operating system (no permission, disk full, a missing file): Node gives it a code and a syscall. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The one way every command reports a failure: one clear message on stderr and the exit code (2 for a
 * usage mistake, else 1). `after` is a line that follows the message (synth says "Nothing was written.").
 * Bad input arrives as a FleetValidationError and an operating-system failure carries its code; anything
 * else is a bug, said as such, with its stack trace under DEBUG=1.
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
  const err = e instanceof Error ? e : undefined;
  const stack = process.env.DEBUG ? `\n${err?.stack ?? String(e)}` : ' (set DEBUG=1 for a stack trace)';
  if (isSystemError(e)) {
    console.error(`cdk8s-fleet: ${e.message}${tail}${stack}`);
    return 1;
  }
  const what = err ? `${err.name}: ${err.message}` : String(e);
  console.error(
    `cdk8s-fleet: bug: ${what}\n` +
      'This is a bug in cdk8s-fleet (or in code the fleet hands it, such as an app\'s chart function), not a problem ' +
      `with the fleet input; please report it with the stack trace${stack}${tail}`,
  );
  return 1;
}
