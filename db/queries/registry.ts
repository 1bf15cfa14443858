import type { Compilable, Kysely } from 'kysely';
import type { Database } from '../schema/database-schema.js';
import { clearTable, countRows, recordImport } from './import-queries.js';
import { cohortSize, markersByType, peopleByArea } from './overview-queries.js';
import { snapshotQueries } from './snapshot-queries.js';

/**
 * Every query the project runs, with sample arguments, so that a test can
 * compile each for SQL Server and prove it is valid T-SQL. A new query module
 * adds its queries here.
 */
export const PROJECT_QUERIES: Readonly<Record<string, { type: 'select' | 'insert' | 'update' | 'delete'; build: (db: Kysely<Database>) => Compilable }>> = {
  ...Object.fromEntries(Object.entries(snapshotQueries).map(([name, build]) => [`snapshot.${name}`, { type: 'select' as const, build }])),
  peopleByArea: { type: 'select', build: peopleByArea },
  cohortSize: { type: 'select', build: cohortSize },
  markersByType: { type: 'select', build: markersByType },
  clearTable: { type: 'delete', build: (db) => clearTable(db, 'event_party') },
  countPeople: { type: 'select', build: (db) => countRows(db, 'person') },
  countAreas: { type: 'select', build: (db) => countRows(db, 'area') },
  recordImport: {
    type: 'insert',
    build: (db) =>
      recordImport(db, { import_id: 'x', source: 'dir', started_at: '2026-01-01T00:00:00', finished_at: '2026-01-01T00:00:01', replaced: 0, row_counts: '{}' }),
  },
};
