import { sql, type Kysely, type Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * `INSERT OR REPLACE` and `INSERT … ON CONFLICT DO UPDATE` would rewrite an
 * audit entry without firing the update or delete triggers (SQLite runs no
 * delete trigger for REPLACE): refuse any insert whose id already exists. On
 * SQL Server the service login is denied UPDATE and DELETE, and MERGE needs
 * UPDATE, so the same holds there (docs/access-and-audit.md).
 */
export const auditNoReplace = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    if (dialect.kind !== 'sqlite') return;
    await sql
      .raw(
        `create trigger "tr_access_audit_no_replace" before insert on "access_audit" when exists (select 1 from "access_audit" where "audit_id" = new."audit_id") begin select raise(abort, 'access_audit is append-only: an entry with this id exists and cannot be replaced'); end`,
      )
      .execute(db);
  },
  async down(db: Kysely<any>) {
    if (dialect.kind === 'sqlite') await sql.raw('drop trigger if exists "tr_access_audit_no_replace"').execute(db);
  },
});
