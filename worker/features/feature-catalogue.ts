/**
 * The model's variables: every feature by name with what it means. The list
 * is generated from here (`docs/variables.md`, and each model artefact), so
 * what the model uses is always public. Sex, ethnicity and deprivation (IMD)
 * are deliberately absent: they are used only to audit the model.
 */
export const EVENT_CODES = [
  'missing_episode', 'absent_from_care', 'exclusion_fixed', 'exclusion_permanent', 'offence', 'asb', 'social_care_referral',
  'domestic_abuse_victim', 'domestic_abuse_incident', 'domestic_abuse_perpetrator', 'teenage_pregnancy', 'sexual_offence',
  'violent_offence', 'drugs_offence', 'trafficking', 'criminality_with_children',
] as const;

export const STATE_CODES = [
  'school_absence_persistent', 'neet', 'neet_risk', 'early_help_episode', 'child_protection_plan', 'looked_after', 'child_in_need',
  'mental_health_support', 'substance_misuse_support', 'homeless', 'unemployed', 'gang_association', 'ocg_association',
] as const;

/** Family members' records that describe the child's context. */
export const FAMILY_CODES = [
  'domestic_abuse_incident', 'domestic_abuse_victim', 'child_protection_plan', 'homeless', 'unemployed', 'offence', 'substance_misuse_support',
  'mental_health_support',
] as const;

export const SOURCES = ['police', 'social_care', 'school_census', 'education', 'early_help', 'health', 'housing', 'dwp'] as const;

/** Police record types, in the snapshot's order (worker/snapshot EVENT_TYPES). */
export const POLICE_RECORD_TYPES = ['crime', 'intelligence', 'missing_report', 'call_card'] as const;

export const WINDOWS = [
  { suffix: '3m', days: 91 },
  { suffix: '12m', days: 365 },
  { suffix: '36m', days: 1096 },
] as const;

export interface FeatureDefinition {
  readonly name: string;
  readonly description: string;
  /** The indicator it is built from, where there is one (for the missing-source mask and reasons). */
  readonly code?: string;
}

const label = (code: string) => code.replace(/_/g, ' ');

function buildCatalogue(): FeatureDefinition[] {
  const out: FeatureDefinition[] = [];
  for (const code of EVENT_CODES) {
    for (const w of WINDOWS) out.push({ name: `${code}_${w.suffix}`, code, description: `log(1 + number of ${label(code)} records in the ${w.days} days up to the as-of date)` });
    out.push({ name: `${code}_recency`, code, description: `exp(−days since the latest ${label(code)} record / 365); 0 if none` });
  }
  for (const code of STATE_CODES) {
    out.push({ name: `${code}_open`, code, description: `1 if a ${label(code)} spell is open on the as-of date` });
    out.push({ name: `${code}_36m`, code, description: `1 if a ${label(code)} spell overlapped the 36 months up to the as-of date` });
  }
  out.push({ name: 'attendance_shortfall_36m', code: 'school_absence_persistent', description: '(100 − lowest recorded attendance % in 36 months) / 100; 0 if none recorded' });
  for (const code of FAMILY_CODES) out.push({ name: `family_${code}_36m`, code, description: `1 if another member of the child's family (as of the date) has a ${label(code)} record in the last 36 months` });
  out.push({ name: 'family_size', description: 'log(1 + people in the child’s families on the as-of date)' });
  out.push({ name: 'cse_flagged_events_12m', description: 'log(1 + police records tagged CSE that the person is party to, last 12 months)' });
  out.push({ name: 'cse_flagged_missing_36m', description: '1 if a missing report in the last 36 months was tagged CSE (call scripting)' });
  out.push({ name: 'police_events_12m', description: 'log(1 + police records the person is party to, last 12 months)' });
  out.push({ name: 'alternative_provision', description: '1 if enrolled in alternative provision on the as-of date' });
  out.push({ name: 'not_in_school', description: '1 if of compulsory school age (5–15) and not enrolled anywhere on the as-of date' });
  out.push({ name: 'age', description: 'age in years on the as-of date / 18' });
  out.push({ name: 'age_11_17', description: '1 if aged 11–17 on the as-of date' });
  out.push({ name: 'network_degree', description: 'log(1 + people linked to this person by 3+ shared police records on the as-of date)' });
  out.push({ name: 'assoc_at_risk_1hop', description: 'log(1 + linked people carrying known CSE risk on the as-of date: an active Topaz marker, in the exploitation-service cohort, or party to a CSE-tagged record in the last 3 years)' });
  out.push({ name: 'assoc_at_risk_2hop', description: 'log(1 + people two links away carrying known CSE risk)' });
  out.push({ name: 'assoc_risky_tie_strength', description: 'log(1 + most police records shared with one linked person carrying known CSE risk)' });
  out.push({ name: 'network_proximity_to_risk', description: '1 / (1 + shortest distance to a person carrying known CSE risk, each link of length 3 / shared records), up to 3 links; 0 if none' });
  out.push({ name: 'risky_place_visits_12m', description: 'log(1 + the person’s police records in the last 12 months at places with 2+ CSE-tagged records by then)' });
  out.push({ name: 'network_unavailable', description: '1 if the run computed no relationships (network features are then 0)' });
  for (const source of SOURCES) out.push({ name: `no_${source}_source`, description: `1 if the person’s area supplies no ${source.replace('_', ' ')} data (its features are then 0)` });
  // All-time counts: a child exploited years ago carries its trail long after the windows above have emptied.
  for (const code of [...EVENT_CODES, ...STATE_CODES]) out.push({ name: `${code}_ever`, code, description: `log(1 + number of ${label(code)} records up to the as-of date, however long ago)` });
  for (const type of POLICE_RECORD_TYPES) out.push({ name: `police_${type}_ever`, description: `log(1 + police ${label(type)} records the person is party to, up to the as-of date)` });
  out.push({ name: 'police_cse_tagged_ever', description: 'log(1 + police records tagged CSE that the person is party to, up to the as-of date)' });
  for (const code of [...EVENT_CODES, ...STATE_CODES]) out.push({ name: `family_ever_${code}`, code, description: `log(1 + ${label(code)} records of the child's family members (as of the date), up to the as-of date)` });
  for (const type of POLICE_RECORD_TYPES) out.push({ name: `family_ever_police_${type}`, description: `log(1 + police ${label(type)} records the child's family members are party to, up to the as-of date)` });
  out.push({ name: 'family_ever_police_cse_tagged', description: 'log(1 + police records tagged CSE that the child’s family members are party to, up to the as-of date)' });
  return out;
}

