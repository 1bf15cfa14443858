import type { Kysely } from 'kysely';
import type { AccessAuditRow, Database } from '../schema/database-schema.js';

/** The only statement that touches access_audit besides reads: it is append-only. */
export const appendAudit = (db: Kysely<Database>, rows: AccessAuditRow[]) => db.insertInto('access_audit').values(rows);

/**
 * The first statement of every append: a write to the head row, so the
 * transaction holds the write lock before it reads the tail. On SQLite that is
 * the database's write lock (taken before the read, so no writer can commit
 * between this transaction's read and its insert); on SQL Server an exclusive
 * row lock kept until commit. Two writers cannot both extend the same tail:
 * the second waits and then reads the first one's head.
 */
export const lockAuditHead = (db: Kysely<Database>) => db.updateTable('audit_chain_head').set((eb) => ({ seq: eb.ref('seq') })).where('head_id', '=', 1);

export const auditHead = (db: Kysely<Database>) => db.selectFrom('audit_chain_head').select(['seq', 'row_hash']).where('head_id', '=', 1);

export const advanceAuditHead = (db: Kysely<Database>, seq: number, rowHash: string, at: string) =>
  db.updateTable('audit_chain_head').set({ seq, row_hash: rowHash, updated_at: at }).where('head_id', '=', 1);

/** The chain from a position on, in order (a second entry claiming one seq comes next to it). */
export const auditChainFrom = (db: Kysely<Database>, afterSeq: number) =>
  db.selectFrom('access_audit').selectAll().where('seq', '>', afterSeq).orderBy('seq').orderBy('audit_id');

/** Entries with no place in the chain: written by something other than the repository. */
export const auditOutsideChain = (db: Kysely<Database>) => db.selectFrom('access_audit').select('audit_id').where('seq', 'is', null).orderBy('audit_id');

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
  return query.orderBy('seq').orderBy('audit_id');
};

const dayAfter = (day: string) => `${new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
