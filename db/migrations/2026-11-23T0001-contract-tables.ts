import type { Kysely, Migration } from 'kysely';
import { CONTRACT, TABLE_NAMES, type TableSpec } from '../../domain/contract/tables.js';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * The contract's tables, built from the contract description. A column the
 * contract gains later belongs in a new migration (ALTER TABLE), marked in
 * the contract so that this one keeps creating only the original set.
 */
export const contractTables = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    for (const name of TABLE_NAMES) await createTable(db, dialect, CONTRACT[name]);
  },
  async down(db: Kysely<any>) {
    for (const name of [...TABLE_NAMES].reverse()) await db.schema.dropTable(name).execute();
  },
});

async function createTable(db: Kysely<any>, dialect: TfdDialect, spec: TableSpec): Promise<void> {
  const keyIsPrimary = spec.key !== undefined && spec.key.every((k) => !spec.columns.find((c) => c.name === k)?.nullable);
  let table = db.schema.createTable(spec.name);
  for (const column of spec.columns.filter((c) => c.addedIn === undefined)) {
    table = table.addColumn(column.name, dialect.columnType(column.type, column.maxLength), (col) =>
      column.nullable ? col : col.notNull(),
    );
  }
  if (spec.key && keyIsPrimary) table = table.addPrimaryKeyConstraint(`pk_${spec.name}`, spec.key as never[]);
  await table.execute();

  // A key over a nullable column is a unique index: SQL Server then allows one
  // NULL per remaining key, which is what "supplied in every area" means.
  if (spec.key && !keyIsPrimary) {
    await db.schema.createIndex(`ux_${spec.name}_${spec.key.join('_')}`).unique().on(spec.name).columns(spec.key as string[]).execute();
  }
  for (const columns of spec.indexes ?? []) {
    await db.schema.createIndex(`ix_${spec.name}_${columns.join('_')}`).on(spec.name).columns(columns as string[]).execute();
  }
}