export const FEATURES: readonly FeatureDefinition[] = buildCatalogue();

const CATALOGUE_CODES = new Set<string>([...EVENT_CODES, ...STATE_CODES]);

/** The codes a TFD supplies beyond the catalogue. */
export const beyondCatalogue = (codes: readonly string[]): string[] => codes.filter((c) => !CATALOGUE_CODES.has(c));

/**
 * Indicators a TFD supplies beyond the catalogue above (the contract lets a
 * source supply more) that the partnership chose to use (scoring
 * configuration `additionalIndicators`): each becomes an all-time count, own
 * and family, appended after the catalogue's variables, so a local indicator
 * (a CSE concern logged by social care, say) can weigh in the model instead
 * of being dropped. Chosen, not automatic: an unknown code may stand in for
 * what the model must never read (free school meals is deprivation). Only
 * all-time counts: the windows and phrases above are written per indicator.
 */
export function additionalIndicatorFeatures(codes: readonly string[]): FeatureDefinition[] {
  const extra = beyondCatalogue(codes);
  return [
    ...extra.map((code) => ({ name: `${code}_ever`, code, description: `log(1 + number of ${label(code)} records up to the as-of date, however long ago); an indicator this TFD supplies beyond the catalogue` })),
    ...extra.map((code) => ({ name: `family_ever_${code}`, code, description: `log(1 + ${label(code)} records of the child's family members (as of the date), up to the as-of date); an indicator this TFD supplies beyond the catalogue` })),
  ];
}

export const FEATURE_NAMES = FEATURES.map((f) => f.name);
export const FEATURE_INDEX = new Map(FEATURE_NAMES.map((n, i) => [n, i]));

/**
 * The feature sets the model is chosen among (worker/model/model-choice.ts):
 * `recent` the windowed, recency, network and context features; `all-time`
 * the all-time counts, own and family, with age and the missing-source flags;
 * `all-time-network` those with the network features (who a child is linked
 * to is standing context, like an all-time count); `both` everything. Which
 * rank best depends on the TFD, so each run chooses, on the cohort only, and
 * records its choice.
 */
export const FEATURE_SET_NAMES = ['recent', 'all-time', 'all-time-network', 'both'] as const;
export type FeatureSetName = (typeof FEATURE_SET_NAMES)[number];

const isAllTime = (name: string) => name.endsWith('_ever') || name.startsWith('family_ever_');
/** Positions of the all-time counts (computed as raw counts, then log(1 + n)). */
export const ALL_TIME_FEATURES: readonly number[] = FEATURE_NAMES.map((n, i) => (isAllTime(n) ? i : -1)).filter((i) => i >= 0);
const NETWORK = new Set(['network_degree', 'assoc_at_risk_1hop', 'assoc_at_risk_2hop', 'assoc_risky_tie_strength', 'network_proximity_to_risk', 'risky_place_visits_12m', 'network_unavailable']);
const CONTEXT = new Set(['age', 'age_11_17', ...SOURCES.map((s) => `no_${s}_source`)]);

/** The indicator behind an additional indicator's own all-time count (`<code>_ever` outside the catalogue); null for anything else. */
export function additionalIndicatorOf(name: string): string | null {
  if (!name.endsWith('_ever') || name.startsWith('family_ever_') || name.startsWith('police_')) return null;
  const code = name.slice(0, -'_ever'.length);
  return CATALOGUE_CODES.has(code) ? null : code;
}

/** Feature sets over a feature list that may extend the catalogue: its additional indicators' all-time counts join every set but `recent`. */
export function featureSetsWith(additional: readonly number[]): Readonly<Record<FeatureSetName, readonly number[]>> {
  if (additional.length === 0) return FEATURE_SETS;
  return {
    recent: FEATURE_SETS.recent,
    'all-time': [...FEATURE_SETS['all-time'], ...additional],
    'all-time-network': [...FEATURE_SETS['all-time-network'], ...additional],
    both: [...FEATURE_SETS.both, ...additional],
  };
}

export const FEATURE_SETS: Readonly<Record<FeatureSetName, readonly number[]>> = {
  recent: FEATURE_NAMES.map((_, i) => i).filter((i) => !ALL_TIME_FEATURES.includes(i)),
  'all-time': FEATURE_NAMES.map((n, i) => (isAllTime(n) || CONTEXT.has(n) ? i : -1)).filter((i) => i >= 0),
  'all-time-network': FEATURE_NAMES.map((n, i) => (isAllTime(n) || CONTEXT.has(n) || NETWORK.has(n) ? i : -1)).filter((i) => i >= 0),
  both: FEATURE_NAMES.map((_, i) => i),
};
