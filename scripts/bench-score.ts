/**
 * Scoring benchmark: a full run (snapshot, training, holdout, scoring,
 * reasons, writes) on an N-person TFD, against a peer measured in the same
 * run: streaming the same tables out of the database (the same raw row path
 * the run uses) with no computation at all, the floor any scorer pays.
 *
 *   npm run bench:score -- [--people 1000000] [--db path/to/tfd.sqlite] [--fact-copies 8]
 *
 * --fact-copies N benchmarks a denser TFD: a copy of the database whose
 * indicator facts are repeated N more times, each copy shifted back by a
 * multiple of 97 days (8 copies of a 1M-person synthetic TFD ≈ 20 M facts).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
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
  const copies = Number(arg('fact-copies') ?? 0);
  if (copies > 0) {
    const dense = join(work, 'dense.sqlite');
    copyFileSync(path, dense);
    densify(dense, copies);
    path = dense;
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

function densify(path: string, copies: number): void {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const original = (db.prepare('select max(rowid) as n from indicator_fact').get() as { n: number }).n;
  db.exec('drop index if exists ix_indicator_fact_person_id_start_date; drop index if exists ix_indicator_fact_code_start_date');
  for (let k = 1; k <= copies; k++) {
    const shift = `'-${k * 97} days'`;
    db.exec(`insert into indicator_fact (person_id, code, start_date, end_date, value)
             select person_id, code, date(start_date, ${shift}), case when end_date is null then null else date(end_date, ${shift}) end, value
             from indicator_fact where rowid <= ${original}`);
  }
  db.exec('create index ix_indicator_fact_person_id_start_date on indicator_fact (person_id, start_date); create index ix_indicator_fact_code_start_date on indicator_fact (code, start_date)');
  const facts = (db.prepare('select count(*) as n from indicator_fact').get() as { n: number }).n;
  db.close();
  console.log(`densified: ${facts.toLocaleString('en-GB')} indicator facts (${copies} shifted copies)`);
}
