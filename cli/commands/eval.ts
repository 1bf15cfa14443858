import { Command } from 'commander';
import { withDb } from '../with-db.js';
import { resolveRun } from '../../db/export/export-scores.js';
import { readCsvRecords } from '../../db/import/csv-reader.js';
import { snapshotQueries } from '../../db/queries/snapshot-queries.js';
import { evaluateAgainstTruth, type TruthRow } from '../../worker/model/truth-evaluation.js';
import type { RunSummary } from '../../worker/pipeline/score-run.js';
import { formatRunSummary, formatTruth } from '../format-run.js';

export const evalCommand = new Command('eval')
  .description('print a run’s evaluation: temporal holdout against the cohort, and with --truth against synthetic ground truth (including never-known victims)')
  .option('--run <id>', 'run id (default: the current run)')
  .option('--truth <file>', 'a synthetic bundle’s truth.csv')
  .action(async (opts) => {
    await withDb(async (db) => {
      const run = await resolveRun(db, opts.run);
      console.log(formatRunSummary(JSON.parse(run.summary ?? '{}') as RunSummary));
      if (opts.truth) {
        const truth = await readTruth(opts.truth);
        const known = new Set<string>();
        for (const c of await snapshotQueries.cohort(db.db).execute()) if (c.start_of_service <= run.as_of) known.add(c.person_id);
        for (const t of await snapshotQueries.topaz(db.db).execute()) if (t.marker === 'victim' && t.start_date <= run.as_of) known.add(t.person_id);
        const rows = await db.db.selectFrom('run_score').select(['person_id', 'final_score', 'on_list', 'list']).where('run_id', '=', run.run_id).execute();
        const scored = rows.filter((r) => r.list !== 'over_18').map((r) => ({ personId: r.person_id, finalScore: r.final_score, onList: r.on_list === 1 }));
        console.log(formatTruth(evaluateAgainstTruth(scored, truth, known, run.as_of)));
        const adults = rows.filter((r) => r.list === 'over_18' && r.on_list === 1);
        const exploiters = [...truth.values()].filter((t) => t.exploiter).length;
        const listedExploiters = adults.filter((a) => truth.get(a.person_id)?.exploiter).length;
        console.log(
          `    CSE Risk – Subjects Over 18: ${adults.length} listed, of whom ${listedExploiters} exploited or facilitated in the generator's truth (${exploiters} such adults in all)`,
        );
      }
    });
  });

async function readTruth(path: string): Promise<Map<string, TruthRow & { exploiter: boolean }>> {
  const out = new Map<string, TruthRow & { exploiter: boolean }>();
  let header: string[] | null = null;
  for await (const batch of readCsvRecords(path)) {
    for (const r of batch) {
      if (!header) {
        header = r.fields.map((f) => f.trim().toLowerCase());
        continue;
      }
      const get = (name: string) => r.fields[header!.indexOf(name)] ?? '';
      out.set(get('person_id'), { exploited: get('exploited') === '1', exploitationStart: get('exploitation_start') || null, exploiter: get('exploiter') === '1' });
    }
  }
  return out;
}
