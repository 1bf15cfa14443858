import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { exportScores, SCORES_COLUMNS } from '../../reports/export-scores.js';
import { currentRun } from '../../db/queries/run-queries.js';
import { readTable } from '../helpers/csv-table.js';
import { SCORE_RUN } from '../../worker/jobs/score-run-job.js';
import { startWorker } from '../../worker/main.js';
import { FEATURE_NAMES, FEATURE_SETS } from '../../worker/features/feature-catalogue.js';
import { MODEL_CANDIDATES } from '../../worker/model/model-choice.js';
import { scoreRun, ScoringRun, STAGES, type RunSummary } from '../../worker/pipeline/score-run.js';
import { startStageWorker, STAGE_QUEUE } from '../../worker/run-flow.js';
import { connectionFrom } from '../../worker/redis/ensure-redis.js';
import { Queue } from 'bullmq';
import { openQueue } from '../../worker/queue.js';
import { defaultScoringConfig } from '../../worker/scoring/scoring-config.js';
import { testRedisUrl, uniquePrefix } from '../helpers/queue.js';
import { syntheticTfd } from '../helpers/scored-tfd.js';

const AS_OF = '2025-06-30';

/** Each person's reasons as the analysts' scores.csv gives them (rendered from the stored items when exported). */
async function analystReasons(db: TfdDialect, runId: string, dir: string): Promise<Map<string, string>> {
  const out = join(dir, `scores-${runId}.csv`);
  await exportScores(db, out, runId);
  return new Map((await readTable(out)).map((r) => [r.person_id, r.reasons]));
}

