import { UserFacingError } from '../../domain/errors.js';
/** One reason a bundle was refused, located as `file:line:column`. */
export interface BundleProblem {
  readonly file: string;
  /** 1-based; 0 where the problem is with the file as a whole. */
  readonly line: number;
  /** 1-based field position; 0 where the problem is with the whole row or file. */
  readonly column: number;
  readonly reason: string;
}

export const formatProblem = (p: BundleProblem): string =>
  p.line === 0 ? `${p.file}: ${p.reason}` : `${p.file}:${p.line}:${p.column} ${p.reason}`;

/** The bundle was refused; nothing was written. */
export class BundleRejectedError extends UserFacingError {
  constructor(
    readonly problems: readonly BundleProblem[],
    readonly totalProblems: number,
  ) {
    const shown = problems.map(formatProblem).join('\n  ');
    const more = totalProblems > problems.length ? `\n  … and ${totalProblems - problems.length} more` : '';
    super(`bundle refused (${totalProblems} problem${totalProblems === 1 ? '' : 's'}); the database was not changed:\n  ${shown}${more}`);
  }
}

/** The database already holds a TFD and the caller did not ask to replace it. */
export class DatabaseNotEmptyError extends UserFacingError {
  constructor(people: number) {
    super(`the database already holds a Think Family dataset (${people} people); pass --replace to swap it for this bundle in one transaction`);
  }
}

/** Collects problems up to a limit, counting the rest. */
export class ProblemLog {
  readonly shown: BundleProblem[] = [];
  total = 0;
  constructor(private readonly limit: number) {}
  add(problem: BundleProblem): void {
    this.total++;
    if (this.shown.length < this.limit) this.shown.push(problem);
  }
  get full(): boolean {
    return this.total >= this.limit * 10;
  }
}
