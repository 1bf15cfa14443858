import { bisectRight } from 'd3-array';
import { Rng } from '../../domain/rng.js';
import { NO_DAY } from '../../domain/days.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/** Rows to learn from: who, as of when, and whether they were a cohort member starting with the service then. */
export interface TrainingRows {
  readonly person: Int32Array;
  readonly date: Int32Array;
  readonly label: Uint8Array;
}

export interface TrainingDesign {
  /** Cohort members whose start of service is on or before this day are cases. */
  readonly casesUpTo: number;
  /** Comparison children drawn per case, at the case's date. @defaultValue 10 */
  readonly controlsPerCase?: number;
  readonly seed?: number;
}

const YEAR = 365.25;
const MIN_AGE = 8;
const MAX_AGE = 18;

/**
 * Each cohort child regressed to their start of service (their point of peak
 * unmitigated risk), with comparison children of the same age band at the
 * same date who were not in the cohort by then.
 */
export function matchedTrainingRows(snapshot: TfdSnapshot, design: TrainingDesign): TrainingRows {
  const rng = new Rng(design.seed ?? 1, 0x7a11);
  const controls = design.controlsPerCase ?? 10;
  const byBirth = Int32Array.from(snapshot.birth.keys())
    .filter((p) => snapshot.birth[p] !== NO_DAY)
    .sort((a, b) => snapshot.birth[a] - snapshot.birth[b]);
  const births = Int32Array.from(byBirth, (p) => snapshot.birth[p]);
  const firstBornAfter = (day: number) => bisectRight(births, day);

  const person: number[] = [];
  const date: number[] = [];
  const label: number[] = [];
  for (let p = 0; p < snapshot.personIds.length; p++) {
    const start = snapshot.startOfService[p];
    if (start === NO_DAY || start > design.casesUpTo || snapshot.birth[p] === NO_DAY) continue;
    const age = (start - snapshot.birth[p]) / YEAR;
    if (age < MIN_AGE || age >= MAX_AGE) continue;
    person.push(p);
    date.push(start);
    label.push(1);
    const from = firstBornAfter(start - MAX_AGE * YEAR);
    const to = firstBornAfter(start - MIN_AGE * YEAR);
    for (let k = 0, tries = 0; k < controls && tries < controls * 20 && to > from; tries++) {
      const other = byBirth[from + rng.int(to - from)];
      const joined = snapshot.startOfService[other];
      if (joined !== NO_DAY && joined <= design.casesUpTo) continue;
      person.push(other);
      date.push(start);
      label.push(0);
      k++;
    }
  }
  return { person: Int32Array.from(person), date: Int32Array.from(date), label: Uint8Array.from(label) };
}
