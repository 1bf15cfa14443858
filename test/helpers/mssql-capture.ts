import { DummyDriver, Kysely, MssqlAdapter, MssqlIntrospector, MssqlQueryCompiler, sql } from 'kysely';
import { contractColumnType } from '../../db/dialect/column-types.js';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import type { Database } from '../../db/schema/database-schema.js';

/**
 * A SQL Server dialect that never connects: queries compile with Kysely's
 * real MSSQL compiler and are recorded instead of executed.
 */
export function capturingMssql(): { dialect: TfdDialect; captured: string[] } {
  const captured: string[] = [];
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new MssqlAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new MssqlIntrospector(k),
      createQueryCompiler: () => new MssqlQueryCompiler(),
    },
    log: (event) => {
      captured.push(event.query.sql);
    },
  });
  const dialect: TfdDialect = {
    kind: 'mssql',
    db,
    maxParameters: 2_000,
    columnType: contractColumnType,
    longTextType: () => sql.raw('nvarchar(max)'),
    beginBulkLoad: () => Promise.reject(new Error('not available when only compiling')),
    streamRows: () => {
      throw new Error('not available when only compiling');
    },
    close: () => db.destroy(),
  };
  return { dialect, captured };
}
