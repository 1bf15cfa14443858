/**
 * An error whose message tells the user what went wrong and what to do.
 * Entry points print these as one line; anything else keeps its stack.
 */
export class UserFacingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Prints an error for a person at a terminal and sets a failing exit code. */
export function reportFatal(error: unknown): void {
  console.error(error instanceof UserFacingError ? `error: ${error.message}` : error);
  process.exitCode = 1;
}
