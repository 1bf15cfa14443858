import { join } from 'node:path';
import { loadConfig } from '../config/env.js';
import { reportFatal } from '../config/errors.js';
import { createDb } from '../db/database.js';
import type { ImportSummary } from '../db/import/import-bundle.js';
import { cohortSize, markersByType, peopleByArea } from '../db/queries/overview-queries.js';
import { generateBundle } from '../synth/generate.js';
import { IMPORT_BUNDLE } from '../worker/jobs/import-bundle-job.js';
import { startWorker } from '../worker/main.js';
import { openQueue } from '../worker/queue.js';
import { ensureRedis } from '../worker/redis/ensure-redis.js';

/**
 * The main job on the embedded default, end to end: a synthetic TFD is
 * written, then imported by the real worker through the BullMQ queue.
 *   npm run demo [-- --people N]
 */
async function main(people: number): Promise<void> {
  const config = loadConfig();
  const bundle = join('data', 'demo-bundle');
  const redis = await ensureRedis({ redisUrl: config.REDIS_URL });
  const db = await createDb({ databaseUrl: config.DATABASE_URL });
  const settings = { redisUrl: redis.url, prefix: `${config.QUEUE_PREFIX}-demo` };
  const worker = startWorker(settings, db, () => undefined);
  const queue = openQueue(settings);
  try {
    console.log(`1/3 synthesising ${people.toLocaleString('en-GB')} people (seed 1) into ${bundle} …`);
    const synth = generateBundle({ people, seed: 1, out: bundle });
    console.log(
      `    ${synth.rows.indicator_fact.toLocaleString('en-GB')} indicator facts, ${synth.rows.event.toLocaleString('en-GB')} police events; hidden: ${synth.victims} exploited children, ${synth.knownToService} known to the service`,
    );

    console.log(`2/3 importing through the worker (queue on ${redis.url}, ${redis.origin}) into ${config.DATABASE_URL} …`);
    let shown = -10;
    const summary = await queue.run<ImportSummary>(IMPORT_BUNDLE, { dir: bundle, replace: true }, (p) => {
      const { percent } = p as { percent: number };
      if (percent >= shown + 10) {
        shown = percent - (percent % 10);
        process.stdout.write(`    ${shown}%`);
      }
    });
    const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    console.log(`\n    ${rows.toLocaleString('en-GB')} rows in ${summary.seconds.toFixed(1)} s`);
    for (const notice of summary.notices) console.log(`    note: ${notice}`);

    console.log('3/3 the Think Family Database now holds:');
    for (const row of await peopleByArea(db.db).execute()) console.log(`    area ${row.area_id}: ${Number(row.people).toLocaleString('en-GB')} people`);
    const cohort = await cohortSize(db.db).executeTakeFirstOrThrow();
    console.log(`    ${cohort.children} children in the exploitation-service (BASE) cohort`);
    for (const row of await markersByType(db.db).execute()) console.log(`    Topaz ${row.marker} markers: ${row.markers}`);
  } finally {
    await queue.close();
    await worker.close();
    await db.close();
    await redis.stop();
  }
}

const peopleFlag = process.argv.indexOf('--people');
const people = peopleFlag > 0 ? Number(process.argv[peopleFlag + 1]) : 20_000;
await main(people).catch(reportFatal);
