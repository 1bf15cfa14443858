import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * Areas kept apart at the meeting: the contract's optional `staff.area_id`
 * (empty = every area), the area a meeting is held for (its children, carried
 * items and actions are that area's), and whether a police author let the
 * partners in the chat read their update (without their name).
 */
export const meetingAreas = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('staff').addColumn('area_id', dialect.columnType('id')).execute();
    await db.schema.alterTable('meeting').addColumn('area_id', dialect.columnType('id')).execute();
    await db.schema.alterTable('meeting_update').addColumn('shareable', dialect.columnType('int')).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('meeting_update').dropColumn('shareable').execute();
    await db.schema.alterTable('meeting').dropColumn('area_id').execute();
    await db.schema.alterTable('staff').dropColumn('area_id').execute();
  },
});
