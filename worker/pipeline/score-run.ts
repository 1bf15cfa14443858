import { randomUUID } from 'node:crypto';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { loadSnapshot } from './load-snapshot.js';
import * as q from '../../db/queries/run-queries.js';
import { appendAccessAudit, SYSTEM_ACTOR } from '../../db/repositories/access-audit.js';
import type { RunChangeRow, RunEdgeRow, RunScoreRow } from '../../db/schema/database-schema.js';
import { featureLayout, type FeatureLayout } from '../features/point-in-time.js';
import { beyondCatalogue } from '../features/feature-catalogue.js';
import { CohortTooSmallError, holdoutDetail, MIN_CASES, summariseHoldout, trainCseModel, trainingMatrix, type HoldoutDetail, type HoldoutMetrics, type TrainedModel } from '../model/train.js';
import { chooseModel, fitBlend, type ModelChoice } from '../model/model-choice.js';
import { baselineScores, trainBaseline } from '../model/baseline.js';
import { calibrated, CALIBRATION_MIN_AGE } from '../model/calibration.js';
import { applyListRule, listDepth, storedChance, type ListRule, type ShareChoice } from '../scoring/list-rule.js';
import { inferRelationships, type Relationships } from '../network/infer-relationships.js';
import { buildRunEvaluation, evaluatedChildren, type MeetingLabelEffect, type RunEvaluation, type TruthLabels } from '../evaluation/run-evaluation.js';
import { networkSensitivity } from '../evaluation/sensitivity.js';
import { networkContext } from '../network/network-features.js';
import { overEighteenList, type OverEighteenEntry } from '../network/over-eighteen-list.js';
import type { ThresholdPoint } from '../network/threshold-sensitivity.js';
import { trainMissingPersonModel } from '../scoring/missing-person-risk.js';
import { scoreChildren, type ScoredChild } from '../scoring/score-children.js';
import { bandOf, defaultScoringConfig, relationshipOptions, type Band, type ScoringConfig } from '../scoring/scoring-config.js';
import { dayOf, isoOf, NO_DAY } from '../../domain/days.js';
import { EVENT_TYPES, type DataQuality, type TfdSnapshot } from '../snapshot/tfd-snapshot.js';

export type Stage = 'snapshot' | 'network' | 'train' | 'holdout' | 'score' | 'write' | 'changes' | 'evaluate' | 'publish';

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
  readonly dataQuality: DataQuality & {
    childrenScored: number;
    predictiveModel: string;
    /** Indicators the TFD supplies beyond the catalogue: used (the configuration's additionalIndicators) and not. */
    beyondCatalogue?: { used: string[]; unused: string[] };
  };
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
  /** How the list was made, how big it is, and what to expect of it. */
  readonly list: ListSummary;
  /** The feature set and L2 penalty chosen on the cohort, with each candidate's average precision. */
  readonly modelSelection: ModelChoice | null;
  /** Labels from the meeting and alert answers in this run's training (absent on older runs). */
  readonly meetingLabels?: { readonly count: number; readonly note: string };
  readonly previousRunId: string | null;
  /** Headlines of the run's evaluation (the model card); the whole of it is in run_evaluation. */
  readonly evaluation: {
    readonly rocAuc: number | null;
    readonly brierScore: number | null;
    readonly precisionAtListSize: number | null;
    readonly biasFlags: number;
    /** Average precision of the model and of the plain baseline on the same holdout, and whether the model is at least as good. */
    readonly averagePrecision: number | null;
    readonly baselineAveragePrecision: number | null;
    readonly modelBeatsBaseline: boolean | null;
    /** Calibration among the holdout's highest-chance children, as many as this run lists. */
    readonly topOfList: { readonly children: number; readonly meanPredicted: number; readonly observed: number } | null;
    /** The holdout's calibration slope applied to the run's chances (null: none could be read). */
    readonly calibrationSlope: { readonly slope: number; readonly children: number; readonly accepted: number } | null;
  } | null;
  readonly seconds: Record<string, number>;
}

const BAND_ORDER: Record<string, number> = { none: 0, low: 1, medium: 2, high: 3 };

export const STAGES: readonly Stage[] = ['snapshot', 'network', 'train', 'holdout', 'score', 'write', 'changes', 'evaluate', 'publish'];

