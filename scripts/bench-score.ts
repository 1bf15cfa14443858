/**
 * Scoring benchmark: a full run (snapshot, training, holdout, scoring,
 * reasons, writes) on an N-person TFD, against a peer measured in the same
 * run: streaming the same tables out of the database (the same raw row path
 * the run uses) with no computation at all, the floor any scorer pays.
 *
 *   npm run bench:score -- [--people 1000000] [--db path/to/tfd.sqlite]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../db/database.js';
import { importBundle } from '../db/import/import-bundle.js';
import { snapshotQueries } from '../db/queries/snapshot-queries.js';
import { generateBundle } from '../synth/generate.js';
import { scoreRun } from '../worker/pipeline/score-run.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const work = mkdtempSync(join(tmpdir(), 'tfd-bench-score-'));
try {
  let path = arg('db');
  if (!path) {
    const people = Number(arg('people') ?? 1_000_000);
    path = join(work, 'tfd.sqlite');
    generateBundle({ people, seed: 1, out: join(work, 'bundle') });
    const setup = await createDb({ databaseUrl: `sqlite:${path}` });
    await importBundle(setup, join(work, 'bundle'));
    await setup.close();
  }
  const db = await createDb({ databaseUrl: `sqlite:${path}` });

  let t = performance.now();
  let rows = 0;
  for (const build of Object.values(snapshotQueries)) for await (const batch of db.streamRows(build(db.db))) rows += batch.length;
  const peer = (performance.now() - t) / 1000;

  t = performance.now();
  const run = await scoreRun(db);
  const ours = (performance.now() - t) / 1000;
  const people = (await db.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  await db.close();

  console.log(`people ${Number(people).toLocaleString('en-GB')}, children scored ${run.children.toLocaleString('en-GB')}, on the list ${run.onList}`);
  console.log(`run    ${ours.toFixed(1)} s = ${Math.round(Number(people) / ours).toLocaleString('en-GB')} persons/s; stages: ${Object.entries(run.seconds).map(([k, v]) => `${k} ${v}s`).join(', ')}`);
  console.log(`peer   streaming the same ${rows.toLocaleString('en-GB')} rows with no computation: ${peer.toFixed(1)} s`);
  console.log(`ratio  run / streaming floor: ${(ours / peer).toFixed(2)}×; target (1M people) < 180 s: ${ours < 180 ? 'met' : 'NOT met'}`);
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (target < 4,096 MB)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
