import { DAYS_PER_YEAR, septemberOf, yearOf, type Day } from './calendar.js';
import type { CommunityOutput, PartyRole } from './community-output.js';
import type { Difficulty } from './difficulty.js';
import type { Community, SynthPerson } from './population.js';
import type { Rng } from '../domain/rng.js';

/**
 * Ordinary lives: the indicators every person may collect, whether or not
 * anyone exploits them. Rates are per person-year at the eligible ages, scaled
 * by exp(beta·risk − beta²/2) so that the population mean stays at the base
 * rate while the vulnerable collect more (co-occurrence through shared risk).
 * Sources: docs/synthetic-data.md.
 */
interface Rule {
  readonly code: string;
  readonly ages: readonly [number, number];
  readonly rate: number;
  readonly beta: number;
  /** Mean spell length for `state` indicators (days). */
  readonly spell?: number;
  readonly sex?: Partial<Record<'F' | 'M', number>>;
  /** Over-recorded for the audited group when the recording-bias knob is on. */
  readonly biasable?: boolean;
}

const RULES: readonly Rule[] = [
  { code: 'social_care_referral', ages: [0, 17], rate: 0.054, beta: 1.1 },
  { code: 'child_in_need', ages: [0, 17], rate: 0.03, beta: 1.2, spell: 300 },
  { code: 'child_protection_plan', ages: [0, 17], rate: 0.005, beta: 1.4, spell: 270 },
  { code: 'early_help_episode', ages: [0, 17], rate: 0.04, beta: 1.0, spell: 180 },
  { code: 'exclusion_fixed', ages: [5, 15], rate: 0.08, beta: 1.4, sex: { M: 1.5, F: 0.5 } },
  { code: 'exclusion_permanent', ages: [5, 15], rate: 0.0013, beta: 1.6, sex: { M: 1.6, F: 0.4 } },
  { code: 'neet', ages: [16, 18], rate: 0.08, beta: 1.2, spell: 240 },
  { code: 'neet_risk', ages: [14, 16], rate: 0.1, beta: 1.1, spell: 365 },
  { code: 'offence', ages: [10, 17], rate: 0.006, beta: 1.5, sex: { M: 1.6, F: 0.4 }, biasable: true },
  { code: 'offence', ages: [18, 40], rate: 0.02, beta: 1.3, sex: { M: 1.6, F: 0.4 }, biasable: true },
  { code: 'offence', ages: [41, 90], rate: 0.005, beta: 1.2, sex: { M: 1.6, F: 0.4 }, biasable: true },
  { code: 'asb', ages: [10, 25], rate: 0.03, beta: 1.2, biasable: true },
  { code: 'asb', ages: [26, 90], rate: 0.004, beta: 1.0, biasable: true },
  { code: 'mental_health_support', ages: [11, 17], rate: 0.02, beta: 1.0, spell: 240 },
  { code: 'mental_health_support', ages: [18, 90], rate: 0.03, beta: 0.8, spell: 365 },
  { code: 'substance_misuse_support', ages: [14, 17], rate: 0.004, beta: 1.3, spell: 200 },
  { code: 'substance_misuse_support', ages: [18, 70], rate: 0.008, beta: 1.2, spell: 270 },
  { code: 'teenage_pregnancy', ages: [15, 17], rate: 0.0131, beta: 1.3, sex: { F: 1, M: 0 } },
  { code: 'unemployed', ages: [18, 64], rate: 0.05, beta: 1.0, spell: 300 },
  { code: 'gang_association', ages: [13, 30], rate: 0.002, beta: 1.5, sex: { M: 1.8, F: 0.2 }, spell: 500 },
  { code: 'ocg_association', ages: [18, 50], rate: 0.0008, beta: 1.5, sex: { M: 1.8, F: 0.2 }, spell: 700 },
  { code: 'trafficking', ages: [10, 17], rate: 0.0002, beta: 1.5 },
  { code: 'young_carer', ages: [8, 17], rate: 0.005, beta: 0.8, spell: 540 },
];

const OFFENCE_KINDS: readonly [string, number][] = [
  ['violent_offence', 0.3],
  ['drugs_offence', 0.15],
  ['sexual_offence', 0.02],
];

