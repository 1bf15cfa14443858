import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '../schema/database-schema.js';
import { contractColumnType } from './column-types.js';
import type { BulkLoadSession, RejectedRow, TfdDialect } from './dialect.js';

/** Distinct SQL texts kept prepared; the bot's lookups use a few dozen. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every statement afresh; preparing costs about as much as
 * running a point lookup, so statements are kept by SQL text and reused. A
 * statement still being iterated (a stream in progress) is busy and is not
 * handed out again: the caller gets a fresh one.
 */
function withStatementCache(handle: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => handle.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) return cached;
      const statement = handle.prepare(text);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. @defaultValue 10000 */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/**
 * The embedded default: one SQLite file, created (with its folder) on first
 * use. better-sqlite3 is synchronous, so a statement waiting for a lock holds
 * the event loop: a server passes a short `busyTimeoutMs` and answers "busy".
 */
export function createSqliteDialect(path: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): TfdDialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const handle = new BetterSqlite3(path);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
  // 256 MB of page cache: the default 2 MB thrashes on index pages during a bulk load.
  handle.pragma('cache_size = -262144');
  // Referential checks happen in the import, where they can name file and line.
  handle.pragma('foreign_keys = OFF');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(handle) }) });

  return {
    kind: 'sqlite',
    db,
    maxParameters: 32_000,
    columnType: contractColumnType,
    longTextType: () => sql.raw('text'),
    beginBulkLoad: async () => sqliteBulkLoad(handle),
    async *streamRows(query, batchSize = 20_000) {
      const compiled = query.compile();
      let batch: unknown[][] = [];
      for (const row of handle.prepare(compiled.sql).raw(true).iterate(...(compiled.parameters as unknown[]))) {
        batch.push(row as unknown[]);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    close: () => db.destroy(),
  };
}

function sqliteBulkLoad(handle: BetterSqlite3.Database): BulkLoadSession {
  const statements = new Map<string, BetterSqlite3.Statement>();
  // In WAL mode every page of a bulk load is written twice (log, then
  // checkpoint). A rollback journal writes it once; it needs no other
  // connection open, so where one is, the load simply stays in WAL.
  const journal = String(handle.pragma('journal_mode', { simple: true }));
  const switched = journal === 'wal' && trySetJournal(handle, 'delete');
  // IMMEDIATE takes the write lock now, so a concurrent writer fails fast
  // instead of part-way through a long load.
  handle.exec('BEGIN IMMEDIATE');
  let open = true;
  // Secondary indexes are rebuilt once at the end (a sort) instead of being
  // updated row by row; inside the transaction, so a rollback restores them.
  const deferred = handle
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and (name like 'ix\\_%' escape '\\' or name like 'ux\\_%' escape '\\')`)
    .all() as { name: string; sql: string }[];
  for (const index of deferred) handle.exec(`drop index "${index.name}"`);
  const prepared = (table: string, columns: readonly string[], rows: number) => {
    const key = `${table}(${columns.join(',')})x${rows}`;
    let statement = statements.get(key);
    if (!statement) {
      const names = columns.map((c) => `"${c}"`).join(', ');
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      statement = handle.prepare(`insert into "${table}" (${names}) values ${Array(rows).fill(tuple).join(', ')}`);
      statements.set(key, statement);
    }
    return statement;
  };
  return {
    async insertBatch(table, columns, rows) {
      const rejected: RejectedRow[] = [];
      let i = 0;
      // Many rows per statement: the per-call cost into SQLite dominates small rows.
      const wide = prepared(table, columns, ROWS_PER_STATEMENT);
      const flat: unknown[] = new Array(ROWS_PER_STATEMENT * columns.length);
      for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
        for (let r = 0, k = 0; r < ROWS_PER_STATEMENT; r++) for (const value of rows[i + r]) flat[k++] = value;
        try {
          wide.run(flat);
        } catch (error) {
          if (!isConstraint(error)) throw error;
          // One of these rows is a duplicate: retry singly to name it.
          insertSingly(prepared(table, columns, 1), rows, i, i + ROWS_PER_STATEMENT, rejected);
        }
      }
      insertSingly(prepared(table, columns, 1), rows, i, rows.length, rejected);
      return rejected;
    },
    async execute(compiled) {
      handle.prepare(compiled.sql).run(...(compiled.parameters as unknown[]));
    },
    async commit() {
      if (!open) return;
      for (const index of deferred) {
        try {
          handle.exec(index.sql);
        } catch (error) {
          handle.exec('ROLLBACK');
          open = false;
          if (switched) trySetJournal(handle, 'wal');
          throw error;
        }
      }
      handle.exec('COMMIT');
      open = false;
      if (switched) trySetJournal(handle, 'wal');
    },
    async rollback() {
      if (open && handle.inTransaction) handle.exec('ROLLBACK');
      open = false;
      if (switched) trySetJournal(handle, 'wal');
    },
  };
}

const ROWS_PER_STATEMENT = 256;

const isConstraint = (error: unknown) => ((error as { code?: string }).code ?? '').startsWith('SQLITE_CONSTRAINT');

function insertSingly(statement: BetterSqlite3.Statement, rows: readonly unknown[][], from: number, to: number, rejected: RejectedRow[]): void {
  for (let i = from; i < to; i++) {
    try {
      statement.run(rows[i]);
    } catch (error) {
      if (!isConstraint(error)) throw error;
      rejected.push({ index: i, reason: describeConstraint(error as Error) });
    }
  }
}

function describeConstraint(error: Error): string {
  const match = /UNIQUE constraint failed: (.*)/.exec(error.message);
  return match ? `duplicate key (${match[1].replace(/\w+\./g, '')}): this combination already appears earlier in the file` : error.message;
}

function trySetJournal(handle: BetterSqlite3.Database, mode: 'wal' | 'delete'): boolean {
  try {
    return String(handle.pragma(`journal_mode = ${mode}`, { simple: true })) === mode;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw error;
  }
}
