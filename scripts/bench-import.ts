/**
 * Import benchmark: synthesises a bundle (or takes --bundle DIR), imports it
 * with the project's validating importer, and imports the same files with a
 * straightforward peer (csv-parse streaming into better-sqlite3, one prepared
 * insert per row in one transaction, live indexes, no validation) in the same
 * run, then prints rows/s for both and the ratio.
 *
 *   npm run bench:import -- [--people 1000000] [--bundle DIR]
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parse } from 'csv-parse';
import { TABLE_NAMES, columnNames } from '../domain/contract/tables.js';
import { createDb } from '../db/database.js';
import { importBundle } from '../db/import/import-bundle.js';
import { generateBundle } from '../synth/generate.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const people = Number(arg('people') ?? 1_000_000);
const work = mkdtempSync(join(tmpdir(), 'tfd-bench-'));
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

try {
  let bundle = arg('bundle');
  if (!bundle) {
    bundle = join(work, 'bundle');
    const t = performance.now();
    generateBundle({ people, seed: 1, out: bundle });
    const s = (performance.now() - t) / 1000;
    console.log(`synth     ${people.toLocaleString('en-GB')} people in ${s.toFixed(1)} s = ${Math.round(people / s).toLocaleString('en-GB')} people/s (peak RSS so far ${mb()} MB)`);
  }

  const ours = await createDb({ databaseUrl: `sqlite:${join(work, 'ours.sqlite')}` });
  let t = performance.now();
  const summary = await importBundle(ours, bundle);
  const oursSeconds = (performance.now() - t) / 1000;
  await ours.close();
  const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);

  // The peer gets the same migrated schema (tables and indexes), then loads without checks.
  await (await createDb({ databaseUrl: `sqlite:${join(work, 'peer.sqlite')}` })).close();
  const peer = new BetterSqlite3(join(work, 'peer.sqlite'));
  peer.pragma('journal_mode = WAL');
  peer.pragma('synchronous = NORMAL');
  t = performance.now();
  peer.exec('BEGIN');
  let peerRows = 0;
  for (const table of TABLE_NAMES) {
    let insert: BetterSqlite3.Statement | null = null;
    for await (const record of createReadStream(join(bundle, `${table}.csv`)).pipe(parse({ bom: true, relax_column_count: false }))) {
      if (!insert) {
        const header = record as string[];
        insert = peer.prepare(`insert into "${table}" (${header.map((h) => `"${h}"`).join(',')}) values (${header.map(() => '?').join(',')})`);
        if (header.length !== columnNames(table).length) throw new Error(`${table}: unexpected header`);
        continue;
      }
      insert.run((record as string[]).map((v) => (v === '' ? null : v)));
      peerRows++;
    }
  }
  peer.exec('COMMIT');
  const peerSeconds = (performance.now() - t) / 1000;
  peer.close();

  const oursRate = rows / oursSeconds;
  const peerRate = peerRows / peerSeconds;
  console.log(`import    ours: ${rows.toLocaleString('en-GB')} rows in ${oursSeconds.toFixed(1)} s = ${Math.round(oursRate).toLocaleString('en-GB')} rows/s (validated, one transaction)`);
  console.log(`          peer: ${peerRows.toLocaleString('en-GB')} rows in ${peerSeconds.toFixed(1)} s = ${Math.round(peerRate).toLocaleString('en-GB')} rows/s (csv-parse + row-at-a-time insert, no validation)`);
  console.log(`          ratio ours/peer: ${(oursRate / peerRate).toFixed(2)}×; target ≥ 200,000 rows/s: ${oursRate >= 200_000 ? 'met' : 'NOT met'}`);
  console.log(`peak RSS  ${mb()} MB (whole process)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
