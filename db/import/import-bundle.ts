import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT, TABLE_NAMES, type TableName } from '../../domain/contract/tables.js';
import type { BulkLoadSession, TfdDialect } from '../dialect/dialect.js';
import { BundleRejectedError, DatabaseNotEmptyError, ProblemLog, type BundleProblem } from './bundle-problems.js';
import { clearTable, countRows, recordImport } from '../queries/import-queries.js';
import { CsvSyntaxError, readCsvRecords } from './csv-reader.js';
import { makeRowValidator, mapHeader, type KeyRegistry } from './row-validator.js';

export interface ImportProgress {
  readonly table: TableName;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly rows: number;
}

export interface ImportOptions {
  /** Swap the current TFD for this bundle (in the same transaction). */
  readonly replace?: boolean;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** How many problems to list before only counting. @defaultValue 20 */
  readonly maxProblems?: number;
  /** Dates of birth after this are refused. @defaultValue today */
  readonly today?: string;
}

export interface ImportSummary {
  readonly importId: string;
  readonly rows: Readonly<Record<TableName, number>>;
  readonly seconds: number;
  /** Things worth knowing that did not stop the import. */
  readonly notices: readonly string[];
}

const BATCH_ROWS = 5000;
const GROUND_TRUTH_FILE = 'truth.csv';

/**
 * Validates the whole bundle and loads it in one transaction: either every
 * row lands or, on any problem, the database is left exactly as it was.
 */
export async function importBundle(dialect: TfdDialect, dir: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = new Date();
  const log = new ProblemLog(options.maxProblems ?? 20);
  const notices = checkFiles(dir, log);
  if (log.total > 0) throw new BundleRejectedError(log.shown, log.total);
  await refuseIfOccupied(dialect, options.replace === true);

  const totalBytes = TABLE_NAMES.reduce((sum, t) => sum + statSync(join(dir, `${t}.csv`)).size, 0);
  const session = await dialect.beginBulkLoad();
  const rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
  try {
    if (options.replace) for (const table of [...TABLE_NAMES].reverse()) await session.execute(clearTable(dialect.db, table).compile());
    const keys: KeyRegistry = new Map();
    const unreadable = new Set<TableName>();
    const context = { keys, unreadable, today: options.today ?? new Date().toISOString().slice(0, 10) };
    const unknownCodes = new Map<string, number>();
    let bytesBefore = 0;
    for (const table of TABLE_NAMES) {
      const loaded = await loadTable(session, dir, table, context, log, unknownCodes, (bytes, count) =>
        options.onProgress?.({ table, bytesRead: bytesBefore + bytes, totalBytes, rows: count }),
      );
      bytesBefore += statSync(join(dir, `${table}.csv`)).size;
      if (loaded === null) unreadable.add(table);
      else rows[table] = loaded;
      if (log.full) break;
    }
    if (log.total > 0) throw new BundleRejectedError(log.shown, log.total);
    notices.push(...catalogueNotices(unknownCodes));
    const importId = randomUUID();
    await session.execute(
      recordImport(dialect.db, {
        import_id: importId,
        source: dir.slice(-400),
        started_at: started.toISOString().slice(0, 19),
        finished_at: new Date().toISOString().slice(0, 19),
        replaced: options.replace ? 1 : 0,
        row_counts: JSON.stringify(rows),
      }).compile(),
    );
    await session.commit();
    return { importId, rows, seconds: (Date.now() - started.getTime()) / 1000, notices };
  } catch (error) {
    await session.rollback();
    throw error;
  }
}

