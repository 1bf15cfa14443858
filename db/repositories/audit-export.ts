import type { Kysely } from 'kysely';
import { auditForExport, type AuditFilter } from '../queries/audit-queries.js';
import type { Database } from '../schema/database-schema.js';

export type { AuditFilter };

/**
 * The access audit as the data protection officer asks for it, oldest first,
 * every column as stored (the export is the record itself, not a view of it).
 * Streamed: the audit only grows.
 */
export async function* auditEntriesForExport(db: Kysely<Database>, filter: AuditFilter) {
  yield* auditForExport(db, filter).stream(10_000);
}
