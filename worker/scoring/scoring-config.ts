import { UserFacingError } from '../../domain/errors.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EVENT_TYPES } from '../snapshot/tfd-snapshot.js';

/**
 * Police-only unless a configuration says otherwise: Topaz markers, police
 * intelligence (CSE-tagged records, call-scripting tags, gang and organised
 * crime intelligence, places of concern), links through other people's police
 * records, and everything about "CSE Risk – Subjects Over 18".
 */
export const DEFAULT_POLICE_ONLY_REASONS: readonly string[] = [
  'index:topaz_victim',
  'index:cse_flagged_missing_36m',
  'index:cse_flagged_event_12m',
  'index:associates_with_cse_risk',
  'feature:cse_flagged_events_12m',
  'feature:cse_flagged_missing_36m',
  'feature:police_cse_tagged_ever',
  'feature:police_intelligence_ever',
  'feature:gang_association',
  'feature:ocg_association',
  'feature:risky_place_visits_12m',
  'feature:assoc_at_risk_1hop',
  'feature:assoc_at_risk_2hop',
  'feature:assoc_risky_tie_strength',
  'feature:network_proximity_to_risk',
  'over18:*',
];

const indexRule = z.object({
  id: z.enum(['topaz_victim', 'cse_flagged_missing_36m', 'cse_flagged_event_12m', 'repeat_missing_90d', 'trafficking_36m', 'associates_with_cse_risk']),
  points: z.number().min(0).max(100),
  threshold: z.number().int().positive().optional(),
  reason: z.string().min(1),
});

const scoringFile = z
  .object({
    version: z.string().min(1),
    description: z.string().optional(),
    bands: z.object({ high: z.number().min(0).max(100), medium: z.number().min(0).max(100), low: z.number().min(0).max(100) }),
    conductThreshold: z.number().int().positive(),
    network: z.object({
      minShared: z.number().int().min(1),
      maxParties: z.number().int().min(2),
      eligibleTypes: z.array(z.enum(['crime', 'intelligence', 'missing_report', 'call_card'])).min(1),
    }),
    indexRules: z.array(indexRule),
    /** Reason codes only police roles may see (exact, or a prefix ending in `*`). */
    /** How the list is made: `model` (the calibrated model decides, sized by a target precision and a capacity) or `bands` (Bristol's max(predictive, index) and band thresholds, kept for comparison). */
    list: z
      .object({
        rule: z.enum(['model', 'bands']),
        minPrecision: z.number().gt(0).lt(1),
        acceptedShare: z.number().gt(0).max(1).default(1),
        capacity: z.number().int().min(1).max(10_000),
        watch: z.number().int().min(0).max(10_000),
      })
      .default({ rule: 'model', minPrecision: 0.4, acceptedShare: 1, capacity: 50, watch: 100 }),
    /** The horizon of the calibrated chance of acceptance ("within a year"). */
    calibration: z.object({ horizonDays: z.number().int().min(30).max(1096) }).default({ horizonDays: 365 }),
    policeOnlyReasons: z.array(z.string().regex(/^[a-z0-9_:]+\*?$/, 'a reason code such as index:topaz_victim or over18:*')).default(() => [...DEFAULT_POLICE_ONLY_REASONS]),
    /** Indicator codes beyond the catalogue the model may use (all-time counts, own and family); none unless chosen. */
    additionalIndicators: z.array(z.string().min(1)).default([]),
  })
  .refine((f) => f.bands.high >= f.bands.medium && f.bands.medium >= f.bands.low, { message: 'bands must satisfy high ≥ medium ≥ low', path: ['bands'] });

export interface IndexRules {
  readonly version: string;
  readonly rules: readonly z.infer<typeof indexRule>[];
}
export interface Bands {
  /** Final score at or above which a child is in the band (scoring-config.v1.json: high 60, medium 35, low 15). */
  readonly high: number;
  readonly medium: number;
  readonly low: number;
}

export interface ScoringConfig {
  readonly indexRules: IndexRules;
  readonly bands: Bands;
  /** Conduct-disorder flags in 12 months at or over which the risk is raised (v1: 3). */
  readonly conductThreshold: number;
  /** Relationship inference (v1: 3 shared records, at most 12 parties, all four record types). */
  readonly network: { readonly minShared: number; readonly maxParties: number; readonly eligibleTypes: readonly ('crime' | 'intelligence' | 'missing_report' | 'call_card')[] };
  /**
   * The list: `model` lists children whose calibrated chance is at or above a threshold read off the
   * cohort's cross-validation: as deep as at least `minPrecision` of those listed would be exploited,
   * reading each cohort child listed as 1/`acceptedShare` exploited children (the service accepts only
   * some of them; 1 reads the cohort as the whole truth), at most `capacity` per meeting, with a watch
   * band of up to `watch` below (v1.3: model, 0.4, 0.75, 50, 100); `bands` is Bristol's rule
   * (final = max(predictive, index), listed from the medium band). Active Topaz victims are always listed.
   */
  readonly list: { readonly rule: 'model' | 'bands'; readonly minPrecision: number; readonly acceptedShare: number; readonly capacity: number; readonly watch: number };
  /** The calibrated probability is the chance of acceptance by the exploitation service within this many days (v1.1: 365). */
  readonly calibration: { readonly horizonDays: number };
  /** Reason codes shown to police roles only (scoring-config.v1.json; DEFAULT_POLICE_ONLY_REASONS when a file has none). */
  readonly policeOnlyReasons: readonly string[];
  /**
   * Indicators the TFD supplies beyond the catalogue that the model may use
   * (v1.3: none). Chosen by the partnership after reading what each is: a code
   * that stands for deprivation, sex or ethnicity must not be listed.
   */
  readonly additionalIndicators: readonly string[];
}

export class ScoringConfigError extends UserFacingError {
  constructor(path: string, reason: string) {
    super(`scoring configuration ${path} is not valid: ${reason}`);
  }
}

export const DEFAULT_SCORING_CONFIG = new URL('./scoring-config.v1.json', import.meta.url).pathname;

/** Reads and validates a versioned scoring configuration file. */
export function loadScoringConfig(path = DEFAULT_SCORING_CONFIG): ScoringConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ScoringConfigError(path, (error as Error).message);
  }
  const parsed = scoringFile.safeParse(raw);
  if (!parsed.success) throw new ScoringConfigError(path, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const f = parsed.data;
  return { indexRules: { version: f.version, rules: f.indexRules }, bands: f.bands, conductThreshold: f.conductThreshold, network: f.network, list: f.list, calibration: f.calibration, policeOnlyReasons: f.policeOnlyReasons, additionalIndicators: f.additionalIndicators };
}

export const defaultScoringConfig = () => loadScoringConfig();

/** The network rule of a configuration as inferRelationships takes it, on a given day. */
export const relationshipOptions = (config: ScoringConfig, asOf: number, minShared = config.network.minShared) => ({
  asOf,
  minShared,
  maxParties: config.network.maxParties,
  eligibleTypes: config.network.eligibleTypes.map((t) => EVENT_TYPES.indexOf(t as (typeof EVENT_TYPES)[number])),
});
export const DEFAULT_BANDS: Bands = loadScoringConfig().bands;

export type Band = 'high' | 'medium' | 'low' | 'none';

export function bandOf(score: number, bands: Bands): Band {
  if (score >= bands.high) return 'high';
  if (score >= bands.medium) return 'medium';
  if (score >= bands.low) return 'low';
  return 'none';
}
