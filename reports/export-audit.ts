import type { TfdDialect } from '../db/dialect/dialect.js';
import { auditEntriesForExport, type AuditFilter } from '../db/repositories/audit-export.js';
import { writeCsv } from './write-csv.js';

export const AUDIT_COLUMNS = ['seq', 'audit_id', 'occurred_at', 'actor_aad_object_id', 'actor_worker_id', 'actor_role', 'action', 'person_id', 'outcome', 'basis', 'shown', 'run_id', 'channel', 'prev_hash', 'row_hash'] as const;

/** The access audit as CSV for the data protection officer; returns the rows written. */
export async function exportAudit(dialect: TfdDialect, out: string, filter: AuditFilter): Promise<number> {
  async function* rows() {
    for await (const r of auditEntriesForExport(dialect.db, filter)) {
      yield AUDIT_COLUMNS.map((c) => r[c]);
    }
  }
  return writeCsv(out, AUDIT_COLUMNS, rows());
}
