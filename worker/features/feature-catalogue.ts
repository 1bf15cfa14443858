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
  return out;
}

export const FEATURES: readonly FeatureDefinition[] = buildCatalogue();
export const FEATURE_NAMES = FEATURES.map((f) => f.name);
export const FEATURE_INDEX = new Map(FEATURE_NAMES.map((n, i) => [n, i]));
