import type { ModelChoice } from '../model/model-choice.js';
import { CALIBRATION_MIN_AGE } from '../model/calibration.js';
import { applyListRule, listDepth, type ListRule, type ShareChoice } from './list-rule.js';
import type { ScoredChild } from './score-children.js';
import type { ScoringConfig } from './scoring-config.js';
import { NO_DAY } from '../../domain/days.js';

export interface ListSummary {
  /** `model`: the calibrated model and the partnership's rule; `bands`: Bristol's rule (configured, or because no calibrated model could be trained). */
  readonly rule: 'model' | 'bands';
  /** Why `bands` was used when `model` was configured. */
  readonly fallback: string | null;
  readonly minPrecision: number;
  /** Of exploited children, the share the service is assumed to accept (the configuration's `list.acceptedShare`). */
  readonly acceptedShare: number;
  /** The calibrated chance from which a child may be listed: the chance at the share of never-accepted children aged 10–17 down to which the cohort's cross-validation reached the target precision. */
  readonly threshold: number | null;
  /** That share. */
  readonly comparisonShare: number | null;
  /** The precision the cross-validation estimates there, against acceptance by the service (a lower bound: children nobody found count against it). */
  readonly estimatedPrecision: number | null;
  /** The same against exploitation, under `acceptedShare`. */
  readonly assumedPrecision: number | null;
  /** Held-out cohort children (under 18 on the run date) ranked within the share, of all held out. */
  /** The share of held-out cohort children ranked within it. */
  readonly estimatedRecall: number | null;
  readonly heldOutListed: number | null;
  readonly heldOut: number | null;
  readonly floorReached: boolean | null;
  readonly capacity: number;
  readonly watchCapacity: number;
  readonly size: number;
  readonly watch: number;
  readonly topazVictims: number;
  /** The sum of the listed children's calibrated chances: how many of them to expect accepted within the horizon. */
  readonly expectedAccepted: number | null;
  readonly horizonDays: number;
  /** How the list and its expected acceptances move with the threshold, before the capacity (Topaz victims included). */
  readonly sensitivity: readonly { readonly threshold: number; readonly size: number; readonly expectedAccepted: number }[];
}

/** The rule a run lists its children by; null rule: Bristol's bands (configured, or the `fallback` says why). */
export interface ChosenListRule {
  readonly rule: ListRule | null;
  readonly choice: ShareChoice | null;
  readonly fallback: string | null;
}

export interface ListThresholdInput {
  readonly config: ScoringConfig['list'];
  /** Whether the run's model could be calibrated to a chance of acceptance. */
  readonly calibrated: boolean;
  readonly choice: ModelChoice | null;
  /** Why no model was trained, when none was. */
  readonly modelUnavailable: string | null;
  readonly scored: readonly ScoredChild[];
  /** Each person's start of service (day number, NO_DAY for none), by snapshot index. */
  readonly startOfService: ArrayLike<number>;
  readonly asOf: number;
}

/**
 * The list rule of the configuration; null rule: Bristol's bands. The
 * cohort's cross-validation decides how far down the never-accepted
 * children aged 10–17 the list may reach for the target precision (against
 * acceptance by the service); the run's threshold is the chance at the same
 * share of its own never-accepted children. (A probability carried across
 * as a number would not do: each fold's model and the run's model are
 * trained on different children, and far below the top their chances
 * differ while their rankings agree.)
 */
export function chooseListRule(input: ListThresholdInput): ChosenListRule {
  const { config, choice, scored, asOf } = input;
  if (config.rule === 'bands') return { rule: null, choice: null, fallback: null };
  if (!input.calibrated) return { rule: null, choice: null, fallback: input.modelUnavailable ?? 'the model could not be calibrated (no cohort starts to estimate the acceptance rate from)' };
  if (!choice || choice.chosenBy !== 'cohort') return { rule: null, choice: null, fallback: `too few cohort children under 18 on the run date (${choice?.heldOutChildren ?? 0}) to choose the list's threshold on` };
  const share = listDepth({ ranks: choice.heldOutRanks, comparison: choice.comparisonChildren, comparisonWeight: choice.comparisonWeight }, config);
  if (!share) return { rule: null, choice: null, fallback: 'no cohort children to choose the list\'s threshold on' };
  const neverAccepted = (p: number) => input.startOfService[p] === NO_DAY || input.startOfService[p] > asOf;
  const chances = scored.filter((c) => c.probability !== null && c.age >= CALIBRATION_MIN_AGE && neverAccepted(c.person)).map((c) => c.probability!).sort((a, b) => b - a);
  const reach = Math.round(share.share * chances.length);
  // Reaching no never-accepted child lists only what ranks above all of them.
  const threshold = chances.length === 0 ? 1 : reach === 0 ? nextUp(chances[0]) : chances[Math.min(chances.length, reach) - 1];
  return { rule: { threshold, capacity: config.capacity, watch: config.watch }, choice: share, fallback: null };
}

/** The smallest double above x (a threshold no child at x reaches). */
const nextUp = (x: number) => x + Math.max(Number.MIN_VALUE, Math.abs(x) * Number.EPSILON);

/** Multiples of the threshold the list summary shows the list's size and expected acceptances at. */
const SENSITIVITY_FACTORS = [0.25, 0.5, 1, 2, 4];

/** How the list was made, how big it is, and what to expect of it. */
export function listSummary(scored: readonly ScoredChild[], chosen: ChosenListRule, config: ScoringConfig): ListSummary {
  const listed = scored.filter((s) => s.onList);
  const sumChance = (children: readonly ScoredChild[]) => children.reduce((a, s) => a + (s.probability ?? 0), 0);
  const hasChances = scored.some((s) => s.probability !== null);
  const rule = chosen.rule;
  return {
    rule: rule ? 'model' : 'bands',
    fallback: chosen.fallback,
    minPrecision: config.list.minPrecision,
    acceptedShare: config.list.acceptedShare,
    threshold: rule?.threshold ?? null,
    comparisonShare: chosen.choice?.share ?? null,
    estimatedPrecision: chosen.choice?.estimatedPrecision ?? null,
    assumedPrecision: chosen.choice?.assumedPrecision ?? null,
    estimatedRecall: chosen.choice?.estimatedRecall ?? null,
    heldOutListed: chosen.choice?.heldOutListed ?? null,
    heldOut: chosen.choice?.heldOut ?? null,
    floorReached: chosen.choice?.floorReached ?? null,
    capacity: config.list.capacity,
    watchCapacity: config.list.watch,
    size: listed.length,
    watch: rule ? scored.filter((s) => s.band === 'medium').length : 0,
    topazVictims: scored.filter((s) => s.topazVictim).length,
    expectedAccepted: hasChances ? Math.round(10 * sumChance(listed)) / 10 : null,
    horizonDays: config.calibration.horizonDays,
    sensitivity: rule
      ? SENSITIVITY_FACTORS.map((f) => {
          const placed = applyListRule(scored, { ...rule, threshold: rule.threshold * f, capacity: Number.MAX_SAFE_INTEGER });
          const onList = placed.filter((s) => s.onList);
          return { threshold: rule.threshold * f, size: onList.length, expectedAccepted: Math.round(10 * sumChance(onList)) / 10 };
        })
      : [],
  };
}
