import { EVENT_TYPES, TOPAZ_MARKERS, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import type { IndexRules } from './scoring-config.js';

const MISSING_REPORT = EVENT_TYPES.indexOf('missing_report');
const TOPAZ_VICTIM = TOPAZ_MARKERS.indexOf('victim');

export interface IndexResult {
  readonly score: number;
  readonly reasons: string[];
  readonly topazVictim: boolean;
}

/** Network inputs, when the network job has run; scoring works without them. */
export interface NetworkSignals {
  readonly associatesWithRisk: (person: number) => boolean;
}

export function topazVictimActive(snapshot: TfdSnapshot, person: number, asOf: number): boolean {
  const t = snapshot.topaz;
  for (let i = t.offset[person]; i < t.offset[person + 1]; i++) {
    if (t.marker[i] === TOPAZ_VICTIM && t.start[i] <= asOf && t.end[i] >= asOf) return true;
  }
  return false;
}

/** The analysts' derived index: each rule that holds on `asOf` adds its points (capped at 100). */
export function indexScore(snapshot: TfdSnapshot, rules: IndexRules, person: number, asOf: number, network?: NetworkSignals): IndexResult {
  const ev = snapshot.events;
  let flaggedMissing = false;
  let flaggedRecent = false;
  let missing90 = 0;
  for (let i = ev.offset[person]; i < ev.offset[person + 1]; i++) {
    const age = asOf - ev.day[i];
    if (age < 0) continue;
    if (ev.cse[i] && ev.type[i] === MISSING_REPORT && age < 1096) flaggedMissing = true;
    if (ev.cse[i] && age < 365) flaggedRecent = true;
    if (ev.type[i] === MISSING_REPORT && age < 91) missing90++;
  }
  const f = snapshot.facts;
  const trafficking = snapshot.codes.indexOf('trafficking');
  let trafficked = false;
  for (let i = f.offset[person]; i < f.offset[person + 1]; i++) if (f.code[i] === trafficking && f.start[i] <= asOf && asOf - f.start[i] < 1096) trafficked = true;
  const topazVictim = topazVictimActive(snapshot, person, asOf);

  let score = 0;
  const reasons: string[] = [];
  for (const rule of rules.rules) {
    const holds =
      (rule.id === 'topaz_victim' && topazVictim) ||
      (rule.id === 'cse_flagged_missing_36m' && flaggedMissing) ||
      (rule.id === 'cse_flagged_event_12m' && flaggedRecent) ||
      (rule.id === 'repeat_missing_90d' && missing90 >= (rule.threshold ?? 3)) ||
      (rule.id === 'trafficking_36m' && trafficked) ||
      (rule.id === 'associates_with_cse_risk' && network !== undefined && network.associatesWithRisk(person));
    if (!holds) continue;
    score += rule.points;
    reasons.push(rule.reason.replace('{count}', String(missing90)));
  }
  return { score: Math.min(100, score), reasons, topazVictim };
}
