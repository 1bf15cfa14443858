import { Command } from 'commander';
import { loadConfig } from '../../config/env.js';
import { parseIsoDate } from '../../domain/dates.js';
import { UserFacingError } from '../../domain/errors.js';
import { createDb } from '../../db/database.js';
import { SCORE_RUN } from '../../worker/jobs/score-run-job.js';
import { startWorker } from '../../worker/main.js';
import type { RunSummary } from '../../worker/pipeline/score-run.js';
import { openQueue } from '../../worker/queue.js';
import { ensureRedis } from '../../worker/redis/ensure-redis.js';
import { loadScoringConfig } from '../../worker/scoring/scoring-config.js';
import { formatRunSummary } from '../format-run.js';

export const scoreCommand = new Command('score')
  .description('enqueue a scoring run (features → model → scores → reasons → weekly list), published atomically under a new run id')
  .option('--as-of <date>', 'score as of this date (YYYY-MM-DD); default: the latest date recorded in the TFD')
  .option('--wait', 'wait for the run and print its summary; with no worker running, process it in this process', false)
  .action(async (opts) => {
    if (opts.asOf !== undefined) {
      const asOf = parseIsoDate(opts.asOf);
      if (!asOf.ok) throw new UserFacingError(`--as-of: ${asOf.reason}`);
    }
    const config = loadConfig();
    const redis = await ensureRedis({ redisUrl: config.REDIS_URL });
    const settings = { redisUrl: redis.url, prefix: config.QUEUE_PREFIX };
    const queue = openQueue(settings);
    const payload = opts.asOf ? { asOf: opts.asOf } : {};
    try {
      if (!opts.wait) {
        const job = await queue.queue.add(SCORE_RUN, payload);
        const workers = await queue.workerCount();
        console.log(`scoring run queued as job ${job.id}${workers === 0 ? '; no worker is running: start one (npm run start:worker) or use --wait' : ''}`);
        return;
      }
      const db = (await queue.workerCount()) === 0 ? await createDb({ databaseUrl: config.DATABASE_URL }) : null;
      const worker = db ? startWorker(settings, { db, scoring: loadScoringConfig(config.SCORING_CONFIG), log: () => undefined }) : null;
      if (worker) console.log('no worker running: processing the run in this process');
      try {
        const summary = await queue.run<RunSummary>(SCORE_RUN, payload, (p) => process.stderr.write(`  stage: ${(p as { stage: string }).stage}\n`));
        console.log(formatRunSummary(summary));
      } finally {
        await worker?.close();
        await db?.close();
      }
    } finally {
      await queue.close();
      await redis.stop();
    }
  });
