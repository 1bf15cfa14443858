import { isoOf, NO_DAY } from '../../domain/days.js';
import { audienceOf, type ReasonItem } from '../../domain/reason-item.js';
import { additionalIndicatorOf, FEATURES } from '../features/feature-catalogue.js';
import type { FiredRule } from '../scoring/index-score.js';
import type { Evidence } from './evidence.js';

/** How each indicator reads in a sentence about the person ("they have …"). */
const PHRASES: Record<string, { count: string; state?: string }> = {
  missing_episode: { count: 'been reported missing' },
  absent_from_care: { count: 'been absent from their care placement' },
  exclusion_fixed: { count: 'been suspended from school' },
  exclusion_permanent: { count: 'been permanently excluded from school' },
  offence: { count: 'had an offence recorded' },
  asb: { count: 'been involved in anti-social behaviour' },
  social_care_referral: { count: 'been referred to children’s social care' },
  domestic_abuse_victim: { count: 'been a victim of domestic abuse' },
  domestic_abuse_incident: { count: 'been present at a domestic abuse incident' },
  domestic_abuse_perpetrator: { count: 'been recorded as a domestic abuse perpetrator' },
  teenage_pregnancy: { count: 'had a teenage pregnancy recorded' },
  sexual_offence: { count: 'had a sexual offence recorded' },
  violent_offence: { count: 'had a violent offence recorded' },
  drugs_offence: { count: 'had a drugs offence recorded' },
  trafficking: { count: 'been referred as a possible victim of trafficking' },
  criminality_with_children: { count: 'been linked to criminality involving children' },
  school_absence_persistent: { count: 'been persistently absent from school', state: 'are persistently absent from school' },
  neet: { count: 'been not in education, employment or training', state: 'are not in education, employment or training' },
  neet_risk: { count: 'been assessed at risk of becoming NEET', state: 'are assessed at risk of becoming NEET' },
  early_help_episode: { count: 'had early help', state: 'are receiving early help' },
  child_protection_plan: { count: 'been on a child protection plan', state: 'are on a child protection plan' },
  looked_after: { count: 'been looked after (in care)', state: 'are looked after (in care)' },
  child_in_need: { count: 'been a child in need', state: 'are a child in need' },
  mental_health_support: { count: 'had mental health support', state: 'are receiving mental health support' },
  substance_misuse_support: { count: 'had substance misuse support', state: 'are receiving substance misuse support' },
  homeless: { count: 'been reported as homeless', state: 'are homeless' },
  unemployed: { count: 'been unemployed', state: 'are unemployed' },
  gang_association: { count: 'been linked to a gang', state: 'are linked to a gang' },
  ocg_association: { count: 'been linked to an organised crime group', state: 'are linked to an organised crime group' },
};

const FAMILY_PHRASES: Record<string, string> = {
  domestic_abuse_incident: 'there has been a domestic abuse incident',
  domestic_abuse_victim: 'they have been a victim of domestic abuse',
  child_protection_plan: 'they are on a CP Plan',
  homeless: 'they have been reported as homeless',
  unemployed: 'they are unemployed',
  offence: 'they have an offence recorded',
  substance_misuse_support: 'they have had substance misuse support',
  mental_health_support: 'they have had mental health support',
};

const FEATURE_BY_NAME = new Map(FEATURES.map((f) => [f.name, f]));

const POLICE_WORDS: Record<string, string> = { crime: 'crime', intelligence: 'intelligence', missing_report: 'missing person', call_card: 'incident (command and control)' };

const WINDOW_WORDS: Record<string, string> = { '3m': 'in the last 3 months', '12m': 'in the last 12 months', '36m': 'in the last 3 years' };

