import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { IMPORT_BUNDLE } from '../../worker/jobs/import-bundle-job.js';
import { SCORE_RUN } from '../../worker/jobs/score-run-job.js';
import { startWorker } from '../../worker/main.js';
import { openQueue, QUEUE_NAME } from '../../worker/queue.js';
import { connectionFrom } from '../../worker/redis/ensure-redis.js';
import { editedCopy, FOREIGN_BUNDLE } from '../helpers/bundles.js';
import { freshSqlite, rowCounts } from '../helpers/database.js';
import { testRedisUrl, uniquePrefix } from '../helpers/queue.js';
import { useTempDirs } from '../helpers/temp.js';

describe('the pipeline queue on a real Redis and SQLite file', () => {
  const tempDir = useTempDirs();
  let dir: string;
  let db: TfdDialect;
  let settings: { redisUrl: string; prefix: string };
  let worker: ReturnType<typeof startWorker>;
  let queue: ReturnType<typeof openQueue>;

  beforeEach(async () => {
    dir = tempDir();
    db = await freshSqlite(dir);
    settings = { redisUrl: testRedisUrl(), prefix: uniquePrefix() };
    worker = startWorker(settings, { db, log: () => undefined });
    queue = openQueue(settings);
  });
  afterEach(async () => {
    await queue.queue.obliterate({ force: true });
    await queue.close();
    await worker.close();
    await db.close();
  });

  it('imports a bundle and reports progress', async () => {
    const progress: unknown[] = [];
    const summary = await queue.run<{ rows: Record<string, number> }>(IMPORT_BUNDLE, { dir: FOREIGN_BUNDLE }, (p) => progress.push(p));
    expect(summary.rows.person).toBe(4);
    expect((await rowCounts(db)).event_party).toBe(7);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('fails a refused bundle for good, with the located reason, and changes nothing', async () => {
    const bad = editedCopy(FOREIGN_BUNDLE, join(dir, 'bad'), 'event.csv', (t) => t.replace('E4,crime', 'E4,arrest'));
    await expect(queue.run(IMPORT_BUNDLE, { dir: bad })).rejects.toThrow(/event\.csv:5:2 event_type/);
    expect((await rowCounts(db)).person).toBe(0);
  });

  it('schedules the weekly scoring run once, however often a worker starts', async () => {
    await queue.scheduleWeeklyRun(SCORE_RUN);
    await queue.scheduleWeeklyRun(SCORE_RUN);
    const schedulers = await queue.queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ name: SCORE_RUN, pattern: '0 6 * * 1', tz: 'Europe/London' });
  });

  it('refuses a malformed payload without retrying it', async () => {
    const raw = new Queue(QUEUE_NAME, { connection: connectionFrom(settings.redisUrl), prefix: settings.prefix });
    const events = new QueueEvents(QUEUE_NAME, { connection: connectionFrom(settings.redisUrl), prefix: settings.prefix });
    await events.waitUntilReady();
    const job = await raw.add(IMPORT_BUNDLE, { directory: 42 }, { attempts: 3 });
    await expect(job.waitUntilFinished(events)).rejects.toThrow(/bad payload: dir/);
    expect((await raw.getJob(job.id!))?.attemptsMade).toBe(1);
    await events.close();
    await raw.close();
  });
});