export interface LifeCourseOptions {
  readonly start: Day;
  readonly end: Day;
  /** Recorded ASB and offences are multiplied by this for the audited group (≥ 1). */
  readonly biasFactor: number;
  readonly biasRng: Rng;
  readonly biasApplies: (person: SynthPerson) => boolean;
  /** How hard the world is to read (difficulty.ts); `standard` leaves the output as it always was. */
  readonly difficulty: Difficulty;
}

const scale = (beta: number, risk: number) => Math.exp(beta * risk - (beta * beta) / 2);

/** The span [from, to) of days when a person is within an age band and inside the data window. */
function eligible(person: SynthPerson, ages: readonly [number, number], o: LifeCourseOptions): [Day, Day] | null {
  const from = Math.max(o.start, person.birth + Math.ceil(ages[0] * DAYS_PER_YEAR));
  const to = Math.min(o.end, person.birth + Math.floor((ages[1] + 1) * DAYS_PER_YEAR));
  return to > from ? [from, to] : null;
}

export function generateLifeCourses(community: Community, out: CommunityOutput, rng: Rng, o: LifeCourseOptions): void {
  for (const family of community.families) householdEvents(community, family.members, family.adults, family.children, family.adversity, family.home, out, rng, o);
  // The harder worlds' additions draw after everything the standard world draws, so a standard bundle is unchanged.
  const harder = o.difficulty.name !== 'standard';
  for (const person of community.people) {
    personalIndicators(community, person, out, rng, o);
    schoolCareer(community, person, out, rng, o);
  }
  if (harder) {
    for (const person of community.people) {
      unfoundedIntelligence(community, person, out, rng, o);
      innocentAdult(community, person, out, rng, o);
    }
    coOffendingGroups(community, out, rng, o);
  }
}

function personalIndicators(community: Community, person: SynthPerson, out: CommunityOutput, rng: Rng, o: LifeCourseOptions): void {
  for (const rule of RULES) {
    const span = eligible(person, rule.ages, o);
    if (!span) continue;
    const rate = rule.rate * scale(rule.beta, person.risk) * (rule.sex?.[person.sex] ?? 1);
    const years = (span[1] - span[0]) / DAYS_PER_YEAR;
    recordRule(community, person, rule, span, rng.poisson(rate * years), out, rng);
    // Over-recording draws from its own stream: the same seed exploits the same children with the knob on or off.
    if (rule.biasable && o.biasFactor > 1 && o.biasApplies(person)) {
      recordRule(community, person, rule, span, o.biasRng.poisson(rate * (o.biasFactor - 1) * years), out.using(o.biasRng), o.biasRng);
    }
  }
  lookedAfter(community, person, out, rng, o);
  missingEpisodes(community, person, out, rng, o);
  if (o.biasFactor > 1 && o.biasApplies(person)) overTaggedIntelligence(community, person, out.using(o.biasRng), o);
}

/** Unfounded CSE-tagged intelligence about any teenager (realistic and quiet worlds). */
function unfoundedIntelligence(community: Community, person: SynthPerson, out: CommunityOutput, rng: Rng, o: LifeCourseOptions): void {
  const span = eligible(person, [12, 17], o);
  if (!span) return;
  const n = rng.poisson(o.difficulty.unfoundedCseIntelligence * ((span[1] - span[0]) / DAYS_PER_YEAR));
  for (let k = 0; k < n; k++) out.event('intelligence', span[0] + rng.int(span[1] - span[0]), rng.pick(community.places), true, [[person.index, 'subject']]);
}

/** Groups of teenagers who offend together: linked by shared crime records, and not exploitation. */
function coOffendingGroups(community: Community, out: CommunityOutput, rng: Rng, o: LifeCourseOptions): void {
  const teens = community.people.filter((p) => {
    const age = (o.end - p.birth) / DAYS_PER_YEAR;
    return age >= 13 && age < 24;
  });
  if (teens.length < 4) return;
  const years = (o.end - o.start) / DAYS_PER_YEAR;
  for (let g = rng.poisson((o.difficulty.coOffendingGroups * teens.length * years) / 1000); g > 0; g--) {
    const day = o.start + rng.int(o.end - o.start - 365);
    const members = new Set<number>();
    const size = 3 + rng.int(2);
    for (let tries = 0; members.size < size && tries < 40; tries++) {
      const p = rng.pick(teens);
      const age = (day - p.birth) / DAYS_PER_YEAR;
      if (age >= 13 && age < 18) members.add(p.index);
    }
    if (members.size < 3) continue;
    const place = rng.pick(community.places);
    for (let k = 3 + rng.int(4); k > 0; k--) {
      const when = day + rng.int(365);
      for (const m of members) out.fact(m, 'offence', when);
      out.event('crime', when, rng.chance(0.7) ? place : rng.pick(community.places), false, [...members].map((m) => [m, rng.chance(0.7) ? 'offender' : 'suspect'] as [number, PartyRole]));
    }
  }
}

