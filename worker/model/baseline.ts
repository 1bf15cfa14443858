import { completedYears } from '../../domain/ages.js';
import { NO_DAY } from '../../domain/days.js';
import { EVENT_TYPES, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { fitLogistic, probability, type LogisticModel } from './logistic-regression.js';
import { matchedTrainingRows } from './training-set.js';

/**
 * The plain baseline every run is measured against: a logistic regression on
 * all-time counts (log 1 + n) of each indicator and of police records by type
 * and CSE tag, the person's own and their family's on the day, plus age,
 * trained the same way as the project's model (cohort children at their start
 * of service against matched comparison children). No windows, no network,
 * no index rules: if the project's model cannot beat this, it should say so.
 */
export function baselineFeatureNames(snapshot: TfdSnapshot): string[] {
  const own = [...snapshot.codes.map((c) => `count_${c}`), ...EVENT_TYPES.map((t) => `police_${t}`), 'police_cse_tagged'];
  return [...own, ...own.map((n) => `family_${n}`), 'age'];
}

/** Fills `out` with a person's baseline features on `day`. */
export function baselineFeatures(snapshot: TfdSnapshot, person: number, day: number, out: Float64Array): Float64Array {
  out.fill(0);
  const codes = snapshot.codes.length;
  const ownWidth = codes + EVENT_TYPES.length + 1;
  addCounts(snapshot, person, day, out, 0);
  const m = snapshot.memberships;
  const members = snapshot.familyMembers;
  const seen = new Set<number>([person]);
  for (let i = m.offset[person]; i < m.offset[person + 1]; i++) {
    if (m.start[i] > day || m.end[i] < day) continue;
    const family = m.family[i];
    for (let j = members.offset[family]; j < members.offset[family + 1]; j++) {
      const other = members.person[j];
      if (seen.has(other) || members.start[j] > day || members.end[j] < day) continue;
      seen.add(other);
      addCounts(snapshot, other, day, out, ownWidth);
    }
  }
  for (let i = 0; i < 2 * ownWidth; i++) out[i] = Math.log1p(out[i]);
  const birth = snapshot.birth[person];
  out[2 * ownWidth] = birth === NO_DAY || birth > day ? 0 : completedYears(birth, day) / 18;
  return out;
}

function addCounts(snapshot: TfdSnapshot, person: number, day: number, out: Float64Array, base: number): void {
  const f = snapshot.facts;
  for (let k = f.offset[person]; k < f.offset[person + 1]; k++) if (f.start[k] <= day) out[base + f.code[k]]++;
  const ev = snapshot.events;
  const codes = snapshot.codes.length;
  for (let k = ev.offset[person]; k < ev.offset[person + 1]; k++) {
    if (ev.day[k] > day) continue;
    out[base + codes + ev.type[k]]++;
    if (ev.cse[k]) out[base + codes + EVENT_TYPES.length]++;
  }
}

/** Trains the baseline on cohort children who started on or before `casesUpTo`; null when too few to learn from. */
export function trainBaseline(snapshot: TfdSnapshot, casesUpTo: number, seed: number, minCases: number): LogisticModel | null {
  const rows = matchedTrainingRows(snapshot, { casesUpTo, seed });
  const cases = rows.label.reduce((a, b) => a + b, 0);
  if (cases < minCases) return null;
  const names = baselineFeatureNames(snapshot);
  const x = new Float64Array(rows.person.length * names.length);
  const buffer = new Float64Array(names.length);
  for (let i = 0; i < rows.person.length; i++) x.set(baselineFeatures(snapshot, rows.person[i], rows.date[i], buffer), i * names.length);
  return fitLogistic(names, x, rows.label, { l2: 2, weights: rows.weight });
}

/** The baseline's scores (0–100) for people on a day. */
export function baselineScores(snapshot: TfdSnapshot, model: LogisticModel, people: readonly number[], day: number): number[] {
  const buffer = new Float64Array(model.features.length);
  return people.map((p) => 100 * probability(model, baselineFeatures(snapshot, p, day, buffer)));
}
