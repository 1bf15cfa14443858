import { Kysely, MssqlDialect, sql } from 'kysely';
import * as Tarn from 'tarn';
import * as Tedious from 'tedious';
import mssql from 'mssql';
import type { Database } from '../schema/database-schema.js';
import { CONTRACT, type ColumnType, type TableName } from '../../domain/contract/tables.js';
import { contractColumnType } from './column-types.js';
import type { BulkLoadSession, TfdDialect } from './dialect.js';

export interface MssqlConnection {
  server: string;
  port: number;
  database: string;
  user: string;
  password: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
}

/** `mssql://user:pass@host:port/db?encrypt=true&trustServerCertificate=false` */
export function parseMssqlUrl(url: string): MssqlConnection {
  const parsed = new URL(url);
  const flag = (name: string, fallback: boolean) => {
    const value = parsed.searchParams.get(name);
    return value === null ? fallback : value === 'true' || value === '1';
  };
  return {
    server: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 1433,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'tfd',
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    encrypt: flag('encrypt', true),
    trustServerCertificate: flag('trustServerCertificate', false),
  };
}

/**
 * SQL Server through Kysely's MssqlDialect (tedious + tarn). The connection is
 * opened lazily, so building the dialect (as the T-SQL tests do) never
 * touches the network.
 */
export function createMssqlDialect(connection: MssqlConnection): TfdDialect {
  const db = new Kysely<Database>({
    dialect: new MssqlDialect({
      tarn: { ...Tarn, options: { min: 0, max: 10 } },
      tedious: {
        ...Tedious,
        connectionFactory: () =>
          new Tedious.Connection({
            server: connection.server,
            options: {
              port: connection.port,
              database: connection.database,
              encrypt: connection.encrypt,
              trustServerCertificate: connection.trustServerCertificate,
            },
            authentication: { type: 'default', options: { userName: connection.user, password: connection.password } },
          }),
      },
    }),
  });
  return {
    kind: 'mssql',
    db,
    maxParameters: 2_000,
    columnType: contractColumnType,
    longTextType: () => sql.raw('nvarchar(max)'),
    beginBulkLoad: () => mssqlBulkLoad(connection),
    async *streamRows(query, batchSize = 20_000) {
      let batch: unknown[][] = [];
      for await (const row of db.getExecutor().stream(query.compile(), batchSize)) {
        for (const r of row.rows) batch.push(Object.values(r as object));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    close: () => db.destroy(),
  };
}

const BULK_TYPES: Record<ColumnType, () => mssql.ISqlType | (() => mssql.ISqlType)> = {
  id: () => mssql.VarChar(64),
  text: () => mssql.NVarChar(400),
  enum: () => mssql.NVarChar(400),
  date: () => mssql.Date(),
  timestamp: () => mssql.DateTime2(),
  bool: () => mssql.Bit(),
  int: () => mssql.Int(),
  real: () => mssql.Float(),
};

/** Large tables go through the TDS bulk copy (the `mssql` package), inside one transaction. */
async function mssqlBulkLoad(connection: MssqlConnection): Promise<BulkLoadSession> {
  const pool = await new mssql.ConnectionPool({
    server: connection.server,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: connection.password,
    options: { encrypt: connection.encrypt, trustServerCertificate: connection.trustServerCertificate },
  }).connect();
  const transaction = new mssql.Transaction(pool);
  await transaction.begin();
  const finish = async (action: () => Promise<void>) => {
    try {
      await action();
    } finally {
      await pool.close();
    }
  };
  return {
    async insertBatch(table, columns, rows) {
      const spec = CONTRACT[table as TableName];
      const bulk = new mssql.Table(table);
      for (const name of columns) {
        const column = spec?.columns.find((c) => c.name === name);
        bulk.columns.add(name, column ? BULK_TYPES[column.type]() : mssql.NVarChar(mssql.MAX), { nullable: column?.nullable ?? true });
      }
      for (const row of rows) bulk.rows.add(...(row as (string | number | boolean | Date | null)[]));
      // A duplicate key fails the whole batch; the import reports it without a line.
      await new mssql.Request(transaction).bulk(bulk);
      return [];
    },
    async execute(compiled) {
      const request = new mssql.Request(transaction);
      compiled.parameters.forEach((value, i) => request.input(String(i + 1), value));
      await request.query(compiled.sql);
    },
    commit: () => finish(() => transaction.commit()),
    rollback: () => finish(() => transaction.rollback()),
  };
}
