/** The run's verdicts, one line each ("ok: …" / "FAIL: …"), and whether any failed. */
export class Checks {
  private failures = 0;

  ok(what: string): void {
    console.log(`ok: ${what}`);
  }

  fail(what: string): void {
    this.failures++;
    console.log(`FAIL: ${what}`);
  }

  /** What the Playground did that is worth knowing but is not a verdict. */
  info(what: string): void {
    console.log(`info: ${what}`);
  }

  check(passed: boolean, okText: string, failText: string): boolean {
    if (passed) this.ok(okText);
    else this.fail(failText);
    return passed;
  }

  get failed(): number {
    return this.failures;
  }
}
