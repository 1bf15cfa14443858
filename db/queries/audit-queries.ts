import type { Kysely } from 'kysely';
import type { AccessAuditRow, Database } from '../schema/database-schema.js';

/** The only statement that touches access_audit besides reads: it is append-only. */
export const appendAudit = (db: Kysely<Database>, rows: AccessAuditRow[]) => db.insertInto('access_audit').values(rows);

export interface AuditFilter {
  /** Inclusive ISO timestamps or days. */
  readonly from?: string;
  readonly to?: string;
  readonly personId?: string;
  readonly workerId?: string;
}

/** The audit as the data protection officer asks for it, oldest first. */
export const auditForExport = (db: Kysely<Database>, filter: AuditFilter) => {
  let query = db.selectFrom('access_audit').selectAll();
  if (filter.from) query = query.where('occurred_at', '>=', filter.from);
  // A bare day as `to` means the whole of that day.
  if (filter.to) query = /^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? query.where('occurred_at', '<', dayAfter(filter.to)) : query.where('occurred_at', '<=', filter.to);
  if (filter.personId) query = query.where('person_id', '=', filter.personId);
  if (filter.workerId) query = query.where('actor_worker_id', '=', filter.workerId);
  return query.orderBy('occurred_at').orderBy('audit_id');
};

const dayAfter = (day: string) => `${new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