/** An adult outside a looked-after child's household (a youth worker, a relative) on several of their police records, for good reasons. */
function innocentAdult(community: Community, person: SynthPerson, out: CommunityOutput, rng: Rng, o: LifeCourseOptions): void {
  if (person.careFrom === undefined || !rng.chance(o.difficulty.innocentAdults)) return;
  const from = Math.max(o.start, person.careFrom);
  const to = Math.min(o.end, person.careTo ?? o.end);
  if (to - from < 60) return;
  const household = new Set(community.families[person.family].members);
  let adult: SynthPerson | null = null;
  for (let tries = 0; tries < 40 && adult === null; tries++) {
    const p = rng.pick(community.people);
    const age = (from - p.birth) / DAYS_PER_YEAR;
    if (age >= 25 && age < 70 && !household.has(p.index) && !p.exploiter) adult = p;
  }
  if (!adult) return;
  for (let k = 3 + rng.int(4); k > 0; k--) {
    const day = from + rng.int(to - from);
    if (rng.chance(0.5)) out.event('call_card', day, rng.pick(community.places), false, [[person.index, 'involved'], [adult.index, 'reporter']]);
    else {
      out.fact(person.index, 'missing_episode', day);
      out.event('missing_report', day, rng.pick(community.places), rng.chance(o.difficulty.backgroundMissingCse.care), [[person.index, 'missing_person'], [adult.index, 'reporter']]);
    }
  }
}

/** Unfounded police intelligence naming a teenager, tagged CSE, per teen-year, before any over-recording. */
const UNFOUNDED_CSE_INTELLIGENCE_RATE = 0.01;

/**
 * The recording-bias knob's strongest lever: intelligence about the audited
 * group's teenagers is tagged CSE more often ((F − 1) × the base rate extra),
 * with no exploitation behind it. Drawn from the bias stream only.
 */
function overTaggedIntelligence(community: Community, person: SynthPerson, out: CommunityOutput, o: LifeCourseOptions): void {
  const span = eligible(person, [10, 17], o);
  if (!span) return;
  const rng = o.biasRng;
  const n = rng.poisson(UNFOUNDED_CSE_INTELLIGENCE_RATE * (o.biasFactor - 1) * ((span[1] - span[0]) / DAYS_PER_YEAR));
  for (let k = 0; k < n; k++) out.event('intelligence', span[0] + rng.int(span[1] - span[0]), rng.pick(community.places), true, [[person.index, 'subject']]);
}

function recordRule(community: Community, person: SynthPerson, rule: Rule, span: [Day, Day], n: number, out: CommunityOutput, rng: Rng): void {
  for (let k = 0; k < n; k++) {
    const day = span[0] + rng.int(span[1] - span[0]);
    if (rule.spell) out.fact(person.index, rule.code, day, day + Math.round(rule.spell * (0.3 + 1.4 * rng.float())));
    else out.fact(person.index, rule.code, day);
    if (rule.code === 'offence') offenceRecord(community, person, day, out, rng);
    if (rule.code === 'asb') antisocialRecord(community, person, day, out, rng);
    if (rule.code === 'gang_association') gangIntelligence(community, person, day, out, rng);
  }
}

function offenceRecord(community: Community, person: SynthPerson, day: Day, out: CommunityOutput, rng: Rng): void {
  for (const [code, share] of OFFENCE_KINDS) if (rng.chance(share)) out.fact(person.index, code, day);
  const parties: [number, PartyRole][] = [[person.index, rng.chance(0.7) ? 'offender' : 'suspect']];
  if (rng.chance(0.7)) parties.push([rng.int(community.people.length), 'victim']);
  if (rng.chance(0.25)) parties.push([peerOf(community, person, rng), 'suspect']);
  if (rng.chance(0.2)) parties.push([rng.int(community.people.length), 'witness']);
  out.event('crime', day, rng.chance(0.5) ? rng.pick(community.places) : community.families[person.family].home, false, parties);
}

