import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '../schema/database-schema.js';
import { contractColumnType } from './column-types.js';
import type { BulkLoadSession, RejectedRow, TfdDialect } from './dialect.js';

/** The embedded default: one SQLite file, created (with its folder) on first use. */
export function createSqliteDialect(path: string): TfdDialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const handle = new BetterSqlite3(path);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma('busy_timeout = 10000');
  // Referential checks happen in the import, where they can name file and line.
  handle.pragma('foreign_keys = OFF');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });

  return {
    kind: 'sqlite',
    db,
    columnType: contractColumnType,
    longTextType: () => sql.raw('text'),
    beginBulkLoad: async () => sqliteBulkLoad(handle),
    close: () => db.destroy(),
  };
}

function sqliteBulkLoad(handle: BetterSqlite3.Database): BulkLoadSession {
  const statements = new Map<string, BetterSqlite3.Statement>();
  // IMMEDIATE takes the write lock now, so a concurrent writer fails fast
  // instead of part-way through a long load.
  handle.exec('BEGIN IMMEDIATE');
  let open = true;
  const insertFor = (table: string, columns: readonly string[]) => {
    const key = `${table}(${columns.join(',')})`;
    let statement = statements.get(key);
    if (!statement) {
      const names = columns.map((c) => `"${c}"`).join(', ');
      statement = handle.prepare(`insert into "${table}" (${names}) values (${columns.map(() => '?').join(', ')})`);
      statements.set(key, statement);
    }
    return statement;
  };
  return {
    async clear(table) {
      handle.exec(`delete from "${table}"`);
    },
    async insertBatch(table, columns, rows) {
      const statement = insertFor(table, columns);
      const rejected: RejectedRow[] = [];
      for (let i = 0; i < rows.length; i++) {
        try {
          statement.run(rows[i]);
        } catch (error) {
          const code = (error as { code?: string }).code ?? '';
          if (!code.startsWith('SQLITE_CONSTRAINT')) throw error;
          rejected.push({ index: i, reason: describeConstraint(error as Error) });
        }
      }
      return rejected;
    },
    async execute(compiled) {
      handle.prepare(compiled.sql).run(...(compiled.parameters as unknown[]));
    },
    async commit() {
      if (open) handle.exec('COMMIT');
      open = false;
    },
    async rollback() {
      if (open && handle.inTransaction) handle.exec('ROLLBACK');
      open = false;
    },
  };
}

function describeConstraint(error: Error): string {
  const match = /UNIQUE constraint failed: (.*)/.exec(error.message);
  return match ? `duplicate key (${match[1].replace(/\w+\./g, '')}): this combination already appears earlier in the file` : error.message;
}
