import { join } from 'node:path';
import { createDb } from '../../db/database.js';
import { TABLE_NAMES } from '../../domain/contract/tables.js';
import type { TfdDialect } from '../../db/dialect/dialect.js';

/** A real SQLite file in `dir`, migrated. */
export const freshSqlite = (dir: string): Promise<TfdDialect> => createDb({ databaseUrl: `sqlite:${join(dir, 'tfd.sqlite')}` });

/** Every contract table's rows, in a stable order: equal snapshots mean an unchanged database. */
export async function snapshot(db: TfdDialect): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of [...TABLE_NAMES, 'bundle_import'] as const) {
    const rows = await db.db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

export async function rowCounts(db: TfdDialect): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLE_NAMES) {
    const { n } = await db.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(n);
  }
  return out;
}