export interface RunEnvironment {
  readonly dialect: TfdDialect;
  readonly config: ScoringConfig;
  readonly network: boolean;
  readonly now: () => Date;
  /** Synthetic ground truth for the evaluation (only `eval --bundle` has it; never the worker). */
  readonly truth?: TruthLabels;
}

/**
 * One scoring run, stage by stage. Compute stages (snapshot, network, train,
 * holdout, score) rebuild deterministically from the database whenever their
 * results are not in this process, so a stage can run on a worker that has
 * restarted; the stages that write (holdout's model, write, changes, publish)
 * replace what an earlier attempt of the same run wrote. Nothing is visible
 * until `publish` flips the run to `published` in one statement.
 */
export class ScoringRun {
  private snapshot?: TfdSnapshot;
  private net?: ReturnType<typeof buildNetwork> | null;
  private layout?: ReturnType<typeof featureLayout>;
  private cse?: ReturnType<typeof trainCseModel> | null;
  private choice: ModelChoice | null = null;
  private labelEffect: MeetingLabelEffect | null = null;
  private modelUnavailable: string | null = null;
  private missingPerson?: ReturnType<typeof trainMissingPersonModel>;
  private holdout?: HoldoutMetrics | null;
  private holdoutDetail?: HoldoutDetail | null;
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
          await writeChanges(this.env.dialect, this.runId, this.previousRunId, await this.rows());
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

  private async train() {
    const { snapshot, layout } = await this.buildNetwork();
    if (this.cse === undefined) {
      // A new area, or an export without the service's cohort, still gets the
      // index score and the Topaz rule; the run says why there is no model.
      const horizon = this.env.config.calibration.horizonDays;
      // The kind of model is chosen on the cohort first; the holdout then measures that kind prospectively.
      try {
        const matrix = trainingMatrix(snapshot, layout, this.asOf, 1);
        const choice = chooseModel(snapshot, layout, this.asOf, matrix.rows, matrix.x);
        this.choice = choice;
        // The holdout comes first: the run's calibration takes its slope from it.
        this.holdoutDetail = holdoutOrNone(() => holdoutDetail(snapshot, this.asOf, layout, horizon, choice));
        this.cse = trainCseModel(snapshot, this.asOf, 1, layout, horizon, choice, matrix, this.holdoutDetail?.slope ?? null);
        this.labelEffect = matrix.rows.labelsUsed.length > 0 ? labelEffect(snapshot, layout, this.asOf, choice, this.cse) : { provenance: this.cse.trainedOn.labels, moves: [] };
      } catch (error) {
        if (!(error instanceof CohortTooSmallError)) throw error;
        this.cse = null;
        this.holdoutDetail = null;
        this.modelUnavailable = error.message;
      }
      this.missingPerson = trainMissingPersonModel(snapshot, layout, this.asOf);
    }
    return { cse: this.cse, missingPerson: this.missingPerson ?? null };
  }

  private async holdoutFigures(): Promise<HoldoutMetrics | null> {
    await this.train();
    if (this.holdout === undefined) this.holdout = this.holdoutDetail ? summariseHoldout(this.holdoutDetail, this.env.config.bands.medium) : null;
    return this.holdout;
  }

  private get modelId(): string | null {
    return this.cse ? `cse-${this.runId.slice(4)}` : null;
  }

  private async storeModel(): Promise<void> {
    const { cse, missingPerson } = await this.train();
    const holdout = await this.holdoutFigures();
    const modelId = this.modelId;
    if (!cse || !modelId) return;
    await this.env.dialect.db.transaction().execute(async (trx) => {
      await q.deleteModel(trx, modelId).execute();
      await q
        .insertModel(trx, {
          model_id: modelId,
          kind: 'cse-logistic',
          trained_at: this.env.now().toISOString().slice(0, 19),
          as_of: isoOf(this.asOf),
          cohort_size: cse.trainedOn.cases,
          artefact: JSON.stringify({ ...cse.model, variables: this.layout!.features, missingPerson, trainedOn: cse.trainedOn, calibration: cse.calibration }),
          metrics: JSON.stringify({ holdout, calibration: cse.calibration, selection: this.choice ?? null }),
        })
        .execute();
    });
  }

