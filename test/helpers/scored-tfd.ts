import { join } from 'node:path';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { importBundle } from '../../db/import/import-bundle.js';
import { generateBundle } from '../../synth/generate.js';
import { freshSqlite } from './database.js';

/** A real SQLite file holding an imported synthetic TFD (and the bundle folder, with truth.csv). */
export async function syntheticTfd(dir: string, people = 20_000, seed = 4): Promise<{ db: TfdDialect; bundle: string }> {
  const bundle = join(dir, 'bundle');
  generateBundle({ people, seed, out: bundle });
  const db = await freshSqlite(dir);
  await importBundle(db, bundle);
  return { db, bundle };
}
