import { randomUUID } from 'node:crypto';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { loadSnapshot } from './load-snapshot.js';
import * as q from '../../db/queries/run-queries.js';
import { appendAccessAudit, SYSTEM_ACTOR } from '../../db/repositories/access-audit.js';
import { recordIntent } from '../../db/repositories/delivery-outbox.js';
import type { RunChangeRow, RunEdgeRow, RunScoreRow } from '../../db/schema/database-schema.js';
import { featureLayout } from '../features/point-in-time.js';
import { beyondCatalogue } from '../features/feature-catalogue.js';
import { summariseHoldout, type HoldoutMetrics } from '../model/train.js';
import { acceptanceModel, trainRunModels, type RunModels } from '../model/train-run-models.js';
import { applyListRule } from '../scoring/list-rule.js';
import { chooseListRule, listSummary, type ChosenListRule } from '../scoring/list-threshold.js';
import { inferRelationships, type Relationships } from '../network/infer-relationships.js';
import type { RunEvaluation, TruthLabels } from '../evaluation/run-evaluation.js';
import { evaluateRun } from '../evaluation/evaluate-run.js';
import { networkContext } from '../network/network-features.js';
import { overEighteenList, type OverEighteenEntry } from '../network/over-eighteen-list.js';
import { scoreChildren, type ScoredChild } from '../scoring/score-children.js';
import { defaultScoringConfig, relationshipOptions, type ScoringConfig } from '../scoring/scoring-config.js';
import { dayOf, isoOf, NO_DAY } from '../../domain/days.js';
import type { TfdSnapshot } from '../snapshot/tfd-snapshot.js';
import { changeRows, edgeRows, modelVersionRow, scoreRows, type PreviousStatus } from './run-rows.js';
import { runSummary, STAGES, type RunSummary, type Stage } from './run-summary.js';

export { STAGES, type ListSummary, type RunSummary, type Stage } from './run-summary.js';

export interface ScoreRunOptions {
  /** Score as of this date; default: the latest date recorded in the TFD (never after today). */
  readonly asOf?: string;
  readonly config?: ScoringConfig;
  /** Skip relationship inference (the network features are then flagged unavailable). @defaultValue true */
  readonly network?: boolean;
  /** Called as each stage starts (progress; tests use it to simulate a crash). */
  readonly onStage?: (stage: Stage) => void | Promise<void>;
  readonly now?: () => Date;
  /** Synthetic ground truth for the run's evaluation (`eval --bundle`). */
  readonly truth?: TruthLabels;
}

export interface RunEnvironment {
  readonly dialect: TfdDialect;
  readonly config: ScoringConfig;
  readonly network: boolean;
  readonly now: () => Date;
  /** Synthetic ground truth for the evaluation (only `eval --bundle` has it; never the worker). */
  readonly truth?: TruthLabels;
}

/**
 * One scoring run, stage by stage: the orchestration, and the only scoring
 * code that reads or writes the database. The computation is in pure stages
 * (worker/model/train-run-models.ts and run-holdout.ts, worker/scoring/
 * list-threshold.ts, worker/evaluation/evaluate-run.ts, ./run-rows.ts,
 * ./run-summary.ts). Compute stages
 * (snapshot, network, train, holdout, score) rebuild deterministically from
 * the database whenever their results are not in this process, so a stage
 * can run on a worker that has restarted; the stages that write (holdout's
 * model, write, changes, evaluate, publish) replace what an earlier attempt
 * of the same run wrote. Nothing is visible until `publish` flips the run to
 * `published` in one statement.
 */
export class ScoringRun {
  private snapshot?: TfdSnapshot;
  private net?: ReturnType<typeof buildNetwork> | null;
  private layout?: ReturnType<typeof featureLayout>;
  private models?: RunModels;
  private holdout?: HoldoutMetrics | null;
  private scored?: ScoredChild[];
  private listRule?: ChosenListRule;
  private adults?: OverEighteenEntry[];
  private evaluated?: RunEvaluation;
  readonly seconds: Record<string, number> = {};

  constructor(
    private readonly env: RunEnvironment,
    readonly runId: string,
    readonly asOf: number,
    readonly previousRunId: string | null,
  ) {}

