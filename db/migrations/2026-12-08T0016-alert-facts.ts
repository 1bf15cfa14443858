import type { Kysely, Migration } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';

/**
 * An alert stores what happened, not what a reader was shown: the band before
 * and after, the reason codes that were new, and the meeting closure it
 * follows. Until now `detail` held the card's lines as rendered at fan-out for
 * the recipient's role then, so a reader whose role changed was shown another
 * role's view. Existing rows keep their facts (read from `detail`) and lose
 * the rendered text; everything a reader sees is rendered when it is shown.
 */
export const alertFacts = (dialect: TfdDialect): Migration => ({
  async up(db: Kysely<any>) {
    const text = dialect.columnType('text');
    await db.schema.alterTable('alert').addColumn('previous_band', text).execute();
    await db.schema.alterTable('alert').addColumn('band', text).execute();
    await db.schema.alterTable('alert').addColumn('new_reasons', dialect.longTextType()).execute();
    await db.schema.alterTable('alert').addColumn('closed_on', dialect.columnType('text', 10)).execute();
    const rows: { alert_id: string; detail: string | null }[] = await db.selectFrom('alert').select(['alert_id', 'detail']).where('detail', 'is not', null).execute();
    for (const row of rows) {
      const facts = factsOf(row.detail);
      await db
        .updateTable('alert')
        .set({ previous_band: facts.previousBand, band: facts.band, closed_on: facts.closedOn, new_reasons: '[]', detail: null })
        .where('alert_id', '=', row.alert_id)
        .execute();
    }
    await db.updateTable('alert').set({ new_reasons: '[]' }).where('new_reasons', 'is', null).execute();
  },
  async down(db: Kysely<any>) {
    for (const column of ['closed_on', 'new_reasons', 'band', 'previous_band']) await db.schema.alterTable('alert').dropColumn(column).execute();
  },
});

/** The facts in a row rendered by the old fan-out; anything unreadable keeps no facts rather than failing the upgrade. */
function factsOf(detail: string | null): { previousBand: string | null; band: string | null; closedOn: string | null } {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(detail ?? 'null');
  } catch {
    // Not JSON: a note on why the alert was held, from before alerts carried their card; no facts in it.
    return { previousBand: null, band: null, closedOn: null };
  }
  const d = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 32) : null);
  return { previousBand: str(d.previousBand), band: str(d.band), closedOn: str(d.closedOn) };
}
