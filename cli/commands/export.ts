import { Command } from 'commander';
import { loadConfig } from '../../config/env.js';
import { createDb } from '../../db/database.js';
import { exportScores } from '../../db/export/export-scores.js';

const scores = new Command('scores')
  .description('write a published run’s scores as scores.csv (run_id, person_id, as_of, age, predictive_score, index_score, network_score, final_score, band, on_list, reasons)')
  .requiredOption('--out <file>', 'CSV file to write')
  .option('--run <id>', 'run id (default: the current run)')
  .action(async (opts) => {
    const db = await createDb({ databaseUrl: loadConfig().DATABASE_URL });
    try {
      const { runId, rows } = await exportScores(db, opts.out, opts.run);
      console.log(`wrote ${rows.toLocaleString('en-GB')} scores of run ${runId} to ${opts.out}`);
    } finally {
      await db.close();
    }
  });

export const exportCommand = new Command('export').description('export results of a run').addCommand(scores);