  /** Inserts the run (status `running`); the as-of date defaults to the latest recorded in the TFD. */
  static async begin(env: RunEnvironment, asOf?: string): Promise<ScoringRun> {
    const db = env.dialect.db;
    const previous = await q.currentRun(db).executeTakeFirst();
    const day = asOf ? dayOf(asOf) : await latestRecordedDay(env.dialect, env.now());
    const runId = `run-${env.now().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    await q
      .insertRun(db, {
        run_id: runId,
        as_of: isoOf(day),
        status: 'running',
        started_at: env.now().toISOString().slice(0, 19),
        finished_at: null,
        model_id: null,
        previous_run_id: previous?.run_id ?? null,
        summary: null,
        error: null,
      })
      .execute();
    return new ScoringRun(env, runId, day, previous?.run_id ?? null);
  }

  /** A run already begun (by another process, or before this worker restarted), from its row. */
  static async resume(env: RunEnvironment, runId: string): Promise<ScoringRun> {
    const row = await q.runById(env.dialect.db, runId).executeTakeFirst();
    if (!row || row.status !== 'running') throw new Error(`run ${runId} is not running (status ${row?.status ?? 'missing'})`);
    return new ScoringRun(env, runId, dayOf(row.as_of), row.previous_run_id);
  }

  /** Runs one stage (and, in this process, whatever earlier computation it needs). */
  async stage(stage: Stage): Promise<RunSummary | undefined> {
    const started = performance.now();
    try {
      switch (stage) {
        case 'snapshot':
          await this.loadSnapshot();
          return undefined;
        case 'network':
          await this.buildNetwork();
          return undefined;
        case 'train':
          await this.train();
          return undefined;
        case 'holdout':
          await this.storeModel();
          return undefined;
        case 'score':
          await this.score();
          return undefined;
        case 'write':
          await this.write();
          return undefined;
        case 'changes':
          await this.writeChanges();
          return undefined;
        case 'evaluate':
          await this.writeEvaluation();
          return undefined;
        case 'publish':
          return await this.publish();
      }
    } finally {
      this.seconds[stage] = Math.round((performance.now() - started) / 100) / 10;
    }
  }

  async fail(stage: Stage, error: unknown): Promise<void> {
    await q.failRun(this.env.dialect.db, this.runId, this.env.now().toISOString().slice(0, 19), `${stage}: ${(error as Error).message}`).execute();
  }

  // ---- compute stages (in memory; rebuilt from the database after a restart)

  private async loadSnapshot(): Promise<TfdSnapshot> {
    this.snapshot ??= await loadSnapshot(this.env.dialect);
    return this.snapshot;
  }

  private async buildNetwork() {
    const snapshot = await this.loadSnapshot();
    if (this.net === undefined) {
      this.net = this.env.network ? buildNetwork(snapshot, this.asOf, this.env.config) : null;
      this.layout = featureLayout(snapshot, this.net?.context, this.env.config.additionalIndicators);
    }
    return { snapshot, net: this.net, layout: this.layout! };
  }

  private async train(): Promise<RunModels> {
    const { snapshot, layout } = await this.buildNetwork();
    this.models ??= trainRunModels(snapshot, layout, this.asOf, this.env.config.calibration.horizonDays);
    return this.models;
  }

  private async holdoutFigures(): Promise<HoldoutMetrics | null> {
    const { holdout } = await this.train();
    if (this.holdout === undefined) this.holdout = holdout ? summariseHoldout(holdout, this.env.config.bands.medium) : null;
    return this.holdout;
  }

  private get modelId(): string | null {
    return this.models?.cse ? `cse-${this.runId.slice(4)}` : null;
  }

  private async score() {
    const { snapshot, net, layout } = await this.buildNetwork();
    const { cse, missingPerson, choice, unavailable } = await this.train();
    if (this.scored === undefined) {
      const scored = scoreChildren(snapshot, layout, { cse: cse?.model ?? null, acceptance: acceptanceModel(cse), missingPerson }, this.env.config, this.asOf);
      this.listRule ??= chooseListRule({ config: this.env.config.list, calibrated: !!cse?.calibration, choice, modelUnavailable: unavailable, scored, startOfService: snapshot.startOfService, asOf: this.asOf });
      const { rule } = this.listRule;
      this.scored = rule ? applyListRule(scored, rule) : scored;
      this.adults = net ? overEighteenList(snapshot, net.context, this.asOf, new Set(this.scored.filter((s) => s.onList).map((s) => s.person)), this.env.config.policeOnlyReasons) : [];
    }
    return { scored: this.scored, adults: this.adults!, listRule: this.listRule! };
  }

  private async rows(): Promise<RunScoreRow[]> {
    const { scored, adults } = await this.score();
    return scoreRows(this.runId, isoOf(this.asOf), this.snapshot!, scored, adults, this.env.config);
  }

  private async evaluation(): Promise<RunEvaluation> {
    if (this.evaluated === undefined) {
      const { scored, adults, listRule } = await this.score();
      const { snapshot, net, layout } = await this.buildNetwork();
      const models = await this.train();
      await this.holdoutFigures();
      const changes: Record<string, number> = {};
      for (const c of await q.changeCounts(this.env.dialect.db, this.runId).execute()) changes[c.change] = Number(c.people);
      this.evaluated = evaluateRun({
        runId: this.runId,
        asOf: this.asOf,
        modelId: this.modelId,
        config: this.env.config,
        snapshot,
        layout,
        network: net,
        models,
        scored,
        adults,
        listRule: listRule.rule,
        changes,
        truth: this.env.truth ?? null,
        generatedAt: this.env.now().toISOString().slice(0, 19),
      });
    }
    return this.evaluated;
  }

  // ---- stages that write (each replaces what an earlier attempt of the same run wrote)

  private async storeModel(): Promise<void> {
    const { cse, missingPerson, choice } = await this.train();
    const holdout = await this.holdoutFigures();
    const modelId = this.modelId;
    if (!cse || !modelId) return;
    const row = modelVersionRow({ modelId, trainedAt: this.env.now().toISOString().slice(0, 19), asOf: isoOf(this.asOf), cse, variables: this.layout!.features, missingPerson, holdout, choice });
    await this.env.dialect.db.transaction().execute(async (trx) => {
      await q.deleteModel(trx, modelId).execute();
      await q.insertModel(trx, row).execute();
    });
  }

  private async write(): Promise<void> {
    const rows = await this.rows();
    const { net } = await this.buildNetwork();
    await writeRows(this.env.dialect, this.runId, rows, net ? edgeRows(this.runId, this.snapshot!, net.edges) : []);
  }

  /** What changed since the last published run: who joined or left a list, whose band moved. */
  private async writeChanges(): Promise<void> {
    const { dialect } = this.env;
    const before = new Map<string, PreviousStatus>();
    if (this.previousRunId) for (const row of await q.listStatus(dialect.db, this.previousRunId).execute()) before.set(row.person_id, row);
    const changes = changeRows(this.runId, await this.rows(), before);
    const perStatement = Math.max(1, Math.floor(dialect.maxParameters / 5));
    await dialect.db.transaction().execute(async (trx) => {
      await q.deleteRunRows(trx, 'run_change', this.runId).execute();
      for (let i = 0; i < changes.length; i += perStatement) await q.insertChanges(trx, changes.slice(i, i + perStatement)).execute();
    });
  }

  private async writeEvaluation(): Promise<void> {
    const evaluation = await this.evaluation();
    await this.env.dialect.db.transaction().execute(async (trx) => {
      await q.deleteRunRows(trx, 'run_evaluation', this.runId).execute();
      await q.insertEvaluation(trx, this.runId, JSON.stringify(evaluation)).execute();
    });
  }

  // ---- publish: the run becomes current

  private async publish(): Promise<RunSummary> {
    const { scored, adults, listRule } = await this.score();
    const { snapshot, net } = await this.buildNetwork();
    const { cse, choice, unavailable } = await this.train();
    const holdout = await this.holdoutFigures();
    const evaluation = await this.evaluation();
    const config = this.env.config;
    const changes: Record<RunChangeRow['change'], number> = { joined_list: 0, left_list: 0, band_up: 0, band_down: 0 };
    for (const c of await q.changeCounts(this.env.dialect.db, this.runId).execute()) changes[c.change as RunChangeRow['change']] = Number(c.people);
    const summary = runSummary({
      runId: this.runId,
      asOf: isoOf(this.asOf),
      modelId: this.modelId,
      previousRunId: this.previousRunId,
      config,
      scored,
      adults,
      cohortSize: cse?.trainedOn.cases ?? 0,
      holdout,
      dataQuality: snapshot.dataQuality,
      modelUnavailable: unavailable,
      beyondCatalogue: beyondCatalogue(snapshot.codes),
      changes,
      network: net?.edges ?? null,
      evaluation,
      list: listSummary(scored, listRule, config),
      modelSelection: choice,
      seconds: this.seconds,
    });
    // The run becomes current together with the audit entry for its combination of police records and the intent to alert
    // on it (the outbox the reconciler reads): all or none, so a worker killed after this still owes the fan-out.
    await this.env.dialect.db.transaction().execute(async (tx) => {
      if (net) await appendAccessAudit(tx, [networkCombinationEntry(this.runId, isoOf(this.asOf), config, net.edges)], this.env.now());
      const result = await q.publishRun(tx, this.runId, this.env.now().toISOString().slice(0, 19), JSON.stringify(summary), this.modelId).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new Error(`run ${this.runId} could not be published (it is no longer running)`);
      await recordIntent(tx, 'alert-fanout', this.runId, this.env.now());
    });
    return summary;
  }
}

/**
 * Network inference combines police records from several systems into new
 * information about who knows whom: the audit records that combination per
 * run (what was combined, under which rule, what came out).
 */
function networkCombinationEntry(runId: string, asOf: string, config: ScoringConfig, edges: Relationships) {
  const people = new Set<number>();
  for (let i = 0; i < edges.a.length; i++) people.add(edges.a[i]).add(edges.b[i]);
  return {
    actor: SYSTEM_ACTOR,
    action: 'network_inference',
    personId: null,
    outcome: 'processed' as const,
    basis: `combined police records (${config.network.eligibleTypes.join(', ')}) dated up to ${asOf} to infer relationships between people who share ${config.network.minShared} or more of them (records with more than ${config.network.maxParties} people not counted), for CSE risk scoring under ${config.indexRules.version}`,
    shown: `${edges.a.length} relationships among ${people.size} people (${edges.bigEventsSkipped} large records left out); stored with the run`,
    runId,
    channel: 'worker',
  };
}

/** A whole run in this process, stage after stage (the CLI fallback, tests, benchmarks). */
export async function scoreRun(dialect: TfdDialect, options: ScoreRunOptions = {}): Promise<RunSummary> {
  const env: RunEnvironment = { dialect, config: options.config ?? defaultScoringConfig(), network: options.network !== false, now: options.now ?? (() => new Date()), truth: options.truth };
  const run = await ScoringRun.begin(env, options.asOf);
  let summary: RunSummary | undefined;
  for (const stage of STAGES) {
    try {
      await options.onStage?.(stage);
      summary = await run.stage(stage);
    } catch (error) {
      await run.fail(stage, error);
      throw error;
    }
  }
  return summary!;
}

async function latestRecordedDay(dialect: TfdDialect, today: Date): Promise<number> {
  const { fact, event } = await q.latestRecorded(dialect.db).executeTakeFirstOrThrow();
  const latest = Math.max(dayOf(fact as string | Date | null), dayOf(event as string | Date | null));
  const cap = dayOf(today.toISOString());
  return latest === NO_DAY || latest > cap ? cap : latest;
}

function buildNetwork(snapshot: TfdSnapshot, asOf: number, config: ScoringConfig) {
  const edges = inferRelationships(snapshot.eventTable, snapshot.personIds.length, relationshipOptions(config, asOf));
  return { edges, context: networkContext(snapshot, edges, config.network.minShared) };
}

async function writeRows(dialect: TfdDialect, runId: string, scores: RunScoreRow[], edges: RunEdgeRow[]): Promise<void> {
  // Sized from the row itself: SQLite and SQL Server cap the parameters of one statement.
  const scoreBatch = Math.max(1, Math.floor(dialect.maxParameters / Math.max(1, Object.keys(scores[0] ?? {}).length)));
  const edgeBatch = Math.max(1, Math.floor(dialect.maxParameters / 7));
  await dialect.db.transaction().execute(async (trx) => {
    // A retried stage replaces what an earlier attempt wrote.
    await q.deleteRunRows(trx, 'run_score', runId).execute();
    await q.deleteRunRows(trx, 'run_edge', runId).execute();
    for (let i = 0; i < scores.length; i += scoreBatch) await q.insertScores(trx, scores.slice(i, i + scoreBatch)).execute();
    for (let i = 0; i < edges.length; i += edgeBatch) await q.insertEdges(trx, edges.slice(i, i + edgeBatch)).execute();
  });
}
