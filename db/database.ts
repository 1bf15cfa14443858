import { UserFacingError } from '../config/errors.js';
import { resolve } from 'node:path';
import type { TfdDialect } from './dialect/dialect.js';
import { createMssqlDialect, parseMssqlUrl } from './dialect/mssql.js';
import { createSqliteDialect } from './dialect/sqlite.js';
import { migrateToLatest } from './migrations/index.js';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/tfd.sqlite';

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
}

/** Opens the TFD named by the URL, migrated to the latest schema. */
export async function createDb(config: DbConfig): Promise<TfdDialect> {
  const dialect = openDialect(config.databaseUrl);
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

export function openDialect(url: string): TfdDialect {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new DatabaseUrlError(url);
    return createSqliteDialect(path === ':memory:' ? path : resolve(path));
  }
  if (url.startsWith('mssql://') || url.startsWith('sqlserver://')) return createMssqlDialect(parseMssqlUrl(url));
  throw new DatabaseUrlError(url);
}
