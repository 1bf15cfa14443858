import { sql, type RawBuilder } from 'kysely';
import type { ColumnType } from '../../domain/contract/tables.js';

/**
 * SQL Server type names. SQLite accepts the same names and derives the
 * intended affinity from them (nvarchar → TEXT, float → REAL, int → INTEGER),
 * so one set serves both; only unbounded text differs (see each dialect).
 */
export function contractColumnType(type: ColumnType, maxLength?: number): RawBuilder<unknown> {
  switch (type) {
    case 'id':
      return sql.raw(`varchar(${maxLength ?? 64})`);
    case 'text':
    case 'enum':
      return sql.raw(`nvarchar(${maxLength ?? 400})`);
    case 'date':
      return sql.raw('date');
    case 'timestamp':
      return sql.raw('datetime2');
    case 'bool':
      return sql.raw('bit');
    case 'int':
      return sql.raw('int');
    case 'real':
      return sql.raw('float');
  }
}
