import { isoOf, NO_DAY } from '../../domain/days.js';
import { completedYears, isChildOn } from '../../domain/ages.js';
import { audienceOf, type ReasonItem } from '../../domain/reason-item.js';
import { latestEventDay, latestFactDay } from '../reasons/evidence.js';
import { EVENT_TYPES, PARTY_ROLES, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { sharedBy, type NetworkContext } from './network-features.js';

/** The list's name, exactly as every screen, export and card must show it. */
export const OVER_18_LIST_NAME = 'CSE Risk – Subjects Over 18';


/** Offender-side factors as in Avon & Somerset's TRAP, with points and how each reads. */
const FACTORS: readonly { code: string; points: number; phrase: string }[] = [
  { code: 'sexual_offence', points: 25, phrase: 'a sexual offence is recorded against them in the last 3 years' },
  { code: 'criminality_with_children', points: 25, phrase: 'they are linked to criminality involving children in the last 3 years' },
  { code: 'trafficking', points: 20, phrase: 'they are linked to a trafficking referral in the last 3 years' },
  { code: 'violent_offence', points: 10, phrase: 'a violent offence is recorded in the last 3 years' },
  { code: 'drugs_offence', points: 10, phrase: 'a drugs offence is recorded in the last 3 years' },
  { code: 'gang_association', points: 10, phrase: 'they are linked to a gang' },
  { code: 'ocg_association', points: 10, phrase: 'they are linked to an organised crime group' },
  { code: 'asb', points: 5, phrase: 'they have been involved in anti-social behaviour in the last 3 years' },
];
const MISSING_LINK_POINTS = 15;
const THREE_YEARS = 1096;
/** Listed at or above this score (with CSE risk in their network). */
export const OVER_18_THRESHOLD = 30;

export interface OverEighteenEntry {
  readonly person: number;
  readonly age: number;
  /** CSE risk carried by the people they are linked to (0–100). */
  readonly networkScore: number;
  readonly score: number;
  readonly onList: boolean;
  /** The reasons as data (all police-only under the default configuration); each reader's text is rendered when shown. */
  readonly reasonItems: readonly ReasonItem[];
}

/**
 * Adults (18+ on `asOf`) with CSE risk in their network, scored by that risk
 * (ties to children on this run's list, or to anyone carrying known risk)
 * and by offender-side factors, each with the reasons they are listed.
 */
export function overEighteenList(snapshot: TfdSnapshot, ctx: NetworkContext, asOf: number, childrenOnList: ReadonlySet<number>, policeOnly: readonly string[]): OverEighteenEntry[] {
  const codeIndex = new Map(snapshot.codes.map((c, i) => [c, i]));
  const missingReport = EVENT_TYPES.indexOf('missing_report');
  const missingPerson = PARTY_ROLES.indexOf('missing_person');
  const out: OverEighteenEntry[] = [];
  for (let p = 0; p < snapshot.personIds.length; p++) {
    const birth = snapshot.birth[p];
    if (birth === NO_DAY || birth > asOf || isChildOn(birth, asOf)) continue;
    if (ctx.offset[p] === ctx.offset[p + 1]) continue;

    const families = familiesOn(snapshot, p, asOf);
    let networkScore = 0;
    let listedChildren = 0;
    let riskyOthers = 0;
    let recordsWithListed = 0;
    for (let k = ctx.offset[p]; k < ctx.offset[p + 1]; k++) {
      const shared = sharedBy(ctx, ctx.edge[k], asOf);
      if (shared === 0) continue;
      const q = ctx.neighbour[k];
      // Ties inside a family (shared domestic-abuse call cards, a parent reporting a
      // child missing) are the child's family context, not a reason to list the adult.
      if (families.length > 0 && familiesOn(snapshot, q, asOf).some((f) => families.includes(f))) continue;
      const strength = Math.min(shared, 6) / 6;
      if (childrenOnList.has(q)) {
        listedChildren++;
        recordsWithListed += shared;
        networkScore += 60 * strength;
      } else if (ctx.knownRisk(q, asOf)) {
        riskyOthers++;
        networkScore += 35 * strength;
      }
    }
    if (networkScore === 0) continue;
    networkScore = Math.min(100, Math.round(networkScore));

    const reasons: ReasonItem[] = [];
    const reason = (code: string, text: string, day: number, source: string) =>
      reasons.push({ code: `over18:${code}`, kind: 'over_18', text, evidenceDate: day === NO_DAY ? null : isoOf(day), source, audience: audienceOf(`over18:${code}`, policeOnly) });
    if (listedChildren > 0) reason('listed_children', `they share ${recordsWithListed} police records with ${listedChildren} child${listedChildren > 1 ? 'ren' : ''} on the CSE risk list`, NO_DAY, 'network');
    if (riskyOthers > 0) reason('risky_others', `they are linked through police records to ${riskyOthers} other ${riskyOthers > 1 ? 'people' : 'person'} carrying CSE risk`, NO_DAY, 'network');
    let factorPoints = 0;
    const f = snapshot.facts;
    for (const factor of FACTORS) {
      const code = codeIndex.get(factor.code);
      if (code === undefined) continue;
      for (let i = f.offset[p]; i < f.offset[p + 1]; i++) {
        if (f.code[i] === code && f.start[i] <= asOf && (asOf - f.start[i] < THREE_YEARS || f.end[i] >= asOf)) {
          factorPoints += factor.points;
          reason(factor.code, factor.phrase, latestFactDay(snapshot, p, asOf, code), snapshot.codeSource[code] ?? 'unknown');
          break;
        }
      }
    }
    if (appearsWithMissingChildren(snapshot, p, asOf, missingReport, missingPerson)) {
      factorPoints += MISSING_LINK_POINTS;
      reason('missing_children', 'they appear on police records about children reported missing', latestEventDay(snapshot, p, asOf, (i) => snapshot.events.type[i] === missingReport), 'police');
    }
    const score = Math.min(100, Math.round(0.6 * networkScore + 0.4 * Math.min(100, factorPoints)));
    out.push({
      person: p,
      age: completedYears(birth, asOf),
      networkScore,
      score,
      onList: score >= OVER_18_THRESHOLD,
      reasonItems: reasons,
    });
  }
  return out.sort((x, y) => y.score - x.score || x.person - y.person);
}

function familiesOn(snapshot: TfdSnapshot, person: number, day: number): number[] {
  const m = snapshot.memberships;
  const out: number[] = [];
  for (let i = m.offset[person]; i < m.offset[person + 1]; i++) if (m.start[i] <= day && m.end[i] >= day) out.push(m.family[i]);
  return out;
}

function appearsWithMissingChildren(snapshot: TfdSnapshot, person: number, asOf: number, missingReport: number, missingPerson: number): boolean {
  const pe = snapshot.events;
  const ev = snapshot.eventTable;
  for (let i = pe.offset[person]; i < pe.offset[person + 1]; i++) {
    if (pe.type[i] !== missingReport || pe.day[i] > asOf || asOf - pe.day[i] >= THREE_YEARS) continue;
    const e = pe.event[i];
    for (let j = ev.partyOffset[e]; j < ev.partyOffset[e + 1]; j++) {
      const other = ev.partyPerson[j];
      if (other === person || ev.partyRole[j] !== missingPerson || snapshot.birth[other] === NO_DAY || !isChildOn(snapshot.birth[other], pe.day[i])) continue;
      const own = familiesOn(snapshot, person, pe.day[i]);
      if (!familiesOn(snapshot, other, pe.day[i]).some((f) => own.includes(f))) return true;
    }
  }
  return false;
}
