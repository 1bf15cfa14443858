import { Command } from 'commander';
import { loadConfig } from '../../config/env.js';
import { createDb } from '../../db/database.js';
import { importBundle } from '../../db/import/import-bundle.js';
import { progressBar } from '../progress.js';

export const importCommand = new Command('import')
  .description('validate a contract bundle (a folder of <table>.csv) and load it into the TFD in one transaction; on any problem nothing changes')
  .argument('<dir>', 'the bundle folder')
  .option('--replace', 'replace the TFD already in the database (in the same transaction)', false)
  .option('--max-problems <n>', 'problems to list before only counting', (v) => Number(v), 20)
  .addHelpText('after', '\nThe database is DATABASE_URL (default sqlite:./data/tfd.sqlite). truth.csv is never loaded.')
  .action(async (dir: string, opts) => {
    const config = loadConfig();
    const db = await createDb({ databaseUrl: config.DATABASE_URL });
    const bar = progressBar('import', 'bytes');
    try {
      const summary = await importBundle(db, dir, {
        replace: opts.replace,
        maxProblems: opts.maxProblems,
        onProgress: (p) => bar.update(p.bytesRead, p.totalBytes, p.table),
      });
      bar.stop();
      const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
      console.log(`imported ${total.toLocaleString('en-GB')} rows in ${summary.seconds.toFixed(1)} s (${Math.round(total / summary.seconds).toLocaleString('en-GB')} rows/s), import ${summary.importId}`);
      for (const [table, rows] of Object.entries(summary.rows)) console.log(`  ${table.padEnd(20)} ${rows.toLocaleString('en-GB').padStart(12)}`);
      for (const notice of summary.notices) console.log(`note: ${notice}`);
    } finally {
      bar.stop();
      await db.close();
    }
  });
