import { UserFacingError } from '../../domain/errors.js';
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { TfdDialect } from '../dialect/dialect.js';
import { contractTables } from './2026-11-23T0001-contract-tables.js';
import { bundleImports } from './2026-11-23T0002-bundle-imports.js';
import { runs } from './2026-11-24T0003-runs.js';
import { network } from './2026-11-24T0004-network.js';
import { accessAudit } from './2026-11-24T0005-access-audit.js';
import { runEvaluation } from './2026-11-24T0006-run-evaluation.js';
import { reasonItems } from './2026-12-04T0007-reason-items.js';
import { auditNoReplace } from './2026-12-04T0008-audit-no-replace.js';
import { scoreProbability } from './2026-12-04T0009-score-probability.js';
import { alerts } from './2026-12-04T0010-alerts.js';
import { meetings } from './2026-12-04T0011-meetings.js';
import { meetingUpdates } from './2026-12-04T0012-meeting-updates.js';
import { meetingChats } from './2026-12-04T0013-meeting-chats.js';
import { meetingAreas } from './2026-12-08T0017-meeting-areas.js';

/**
 * Migrations are factories over the dialect so that a migration can ask for a
 * type without importing a driver; names sort in the order they must run.
 */
export const MIGRATIONS: Record<string, (dialect: TfdDialect) => Migration> = {
  '2026-11-23T0001-contract-tables': contractTables,
  '2026-11-23T0002-bundle-imports': bundleImports,
  '2026-11-24T0003-runs': runs,
  '2026-11-24T0004-network': network,
  '2026-11-24T0005-access-audit': accessAudit,
  '2026-11-24T0006-run-evaluation': runEvaluation,
  '2026-12-04T0007-reason-items': reasonItems,
  '2026-12-04T0008-audit-no-replace': auditNoReplace,
  '2026-12-04T0009-score-probability': scoreProbability,
  '2026-12-04T0010-alerts': alerts,
  '2026-12-04T0011-meetings': meetings,
  '2026-12-04T0012-meeting-updates': meetingUpdates,
  '2026-12-04T0013-meeting-chats': meetingChats,
  '2026-12-08T0017-meeting-areas': meetingAreas,
};

class ProjectMigrations implements MigrationProvider {
  constructor(private readonly dialect: TfdDialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, make]) => [name, make(this.dialect)]));
  }
}

export class MigrationFailedError extends UserFacingError {
  constructor(migration: string, cause: unknown) {
    super(`database migration "${migration}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Brings the schema up to date; safe to call on every start. */
export async function migrateToLatest(dialect: TfdDialect): Promise<string[]> {
  const migrator = new Migrator({ db: dialect.db, provider: new ProjectMigrations(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationFailedError(failed, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