function antisocialRecord(community: Community, person: SynthPerson, day: Day, out: CommunityOutput, rng: Rng): void {
  const parties: [number, PartyRole][] = [[person.index, 'subject']];
  for (let k = rng.int(4); k > 0; k--) parties.push([peerOf(community, person, rng), 'involved']);
  if (rng.chance(0.6)) parties.push([rng.int(community.people.length), 'reporter']);
  out.event('call_card', day, rng.pick(community.places), false, parties);
}

function gangIntelligence(community: Community, person: SynthPerson, day: Day, out: CommunityOutput, rng: Rng): void {
  const parties: [number, PartyRole][] = [[person.index, 'subject']];
  for (let k = 1 + rng.int(3); k > 0; k--) parties.push([peerOf(community, person, rng), 'subject']);
  out.event('intelligence', day, rng.pick(community.places), false, parties);
}

/** Someone from the same peer group (or, failing that, anyone nearby). */
export function peerOf(community: Community, person: SynthPerson, rng: Rng): number {
  const start = Math.max(0, person.index - 40);
  for (let tries = 0; tries < 8; tries++) {
    const other = community.people[start + rng.int(Math.min(80, community.people.length - start))];
    if (other && other.index !== person.index && other.peerGroup === person.peerGroup) return other.index;
  }
  return rng.int(community.people.length);
}

/** Spells in care move the child into a placement family; care is a strong confounder for going missing. */
function lookedAfter(community: Community, person: SynthPerson, out: CommunityOutput, rng: Rng, o: LifeCourseOptions): void {
  const span = eligible(person, [0, 17], o);
  if (!span) return;
  const p = 1 - Math.exp(-(0.0025 * scale(1.5, person.risk) * (span[1] - span[0])) / DAYS_PER_YEAR);
  if (!rng.chance(p)) return;
  const from = span[0] + rng.int(span[1] - span[0]);
  const to = Math.min(from + 200 + rng.int(1400), person.birth + Math.round(18 * DAYS_PER_YEAR));
  person.careFrom = from;
  person.careTo = to;
  out.fact(person.index, 'looked_after', from, to);
  out.fact(person.index, 'social_care_referral', from - rng.int(60));
  const absences = rng.poisson((0.4 * (to - from)) / DAYS_PER_YEAR);
  for (let k = 0; k < absences; k++) out.fact(person.index, 'absent_from_care', from + rng.int(Math.max(1, to - from)));
}

/**
 * About 1 in 200 children is reported missing in a year; 1 in 10 looked-after
 * children, ~6.8 times each (NCA; DfE). Each episode is a police missing report.
 */
function missingEpisodes(community: Community, person: SynthPerson, out: CommunityOutput, rng: Rng, o: LifeCourseOptions): void {
  const span = eligible(person, [10, 17], o);
  if (!span) return;
  const years = (span[1] - span[0]) / DAYS_PER_YEAR;
  // A run of reports a few months apart, for `rate` × the base rate of going missing at all.
  const spell = (rate: number, cseChance: number, spellRng: Rng, spellOut: CommunityOutput) => {
    if (!spellRng.chance(1 - Math.exp(-0.005 * rate * scale(1.3, person.risk) * years))) return;
    const n = 1 + spellRng.poisson(1.6);
    const first = span[0] + spellRng.int(span[1] - span[0]);
    for (let k = 0; k < n; k++) missingReport(community, person, first + spellRng.int(240), spellOut, spellRng, cseChance, null);
  };
  spell(1, o.difficulty.backgroundMissingCse.home, rng, out);
  // Over-reporting for the audited group (the recording-bias knob), from its own stream and never tagged CSE.
  if (o.biasFactor > 1 && o.biasApplies(person)) spell(o.biasFactor - 1, 0, o.biasRng, out.using(o.biasRng));
  if (person.careFrom !== undefined && rng.chance(0.1 * Math.max(1, (person.careTo! - person.careFrom) / DAYS_PER_YEAR))) {
    const n = 1 + rng.poisson(5.8);
    for (let k = 0; k < n; k++) {
      const day = person.careFrom + rng.int(Math.max(1, person.careTo! - person.careFrom));
      if (day >= span[0]) missingReport(community, person, day, out, rng, o.difficulty.backgroundMissingCse.care, null);
    }
  }
}

