import { FEATURE_NAMES } from '../features/feature-catalogue.js';
import { completedYears } from '../../domain/ages.js';
import { pointInTimeFeatures, type FeatureLayout } from '../features/point-in-time.js';
import { contributions, probability, type LogisticModel } from '../model/logistic-regression.js';
import { explainReasons } from '../reasons/reasons.js';
import { featureEvidence } from '../reasons/evidence.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { NO_DAY } from '../../domain/days.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { conductCodeSet, conductFlags } from './conduct.js';
import { indexScore, type NetworkSignals } from './index-score.js';
import { missingEpisodes } from './missing-person-risk.js';
import { bandOf, type Band, type ScoringConfig } from './scoring-config.js';

export interface ScoredChild {
  readonly person: number;
  readonly age: number;
  readonly predictive: number;
  /** The calibrated chance (0–1) of acceptance by the exploitation service within the configured horizon; null without a calibration. */
  readonly probability: number | null;
  readonly index: number;
  readonly network: number | null;
  readonly final: number;
  readonly band: Band;
  readonly onList: boolean;
  /** An active Topaz victim marker on the as-of date (always on the list). */
  readonly topazVictim: boolean;
  readonly missingPersonRisk: number | null;
  readonly conductFlags: number;
  readonly conductRisk: boolean;
  /** The reasons as data, each with its audience: the only form they are kept in (each reader's text is rendered when shown). */
  readonly reasonItems: readonly ReasonItem[];
  /** The largest contributions to the predictive score, for the profile's indicator table. */
  readonly contributions: { feature: string; value: number; contribution: number }[];
}

export interface ScoringModels {
  /** Null when the cohort was too small to learn from: the index score and Topaz rule still apply. */
  readonly cse: LogisticModel | null;
  /** The CSE model with its intercept corrected to the population (calibration.ts); null when it could not be calibrated. */
  readonly acceptance?: LogisticModel | null;
  readonly missingPerson: LogisticModel | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const PROXIMITY = FEATURE_NAMES.indexOf('network_proximity_to_risk');
const ASSOCIATES_AT_RISK = FEATURE_NAMES.indexOf('assoc_at_risk_1hop');

/**
 * Scores every child (0–17 on `asOf`): predictive similarity to the cohort,
 * the derived index, final = max of the two, band, list membership (an active
 * Topaz victim marker always puts a child on the list), Missing Person and
 * Conduct Disorder risk, and the reasons.
 */
export function scoreChildren(
  snapshot: TfdSnapshot,
  layout: FeatureLayout,
  models: ScoringModels,
  config: ScoringConfig,
  asOf: number,
  /** false: scores and list only, no reasons or contributions (what-if rescoring). @defaultValue true */
  explain = true,
): ScoredChild[] {
  const out: ScoredChild[] = [];
  const x = new Float64Array(layout.width);
  const c = new Float64Array(layout.width);
  const conduct = conductCodeSet(snapshot);
  const missingCode = snapshot.codes.indexOf('missing_episode');
  for (let p = 0; p < snapshot.personIds.length; p++) {
    const birth = snapshot.birth[p];
    if (birth === NO_DAY || birth > asOf) continue;
    const age = completedYears(birth, asOf);
    if (age >= 18) continue;
    pointInTimeFeatures(snapshot, layout, p, asOf, x);
    const predictive = models.cse ? round1(100 * probability(models.cse, x)) : 0;
    const acceptance = models.acceptance ? probability(models.acceptance, x) : null;
    if (models.cse && explain) contributions(models.cse, x, c);
    else c.fill(0);
    // The associates rule reads the network feature just computed, rather than walking the network again.
    const network: NetworkSignals | undefined = layout.network ? { associatesWithRisk: () => x[ASSOCIATES_AT_RISK] > 0 } : undefined;
    const index = indexScore(snapshot, config.indexRules, p, asOf, network);
    const final = Math.max(predictive, index.score);
    const band = bandOf(final, config.bands);
    const missedRecently = explain && missingCode >= 0 && missingEpisodes(snapshot, missingCode, p, asOf - 365, asOf) > 0;
    const missingPersonRisk = models.missingPerson && missedRecently ? round1(100 * probability(models.missingPerson, x)) : null;
    const flags = conductFlags(snapshot, conduct, p, asOf);
    const conductRisk = flags >= config.conductThreshold;
    const reasonItems = !explain ? [] : explainReasons({
      fired: index.fired,
      features: layout.names,
      values: x,
      contributions: c,
      missingPersonRisk,
      conductFlags: flags,
      conductRisk,
      evidence: (feature) => featureEvidence(snapshot, p, asOf, feature),
      policeOnly: config.policeOnlyReasons,
    });
    const top = !explain ? [] : Array.from(c.keys())
      .filter((i) => c[i] > 0)
      .sort((a, b) => c[b] - c[a])
      .slice(0, 8)
      .map((i) => ({ feature: layout.names[i], value: Math.round(x[i] * 1000) / 1000, contribution: Math.round(c[i] * 1000) / 1000 }));
    out.push({
      person: p,
      age,
      predictive,
      probability: acceptance,
      index: index.score,
      network: layout.network ? Math.round(100 * x[PROXIMITY]) : null,
      final,
      band,
      onList: band === 'high' || band === 'medium' || index.topazVictim,
      topazVictim: index.topazVictim,
      missingPersonRisk,
      conductFlags: flags,
      conductRisk,
      reasonItems,
      contributions: top,
    });
  }
  return out;
}
