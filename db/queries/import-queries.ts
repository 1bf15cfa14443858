import { sql, type Kysely } from 'kysely';
import type { TableName } from '../../domain/contract/tables.js';
import type { BundleImportRow, Database } from '../schema/database-schema.js';

/** Rows in a table (portable: no LIMIT/TOP needed). */
export const countRows = (db: Kysely<Database>, table: 'person' | 'area') =>
  db.selectFrom(table).select(sql<number>`count(*)`.as('n'));

export const recordImport = (db: Kysely<Database>, row: BundleImportRow) => db.insertInto('bundle_import').values(row);

/** Empties a contract table (inside the import's transaction, before a replace). */
export const clearTable = (db: Kysely<Database>, table: TableName) => db.deleteFrom(table);