  private async score() {
    const { snapshot, net, layout } = await this.buildNetwork();
    const { cse, missingPerson } = await this.train();
    if (this.scored === undefined) {
      const scored = scoreChildren(snapshot, layout, { cse: cse?.model ?? null, acceptance: acceptanceModel(cse), missingPerson }, this.env.config, this.asOf);
      const { rule } = await this.chooseListRule(scored);
      this.scored = rule ? applyListRule(scored, rule) : scored;
      this.adults = net ? overEighteenList(snapshot, net.context, this.asOf, new Set(this.scored.filter((s) => s.onList).map((s) => s.person)), this.env.config.policeOnlyReasons) : [];
    }
    return { scored: this.scored, adults: this.adults! };
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
  private async chooseListRule(scored?: readonly ScoredChild[]): Promise<ChosenListRule> {
    if (this.listRule === undefined) {
      const config = this.env.config.list;
      const { cse } = await this.train();
      const choice = this.choice;
      if (config.rule === 'bands') this.listRule = { rule: null, choice: null, fallback: null };
      else if (!cse?.calibration) this.listRule = { rule: null, choice: null, fallback: this.modelUnavailable ?? 'the model could not be calibrated (no cohort starts to estimate the acceptance rate from)' };
      else if (!choice || choice.chosenBy !== 'cohort') this.listRule = { rule: null, choice: null, fallback: `too few cohort children under 18 on the run date (${choice?.heldOutChildren ?? 0}) to choose the list's threshold on` };
      else {
        if (!scored) throw new Error('the list rule is chosen when the children are scored');
        const share = listDepth({ ranks: choice.heldOutRanks, comparison: choice.comparisonChildren, comparisonWeight: choice.comparisonWeight }, config);
        if (!share) this.listRule = { rule: null, choice: null, fallback: 'no cohort children to choose the list\'s threshold on' };
        else {
          const snapshot = this.snapshot!;
          const neverAccepted = (p: number) => snapshot.startOfService[p] === NO_DAY || snapshot.startOfService[p] > this.asOf;
          const chances = scored.filter((c) => c.probability !== null && c.age >= CALIBRATION_MIN_AGE && neverAccepted(c.person)).map((c) => c.probability!).sort((a, b) => b - a);
          const reach = Math.round(share.share * chances.length);
          // Reaching no never-accepted child lists only what ranks above all of them.
          const threshold = chances.length === 0 ? 1 : reach === 0 ? nextUp(chances[0]) : chances[Math.min(chances.length, reach) - 1];
          this.listRule = { rule: { threshold, capacity: config.capacity, watch: config.watch }, choice: share, fallback: null };
        }
      }
    }
    return this.listRule;
  }

  private async rows(): Promise<RunScoreRow[]> {
    const { scored, adults } = await this.score();
    return scoreRows(this.runId, isoOf(this.asOf), this.snapshot!, scored, adults, this.env.config);
  }

  private async write(): Promise<void> {
    const rows = await this.rows();
    const { net } = await this.buildNetwork();
    await writeRows(this.env.dialect, this.runId, rows, net ? edgeRows(this.runId, this.snapshot!, net.edges) : []);
  }

  private async evaluation(): Promise<RunEvaluation> {
    if (this.evaluated === undefined) {
      const { scored } = await this.score();
      const { snapshot, net } = await this.buildNetwork();
      const { cse, missingPerson } = await this.train();
      await this.holdoutFigures();
      const config = this.env.config;
      const changes: Record<string, number> = {};
      for (const c of await q.changeCounts(this.env.dialect.db, this.runId).execute()) changes[c.change] = Number(c.people);
      const truth = this.env.truth ?? null;
      const positive = truth ? (p: number) => truth.exploited(snapshot.personIds[p], this.asOf) : null;
      this.evaluated = buildRunEvaluation({
        run: { runId: this.runId, asOf: this.asOf, modelId: this.modelId, indexRules: config.indexRules.version },
        snapshot,
        children: evaluatedChildren(snapshot, scored, this.asOf, (await this.chooseListRule()).rule !== null),
        model: cse?.model ?? null,
        variables: this.layout!.features,
        cohortSize: cse?.trainedOn.cases ?? 0,
        holdout: this.holdoutDetail ?? null,
        modelChoice: this.choice,
        meetingLabels: this.labelEffect,
        threshold: config.bands.medium,
        sensitivityThresholds: (await this.chooseListRule()).rule ? CHANCE_THRESHOLDS : undefined,
        changes,
        networkSensitivity: net
          ? networkSensitivity(
              snapshot,
              this.asOf,
              config,
              { cse: cse?.model ?? null, acceptance: acceptanceModel(cse), missingPerson },
              positive,
              {
                minShared: config.network.minShared,
                edges: net.edges,
                context: net.context,
                children: scored.map((s) => ({ person: s.person, final: s.final, topazVictim: s.topazVictim, onList: s.onList })),
              },
              (await this.chooseListRule()).rule,
            )
          : [],
        truth,
        overEighteen: (await this.score()).adults.map((a) => ({ person: a.person, onList: a.onList })),
        baseline: baselineScoresFor(snapshot, this.holdoutDetail ?? null, truth ? scored.map((s) => s.person) : null, this.asOf),
        generatedAt: this.env.now().toISOString().slice(0, 19),
      });
    }
    return this.evaluated;
  }

  private async writeEvaluation(): Promise<void> {
    const evaluation = await this.evaluation();
    await this.env.dialect.db.transaction().execute(async (trx) => {
      await q.deleteRunRows(trx, 'run_evaluation', this.runId).execute();
      await q.insertEvaluation(trx, this.runId, JSON.stringify(evaluation)).execute();
    });
  }

  private async publish(): Promise<RunSummary> {
    const { scored, adults } = await this.score();
    const { snapshot, net } = await this.buildNetwork();
    const { cse } = await this.train();
    const holdout = await this.holdoutFigures();
    const evaluation = await this.evaluation();
    const config = this.env.config;
    const bands: Record<Band, number> = { high: 0, medium: 0, low: 0, none: 0 };
    for (const s of scored) bands[s.band]++;
    const changes: Record<RunChangeRow['change'], number> = { joined_list: 0, left_list: 0, band_up: 0, band_down: 0 };
    for (const c of await q.changeCounts(this.env.dialect.db, this.runId).execute()) changes[c.change as RunChangeRow['change']] = Number(c.people);
    const summary: RunSummary = {
      runId: this.runId,
      asOf: isoOf(this.asOf),
      modelId: this.modelId,
      indexRules: config.indexRules.version,
      children: scored.length,
      onList: scored.filter((s) => s.onList).length,
      bands,
      topazOnList: scored.filter((s) => s.topazVictim).length,
      cohortSize: cse?.trainedOn.cases ?? 0,
      holdout,
      dataQuality: {
        ...snapshot.dataQuality,
        childrenScored: scored.length,
        predictiveModel: this.modelUnavailable ?? 'trained',
        beyondCatalogue: usedAndUnused(beyondCatalogue(snapshot.codes), this.env.config.additionalIndicators),
      },
      changes,
      previousRunId: this.previousRunId,
      network: net
        ? {
            edges: net.edges.a.length,
            bigEventsSkipped: net.edges.bigEventsSkipped,
            minShared: config.network.minShared,
            maxParties: config.network.maxParties,
            eligibleTypes: config.network.eligibleTypes,
            sensitivity: evaluation.sensitivity.network.map((r) => ({ minShared: r.minShared, edges: r.relationships, peopleLinked: r.peopleLinked, childrenWithRiskyAssociates: r.childrenWithRiskyAssociates })),
          }
        : null,
      overEighteen: { considered: adults.length, onList: adults.filter((a) => a.onList).length },
      list: listSummary(scored, await this.chooseListRule(), config),
      modelSelection: this.choice,
      meetingLabels: { count: evaluation.meetingLabels.count, note: evaluation.meetingLabels.note },
      evaluation: evaluationHeadline(evaluation),
      seconds: this.seconds,
    };
    // The run becomes current together with the audit entry for its combination of police records: both or neither.
    await this.env.dialect.db.transaction().execute(async (tx) => {
      if (net) await appendAccessAudit(tx, [networkCombinationEntry(this.runId, isoOf(this.asOf), config, net.edges)], this.env.now());
      const result = await q.publishRun(tx, this.runId, this.env.now().toISOString().slice(0, 19), JSON.stringify(summary), this.modelId).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new Error(`run ${this.runId} could not be published (it is no longer running)`);
    });
    return summary;
  }
}

/** The CSE model with its intercept corrected to the chance of acceptance within the horizon, when it could be calibrated. */
const acceptanceModel = (cse: TrainedModel | null) => (cse?.calibration ? calibrated(cse.model, cse.calibration) : null);

/** The holdout's children aged 10–17 not yet in the cohort at the cut: calibrated chances and who was accepted afterwards (by the run date). */
const SENSITIVITY_FACTORS = [0.25, 0.5, 1, 2, 4];
/** Chances in 100 for the evaluation's threshold table when the calibrated model makes the list. */
const CHANCE_THRESHOLDS = [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30];

interface ChosenListRule {
  readonly rule: ListRule | null;
  readonly choice: ShareChoice | null;
  readonly fallback: string | null;
}

/** The smallest double above x (a threshold no child at x reaches). */
const nextUp = (x: number) => x + Math.max(Number.MIN_VALUE, Math.abs(x) * Number.EPSILON);

function listSummary(scored: readonly ScoredChild[], chosen: ChosenListRule, config: ScoringConfig): ListSummary {
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

/**
 * The plain baseline on the holdout (trained before the cut, like the
 * holdout model) and, with ground truth, on the run date (trained on every
 * cohort child).
 */
function baselineScoresFor(snapshot: TfdSnapshot, holdout: HoldoutDetail | null, children: readonly number[] | null, asOf: number) {
  const beforeCut = holdout ? trainBaseline(snapshot, holdout.cut - 1, 2, MIN_CASES) : null;
  const now = children ? trainBaseline(snapshot, asOf, 1, MIN_CASES) : null;
  return {
    holdout: holdout && beforeCut ? baselineScores(snapshot, beforeCut, holdout.children, holdout.cut) : null,
    runDate: children && now ? baselineScores(snapshot, now, children, asOf) : null,
  };
}

const finite = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? null : n);

function evaluationHeadline(e: RunEvaluation): RunSummary['evaluation'] {
  return {
    rocAuc: finite(e.holdout?.rocAuc),
    brierScore: finite(e.holdout?.brierScore),
    precisionAtListSize: finite(e.holdout?.precisionAtListSize),
    biasFlags: (e.bias.cohort?.flags.length ?? 0) + (e.bias.truth?.flags.length ?? 0),
    averagePrecision: finite(e.baseline.holdout?.model.averagePrecision),
    baselineAveragePrecision: finite(e.baseline.holdout?.baseline.averagePrecision),
    modelBeatsBaseline: e.baseline.modelBeatsBaseline,
    topOfList: e.holdout?.topOfList ?? null,
    calibrationSlope: e.holdout?.calibrationSlope ?? null,
  };
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

/** Codes beyond the catalogue the configuration chose, and the rest. */
function usedAndUnused(beyond: readonly string[], chosen: readonly string[]): { used: string[]; unused: string[] } {
  return { used: beyond.filter((c) => chosen.includes(c)), unused: beyond.filter((c) => !chosen.includes(c)) };
}

/** The temporal holdout, or none when too few children started before its cut to train on. */
function holdoutOrNone(holdout: () => HoldoutDetail | null): HoldoutDetail | null {
  try {
    return holdout();
  } catch (error) {
    if (error instanceof CohortTooSmallError) return null;
    throw error;
  }
}

function buildNetwork(snapshot: TfdSnapshot, asOf: number, config: ScoringConfig) {
  const edges = inferRelationships(snapshot.eventTable, snapshot.personIds.length, relationshipOptions(config, asOf));
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
    await q.deleteRunRows(trx, 'run_change', runId).execute();
    for (let i = 0; i < changes.length; i += perStatement) await q.insertChanges(trx, changes.slice(i, i + perStatement)).execute();
  });
  for (const c of changes) counts[c.change]++;
  return counts;
}

/**
 * What the meeting's labels changed: the same model kind trained on the same
 * run without them, and the coefficients that moved most.
 */
function labelEffect(snapshot: TfdSnapshot, layout: FeatureLayout, asOf: number, choice: ModelChoice, withLabels: TrainedModel): MeetingLabelEffect {
  const without = trainingMatrix({ ...snapshot, trainingLabels: [] }, layout, asOf, 1);
  const before = fitBlend(without.x, without.rows.label, choice, without.rows.weight, layout);
  const after = withLabels.model;
  const moves = after.features
    .map((feature, j) => ({ feature, without: before.coefficients[j], with: after.coefficients[j] }))
    .filter((m) => m.without !== m.with)
    .sort((a, b) => Math.abs(b.with - b.without) - Math.abs(a.with - a.without))
    .slice(0, 8);
  return { provenance: withLabels.trainedOn.labels, moves };
}
