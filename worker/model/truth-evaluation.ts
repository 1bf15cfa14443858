import { atThreshold, averagePrecision } from './metrics.js';

export interface TruthRow {
  readonly exploited: boolean;
  readonly exploitationStart: string | null;
}

export interface ScoredRow {
  readonly personId: string;
  readonly finalScore: number;
  readonly onList: boolean;
}

export interface TruthMetrics {
  /** Children scored who had been exploited by the as-of date (per the generator). */
  readonly victims: number;
  readonly victimsOnList: number;
  readonly recall: number;
  /** Victims no agency knew of (not in base_cohort by then, no Topaz victim marker). */
  readonly neverKnownVictims: number;
  readonly neverKnownRecall: number;
  /** Share of the list who were (or would be) exploited. */
  readonly listPrecision: number;
  readonly averagePrecision: number;
}

/** Judges a run against synthetic ground truth: who was really exploited, including those never known. */
export function evaluateAgainstTruth(scored: readonly ScoredRow[], truth: ReadonlyMap<string, TruthRow>, known: ReadonlySet<string>, asOf: string): TruthMetrics {
  const isVictim = (id: string) => {
    const t = truth.get(id);
    return t?.exploited === true && t.exploitationStart !== null && t.exploitationStart <= asOf;
  };
  const labels = scored.map((s) => (isVictim(s.personId) ? 1 : 0));
  const onList = scored.map((s) => (s.onList ? 1 : 0));
  const all = atThreshold(onList, labels, 1);
  const unknown = scored.filter((s) => isVictim(s.personId) && !known.has(s.personId));
  const everExploited = scored.filter((s) => s.onList && truth.get(s.personId)?.exploited === true).length;
  const listed = onList.reduce<number>((a, b) => a + b, 0);
  return {
    victims: all.positives,
    victimsOnList: all.truePositives,
    recall: all.recall,
    neverKnownVictims: unknown.length,
    neverKnownRecall: unknown.length ? unknown.filter((s) => s.onList).length / unknown.length : Number.NaN,
    listPrecision: listed ? everExploited / listed : Number.NaN,
    averagePrecision: averagePrecision(
      scored.map((s) => s.finalScore),
      labels,
    ),
  };
}