/** One feature's phrase, or null where it has no plain reading (age, flags). */
export function featurePhrase(name: string, value: number): string | null {
  const def = FEATURE_BY_NAME.get(name);
  if (!def?.code) {
    if (name === 'cse_flagged_events_12m') return `they are named in ${Math.round(Math.expm1(value))} police record(s) tagged CSE in the last 12 months`;
    if (name === 'cse_flagged_missing_36m') return 'CSE was identified by call scripting when they were reported missing';
    if (name === 'police_events_12m') return `they appear in ${Math.round(Math.expm1(value))} police record(s) in the last 12 months`;
    if (name === 'alternative_provision') return 'they attend alternative provision';
    if (name === 'not_in_school') return 'they are of school age but not enrolled at a school';
    if (name === 'assoc_at_risk_1hop') return `they associate with ${Math.round(Math.expm1(value))} subject(s) at risk of CSE`;
    if (name === 'assoc_at_risk_2hop') return `people they associate with are linked to ${Math.round(Math.expm1(value))} subject(s) at risk of CSE`;
    if (name === 'assoc_risky_tie_strength') return `they share ${Math.round(Math.expm1(value))} police records with a subject at risk of CSE`;
    if (name === 'network_proximity_to_risk') return 'they are closely connected to subjects at risk of CSE';
    if (name === 'risky_place_visits_12m') return 'they have been recorded at places linked to CSE';
    if (name === 'police_cse_tagged_ever') return `they are named in ${Math.round(Math.expm1(value))} police record(s) tagged CSE in all`;
    const police = /^police_(.+)_ever$/.exec(name);
    if (police) return `they appear in ${Math.round(Math.expm1(value))} police ${POLICE_WORDS[police[1]] ?? police[1].replace(/_/g, ' ')} record(s) in all`;
    const additional = additionalIndicatorOf(name);
    if (additional) return `they have ${Math.round(Math.expm1(value))} ${additional.replace(/_/g, ' ')} record(s) in all`;
    return null;
  }
  if (name.startsWith('family_')) return null;
  const phrase = PHRASES[def.code];
  if (!phrase) return `they have a ${def.code.replace(/_/g, ' ')} record`;
  const suffix = name.slice(def.code.length + 1);
  if (suffix === 'ever') {
    const count = Math.round(Math.expm1(value));
    return phrase.state ? `they have ${phrase.count}${count > 1 ? ` (${count} records)` : ''} at some time` : `they have ${phrase.count} ${count > 1 ? `${count} times ` : ''}in all`;
  }
  if (suffix === 'recency') return `they have ${phrase.count} (most recently ${Math.round(-365 * Math.log(value))} days ago)`;
  if (suffix === 'open') return `they ${phrase.state ?? `have ${phrase.count}`}`;
  if (name === 'attendance_shortfall_36m') return `their attendance has fallen to ${Math.round(100 - value * 100)}%`;
  if (WINDOW_WORDS[suffix]) {
    const count = Math.round(Math.expm1(value));
    return phrase.state && suffix === '36m' && value === 1 ? `they have ${phrase.count} ${WINDOW_WORDS[suffix]}` : `they have ${phrase.count} ${count > 1 ? `${count} times ` : ''}${WINDOW_WORDS[suffix]}`;
  }
  return null;
}

export interface ReasonInputs {
  /** The index rules that hold, with their evidence. */
  readonly fired: readonly FiredRule[];
  /** Feature names, values and contributions to the log-odds. */
  readonly features: readonly string[];
  readonly values: ArrayLike<number>;
  readonly contributions: ArrayLike<number>;
  readonly missingPersonRisk: number | null;
  readonly conductFlags: number;
  readonly conductRisk: boolean;
  /** The latest record behind a feature and its source (looked up only for the features a summary names). */
  readonly evidence: (feature: string) => Evidence;
  /** The configuration's police-only reason codes. */
  readonly policeOnly: readonly string[];
}

const dateOf = (day: number) => (day === NO_DAY ? null : isoOf(day));

/**
 * The reasons behind a child's score as items: the index rules that hold, the
 * model's largest contributions that have a plain reading, family context,
 * Missing Person and Conduct Disorder risk. Each carries its evidence date,
 * source and audience, so every channel shows each reader only what they may see.
 */
export function explainReasons(input: ReasonInputs, maxModelReasons = 4): ReasonItem[] {
  const item = (code: string, kind: ReasonItem['kind'], text: string, day: number, source: string): ReasonItem => ({
    code,
    kind,
    text,
    evidenceDate: dateOf(day),
    source,
    audience: audienceOf(code, input.policeOnly),
  });
  const items: ReasonItem[] = input.fired.map((r) => item(`index:${r.id}`, 'because', r.text, r.day, r.source));
  const ranked = Array.from({ length: input.features.length }, (_, i) => i)
    .filter((i) => input.contributions[i] > 0.15 && input.values[i] !== 0)
    .sort((a, b) => input.contributions[b] - input.contributions[a]);
  const seen = new Set<string>();
  const indexTexts = new Set(input.fired.map((r) => r.text));
  let modelReasons = 0;
  for (const i of ranked) {
    const name = input.features[i];
    const code = FEATURE_BY_NAME.get(name)?.code ?? name;
    if (seen.has(code) || name.startsWith('family_')) continue;
    const phrase = featurePhrase(name, input.values[i]);
    if (phrase && !indexTexts.has(phrase)) {
      const evidence = input.evidence(name);
      items.push(item(`feature:${code}`, 'because', phrase, evidence.day, evidence.source));
      seen.add(code);
      modelReasons++;
    }
    if (modelReasons >= maxModelReasons) break;
  }
  input.features.forEach((name, i) => {
    if (!name.startsWith('family_') || !name.endsWith('_36m') || input.values[i] !== 1) return;
    const code = name.slice(7, -4);
    const phrase = FAMILY_PHRASES[code];
    if (phrase) items.push(item(`family:${code}`, 'family', phrase, NO_DAY, 'family'));
  });
  if (input.missingPersonRisk !== null) items.push(item('missing_person_risk', 'missing_person', `Missing Person risk (of going missing again): ${Math.round(input.missingPersonRisk)}%.`, NO_DAY, 'model'));
  if (input.conductRisk) items.push(item('conduct', 'conduct', `Conduct disorder risk: ${input.conductFlags} conduct-related records in the last 12 months.`, NO_DAY, 'police'));
  return items;
}
