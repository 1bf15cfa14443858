import type { Compilable, Kysely, RawBuilder } from 'kysely';
import type { ColumnType } from '../../domain/contract/tables.js';
import type { Database } from '../schema/database-schema.js';

export type DialectKind = 'sqlite' | 'mssql';

/**
 * A row rejected by the database itself while loading (a duplicate key the
 * in-memory checks could not see). `index` is the row's position in the batch.
 */
export interface RejectedRow {
  readonly index: number;
  readonly reason: string;
}

/**
 * Loads many rows inside one transaction. Nothing is visible to other
 * connections until `commit`; `rollback` leaves the database exactly as it was.
 */
export interface BulkLoadSession {
  insertBatch(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<RejectedRow[]>;
  /** Runs a statement built with Kysely inside the same transaction. */
  execute(compiled: { sql: string; parameters: readonly unknown[] }): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Everything that differs between SQL Server and SQLite lives behind this. */
export interface TfdDialect {
  readonly kind: DialectKind;
  readonly db: Kysely<Database>;
  /** Most bound parameters one statement may carry (SQLite 32,766; SQL Server 2,100). */
  readonly maxParameters: number;
  /** The column type a contract column is stored as. */
  columnType(type: ColumnType, maxLength?: number): RawBuilder<unknown>;
  /** Unbounded text (JSON documents, long notes). */
  longTextType(): RawBuilder<unknown>;
  beginBulkLoad(): Promise<BulkLoadSession>;
  /**
   * Streams a query's rows as arrays in select order, in batches: the fast
   * path for reading millions of rows (no object per row on SQLite).
   */
  streamRows(query: Compilable, batchSize?: number): AsyncIterable<unknown[][]>;
  close(): Promise<void>;
}
