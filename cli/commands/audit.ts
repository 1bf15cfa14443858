import { Command, InvalidArgumentError } from 'commander';
import { withDb } from '../with-db.js';
import { exportAudit } from '../../reports/export-audit.js';
import { auditExportWritten } from '../../reports/audit-export.js';
import { verifyAccessAudit, type ChainHead } from '../../db/repositories/access-audit.js';
import { chainVerdictLine } from '../../domain/audit-chain.js';

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
    const rows = await withDb(async (db) => {
      const written = await exportAudit(db, opts.out, { from: opts.from, to: opts.to, personId: opts.person, workerId: opts.staff });
      const filters = [opts.from && ` --from ${opts.from}`, opts.to && ` --to ${opts.to}`, opts.person && ` --person ${opts.person}`, opts.staff && ` --staff ${opts.staff}`].filter(Boolean).join('');
      await auditExportWritten(db.db, { action: 'export_audit', command: `audit export --out ${opts.out}${filters}`, file: opts.out, holds: `${written} audit entries${filters ? ` (${filters.trim()})` : ' (all)'}`, runId: null, personId: opts.person });
      return written;
    });
    console.log(`wrote ${rows.toLocaleString('en-GB')} audit entries to ${opts.out}`);
  });

const keptHead = (value: string): ChainHead => {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value);
  if (!match) throw new InvalidArgumentError('use the head `audit verify` printed: <seq>:<64 hex digits>');
  return { seq: Number(match[1]), hash: match[2] };
};

const verify = new Command('verify')
  .description('check the audit hash chain: names the first entry altered, deleted or inserted and exits 1; prints the head (seq:hash) to keep somewhere the database is not, and to pass back with --head')
  .option('--head <seq:hash>', 'a head printed by an earlier verify, kept elsewhere: the chain must still hold it', keptHead)
  .action(async (opts: { head?: ChainHead }) => {
    const verdict = await withDb((db) => verifyAccessAudit(db.db, opts.head));
    if (verdict.ok) {
      console.log(chainVerdictLine(verdict));
      return;
    }
    console.error(chainVerdictLine(verdict));
    process.exitCode = 1;
  });

export const auditCommand = new Command('audit').description('the append-only access audit (UK DPA 2018 s.62 logging)').addCommand(exportLog).addCommand(verify);