/** A missing episode: the fact, and the police record that names who reported it. */
export function missingReport(
  community: Community,
  person: SynthPerson,
  day: Day,
  out: CommunityOutput,
  rng: Rng,
  cseChance: number,
  foundWith: number | null,
): void {
  out.fact(person.index, 'missing_episode', day);
  const family = community.families[person.family];
  const parties: [number, PartyRole][] = [[person.index, 'missing_person']];
  const inCare = person.careFrom !== undefined && day >= person.careFrom && day <= (person.careTo ?? day);
  if (!inCare && family.adults.length > 0) parties.push([rng.pick(family.adults), 'reporter']);
  if (foundWith !== null) parties.push([foundWith, 'involved']);
  out.event('missing_report', day, foundWith !== null ? rng.pick(community.places) : family.home, rng.chance(cseChance), parties);
}

/** Domestic abuse, homelessness and free school meals happen to a household, and every member's record shows it. */
function householdEvents(
  community: Community,
  members: number[],
  adults: number[],
  children: number[],
  adversity: number,
  home: string,
  out: CommunityOutput,
  rng: Rng,
  o: LifeCourseOptions,
): void {
  const years = (o.end - o.start) / DAYS_PER_YEAR;
  if (adults.length > 0) {
    const incidents = rng.chance(1 - Math.exp(-0.02 * scale(1.2, adversity) * years)) ? 1 + rng.poisson(1.8) : 0;
    const victim = adults.find((a) => community.people[a].sex === 'F') ?? adults[0];
    const perpetrator = adults.find((a) => a !== victim);
    const first = o.start + rng.int(o.end - o.start);
    for (let k = 0; k < incidents; k++) {
      const day = first + rng.int(500);
      out.fact(victim, 'domestic_abuse_victim', day);
      const parties: [number, PartyRole][] = [[victim, 'victim']];
      if (perpetrator !== undefined) {
        out.fact(perpetrator, 'domestic_abuse_perpetrator', day);
        parties.push([perpetrator, 'suspect']);
      }
      for (const child of children) {
        if (community.people[child].birth <= day) {
          out.fact(child, 'domestic_abuse_incident', day);
          parties.push([child, 'involved']);
        }
      }
      out.event(rng.chance(0.35) ? 'crime' : 'call_card', day, home, false, parties);
    }
  }
  if (rng.chance(1 - Math.exp(-0.013 * scale(1.2, adversity) * years))) {
    const from = o.start + rng.int(o.end - o.start);
    const to = from + 60 + rng.int(300);
    for (const m of members) if (community.people[m].birth <= from) out.fact(m, 'homeless', from, to);
  }
  if (adversity > 0.4 && children.length > 0) {
    const from = Math.max(o.start, o.start + rng.int(o.end - o.start) - 3 * 365);
    const to = from + 365 + rng.int(4 * 365);
    for (const c of children) {
      const p = community.people[c];
      const school = [p.birth + Math.round(4 * DAYS_PER_YEAR), p.birth + Math.round(16 * DAYS_PER_YEAR)];
      if (school[0] < to && school[1] > from) out.fact(c, 'free_school_meals', Math.max(from, school[0]), Math.min(to, school[1]));
    }
  }
}

/** School years (primary 4–11, secondary 11–16, college 16–18 for some), with persistent absence per year. */
function schoolCareer(community: Community, person: SynthPerson, out: CommunityOutput, rng: Rng, o: LifeCourseOptions): void {
  const entry = yearOf(person.birth + Math.round(4 * DAYS_PER_YEAR) + 120);
  for (let year = Math.max(entry, yearOf(o.start) - 1); year < entry + 12 && septemberOf(year) <= o.end; year++) {
    const from = septemberOf(year);
    const to = septemberOf(year + 1) - 40;
    if (to < o.start) continue;
    // Persistent absence doubled after 2020 (10.9% in 2018/19, 20% in 2023/24).
    const base = year >= 2020 ? 0.155 : 0.085;
    const p = Math.min(0.9, base * scale(1.0, person.risk));
    if (rng.chance(p)) out.fact(person.index, 'school_absence_persistent', from, to, Math.round((55 + 34.9 * rng.float()) * 10) / 10);
  }
  void community;
}
