import { NO_DAY } from '../../domain/days.js';
import { EVENT_TYPES, TOPAZ_MARKERS, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import type { IndexRules } from './scoring-config.js';

const MISSING_REPORT = EVENT_TYPES.indexOf('missing_report');
const TOPAZ_VICTIM = TOPAZ_MARKERS.indexOf('victim');

/** An index rule that holds, with the latest record it rests on (NO_DAY if none is dated) and that record's source. */
export interface FiredRule {
  readonly id: string;
  readonly text: string;
  readonly day: number;
  readonly source: string;
}

export interface IndexResult {
  readonly score: number;
  readonly fired: FiredRule[];
  readonly topazVictim: boolean;
}

/** Network inputs, when the network job has run; scoring works without them. */
export interface NetworkSignals {
  readonly associatesWithRisk: (person: number) => boolean;
}

export function topazVictimActive(snapshot: TfdSnapshot, person: number, asOf: number): boolean {
  return topazVictimSince(snapshot, person, asOf) !== NO_DAY;
}

/** The start of the latest Topaz victim marker active on `asOf`, NO_DAY if none. */
function topazVictimSince(snapshot: TfdSnapshot, person: number, asOf: number): number {
  const t = snapshot.topaz;
  let since = NO_DAY;
  for (let i = t.offset[person]; i < t.offset[person + 1]; i++) {
    if (t.marker[i] === TOPAZ_VICTIM && t.start[i] <= asOf && t.end[i] >= asOf && t.start[i] > since) since = t.start[i];
  }
  return since;
}

/** The analysts' derived index: each rule that holds on `asOf` adds its points (capped at 100). */
export function indexScore(snapshot: TfdSnapshot, rules: IndexRules, person: number, asOf: number, network?: NetworkSignals): IndexResult {
  const ev = snapshot.events;
  // The latest qualifying record of each rule (NO_DAY: the rule does not hold).
  let flaggedMissing = NO_DAY;
  let flaggedRecent = NO_DAY;
  let latestMissing = NO_DAY;
  let missing90 = 0;
  for (let i = ev.offset[person]; i < ev.offset[person + 1]; i++) {
    const age = asOf - ev.day[i];
    if (age < 0) continue;
    if (ev.cse[i] && ev.type[i] === MISSING_REPORT && age < 1096) flaggedMissing = Math.max(flaggedMissing, ev.day[i]);
    if (ev.cse[i] && age < 365) flaggedRecent = Math.max(flaggedRecent, ev.day[i]);
    if (ev.type[i] === MISSING_REPORT && age < 91) {
      missing90++;
      latestMissing = Math.max(latestMissing, ev.day[i]);
    }
  }
  const f = snapshot.facts;
  const trafficking = snapshot.codes.indexOf('trafficking');
  let trafficked = NO_DAY;
  for (let i = f.offset[person]; i < f.offset[person + 1]; i++) if (f.code[i] === trafficking && f.start[i] <= asOf && asOf - f.start[i] < 1096) trafficked = Math.max(trafficked, f.start[i]);
  const topazSince = topazVictimSince(snapshot, person, asOf);
  const associates = network !== undefined && network.associatesWithRisk(person);

  let score = 0;
  const fired: FiredRule[] = [];
  for (const rule of rules.rules) {
    const evidence: { day: number; source: string } | null =
      rule.id === 'topaz_victim' ? (topazSince !== NO_DAY ? { day: topazSince, source: 'topaz' } : null)
      : rule.id === 'cse_flagged_missing_36m' ? (flaggedMissing !== NO_DAY ? { day: flaggedMissing, source: 'police' } : null)
      : rule.id === 'cse_flagged_event_12m' ? (flaggedRecent !== NO_DAY ? { day: flaggedRecent, source: 'police' } : null)
      : rule.id === 'repeat_missing_90d' ? (missing90 >= (rule.threshold ?? 3) ? { day: latestMissing, source: 'police' } : null)
      : rule.id === 'trafficking_36m' ? (trafficked !== NO_DAY ? { day: trafficked, source: trafficking >= 0 ? snapshot.codeSource[trafficking] : 'unknown' } : null)
      : rule.id === 'associates_with_cse_risk' && associates ? { day: NO_DAY, source: 'network' }
      : null;
    if (!evidence) continue;
    score += rule.points;
    fired.push({ id: rule.id, text: rule.reason.replace('{count}', String(missing90)), ...evidence });
  }
  return { score: Math.min(100, score), fired, topazVictim: topazSince !== NO_DAY };
}
