import { sql, type Kysely, type Migration } from 'kysely';
import { auditEntryHash, GENESIS_HASH, type AuditChainFields } from '../../domain/audit-chain.js';
import type { TfdDialect } from '../dialect/dialect.js';

const NO_UPDATE = `create trigger "tr_access_audit_no_update" before update on "access_audit" begin select raise(abort, 'access_audit is append-only: entries cannot be changed or removed'); end`;

/**
 * The access audit becomes a hash chain (domain/audit-chain.ts): each entry
 * gets its place (`seq`), the previous entry's hash and its own, and one row
 * in `audit_chain_head` holds the last link. Entries already written are
 * chained oldest first (by time, then id), so `audit verify` covers them too.
 * On SQLite the update trigger is lifted for that one pass, inside the
 * migration's transaction, and put back.
 */
export const auditChain = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('access_audit').addColumn('seq', sql.raw('bigint')).execute();
    await db.schema.alterTable('access_audit').addColumn('prev_hash', dialect.columnType('id')).execute();
    await db.schema.alterTable('access_audit').addColumn('row_hash', dialect.columnType('id')).execute();
    await db.schema
      .createTable('audit_chain_head')
      .addColumn('head_id', dialect.columnType('int'), (c) => c.primaryKey())
      .addColumn('seq', sql.raw('bigint'), (c) => c.notNull())
      .addColumn('row_hash', dialect.columnType('id'), (c) => c.notNull())
      .addColumn('updated_at', dialect.columnType('timestamp'), (c) => c.notNull())
      .execute();

    if (dialect.kind === 'sqlite') await sql.raw('drop trigger if exists "tr_access_audit_no_update"').execute(db);
    const rows = await db.selectFrom('access_audit').selectAll().orderBy('occurred_at').orderBy('audit_id').execute();
    let prevHash = GENESIS_HASH;
    let seq = 0;
    for (const row of rows) {
      seq++;
      const occurredAt = row.occurred_at instanceof Date ? row.occurred_at.toISOString().slice(0, 23) : String(row.occurred_at);
      const rowHash = auditEntryHash(seq, { ...(row as AuditChainFields), occurred_at: occurredAt }, prevHash);
      await db.updateTable('access_audit').set({ seq, prev_hash: prevHash, row_hash: rowHash }).where('audit_id', '=', row.audit_id).execute();
      prevHash = rowHash;
    }
    if (dialect.kind === 'sqlite') await sql.raw(NO_UPDATE).execute(db);
    await db
      .insertInto('audit_chain_head')
      .values({ head_id: 1, seq, row_hash: prevHash, updated_at: new Date().toISOString().slice(0, 23) })
      .execute();
    // A second entry at one place would fork the chain: the database refuses it as well as the lock preventing it.
    await db.schema.createIndex('ux_access_audit_seq').on('access_audit').column('seq').unique().execute();
    if (dialect.kind === 'sqlite') {
      await sql
        .raw(`create trigger "tr_audit_chain_head_forward" before update on "audit_chain_head" when new."seq" < old."seq" begin select raise(abort, 'the audit chain head only moves forward'); end`)
        .execute(db);
    }
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('ux_access_audit_seq').execute();
    await db.schema.dropTable('audit_chain_head').execute();
    if (dialect.kind === 'sqlite') await sql.raw('drop trigger if exists "tr_access_audit_no_update"').execute(db);
    for (const column of ['row_hash', 'prev_hash', 'seq']) await db.schema.alterTable('access_audit').dropColumn(column).execute();
    if (dialect.kind === 'sqlite') await sql.raw(NO_UPDATE).execute(db);
  },
});