describe('a scoring run', () => {
  let dir: string;
  let db: TfdDialect;
  let first: RunSummary;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-run-'));
    ({ db } = await syntheticTfd(dir));
    first = await scoreRun(db, { asOf: AS_OF });
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes one run with the holdout figures and a data-quality section', async () => {
    const run = await currentRun(db.db).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ run_id: first.runId, status: 'published', as_of: AS_OF });
    expect(first.holdout?.testCases).toBeGreaterThan(0);
    expect(first.holdout?.recallAtStartOfService).toBeGreaterThan(0);
    expect(first.dataQuality.childrenScored).toBe(first.children);
    expect(first.onList).toBeGreaterThan(0);
  });

  it('gives every child a calibrated chance of acceptance within the horizon, checked on the holdout', async () => {
    const rows = await db.db.selectFrom('run_score').select(['probability', 'predictive_score']).where('run_id', '=', first.runId).where('list', '=', 'children').execute();
    expect(rows.every((r) => r.probability !== null && r.probability >= 0 && r.probability <= 1)).toBe(true);
    // The case-control score overstates the chance; the calibrated one is far smaller on average.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(rows.map((r) => r.probability!))).toBeLessThan(mean(rows.map((r) => r.predictive_score / 100)) / 3);
    const model = await db.db.selectFrom('model_version').select(['metrics', 'artefact']).where('model_id', '=', first.modelId!).executeTakeFirstOrThrow();
    const calibration = JSON.parse(model.metrics).calibration;
    expect(calibration).toMatchObject({ horizonDays: 365 });
    expect(calibration.acceptanceRate).toBeGreaterThan(0);
    const evaluation = JSON.parse((await db.db.selectFrom('run_evaluation').select('evaluation').where('run_id', '=', first.runId).executeTakeFirstOrThrow()).evaluation);
    expect(evaluation.holdout).toMatchObject({ calibrated: true });
    expect(evaluation.holdout.meanProbability).toBeGreaterThan(0);
    expect(evaluation.holdout.calibration.length).toBe(10);
    // Calibration at the top, where the list is made: as many holdout children as the run lists.
    expect(evaluation.holdout.topOfList.children).toBe(Math.min(first.onList, evaluation.holdout.population));
    expect(evaluation.holdout.topOfList.meanPredicted).toBeGreaterThan(evaluation.holdout.meanProbability);
    expect(first.evaluation!.topOfList).toEqual(evaluation.holdout.topOfList);
    // The slope read off the holdout is the one the run's chances were scaled by (or none, and then they are not scaled).
    expect(first.evaluation!.calibrationSlope).toEqual(evaluation.holdout.calibrationSlope);
    if (evaluation.holdout.calibrationSlope) {
      expect(calibration.slope).toBe(evaluation.holdout.calibrationSlope.slope);
      expect(calibration.slope).toBeGreaterThanOrEqual(0.2);
      expect(calibration.slope).toBeLessThanOrEqual(1);
    } else expect(calibration.slope).toBeUndefined();
    // The blend was chosen on the cohort: the three candidates with the best average precision there, kept with the model, and the holdout measured that kind of model.
    const selection = first.modelSelection!;
    expect(selection.chosenBy).toBe('cohort');
    expect(selection.candidates.map((c) => `${c.featureSet}/${c.l2}`).sort()).toEqual(MODEL_CANDIDATES.map((c) => `${c.featureSet}/${c.l2}`).sort());
    const leaders = [...selection.candidates].sort((a, b) => b.averagePrecision - a.averagePrecision).slice(0, 3);
    expect(selection.members.map((m) => `${m.featureSet}/${m.l2}`)).toEqual(leaders.map((c) => `${c.featureSet}/${c.l2}`));
    expect(selection.averagePrecision).toBeGreaterThan(0);
    expect(selection.heldOutRanks.length).toBe(selection.heldOutChildren);
    expect(JSON.parse(model.metrics).selection).toEqual(selection);
    // The stored model uses only the members' features, and is the mean of the members fitted alone.
    const artefact = JSON.parse(model.artefact);
    const inSet = new Set(selection.members.flatMap((m) => FEATURE_SETS[m.featureSet].map((i) => FEATURE_NAMES[i])));
    artefact.features.forEach((f: string, i: number) => {
      if (!inSet.has(f)) expect(artefact.coefficients[i]).toBe(0);
    });
  });

  it('makes the list by the calibrated model: the final score is the chance in 100, at most `capacity` listed by it, every active Topaz victim on top', async () => {
    const rows = await db.db.selectFrom('run_score').selectAll().where('run_id', '=', first.runId).where('list', '=', 'children').execute();
    expect(rows.length).toBe(first.children);
    for (const r of rows) expect(r.final_score).toBe(Math.round(1000 * r.probability!) / 10);
    const l = first.list;
    expect(l).toMatchObject({ rule: 'model', fallback: null, capacity: 50, watchCapacity: 100 });
    expect(l.threshold).toBeGreaterThan(0);
    expect(l.comparisonShare).toBeGreaterThanOrEqual(0);
    expect(l.heldOutListed).toBeGreaterThan(0);
    expect(l.estimatedPrecision).toBeGreaterThan(0);
    // The configuration's 40% against exploitation, with three in four exploited children assumed accepted, is 30% against the cohort.
    expect(l.acceptedShare).toBe(0.75);
    expect(l.assumedPrecision).toBeCloseTo(Math.min(1, l.estimatedPrecision! / 0.75), 10);
    if (l.floorReached) expect(l.estimatedPrecision!).toBeGreaterThanOrEqual(0.4 * 0.75);
    const listed = rows.filter((r) => r.on_list === 1);
    expect(listed.length).toBe(l.size);
    expect(l.size).toBeLessThanOrEqual(l.capacity + l.topazVictims);
    // Listed by chance: the children listed for their chance (all but the Topaz victims) all have a higher chance than the watch band.
    const byChance = listed.map((r) => r.probability!).sort((a, b) => b - a).slice(0, l.size - l.topazVictims);
    const watch = rows.filter((r) => r.band === 'medium');
    expect(watch.length).toBe(l.watch);
    expect(Math.max(...watch.map((r) => r.probability!))).toBeLessThanOrEqual(Math.min(...byChance));
    expect(l.expectedAccepted).toBeCloseTo(listed.reduce((a, r) => a + r.probability!, 0), 0);
    expect(l.sensitivity.map((s) => s.size)).toEqual([...l.sensitivity.map((s) => s.size)].sort((a, b) => b - a));
  });

  it('keeps Bristol’s rule for comparison: final = max(predictive, index), listed from the medium band', async () => {
    const other = await syntheticTfd(mkdtempSync(join(tmpdir(), 'tfd-test-bands-')));
    try {
      const config = { ...defaultScoringConfig(), list: { ...defaultScoringConfig().list, rule: 'bands' as const } };
      const run = await scoreRun(other.db, { asOf: AS_OF, config });
      expect(run.list.rule).toBe('bands');
      const rows = await other.db.db.selectFrom('run_score').selectAll().where('run_id', '=', run.runId).where('list', '=', 'children').execute();
      for (const r of rows) expect(r.final_score).toBe(Math.max(r.predictive_score, r.index_score));
      expect(rows.some((r) => r.index_score > r.predictive_score)).toBe(true);
      expect(rows.some((r) => r.predictive_score > r.index_score)).toBe(true);
      for (const r of rows) expect(r.on_list === 1).toBe(r.band === 'high' || r.band === 'medium' || r.index_score >= 100);
    } finally {
      await other.db.close();
    }
  });

  it('lists adults with CSE risk in their network as "CSE Risk – Subjects Over 18", with reasons, never as offenders', async () => {
    const adults = await db.db.selectFrom('run_score').selectAll().where('run_id', '=', first.runId).where('list', '=', 'over_18').execute();
    expect(first.overEighteen.onList).toBeGreaterThan(0);
    expect(adults.filter((a) => a.on_list === 1)).toHaveLength(first.overEighteen.onList);
    // The reasons as analysts read them: rendered from the stored items by the scores export.
    const reasons = await analystReasons(db, first.runId, dir);
    for (const a of adults) {
      expect(a.age).toBeGreaterThanOrEqual(18);
      expect(reasons.get(a.person_id)).toContain('Listed on "CSE Risk – Subjects Over 18" because ');
      expect(reasons.get(a.person_id)).toContain('does not mean this person has done anything wrong');
      expect(reasons.get(a.person_id)).not.toMatch(/offender|suspect|perpetrator|abuser/i);
      expect(a.predictive_score).toBe(0);
    }
    // Children's reasons name the associates rule when it holds.
    const children = await db.db.selectFrom('run_score').select('person_id').where('run_id', '=', first.runId).where('list', '=', 'children').execute();
    const associates = children.filter((c) => reasons.get(c.person_id)?.includes('associate with subjects at risk of CSE'));
    expect(associates.length).toBeGreaterThan(0);
  });

  it('always lists a child with an active Topaz victim marker, however low their scores', async () => {
    const quiet = await db.db
      .selectFrom('run_score')
      .select('person_id')
      .where('run_id', '=', first.runId)
      .where('final_score', '<', 5)
      .where('age', '>=', 12)
      .executeTakeFirstOrThrow();
    await db.db.insertInto('topaz_marker').values({ person_id: quiet.person_id, marker: 'victim', start_date: '2025-01-01', end_date: null, note: null }).execute();
    // With the index rule for Topaz worth nothing, only the Topaz list rule can put them on.
    const config = defaultScoringConfig();
    const noTopazPoints = { ...config, indexRules: { ...config.indexRules, rules: config.indexRules.rules.map((r) => (r.id === 'topaz_victim' ? { ...r, points: 0 } : r)) } };
    const run = await scoreRun(db, { asOf: AS_OF, config: noTopazPoints });
    const row = await db.db.selectFrom('run_score').selectAll().where('run_id', '=', run.runId).where('person_id', '=', quiet.person_id).executeTakeFirstOrThrow();
    expect(row.final_score).toBeLessThan(defaultScoringConfig().bands.medium);
    expect(row.on_list).toBe(1);
    const change = await db.db.selectFrom('run_change').selectAll().where('run_id', '=', run.runId).where('person_id', '=', quiet.person_id).executeTakeFirst();
    expect(change?.change).toBe('joined_list');
  });

  it('leaves the previous run current when a run fails part-way, and keeps the failed one out of sight', async () => {
    const before = await currentRun(db.db).executeTakeFirstOrThrow();
    const crash = scoreRun(db, {
      asOf: AS_OF,
      onStage: (stage) => {
        if (stage === 'changes') throw new Error('simulated crash after the scores were written');
      },
    });
    await expect(crash).rejects.toThrow(/simulated crash/);
    const after = await currentRun(db.db).executeTakeFirstOrThrow();
    expect(after.run_id).toBe(before.run_id);
    const failed = await db.db.selectFrom('run').selectAll().where('status', '=', 'failed').executeTakeFirstOrThrow();
    expect(failed.error).toMatch(/^changes: simulated crash/);
    // Its scores were written, yet the export (the current run) is the previous run's.
    const written = await db.db.selectFrom('run_score').select('person_id').where('run_id', '=', failed.run_id).execute();
    expect(written.length).toBeGreaterThan(0);
    const out = join(dir, 'scores.csv');
    expect((await exportScores(db, out)).runId).toBe(before.run_id);
  });

  it('survives a worker restart before every stage: each stage resumes the run from the database and publishes the same results', async () => {
    const settings = { redisUrl: testRedisUrl(), prefix: uniquePrefix() };
    // A registry that never keeps a run: every stage starts as if on a freshly started worker.
    const amnesiac = new (class extends Map<string, ScoringRun> {
      override set() {
        return this;
      }
    })();
    const main = startWorker(settings, { db, log: () => undefined, stages: false });
    const stageWorker = startStageWorker(settings, { db, scoring: defaultScoringConfig(), runs: amnesiac, log: () => undefined });
    const queue = openQueue(settings);
    try {
      const viaFlow = await queue.run<RunSummary>(SCORE_RUN, { asOf: AS_OF });
      const direct = await scoreRun(db, { asOf: AS_OF });
      const strip = (s: RunSummary) => ({ ...s, runId: '', modelId: '', previousRunId: '', seconds: {}, changes: {} });
      expect(strip(viaFlow)).toEqual(strip(direct));
      const rows = async (runId: string) =>
        (await db.db.selectFrom('run_score').selectAll().where('run_id', '=', runId).orderBy('person_id').execute()).map((r) => ({ ...r, run_id: '' }));
      expect(await rows(viaFlow.runId)).toEqual(await rows(direct.runId));
      const stageJobs = await new Queue(STAGE_QUEUE, { connection: connectionFrom(settings.redisUrl), prefix: settings.prefix }).getJobs(['completed']);
      expect(stageJobs.map((j) => j.name).sort()).toEqual([...STAGES].sort());
    } finally {
      await queue.queue.obliterate({ force: true });
      await queue.close();
      await stageWorker.close();
      await main.close();
    }
  });

  it('runs through the real BullMQ worker on Redis and exports scores.csv per the contract', async () => {
    const settings = { redisUrl: testRedisUrl(), prefix: uniquePrefix() };
    const worker = startWorker(settings, { db, log: () => undefined });
    const queue = openQueue(settings);
    try {
      const stages: string[] = [];
      const summary = await queue.run<RunSummary>(SCORE_RUN, { asOf: AS_OF }, (p) => stages.push((p as { stage: string }).stage));
      expect(stages).toEqual(['snapshot', 'network', 'train', 'holdout', 'score', 'write', 'changes', 'evaluate', 'publish']);
      const out = join(dir, 'worker-scores.csv');
      const { runId, rows } = await exportScores(db, out);
      expect(runId).toBe(summary.runId);
      expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(SCORES_COLUMNS.join(','));
      const table = await readTable(out);
      expect(table).toHaveLength(rows);
      for (const r of table.slice(0, 500)) {
        expect(['high', 'medium', 'low', 'none']).toContain(r.band);
        expect(Number(r.final_score)).toBeGreaterThanOrEqual(0);
        expect(Number(r.final_score)).toBeLessThanOrEqual(100);
        expect(r.reasons).toMatch(/decision support/i);
      }
    } finally {
      await queue.queue.obliterate({ force: true });
      await queue.close();
      await worker.close();
    }
  });
});

