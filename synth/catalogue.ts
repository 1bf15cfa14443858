/**
 * The indicators the synthetic TFD supplies, by source. `areas` lists the
 * programme areas that receive the source; undefined = every area. The second
 * area lacks the early-help, health, DWP and RONI feeds, as Somerset's TFD
 * lacked some of Bristol's (the lesson that missing must not mean zero).
 */
export interface CatalogueEntry {
  readonly code: string;
  readonly label: string;
  readonly source: string;
  readonly kind: 'event' | 'state';
  readonly areas?: readonly string[];
}

export const AREAS = [
  { areaId: 'A1', name: 'Bristol (synthetic)', share: 0.7 },
  { areaId: 'A2', name: 'Somerset (synthetic)', share: 0.3 },
] as const;

const FULL_AREA = ['A1'];
const SECOND_AREA = ['A2'];

export const CATALOGUE: readonly CatalogueEntry[] = [
  { code: 'missing_episode', label: 'Reported missing', source: 'police', kind: 'event' },
  { code: 'absent_from_care', label: 'Absent from care placement', source: 'social_care', kind: 'event' },
  { code: 'school_absence_persistent', label: 'Persistently absent (attendance %)', source: 'school_census', kind: 'state' },
  { code: 'exclusion_fixed', label: 'Suspension (fixed-term exclusion)', source: 'school_census', kind: 'event' },
  { code: 'exclusion_permanent', label: 'Permanent exclusion', source: 'school_census', kind: 'event' },
  { code: 'neet', label: 'Not in education, employment or training', source: 'education', kind: 'state' },
  { code: 'neet_risk', label: 'Risk of NEET (RONI)', source: 'education', kind: 'state', areas: FULL_AREA },
  { code: 'offence', label: 'Offence recorded', source: 'police', kind: 'event' },
  { code: 'asb', label: 'Anti-social behaviour', source: 'police', kind: 'event' },
  { code: 'social_care_referral', label: 'Referral to children’s social care', source: 'social_care', kind: 'event' },
  { code: 'early_help_episode', label: 'Early help episode', source: 'early_help', kind: 'state', areas: FULL_AREA },
  { code: 'child_protection_plan', label: 'Child protection plan', source: 'social_care', kind: 'state' },
  { code: 'looked_after', label: 'Looked after child', source: 'social_care', kind: 'state' },
  { code: 'child_in_need', label: 'Child in need', source: 'social_care', kind: 'state' },
  { code: 'domestic_abuse_victim', label: 'Victim of domestic abuse', source: 'police', kind: 'event' },
  { code: 'domestic_abuse_perpetrator', label: 'Domestic abuse perpetrator', source: 'police', kind: 'event' },
  { code: 'domestic_abuse_incident', label: 'Domestic abuse incident in the household', source: 'police', kind: 'event' },
  { code: 'mental_health_support', label: 'Mental health support', source: 'health', kind: 'state', areas: FULL_AREA },
  { code: 'substance_misuse_support', label: 'Substance misuse support', source: 'health', kind: 'state', areas: FULL_AREA },
  { code: 'teenage_pregnancy', label: 'Teenage pregnancy', source: 'health', kind: 'event' },
  { code: 'homeless', label: 'Homeless or owed a housing duty', source: 'housing', kind: 'state' },
  { code: 'unemployed', label: 'Unemployed (out-of-work benefits)', source: 'dwp', kind: 'state', areas: FULL_AREA },
  { code: 'sexual_offence', label: 'Sexual offence', source: 'police', kind: 'event' },
  { code: 'violent_offence', label: 'Violent offence', source: 'police', kind: 'event' },
  { code: 'drugs_offence', label: 'Drugs offence', source: 'police', kind: 'event' },
  { code: 'gang_association', label: 'Gang association (intelligence)', source: 'police', kind: 'state' },
  { code: 'ocg_association', label: 'Organised crime group association', source: 'police', kind: 'state' },
  { code: 'trafficking', label: 'Trafficking (NRM referral)', source: 'police', kind: 'event' },
  { code: 'criminality_with_children', label: 'Criminality involving children', source: 'police', kind: 'event' },
  // Sources one area supplies and the other does not.
  { code: 'free_school_meals', label: 'Eligible for free school meals', source: 'school_census', kind: 'state', areas: FULL_AREA },
  { code: 'young_carer', label: 'Young carer', source: 'social_care', kind: 'state', areas: SECOND_AREA },
];

export const suppliedIn = (code: string, areaId: string): boolean => {
  const entry = CATALOGUE_BY_CODE.get(code);
  return entry !== undefined && (entry.areas === undefined || entry.areas.includes(areaId));
};

export const CATALOGUE_BY_CODE = new Map(CATALOGUE.map((e) => [e.code, e]));
