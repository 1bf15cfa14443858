import { completedYears, isChildOn } from '../../domain/ages.js';
import { pointInTimeFeatures, type FeatureLayout } from '../features/point-in-time.js';
import { fitLogistic, type LogisticModel } from '../model/logistic-regression.js';
import { NO_DAY } from '../../domain/days.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';

const HORIZON = 182;

export function missingEpisodes(snapshot: TfdSnapshot, code: number, person: number, from: number, to: number): number {
  const f = snapshot.facts;
  let n = 0;
  for (let i = f.offset[person]; i < f.offset[person + 1]; i++) if (f.code[i] === code && f.start[i] > from && f.start[i] <= to) n++;
  return n;
}

/**
 * Missing Person risk: for a child already reported missing in the past
 * year, the chance of going missing again within six months. Learnt from the
 * TFD itself: children missing in the year before `asOf − 6 months`, labelled
 * by whether they went missing again in the six months after.
 */
export function trainMissingPersonModel(snapshot: TfdSnapshot, layout: FeatureLayout, asOf: number): LogisticModel | null {
  const code = snapshot.codes.indexOf('missing_episode');
  if (code < 0) return null;
  const at = asOf - HORIZON;
  const rows: number[] = [];
  const labels: number[] = [];
  for (let p = 0; p < snapshot.personIds.length; p++) {
    const birth = snapshot.birth[p];
    if (birth === NO_DAY || birth > at || completedYears(birth, at) < 8 || !isChildOn(birth, at)) continue;
    if (missingEpisodes(snapshot, code, p, at - 365, at) === 0) continue;
    rows.push(p);
    labels.push(missingEpisodes(snapshot, code, p, at, asOf) > 0 ? 1 : 0);
  }
  const positives = labels.reduce((a, b) => a + b, 0);
  if (positives < 5 || positives > labels.length - 5) return null;
  const x = new Float64Array(rows.length * layout.width);
  const buffer = new Float64Array(layout.width);
  rows.forEach((p, i) => x.set(pointInTimeFeatures(snapshot, layout, p, at, buffer), i * layout.width));
  return fitLogistic(layout.names, x, Uint8Array.from(labels), { l2: 5 });
}
