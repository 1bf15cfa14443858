import type { ModelVersionRow, RunChangeRow, RunEdgeRow, RunScoreRow } from '../../db/schema/database-schema.js';
import type { LogisticModel } from '../model/logistic-regression.js';
import type { ModelChoice } from '../model/model-choice.js';
import type { HoldoutMetrics, TrainedModel } from '../model/train.js';
import type { Relationships } from '../network/infer-relationships.js';
import type { FeatureLayout } from '../features/point-in-time.js';
import type { OverEighteenEntry } from '../network/over-eighteen-list.js';
import { storedChance } from '../scoring/list-rule.js';
import type { ScoredChild } from '../scoring/score-children.js';
import { bandOf, type ScoringConfig } from '../scoring/scoring-config.js';
import { isoOf } from '../../domain/days.js';
import { EVENT_TYPES, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';

/** The rows a run stores (pure: ScoringRun writes them), built from what its stages computed. */

const BAND_ORDER: Record<string, number> = { none: 0, low: 1, medium: 2, high: 3 };

/** A person's place in the previous published run, as the changes are read against it. */
export interface PreviousStatus {
  readonly band: string;
  readonly on_list: number;
}

/** What changed since the last published run: who joined or left a list, whose band moved. */
export function changeRows(runId: string, rows: readonly RunScoreRow[], before: ReadonlyMap<string, PreviousStatus>): RunChangeRow[] {
  const changes: RunChangeRow[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.person_id);
    const old = before.get(row.person_id);
    const wasOn = old?.on_list === 1;
    let change: RunChangeRow['change'] | null = null;
    if (row.on_list && !wasOn) change = 'joined_list';
    else if (!row.on_list && wasOn) change = 'left_list';
    else if (old && BAND_ORDER[row.band] > BAND_ORDER[old.band]) change = 'band_up';
    else if (old && BAND_ORDER[row.band] < BAND_ORDER[old.band]) change = 'band_down';
    if (change) changes.push({ run_id: runId, person_id: row.person_id, change, previous_band: old?.band ?? null, band: row.band });
  }
  // People no longer scored (turned 18 and off the adult list, or removed) who were listed.
  for (const [id, old] of before) if (!seen.has(id) && old.on_list === 1) changes.push({ run_id: runId, person_id: id, change: 'left_list', previous_band: old.band, band: null });
  return changes;
}

export function scoreRows(runId: string, asOf: string, snapshot: TfdSnapshot, scored: ScoredChild[], adults: OverEighteenEntry[], config: ScoringConfig): RunScoreRow[] {
  const children: RunScoreRow[] = scored.map((s) => ({
    run_id: runId,
    person_id: snapshot.personIds[s.person],
    as_of: asOf,
    age: s.age,
    predictive_score: s.predictive,
    index_score: s.index,
    network_score: s.network,
    final_score: s.final,
    band: s.band,
    on_list: s.onList ? 1 : 0,
    missing_person_risk: s.missingPersonRisk,
    conduct_flags: s.conductFlags,
    conduct_disorder_risk: s.conductRisk ? 1 : 0,
    probability: s.probability === null ? null : storedChance(s.probability),
    reasons: s.reasons,
    reason_items: JSON.stringify(s.reasonItems),
    contributions: JSON.stringify(s.contributions),
    list: 'children',
  }));
  // Adults are never given a predictive or index score: they are listed for the risk around them.
  const over18: RunScoreRow[] = adults.map((a) => ({
    run_id: runId,
    person_id: snapshot.personIds[a.person],
    as_of: asOf,
    age: a.age,
    predictive_score: 0,
    index_score: 0,
    network_score: a.networkScore,
    final_score: a.score,
    band: bandOf(a.score, config.bands),
    on_list: a.onList ? 1 : 0,
    missing_person_risk: null,
    conduct_flags: 0,
    conduct_disorder_risk: 0,
    probability: null,
    reasons: a.reasons,
    reason_items: JSON.stringify(a.reasonItems),
    contributions: '[]',
    list: 'over_18',
  }));
  return [...children, ...over18];
}

export function edgeRows(runId: string, snapshot: TfdSnapshot, edges: Relationships): RunEdgeRow[] {
  const rows: RunEdgeRow[] = [];
  for (let i = 0; i < edges.a.length; i++) {
    let [a, b] = [snapshot.personIds[edges.a[i]], snapshot.personIds[edges.b[i]]];
    if (b < a) [a, b] = [b, a];
    rows.push({
      run_id: runId,
      person_a: a,
      person_b: b,
      shared_events: edges.shared[i],
      first_date: isoOf(edges.first[i]),
      last_date: isoOf(edges.last[i]),
      event_types: EVENT_TYPES.filter((_, t) => edges.types[i] & (1 << t)).join(','),
    });
  }
  return rows;
}

/** The run's CSE model as stored: the artefact a later reader scores with, and the figures it was judged by. */
export function modelVersionRow(m: {
  readonly modelId: string;
  readonly trainedAt: string;
  readonly asOf: string;
  readonly cse: TrainedModel;
  readonly variables: FeatureLayout['features'];
  readonly missingPerson: LogisticModel | null;
  readonly holdout: HoldoutMetrics | null;
  readonly choice: ModelChoice | null;
}): ModelVersionRow {
  const { cse } = m;
  return {
    model_id: m.modelId,
    kind: 'cse-logistic',
    trained_at: m.trainedAt,
    as_of: m.asOf,
    cohort_size: cse.trainedOn.cases,
    artefact: JSON.stringify({ ...cse.model, variables: m.variables, missingPerson: m.missingPerson, trainedOn: cse.trainedOn, calibration: cse.calibration }),
    metrics: JSON.stringify({ holdout: m.holdout, calibration: cse.calibration, selection: m.choice }),
  };
}
