import { UserFacingError } from '../domain/errors.js';
import { resolve } from 'node:path';
import type { TfdDialect } from './dialect/dialect.js';
import { createMssqlDialect, parseMssqlUrl } from './dialect/mssql.js';
import { createSqliteDialect } from './dialect/sqlite.js';
import { migrateToLatest } from './migrations/index.js';

import { DEFAULT_DATABASE_URL } from '../config/env.js';

export class DatabaseUrlError extends UserFacingError {
  constructor(url: string) {
    super(`DATABASE_URL "${redact(url)}" is not understood: use sqlite:<path> (e.g. ${DEFAULT_DATABASE_URL}) or mssql://user:pass@host:port/db`);
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

export interface DbConfig {
  databaseUrl: string;
  /** Bring the schema up to date on open (the default). */
  migrate?: boolean;
  /** SQLite: how long a statement waits for another writer before failing as busy. @defaultValue 10000 */
  busyTimeoutMs?: number;
}

/** Opens the TFD named by the URL, migrated to the latest schema. */
export async function createDb(config: DbConfig): Promise<TfdDialect> {
  const dialect = openDialect(config.databaseUrl, config.busyTimeoutMs);
  if (config.migrate !== false) {
    try {
      await migrateToLatest(dialect);
    } catch (error) {
      await dialect.close();
      throw error;
    }
  }
  return dialect;
}

export function openDialect(url: string, busyTimeoutMs?: number): TfdDialect {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new DatabaseUrlError(url);
    return createSqliteDialect(path === ':memory:' ? path : resolve(path), busyTimeoutMs);
  }
  if (url.startsWith('mssql://') || url.startsWith('sqlserver://')) return createMssqlDialect(parseMssqlUrl(url));
  throw new DatabaseUrlError(url);
}

/**
 * Whether an error (or what caused it) is another connection holding a lock:
 * SQLite's SQLITE_BUSY / SQLITE_LOCKED, SQL Server's lock timeout (1222) or
 * deadlock victim (1205). Callers answer "busy, try again" instead of failing.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let e = error as { code?: unknown; number?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED' || e.number === 1222 || e.number === 1205) return true;
  }
  return false;
}

/**
 * The TFD as code above db/ holds it: a handle to pass to db/repositories,
 * never to build queries with (those live in db/queries, behind the repositories).
 */
export type TfdDb = import('kysely').Kysely<import('./schema/database-schema.js').Database>;
