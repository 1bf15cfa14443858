import { randomUUID } from 'node:crypto';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { loadSnapshot } from '../../db/repositories/load-snapshot.js';
import * as q from '../../db/queries/run-queries.js';
import type { RunChangeRow, RunEdgeRow, RunScoreRow } from '../../db/schema/database-schema.js';
import { FEATURES } from '../features/feature-catalogue.js';
import { featureLayout } from '../features/point-in-time.js';
import { CohortTooSmallError, temporalHoldout, trainCseModel, type HoldoutMetrics } from '../model/train.js';
import type { NetworkSignals } from '../scoring/index-score.js';
import { inferRelationships, type Relationships } from '../network/infer-relationships.js';
import { networkContext, personNetwork } from '../network/network-features.js';
import { overEighteenList, type OverEighteenEntry } from '../network/over-eighteen-list.js';
import { thresholdSensitivity, type ThresholdPoint } from '../network/threshold-sensitivity.js';
import { trainMissingPersonModel } from '../scoring/missing-person-risk.js';
import { scoreChildren, type ScoredChild } from '../scoring/score-children.js';
import { bandOf, defaultScoringConfig, type Band, type ScoringConfig } from '../scoring/scoring-config.js';
import { dayOf, isoOf, NO_DAY } from '../snapshot/days.js';
import { EVENT_TYPES, type DataQuality, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';

export type Stage = 'snapshot' | 'network' | 'train' | 'holdout' | 'score' | 'write' | 'changes' | 'publish';

export interface ScoreRunOptions {
  /** Score as of this date; default: the latest date recorded in the TFD (never after today). */
  readonly asOf?: string;
  readonly config?: ScoringConfig;
  /** Skip relationship inference (the network features are then flagged unavailable). @defaultValue true */
  readonly network?: boolean;
  /** Called as each stage starts (progress; tests use it to simulate a crash). */
  readonly onStage?: (stage: Stage) => void | Promise<void>;
  readonly now?: () => Date;
}

export interface RunSummary {
  readonly runId: string;
  readonly asOf: string;
  readonly modelId: string | null;
  readonly indexRules: string;
  readonly children: number;
  readonly onList: number;
  readonly bands: Record<Band, number>;
  readonly topazOnList: number;
  readonly cohortSize: number;
  readonly holdout: HoldoutMetrics | null;
  readonly dataQuality: DataQuality & { childrenScored: number; predictiveModel: string };
  readonly changes: Record<RunChangeRow['change'], number>;
  readonly network: {
    readonly edges: number;
    readonly bigEventsSkipped: number;
    readonly minShared: number;
    readonly maxParties: number;
    readonly eligibleTypes: readonly string[];
    readonly sensitivity: readonly ThresholdPoint[];
  } | null;
  /** Adults with CSE risk in their network, and how many are on "CSE Risk – Subjects Over 18". */
  readonly overEighteen: { readonly considered: number; readonly onList: number };
  readonly previousRunId: string | null;
  readonly seconds: Record<string, number>;
}

const BAND_ORDER: Record<string, number> = { none: 0, low: 1, medium: 2, high: 3 };

/**
 * One scoring run: snapshot → train → holdout → score → write → changes →
 * publish. Everything is written under a new run_id while the run is
 * `running`; the last step flips it to `published` in one statement, so a
 * run that fails or dies part-way leaves the previous run current.
 */
export async function scoreRun(dialect: TfdDialect, options: ScoreRunOptions = {}): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  const config = options.config ?? defaultScoringConfig();
  const db = dialect.db;
  const seconds: Record<string, number> = {};
  let started = performance.now();
  let stage: Stage = 'snapshot';
  const enter = async (next: Stage) => {
    seconds[stage] = Math.round((performance.now() - started) / 100) / 10;
    started = performance.now();
    stage = next;
    await options.onStage?.(next);
  };

  await options.onStage?.('snapshot');
  const previous = await q.currentRun(db).executeTakeFirst();
  const snapshot = await loadSnapshot(dialect);
  const asOf = options.asOf ? dayOf(options.asOf) : latestRecordedDay(snapshot, now());
  const runId = `run-${now().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  await q
    .insertRun(db, {
      run_id: runId,
      as_of: isoOf(asOf),
      status: 'running',
      started_at: now().toISOString().slice(0, 19),
      finished_at: null,
      model_id: null,
      previous_run_id: previous?.run_id ?? null,
      summary: null,
      error: null,
    })
    .execute();

  try {
    await enter('network');
    const net = options.network === false ? null : buildNetwork(snapshot, asOf, config);
    const layout = featureLayout(snapshot, net?.context);

    await enter('train');
    // A new area, or an export without the service's cohort, still gets the
    // index score and the Topaz rule; the run says why there is no model.
    let cse: ReturnType<typeof trainCseModel> | null = null;
    let modelUnavailable: string | null = null;
    try {
      cse = trainCseModel(snapshot, asOf, 1, layout);
    } catch (error) {
      if (!(error instanceof CohortTooSmallError)) throw error;
      modelUnavailable = error.message;
    }
    const missingPerson = trainMissingPersonModel(snapshot, layout, asOf);

    await enter('holdout');
    const holdout = cse ? temporalHoldout(snapshot, asOf, config.bands.medium, layout) : null;
    const modelId = cse ? `cse-${runId.slice(4)}` : null;
    if (cse && modelId) {
      await q
        .insertModel(db, {
          model_id: modelId,
          kind: 'cse-logistic',
          trained_at: now().toISOString().slice(0, 19),
          as_of: isoOf(asOf),
          cohort_size: cse.trainedOn.cases,
          artefact: JSON.stringify({ ...cse.model, variables: FEATURES, missingPerson, trainedOn: cse.trainedOn }),
          metrics: JSON.stringify({ holdout }),
        })
        .execute();
    }

    await enter('score');
    const signals: NetworkSignals | undefined = net ? { associatesWithRisk: (p) => personNetwork(snapshot, net.context, p, asOf).riskyDirect > 0 } : undefined;
    const scored = scoreChildren(snapshot, layout, { cse: cse?.model ?? null, missingPerson }, config, asOf, signals);
    const adults = net ? overEighteenList(snapshot, net.context, asOf, new Set(scored.filter((s) => s.onList).map((s) => s.person))) : [];

    await enter('write');
    const rows = scoreRows(runId, isoOf(asOf), snapshot, scored, adults, config);
    await writeRows(dialect, rows, net ? edgeRows(runId, snapshot, net.edges) : []);

    await enter('changes');
    const changes = await writeChanges(dialect, runId, previous?.run_id ?? null, rows);

    await enter('publish');
    const bands: Record<Band, number> = { high: 0, medium: 0, low: 0, none: 0 };
    for (const s of scored) bands[s.band]++;
    const summary: RunSummary = {
      runId,
      asOf: isoOf(asOf),
      modelId,
      indexRules: config.indexRules.version,
      children: scored.length,
      onList: scored.filter((s) => s.onList).length,
      bands,
      topazOnList: scored.filter((s) => s.topazVictim).length,
      cohortSize: cse?.trainedOn.cases ?? 0,
      holdout,
      dataQuality: { ...snapshot.dataQuality, childrenScored: scored.length, predictiveModel: modelUnavailable ?? 'trained' },
      changes,
      previousRunId: previous?.run_id ?? null,
      network: net
        ? {
            edges: net.edges.a.length,
            bigEventsSkipped: net.edges.bigEventsSkipped,
            minShared: config.network.minShared,
            maxParties: config.network.maxParties,
            eligibleTypes: config.network.eligibleTypes,
            sensitivity: thresholdSensitivity(snapshot, relationshipOptions(asOf, config)),
          }
        : null,
      overEighteen: { considered: adults.length, onList: adults.filter((a) => a.onList).length },
      seconds,
    };
    seconds.publish = 0;
    const result = await q.publishRun(db, runId, now().toISOString().slice(0, 19), JSON.stringify(summary), modelId).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Error(`run ${runId} could not be published (it is no longer running)`);
    return summary;
  } catch (error) {
    await q.failRun(db, runId, now().toISOString().slice(0, 19), `${stage}: ${(error as Error).message}`).execute();
    throw error;
  }
}

function latestRecordedDay(snapshot: TfdSnapshot, today: Date): number {
  let latest = NO_DAY;
  for (const day of snapshot.facts.start) if (day > latest) latest = day;
  for (const day of snapshot.events.day) if (day > latest) latest = day;
  const cap = dayOf(today.toISOString());
  return latest === NO_DAY || latest > cap ? cap : latest;
}

const relationshipOptions = (asOf: number, config: ScoringConfig) => ({
  asOf,
  minShared: config.network.minShared,
  maxParties: config.network.maxParties,
  eligibleTypes: config.network.eligibleTypes.map((t) => EVENT_TYPES.indexOf(t)),
});

function buildNetwork(snapshot: TfdSnapshot, asOf: number, config: ScoringConfig) {
  const edges = inferRelationships(snapshot.eventTable, snapshot.personIds.length, relationshipOptions(asOf, config));
  return { edges, context: networkContext(snapshot, edges, config.network.minShared) };
}

function scoreRows(runId: string, asOf: string, snapshot: TfdSnapshot, scored: ScoredChild[], adults: OverEighteenEntry[], config: ScoringConfig): RunScoreRow[] {
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
    reasons: s.reasons,
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
    reasons: a.reasons,
    contributions: '[]',
    list: 'over_18',
  }));
  return [...children, ...over18];
}

const TYPE_NAMES = EVENT_TYPES;

function edgeRows(runId: string, snapshot: TfdSnapshot, edges: Relationships): RunEdgeRow[] {
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
      event_types: TYPE_NAMES.filter((_, t) => edges.types[i] & (1 << t)).join(','),
    });
  }
  return rows;
}

async function writeRows(dialect: TfdDialect, scores: RunScoreRow[], edges: RunEdgeRow[]): Promise<void> {
  const scoreBatch = Math.max(1, Math.floor(dialect.maxParameters / 16));
  const edgeBatch = Math.max(1, Math.floor(dialect.maxParameters / 7));
  await dialect.db.transaction().execute(async (trx) => {
    for (let i = 0; i < scores.length; i += scoreBatch) await q.insertScores(trx, scores.slice(i, i + scoreBatch)).execute();
    for (let i = 0; i < edges.length; i += edgeBatch) await q.insertEdges(trx, edges.slice(i, i + edgeBatch)).execute();
  });
}

/** What changed since the last published run: who joined or left a list, whose band moved. */
async function writeChanges(dialect: TfdDialect, runId: string, previousRunId: string | null, rows: RunScoreRow[]): Promise<Record<RunChangeRow['change'], number>> {
  const counts: Record<RunChangeRow['change'], number> = { joined_list: 0, left_list: 0, band_up: 0, band_down: 0 };
  const before = new Map<string, { band: string; on_list: number }>();
  if (previousRunId) for (const row of await q.listStatus(dialect.db, previousRunId).execute()) before.set(row.person_id, row);
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
  const perStatement = Math.max(1, Math.floor(dialect.maxParameters / 5));
  await dialect.db.transaction().execute(async (trx) => {
    for (let i = 0; i < changes.length; i += perStatement) await q.insertChanges(trx, changes.slice(i, i + perStatement)).execute();
  });
  for (const c of changes) counts[c.change]++;
  return counts;
}
