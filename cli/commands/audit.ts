import { Command, InvalidArgumentError } from 'commander';
import { withDb } from '../with-db.js';
import { exportAudit } from '../../reports/export-audit.js';

const moment = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?$/.test(value) || Number.isNaN(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : `${value}Z`))) {
    throw new InvalidArgumentError('use a date (2026-11-01) or a UTC timestamp (2026-11-01T09:30)');
  }
  return value;
};

const exportLog = new Command('export')
  .description('write the access audit as CSV for the data protection officer: who (Entra object id, staff id, role), when (UTC), which person, allowed or refused and why, what was shown, which run, from where; network-inference runs appear as action network_inference')
  .requiredOption('--out <file>', 'CSV file to write')
  .option('--from <date>', 'first day or UTC timestamp to include', moment)
  .option('--to <date>', 'last day (whole day) or UTC timestamp to include', moment)
  .option('--person <id>', 'only entries about this person')
  .option('--staff <worker_id>', 'only entries by this member of staff')
  .action(async (opts) => {
    const rows = await withDb((db) => exportAudit(db, opts.out, { from: opts.from, to: opts.to, personId: opts.person, workerId: opts.staff }));
    console.log(`wrote ${rows.toLocaleString('en-GB')} audit entries to ${opts.out}`);
  });

export const auditCommand = new Command('audit').description('the append-only access audit (UK DPA 2018 s.62 logging)').addCommand(exportLog);
