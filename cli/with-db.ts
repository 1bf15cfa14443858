import { loadConfig } from '../config/env.js';
import { createDb } from '../db/database.js';
import type { TfdDialect } from '../db/dialect/dialect.js';

/** Opens DATABASE_URL for one command and always closes it. */
export async function withDb<T>(work: (db: TfdDialect) => Promise<T>): Promise<T> {
  const db = await createDb({ databaseUrl: loadConfig().DATABASE_URL });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
