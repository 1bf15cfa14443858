import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * Scoring runs. Every run is kept. Results are written under a new run_id
 * while the run is `running`; the run becomes current only when its status
 * flips to `published` at the end, so readers never see half a run and a
 * crashed run leaves the previous one current.
 */
export const runs = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    const id = dialect.columnType('id');
    const text = dialect.columnType('text');
    const long = dialect.longTextType();
    const ts = dialect.columnType('timestamp');
    const date = dialect.columnType('date');
    const real = dialect.columnType('real');
    const int = dialect.columnType('int');
    const bit = dialect.columnType('bool');

    await db.schema
      .createTable('model_version')
      .addColumn('model_id', id, (c) => c.primaryKey())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('trained_at', ts, (c) => c.notNull())
      .addColumn('as_of', date, (c) => c.notNull())
      .addColumn('cohort_size', int, (c) => c.notNull())
      .addColumn('artefact', long, (c) => c.notNull())
      .addColumn('metrics', long, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('run')
      .addColumn('run_id', id, (c) => c.primaryKey())
      .addColumn('as_of', date, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('started_at', ts, (c) => c.notNull())
      .addColumn('finished_at', ts)
      .addColumn('model_id', id)
      .addColumn('previous_run_id', id)
      .addColumn('summary', long)
      .addColumn('error', long)
      .execute();
    await db.schema.createIndex('ix_run_status_finished_at').on('run').columns(['status', 'finished_at']).execute();

    await db.schema
      .createTable('run_score')
      .addColumn('run_id', id, (c) => c.notNull())
      .addColumn('person_id', id, (c) => c.notNull())
      .addColumn('as_of', date, (c) => c.notNull())
      .addColumn('age', int)
      .addColumn('predictive_score', real, (c) => c.notNull())
      .addColumn('index_score', real, (c) => c.notNull())
      .addColumn('network_score', real)
      .addColumn('final_score', real, (c) => c.notNull())
      .addColumn('band', text, (c) => c.notNull())
      .addColumn('on_list', bit, (c) => c.notNull())
      .addColumn('missing_person_risk', real)
      .addColumn('conduct_flags', int, (c) => c.notNull())
      .addColumn('conduct_disorder_risk', bit, (c) => c.notNull())
      .addColumn('reasons', long, (c) => c.notNull())
      .addColumn('contributions', long, (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_run_score', ['run_id', 'person_id'])
      .execute();
    await db.schema.createIndex('ix_run_score_person_id').on('run_score').columns(['person_id', 'run_id']).execute();

    await db.schema
      .createTable('run_change')
      .addColumn('run_id', id, (c) => c.notNull())
      .addColumn('person_id', id, (c) => c.notNull())
      .addColumn('change', text, (c) => c.notNull())
      .addColumn('previous_band', text)
      .addColumn('band', text)
      .addPrimaryKeyConstraint('pk_run_change', ['run_id', 'person_id'])
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const table of ['run_change', 'run_score', 'run', 'model_version']) await db.schema.dropTable(table).execute();
  },
});
