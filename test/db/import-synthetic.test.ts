import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../domain/contract/tables.js';
import { BundleRejectedError } from '../../db/import/bundle-problems.js';
import { importBundle } from '../../db/import/import-bundle.js';
import { generateBundle } from '../../synth/generate.js';
import { FOREIGN_BUNDLE } from '../helpers/bundles.js';
import { freshSqlite, rowCounts, snapshot } from '../helpers/database.js';
import { useTempDirs } from '../helpers/temp.js';

describe('importBundle with a 20,000-person synthetic bundle', () => {
  const tempDir = useTempDirs();

  it('loads every row the generator wrote, and never the ground truth', async () => {
    const dir = tempDir();
    const summary = generateBundle({ people: 20_000, seed: 2, out: join(dir, 'bundle') });
    const db = await freshSqlite(dir);
    const imported = await importBundle(db, join(dir, 'bundle'));
    for (const table of TABLE_NAMES) expect(imported.rows[table], table).toBe(summary.rows[table]);
    expect(await rowCounts(db)).toEqual(imported.rows);
    const tables = await db.db.introspection.getTables();
    expect(tables.map((t) => t.name)).not.toContain('truth');
    expect(tables.flatMap((t) => t.columns.map((c) => c.name))).not.toContain('exploited');
    await db.close();
  });

  it('refuses a corrupt row near the end of the largest file and keeps the previous TFD', async () => {
    const dir = tempDir();
    generateBundle({ people: 20_000, seed: 3, out: join(dir, 'bundle') });
    const path = join(dir, 'bundle', 'indicator_fact.csv');
    const lines = readFileSync(path, 'utf8').split('\n');
    const target = lines.length - 3; // 0-based index of a row near the end
    const cells = lines[target].split(',');
    cells[2] = '2021-02-30';
    lines[target] = cells.join(',');
    writeFileSync(path, lines.join('\n'));

    const db = await freshSqlite(dir);
    await importBundle(db, FOREIGN_BUNDLE, { today: '2026-11-23' });
    const before = await snapshot(db);
    const error = (await importBundle(db, join(dir, 'bundle'), { replace: true }).catch((e: unknown) => e)) as BundleRejectedError;
    expect(error).toBeInstanceOf(BundleRejectedError);
    expect(error.totalProblems).toBe(1);
    expect(error.message).toContain(`indicator_fact.csv:${target + 1}:3 start_date: "2021-02-30" is not a real calendar date`);
    expect(await snapshot(db)).toEqual(before);
    await db.close();
  });
});
