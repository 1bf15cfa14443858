import { sql, type Kysely, type Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * The access audit: every consultation and disclosure of a person's data by
 * the bot, every refusal, and every run's combination of sources for network
 * inference (UK DPA 2018 s.62: who, when, what, and why). Append-only: the
 * project has no query that updates or deletes it, and on SQLite triggers
 * refuse both. On SQL Server the deployment denies UPDATE and DELETE on the
 * table to the service's login (docs/access-and-audit.md), because the
 * T-SQL parser that proves our statements cannot parse trigger bodies.
 */
export const accessAudit = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    const id = dialect.columnType('id');
    const text = dialect.columnType('text');
    const long = dialect.longTextType();
    await db.schema
      .createTable('access_audit')
      .addColumn('audit_id', id, (c) => c.primaryKey())
      .addColumn('occurred_at', dialect.columnType('timestamp'), (c) => c.notNull())
      // Who: the Entra object id as Teams presented it, and the staff record it mapped to (if any).
      .addColumn('actor_aad_object_id', text)
      .addColumn('actor_worker_id', id)
      .addColumn('actor_role', text)
      .addColumn('action', text, (c) => c.notNull())
      .addColumn('person_id', id)
      .addColumn('outcome', text, (c) => c.notNull())
      .addColumn('basis', long, (c) => c.notNull())
      .addColumn('shown', long, (c) => c.notNull())
      .addColumn('run_id', id)
      .addColumn('channel', text)
      .execute();
    await db.schema.createIndex('ix_access_audit_occurred_at').on('access_audit').columns(['occurred_at']).execute();
    await db.schema.createIndex('ix_access_audit_person_id').on('access_audit').columns(['person_id', 'occurred_at']).execute();
    if (dialect.kind === 'sqlite') {
      for (const verb of ['update', 'delete']) {
        await sql
          .raw(`create trigger "tr_access_audit_no_${verb}" before ${verb} on "access_audit" begin select raise(abort, 'access_audit is append-only: entries cannot be changed or removed'); end`)
          .execute(db);
      }
    }
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('access_audit').execute();
  },
});
