import { NO_DAY } from '../../domain/days.js';
import { additionalIndicatorOf, FEATURES } from '../features/feature-catalogue.js';
import { EVENT_TYPES, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/** What a reason rests on: the latest record behind it (NO_DAY if none) and its source. */
export interface Evidence {
  readonly day: number;
  readonly source: string;
}

const CODE_OF = new Map(FEATURES.map((f) => [f.name, f.code]));
const MISSING_REPORT = EVENT_TYPES.indexOf('missing_report');
const NETWORK_FEATURES = new Set(['assoc_at_risk_1hop', 'assoc_at_risk_2hop', 'assoc_risky_tie_strength', 'network_proximity_to_risk']);
const SCHOOL_FEATURES = new Set(['alternative_provision', 'not_in_school']);

/** The latest of a person's police records on or before `asOf` that `keep` accepts. */
export function latestEventDay(snapshot: TfdSnapshot, person: number, asOf: number, keep: (i: number) => boolean): number {
  const ev = snapshot.events;
  let latest = NO_DAY;
  for (let i = ev.offset[person]; i < ev.offset[person + 1]; i++) if (ev.day[i] <= asOf && ev.day[i] > latest && keep(i)) latest = ev.day[i];
  return latest;
}

/** The latest start of a person's facts of one indicator on or before `asOf`. */
export function latestFactDay(snapshot: TfdSnapshot, person: number, asOf: number, code: number): number {
  const f = snapshot.facts;
  let latest = NO_DAY;
  for (let i = f.offset[person]; i < f.offset[person + 1]; i++) if (f.code[i] === code && f.start[i] <= asOf && f.start[i] > latest) latest = f.start[i];
  return latest;
}

/** Evidence for one model feature of one person, looked up only for the few features a summary names. */
export function featureEvidence(snapshot: TfdSnapshot, person: number, asOf: number, feature: string): Evidence {
  const ev = snapshot.events;
  if (feature === 'cse_flagged_events_12m') return { day: latestEventDay(snapshot, person, asOf, (i) => ev.cse[i] === 1), source: 'police' };
  if (feature === 'cse_flagged_missing_36m') return { day: latestEventDay(snapshot, person, asOf, (i) => ev.cse[i] === 1 && ev.type[i] === MISSING_REPORT), source: 'police' };
  if (feature === 'police_events_12m' || feature === 'risky_place_visits_12m') return { day: latestEventDay(snapshot, person, asOf, () => true), source: 'police' };
  if (feature === 'police_cse_tagged_ever') return { day: latestEventDay(snapshot, person, asOf, (i) => ev.cse[i] === 1), source: 'police' };
  const police = /^police_(.+)_ever$/.exec(feature);
  if (police) return { day: latestEventDay(snapshot, person, asOf, (i) => EVENT_TYPES[ev.type[i]] === police[1]), source: 'police' };
  if (NETWORK_FEATURES.has(feature)) return { day: NO_DAY, source: 'network' };
  if (SCHOOL_FEATURES.has(feature)) return { day: NO_DAY, source: 'education' };
  const code = CODE_OF.get(feature) ?? additionalIndicatorOf(feature);
  const index = code ? snapshot.codes.indexOf(code) : -1;
  if (index < 0) return { day: NO_DAY, source: 'model' };
  return { day: latestFactDay(snapshot, person, asOf, index), source: snapshot.codeSource[index] ?? 'unknown' };
}