function checkFiles(dir: string, log: ProblemLog): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    log.add({ file: dir, line: 0, column: 0, reason: 'is not a folder holding a bundle' });
    return [];
  }
  const notices: string[] = [];
  const present = new Set(readdirSync(dir));
  for (const table of TABLE_NAMES) {
    if (!present.has(`${table}.csv`)) {
      log.add({ file: `${table}.csv`, line: 0, column: 0, reason: 'missing from the bundle (a source with no rows still needs a file holding just the header row)' });
    }
  }
  if (present.has(GROUND_TRUTH_FILE)) notices.push('truth.csv was not loaded: ground truth is for evaluation only and never enters the TFD');
  const known = new Set([...TABLE_NAMES.map((t) => `${t}.csv`), GROUND_TRUTH_FILE]);
  for (const name of present) if (name.endsWith('.csv') && !known.has(name)) notices.push(`${name} is not a contract table and was ignored`);
  return notices;
}

async function refuseIfOccupied(dialect: TfdDialect, replace: boolean): Promise<void> {
  if (replace) return;
  const { n: people } = await countRows(dialect.db, 'person').executeTakeFirstOrThrow();
  const { n: areas } = await countRows(dialect.db, 'area').executeTakeFirstOrThrow();
  if (Number(people) > 0 || Number(areas) > 0) throw new DatabaseNotEmptyError(Number(people));
}

/** Returns the rows loaded, or null when the file's header could not be read. */
async function loadTable(
  session: BulkLoadSession,
  dir: string,
  table: TableName,
  context: Parameters<typeof makeRowValidator>[3],
  log: ProblemLog,
  unknownCodes: Map<string, number>,
  progress: (bytes: number, rows: number) => void,
): Promise<number | null> {
  const spec = CONTRACT[table];
  const file = `${table}.csv`;
  const columns = spec.columns.map((c) => c.name);
  const codeColumn = table === 'indicator_fact' ? columns.indexOf('code') : -1;
  // Catalogue keys are `code NUL area`; a fact names only the code.
  const catalogue = codeColumn >= 0 ? new Set([...(context.keys.get('indicator_catalogue') ?? [])].map((k) => k.split('\u0000')[0])) : null;
  let validate: ReturnType<typeof makeRowValidator> | null = null;
  let headerSeen = false;
  let count = 0;
  let bytes = 0;
  const batch: unknown[][] = [];
  const lines: number[] = [];
  const problems: BundleProblem[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    if (log.total === 0) {
      for (const rejected of await session.insertBatch(table, columns, batch)) {
        log.add({ file, line: lines[rejected.index], column: 0, reason: rejected.reason });
      }
    }
    batch.length = 0;
    lines.length = 0;
  };

  try {
    for await (const records of readCsvRecords(join(dir, file), (b) => (bytes += b))) {
      for (const record of records) {
        if (!headerSeen) {
          headerSeen = true;
          const mapping = mapHeader(spec, file, record);
          if (Array.isArray(mapping)) {
            mapping.forEach((p) => log.add(p));
            return null;
          }
          validate = makeRowValidator(spec, file, mapping, context);
          continue;
        }
        const values = validate!(record, problems);
        if (problems.length > 0) {
          problems.forEach((p) => log.add(p));
          problems.length = 0;
          if (log.full) return count;
          continue;
        }
        if (codeColumn >= 0 && catalogue && !catalogue.has(values![codeColumn] as string)) {
          const code = values![codeColumn] as string;
          unknownCodes.set(code, (unknownCodes.get(code) ?? 0) + 1);
        }
        batch.push(values!);
        lines.push(record.line);
        count++;
        if (batch.length >= BATCH_ROWS) await flush();
      }
      progress(bytes, count);
    }
    await flush();
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    log.add({ file, line: error.line, column: error.column, reason: error.reason });
    return null;
  }
  if (!headerSeen) {
    log.add({ file, line: 0, column: 0, reason: 'is empty: it needs at least the header row' });
    return null;
  }
  return count;
}

function catalogueNotices(codes: Map<string, number>): string[] {
  if (codes.size === 0) return [];
  const facts = [...codes.values()].reduce((a, b) => a + b, 0);
  const names = [...codes.keys()].slice(0, 5).join(', ');
  return [`${facts} indicator facts use ${codes.size} code(s) missing from indicator_catalogue (${names}${codes.size > 5 ? ', …' : ''}); they were loaded and will be counted in each run's data-quality section`];
}
