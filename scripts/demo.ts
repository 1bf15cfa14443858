import { join } from 'node:path';
import { formatRunSummary } from '../cli/format-run.js';
import { loadConfig } from '../config/env.js';
import { reportFatal } from '../domain/errors.js';
import { createDb } from '../db/database.js';
import { exportModelCard } from '../reports/export-model-card.js';
import { exportScores } from '../reports/export-scores.js';
import { listForRun } from '../db/queries/run-queries.js';
import type { ImportSummary } from '../db/import/import-bundle.js';
import { generateBundle } from '../synth/generate.js';
import { IMPORT_BUNDLE } from '../worker/jobs/import-bundle-job.js';
import { SCORE_RUN } from '../worker/jobs/score-run-job.js';
import { startWorker } from '../worker/main.js';
import type { RunSummary } from '../worker/pipeline/score-run.js';
import { openQueue } from '../worker/queue.js';
import { ensureRedis } from '../worker/redis/ensure-redis.js';
import { loadScoringConfig } from '../worker/scoring/scoring-config.js';

/**
 * The main job on the embedded default, end to end through the real worker
 * and BullMQ queue: a synthetic TFD is written and imported, a scoring run is
 * published, its scores exported, and the run judged against ground truth.
 *   npm run demo [-- --people N]
 */
async function main(people: number): Promise<void> {
  const config = loadConfig();
  const bundle = join('data', 'demo-bundle');
  const redis = await ensureRedis({ redisUrl: config.REDIS_URL });
  const db = await createDb({ databaseUrl: config.DATABASE_URL });
  const settings = { redisUrl: redis.url, prefix: `${config.QUEUE_PREFIX}-demo` };
  const worker = startWorker(settings, { db, scoring: loadScoringConfig(config.SCORING_CONFIG), log: () => undefined });
  const queue = openQueue(settings);
  try {
    console.log(`1/4 synthesising ${people.toLocaleString('en-GB')} people (seed 1) into ${bundle} …`);
    const synth = generateBundle({ people, seed: 1, out: bundle });
    console.log(
      `    ${synth.rows.indicator_fact.toLocaleString('en-GB')} indicator facts, ${synth.rows.event.toLocaleString('en-GB')} police events; hidden: ${synth.victims} exploited children, ${synth.knownToService} known to the service`,
    );

    console.log(`2/4 importing through the worker (queue on ${redis.url}, ${redis.origin}) into ${config.DATABASE_URL} …`);
    const imported = await queue.run<ImportSummary>(IMPORT_BUNDLE, { dir: bundle, replace: true });
    const rows = Object.values(imported.rows).reduce((a, b) => a + b, 0);
    console.log(`    ${rows.toLocaleString('en-GB')} rows in ${imported.seconds.toFixed(1)} s`);

    console.log('3/4 scoring run through the worker …');
    const run = await queue.run<RunSummary>(SCORE_RUN, {}, (p) => process.stdout.write(`    ${(p as { stage: string }).stage}`));
    console.log(`\n${formatRunSummary(run)}`);

    const out = join('data', 'scores.csv');
    await exportScores(db, out, run.runId);
    console.log(`4/4 scores exported to ${out}; compare with ground truth: npm run cli -- eval --truth ${join(bundle, 'truth.csv')}`);
    const card = await exportModelCard(db, join('data', 'model-card'), run.runId);
    console.log(`    model card of this run: ${card.html} (JSON twin ${card.json}); with ground truth: npm run cli -- eval --bundle ${bundle} --out data/model-card-truth`);
    const child = (await listForRun(db.db, run.runId, 'children').execute())[0];
    const adult = (await listForRun(db.db, run.runId, 'over_18').execute())[0];
    console.log('    the top of this week’s lists (synthetic people):');
    if (child) console.log(`    children: ${child.person_id}, age ${child.age}, score ${child.final_score} (${child.band}): ${child.reasons}`);
    if (adult) console.log(`    CSE Risk – Subjects Over 18: ${adult.person_id}, age ${adult.age}, score ${adult.final_score}: ${adult.reasons}`);
  } finally {
    await queue.close();
    await worker.close();
    await db.close();
    await redis.stop();
  }
}

const peopleFlag = process.argv.indexOf('--people');
const people = peopleFlag > 0 ? Number(process.argv[peopleFlag + 1]) : 50_000;
await main(people).catch(reportFatal);
