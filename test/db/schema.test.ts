import { describe, expect, it } from 'vitest';
import { CONTRACT, TABLE_NAMES } from '../../domain/contract/tables.js';
import { createDb, DatabaseUrlError } from '../../db/database.js';
import { freshSqlite } from '../helpers/database.js';
import { useTempDirs } from '../helpers/temp.js';

describe('createDb', () => {
  const tempDir = useTempDirs();

  it('creates every contract table with the contract’s columns and nullability', async () => {
    const db = await freshSqlite(tempDir());
    const tables = new Map((await db.db.introspection.getTables()).map((t) => [t.name, t]));
    for (const name of TABLE_NAMES) {
      const table = tables.get(name);
      expect(table, name).toBeDefined();
      expect(table!.columns.map((c) => [c.name, c.isNullable])).toEqual(CONTRACT[name].columns.map((c) => [c.name, c.nullable]));
    }
    await db.close();
  });

  it('is safe to open again (migrations run once)', async () => {
    const dir = tempDir();
    await (await freshSqlite(dir)).close();
    const again = await freshSqlite(dir);
    expect((await again.db.introspection.getTables()).length).toBe(TABLE_NAMES.length + 19); // + bundle_import, model_version, run, run_score, run_change, run_edge, access_audit, run_evaluation, conversation_reference, alert, alert_response, meeting, meeting_item, meeting_action, meeting_attendee, meeting_update, meeting_chat, audit_chain_head, delivery_intent
    await again.close();
  });

  it('explains a DATABASE_URL it does not understand, without echoing a password', async () => {
    await expect(createDb({ databaseUrl: 'postgres://me:secret@db/tfd' })).rejects.toThrow(DatabaseUrlError);
    await expect(createDb({ databaseUrl: 'postgres://me:secret@db/tfd' })).rejects.not.toThrow(/secret/);
  });
});
