import { personNetwork, type NetworkContext } from '../network/network-features.js';
import { completedYears, yearsBetween } from '../../domain/ages.js';
import { NO_DAY } from '../../domain/days.js';
import { SCHOOL_PHASES, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { additionalIndicatorFeatures, ALL_TIME_FEATURES, EVENT_CODES, FAMILY_CODES, FEATURE_INDEX, FEATURES, featureSetsWith, POLICE_RECORD_TYPES, SOURCES, STATE_CODES, WINDOWS, type FeatureDefinition, type FeatureSetName } from './feature-catalogue.js';

const EVENT_TYPE_MISSING = 2; // index in EVENT_TYPES
const ALTERNATIVE = SCHOOL_PHASES.indexOf('alternative');
const at = (name: string) => FEATURE_INDEX.get(name)!;

/** Lookups from the snapshot's code indexes to feature positions, built once per snapshot. */
export interface FeatureLayout {
  readonly eventSlot: Int16Array;
  readonly stateSlot: Int16Array;
  readonly familySlot: Int16Array;
  /** Per snapshot code: the position of its all-time count, own and family (−1 if none). */
  readonly everSlot: Int16Array;
  readonly familyEverSlot: Int16Array;
  readonly sourceOf: Int16Array;
  readonly attendanceCode: number;
  /** The catalogue's variables, then the all-time counts of the indicators this TFD supplies beyond it. */
  readonly features: readonly FeatureDefinition[];
  readonly names: readonly string[];
  readonly width: number;
  /** Positions of every all-time count (catalogue and additional): computed as counts, then log(1 + n). */
  readonly allTime: readonly number[];
  /** Each feature set's positions in `features`. */
  readonly sets: Readonly<Record<FeatureSetName, readonly number[]>>;
  /** Per area: features to zero (their source is not supplied there) and the flags to raise. */
  readonly areaMask: readonly { zero: Int32Array; flags: Int32Array }[];
  /** The run's relationships; without them the network features are 0 and flagged unavailable. */
  readonly network?: NetworkContext;
}

/**
 * `chosen`: indicators beyond the catalogue the partnership chose to use
 * (the scoring configuration's `additionalIndicators`); those this TFD
 * supplies become all-time counts after the catalogue's variables.
 */
export function featureLayout(snapshot: TfdSnapshot, network?: NetworkContext, chosen: readonly string[] = []): FeatureLayout {
  const n = snapshot.codes.length;
  const slot = (list: readonly string[]) => Int16Array.from({ length: n }, (_, c) => list.indexOf(snapshot.codes[c]));
  const sourceOf = Int16Array.from({ length: n }, (_, c) => SOURCES.indexOf(snapshot.codeSource[c] as (typeof SOURCES)[number]));
  const features = [...FEATURES, ...additionalIndicatorFeatures(snapshot.codes.filter((c) => chosen.includes(c)))];
  const index = new Map(features.map((f, i) => [f.name, i]));
  const additional = features.map((_, i) => i).slice(FEATURES.length);
  return {
    eventSlot: slot(EVENT_CODES),
    stateSlot: slot(STATE_CODES),
    familySlot: slot(FAMILY_CODES),
    everSlot: Int16Array.from({ length: n }, (_, c) => index.get(`${snapshot.codes[c]}_ever`) ?? -1),
    familyEverSlot: Int16Array.from({ length: n }, (_, c) => index.get(`family_ever_${snapshot.codes[c]}`) ?? -1),
    sourceOf,
    areaMask: areaMasks(snapshot, sourceOf, features),
    attendanceCode: snapshot.codes.indexOf('school_absence_persistent'),
    network,
    features,
    names: features.map((f) => f.name),
    width: features.length,
    allTime: [...ALL_TIME_FEATURES, ...additional],
    sets: featureSetsWith(additional),
  };
}

const EVENT_BASE = at(`${EVENT_CODES[0]}_3m`);
const STATE_BASE = at(`${STATE_CODES[0]}_open`);
const FAMILY_BASE = at(`family_${FAMILY_CODES[0]}_36m`);
const SOURCE_BASE = at(`no_${SOURCES[0]}_source`);
const DAYS_36M = WINDOWS[2].days;
const POLICE_EVER = POLICE_RECORD_TYPES.map((t) => at(`police_${t}_ever`));
const FAMILY_POLICE_EVER = POLICE_RECORD_TYPES.map((t) => at(`family_ever_police_${t}`));
const CSE_TAGGED_EVER = at('police_cse_tagged_ever');
const FAMILY_CSE_TAGGED_EVER = at('family_ever_police_cse_tagged');

/**
 * The person's features as they stood on `asOf`: only records that started
 * on or before it count; a spell counts as open unless it had ended by then
 * (an end date after `asOf` was not yet known). Which of the person's
 * associates carry known risk is read on `riskKnownOn` (≥ `asOf`): a training
 * row, dated at a child's start of service, reads it on the model's own date,
 * so it sees the network context the way the children the model scores do.
 * Writes into `out` (length `layout.width`) and returns it.
 */
export function pointInTimeFeatures(snapshot: TfdSnapshot, layout: FeatureLayout, person: number, asOf: number, out: Float64Array, riskKnownOn = asOf): Float64Array {
  out.fill(0);
  const f = snapshot.facts;
  const eventCounts = new Int32Array(EVENT_CODES.length * 3);
  const lastEvent = new Int32Array(EVENT_CODES.length).fill(NO_DAY);
  let lowestAttendance = Infinity;

  for (let i = f.offset[person]; i < f.offset[person + 1]; i++) {
    const start = f.start[i];
    if (start > asOf) continue;
    const code = f.code[i];
    if (layout.everSlot[code] >= 0) out[layout.everSlot[code]]++;
    const e = layout.eventSlot[code];
    if (e >= 0) {
      const age = asOf - start;
      for (let w = 0; w < 3; w++) if (age < WINDOWS[w].days) eventCounts[e * 3 + w]++;
      if (start > lastEvent[e]) lastEvent[e] = start;
    }
    const s = layout.stateSlot[code];
    if (s >= 0) {
      const end = f.end[i];
      if (end >= asOf) out[STATE_BASE + s * 2] = 1;
      if (end >= asOf - DAYS_36M) out[STATE_BASE + s * 2 + 1] = 1;
    }
    if (code === layout.attendanceCode && asOf - start < DAYS_36M && !Number.isNaN(f.value[i])) lowestAttendance = Math.min(lowestAttendance, f.value[i]);
  }
  for (let e = 0; e < EVENT_CODES.length; e++) {
    for (let w = 0; w < 3; w++) out[EVENT_BASE + e * 4 + w] = Math.log1p(eventCounts[e * 3 + w]);
    if (lastEvent[e] !== NO_DAY) out[EVENT_BASE + e * 4 + 3] = Math.exp(-(asOf - lastEvent[e]) / 365);
  }
  if (lowestAttendance !== Infinity) out[at('attendance_shortfall_36m')] = Math.max(0, (100 - lowestAttendance) / 100);

  familyFeatures(snapshot, layout, person, asOf, out);
  networkFeatures(snapshot, layout, person, asOf, out, riskKnownOn);
  policeFeatures(snapshot, person, asOf, out);
  for (const i of layout.allTime) out[i] = Math.log1p(out[i]);
  schoolFeatures(snapshot, person, asOf, out);

  const birth = snapshot.birth[person];
  out[at('age')] = yearsBetween(birth, asOf) / 18;
  const years = completedYears(birth, asOf);
  out[at('age_11_17')] = years >= 11 && years < 18 ? 1 : 0;
  maskMissingSources(snapshot, layout, person, out);
  return out;
}

function familyFeatures(snapshot: TfdSnapshot, layout: FeatureLayout, person: number, asOf: number, out: Float64Array): void {
  const m = snapshot.memberships;
  const members = snapshot.familyMembers;
  const f = snapshot.facts;
  let size = 0;
  for (let i = m.offset[person]; i < m.offset[person + 1]; i++) {
    if (m.start[i] > asOf || m.end[i] < asOf) continue;
    const family = m.family[i];
    for (let j = members.offset[family]; j < members.offset[family + 1]; j++) {
      const other = members.person[j];
      if (other === person || members.start[j] > asOf || members.end[j] < asOf) continue;
      size++;
      for (let k = f.offset[other]; k < f.offset[other + 1]; k++) {
        if (f.start[k] > asOf) continue;
        const slot = layout.familySlot[f.code[k]];
        if (slot >= 0 && f.start[k] > asOf - DAYS_36M) out[FAMILY_BASE + slot] = 1;
        const ever = layout.familyEverSlot[f.code[k]];
        if (ever >= 0) out[ever]++;
      }
      countPoliceRecords(snapshot, other, asOf, out, FAMILY_POLICE_EVER, FAMILY_CSE_TAGGED_EVER);
    }
  }
  out[at('family_size')] = Math.log1p(size);
}

function networkFeatures(snapshot: TfdSnapshot, layout: FeatureLayout, person: number, asOf: number, out: Float64Array, riskKnownOn: number): void {
  if (!layout.network) {
    out[at('network_unavailable')] = 1;
    return;
  }
  const n = personNetwork(snapshot, layout.network, person, asOf, Math.max(asOf, riskKnownOn));
  out[at('network_degree')] = Math.log1p(n.degree);
  out[at('assoc_at_risk_1hop')] = Math.log1p(n.riskyDirect);
  out[at('assoc_at_risk_2hop')] = Math.log1p(n.riskyTwoHops);
  out[at('assoc_risky_tie_strength')] = Math.log1p(n.strongestRiskyTie);
  out[at('network_proximity_to_risk')] = n.proximity;
  out[at('risky_place_visits_12m')] = Math.log1p(n.riskyPlaceVisits);
}

function policeFeatures(snapshot: TfdSnapshot, person: number, asOf: number, out: Float64Array): void {
  const ev = snapshot.events;
  let flagged = 0;
  let all = 0;
  for (let i = ev.offset[person]; i < ev.offset[person + 1]; i++) {
    const day = ev.day[i];
    if (day > asOf) continue;
    if (asOf - day < 365) {
      all++;
      if (ev.cse[i]) flagged++;
    }
    if (ev.type[i] === EVENT_TYPE_MISSING && ev.cse[i] && asOf - day < DAYS_36M) out[at('cse_flagged_missing_36m')] = 1;
  }
  out[at('cse_flagged_events_12m')] = Math.log1p(flagged);
  out[at('police_events_12m')] = Math.log1p(all);
  countPoliceRecords(snapshot, person, asOf, out, POLICE_EVER, CSE_TAGGED_EVER);
}

/** Adds a person's police records up to `asOf`, by type and CSE tag, to the given (all-time) positions. */
function countPoliceRecords(snapshot: TfdSnapshot, person: number, asOf: number, out: Float64Array, byType: readonly number[], tagged: number): void {
  const ev = snapshot.events;
  for (let i = ev.offset[person]; i < ev.offset[person + 1]; i++) {
    if (ev.day[i] > asOf) continue;
    out[byType[ev.type[i]]]++;
    if (ev.cse[i]) out[tagged]++;
  }
}

function schoolFeatures(snapshot: TfdSnapshot, person: number, asOf: number, out: Float64Array): void {
  const en = snapshot.enrolments;
  let enrolled = false;
  for (let i = en.offset[person]; i < en.offset[person + 1]; i++) {
    if (en.start[i] <= asOf && en.end[i] >= asOf) {
      enrolled = true;
      if (en.phase[i] === ALTERNATIVE) out[at('alternative_provision')] = 1;
    }
  }
  const years = completedYears(snapshot.birth[person], asOf);
  if (!enrolled && years >= 5 && years < 16) out[at('not_in_school')] = 1;
}

/** A source the person's area lacks is missing, not zero: its features are zeroed and a flag says so. */
function maskMissingSources(snapshot: TfdSnapshot, layout: FeatureLayout, person: number, out: Float64Array): void {
  const mask = layout.areaMask[snapshot.area[person]];
  if (!mask) return;
  for (const i of mask.zero) out[i] = 0;
  for (const i of mask.flags) out[i] = 1;
}

function areaMasks(snapshot: TfdSnapshot, sourceOf: Int16Array, features: readonly FeatureDefinition[]): { zero: Int32Array; flags: Int32Array }[] {
  return snapshot.supplied.map((supplied) => {
    const present = new Set<number>();
    for (const code of supplied) if (sourceOf[code] >= 0) present.add(sourceOf[code]);
    const flags = SOURCES.map((_, s) => s).filter((s) => !present.has(s)).map((s) => SOURCE_BASE + s);
    const zero = features.map((f, i) => ({ f, i }))
      .filter(({ f }) => f.code !== undefined && !f.name.startsWith('family_'))
      .filter(({ f }) => {
        const index = snapshot.codes.indexOf(f.code!);
        return index < 0 || !supplied.has(index);
      })
      .map(({ i }) => i);
    return { zero: Int32Array.from(zero), flags: Int32Array.from(flags) };
  });
}
