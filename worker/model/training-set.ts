import { bisectRight } from 'd3-array';
import { Rng } from '../../domain/rng.js';
import { NO_DAY } from '../../domain/days.js';
import type { TfdSnapshot, TrainingLabel } from '../snapshot/tfd-snapshot.js';
import { LABEL_WEIGHTS } from '../../domain/meeting.js';

/** Rows to learn from: who, as of when, and whether they were a cohort member starting with the service then. */
export interface TrainingRows {
  readonly person: Int32Array;
  readonly date: Int32Array;
  readonly label: Uint8Array;
  /** 1, or less for a weak label (a "not a concern" answer on an alert). */
  readonly weight: Float64Array;
  /** The meeting and alert labels these rows use, with their provenance (the model card counts them). */
  readonly labelsUsed: readonly TrainingLabel[];
  /** Labels about children already in the cohort by then: they change nothing (the cohort's start of service wins). */
  readonly labelsAboutCohort: readonly TrainingLabel[];
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
 * The labels known on `casesUpTo`, one per child: a positive wins; else the latest negative or weak negative; censoring apart.
 * Only labels that can teach as of their own date take part (`usable`): one dated where the child was not of an age the
 * model learns from (a meeting back-dated to 0000-01-01, say) would otherwise displace a real meeting's label and then
 * add no row itself.
 */
function labelsKnownBy(labels: readonly TrainingLabel[], casesUpTo: number, usable: (l: TrainingLabel) => boolean) {
  const positive = new Map<number, TrainingLabel>();
  const negative = new Map<number, TrainingLabel>();
  const censored = new Map<number, TrainingLabel>();
  for (const l of labels) {
    if (l.day > casesUpTo || !usable(l)) continue;
    if (l.kind === 'positive') {
      if (!positive.has(l.person) || l.day < positive.get(l.person)!.day) positive.set(l.person, l);
    } else if (l.kind === 'censored') {
      if (!censored.has(l.person) || l.day < censored.get(l.person)!.day) censored.set(l.person, l);
    } else {
      const held = negative.get(l.person);
      // A meeting's negative outweighs an alert's weak one; otherwise the latest.
      if (!held || (held.kind === 'weak_negative' && l.kind === 'negative') || (held.kind === l.kind && l.day > held.day)) negative.set(l.person, l);
    }
  }
  for (const p of positive.keys()) negative.delete(p);
  return { positive, negative, censored };
}

/**
 * Each cohort child regressed to their start of service (their point of peak
 * unmitigated risk), with comparison children of the same age band at the
 * same date who were not in the cohort by then. Meeting outcomes known by
 * `casesUpTo` join them (domain/meeting.ts): a referral accepted or
 * exploitation confirmed makes a child a case as of the meeting date, with
 * comparison children of their own; no further action adds the child as a
 * comparison row at the meeting date, a "not a concern" answer on an alert at
 * half weight; a closed child is never a comparison child from the closing
 * date on. Features are always read as of each row's date.
 */
export function matchedTrainingRows(snapshot: TfdSnapshot, design: TrainingDesign): TrainingRows {
  const rng = new Rng(design.seed ?? 1, 0x7a11);
  const controls = design.controlsPerCase ?? 10;
  const cohortStart = (p: number) => (snapshot.startOfService[p] !== NO_DAY && snapshot.startOfService[p] <= design.casesUpTo ? snapshot.startOfService[p] : NO_DAY);
  const ageOn = (p: number, day: number) => (day - snapshot.birth[p]) / YEAR;
  // Labels about children already with the service change nothing and are counted as such, whatever their date.
  // Censoring needs only a date in the child's life: a closed child is never a comparison child from then on.
  const usable = (l: TrainingLabel) =>
    cohortStart(l.person) !== NO_DAY || (snapshot.birth[l.person] !== NO_DAY && (l.kind === 'censored' ? l.day >= snapshot.birth[l.person] : ageOn(l.person, l.day) >= MIN_AGE && ageOn(l.person, l.day) < MAX_AGE));
  const known = labelsKnownBy(snapshot.trainingLabels ?? [], design.casesUpTo, usable);
  const caseDay = (p: number) => {
    const start = cohortStart(p);
    return start !== NO_DAY ? start : (known.positive.get(p)?.day ?? NO_DAY);
  };
  const byBirth = Int32Array.from(snapshot.birth.keys())
    .filter((p) => snapshot.birth[p] !== NO_DAY)
    .sort((a, b) => snapshot.birth[a] - snapshot.birth[b]);
  const births = Int32Array.from(byBirth, (p) => snapshot.birth[p]);
  const firstBornAfter = (day: number) => bisectRight(births, day);

  const person: number[] = [];
  const date: number[] = [];
  const label: number[] = [];
  const weight: number[] = [];
  const used: TrainingLabel[] = [];
  const aboutCohort = [...known.positive.values(), ...known.negative.values()].filter((l) => cohortStart(l.person) !== NO_DAY);
  // Negatives first: they belong to no case's group (model choice folds by case).
  for (const l of known.negative.values()) {
    if (caseDay(l.person) !== NO_DAY || snapshot.birth[l.person] === NO_DAY) continue;
    person.push(l.person);
    date.push(l.day);
    label.push(0);
    weight.push(LABEL_WEIGHTS[l.kind as 'negative' | 'weak_negative']);
    used.push(l);
  }
  const addCase = (p: number, start: number, draw: Rng) => {
    const age = ageOn(p, start);
    if (age < MIN_AGE || age >= MAX_AGE) return false;
    person.push(p);
    date.push(start);
    label.push(1);
    weight.push(1);
    const from = firstBornAfter(start - MAX_AGE * YEAR);
    const to = firstBornAfter(start - MIN_AGE * YEAR);
    for (let k = 0, tries = 0; k < controls && tries < controls * 20 && to > from; tries++) {
      const other = byBirth[from + draw.int(to - from)];
      if (caseDay(other) !== NO_DAY) continue;
      const closed = known.censored.get(other);
      if (closed && closed.day <= start) continue;
      person.push(other);
      date.push(start);
      label.push(0);
      weight.push(1);
      k++;
    }
    return true;
  };
  for (let p = 0; p < snapshot.personIds.length; p++) {
    const start = cohortStart(p);
    if (start !== NO_DAY && snapshot.birth[p] !== NO_DAY) addCase(p, start, rng);
  }
  // The meeting's positives draw their comparison children from a stream of their own, so the
  // cohort's rows stay as they were and the model card's "how the model moved" shows the labels' effect.
  const labelRng = new Rng(design.seed ?? 1, 0x7a12);
  for (const l of [...known.positive.values()].sort((a, b) => a.person - b.person)) {
    if (cohortStart(l.person) !== NO_DAY || snapshot.birth[l.person] === NO_DAY) continue;
    if (addCase(l.person, l.day, labelRng)) used.push(l);
  }
  for (const l of known.censored.values()) used.push(l);
  return { person: Int32Array.from(person), date: Int32Array.from(date), label: Uint8Array.from(label), weight: Float64Array.from(weight), labelsUsed: used, labelsAboutCohort: aboutCohort };
}