describe('a scoring run on thin or messy real-world data', () => {
  it('publishes index and Topaz results without a model, and counts the data-quality findings instead of crashing', async () => {
    const { importBundle } = await import('../../db/import/import-bundle.js');
    const { freshSqlite } = await import('../helpers/database.js');
    const { FOREIGN_BUNDLE } = await import('../helpers/bundles.js');
    const dir = mkdtempSync(join(tmpdir(), 'tfd-thin-'));
    const db = await freshSqlite(dir);
    try {
      // One cohort child, a person with no date of birth, a code missing from the catalogue.
      await importBundle(db, FOREIGN_BUNDLE, { today: '2026-11-23' });
      await db.db.insertInto('base_cohort').values({ person_id: 'p-004', start_of_service: '2019-06-01', end_of_service: null }).execute();
      const run = await scoreRun(db, { asOf: '2022-05-01' });
      expect(run.modelId).toBeNull();
      expect(run.dataQuality).toMatchObject({ peopleWithoutBirthDate: 1, factsWithUnknownCode: 1, unknownCodes: ['sports_club'], cohortMembersWithoutFacts: 1 });
      expect(run.dataQuality.predictiveModel).toMatch(/base_cohort.*needs at least 10/);
      const child = await db.db.selectFrom('run_score').selectAll().where('run_id', '=', run.runId).where('person_id', '=', 'p-001').executeTakeFirstOrThrow();
      // p-001: a CSE-tagged missing report (45), a CSE-tagged record in the last year (35), and three
      // shared records with p-002, who was on that CSE-tagged report (35); the Topaz marker starts later.
      expect(child).toMatchObject({ predictive_score: 0, index_score: 100, final_score: 100, band: 'high', on_list: 1, list: 'children' });
      expect((await analystReasons(db, run.runId, dir)).get('p-001')).toMatch(
        /^This person was deemed at risk because CSE was identified by call scripting when they were reported missing; they are named in a police record tagged CSE in the last 12 months; they associate with subjects at risk of CSE/,
      );
      const edge = await db.db.selectFrom('run_edge').selectAll().where('run_id', '=', run.runId).execute();
      expect(edge.map((e) => [e.person_a, e.person_b, e.shared_events, e.event_types])).toEqual([['p-001', 'p-002', 3, 'intelligence,missing_report,call_card']]);
      expect((await currentRun(db.db).executeTakeFirstOrThrow()).run_id).toBe(run.runId);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a scoring run whose stage fails inside the flow', () => {
  it('fails the flow, marks the run failed with the stage, and publishes nothing', async () => {
    const { importBundle } = await import('../../db/import/import-bundle.js');
    const { freshSqlite } = await import('../helpers/database.js');
    const { FOREIGN_BUNDLE } = await import('../helpers/bundles.js');
    const dir = mkdtempSync(join(tmpdir(), 'tfd-flow-fail-'));
    const db = await freshSqlite(dir);
    const settings = { redisUrl: testRedisUrl(), prefix: uniquePrefix() };
    const worker = startWorker(settings, { db, log: () => undefined });
    const queue = openQueue(settings);
    try {
      await importBundle(db, FOREIGN_BUNDLE, { today: '2026-11-23' });
      await db.db.schema.dropTable('run_edge').execute();
      await expect(queue.run(SCORE_RUN, { asOf: '2022-05-01' })).rejects.toThrow(/run_edge/);
      const run = await db.db.selectFrom('run').selectAll().executeTakeFirstOrThrow();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^write: .*run_edge/);
      expect(await currentRun(db.db).executeTakeFirst()).toBeUndefined();
    } finally {
      await queue.queue.obliterate({ force: true });
      await queue.close();
      await worker.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
