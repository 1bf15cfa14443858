import type { ColumnSpec } from '../../domain/contract/tables.js';
import { parseIsoDate, parseIsoTimestamp } from '../../domain/dates.js';
import { ID_MAX_LENGTH, identifierProblem } from '../../domain/person-id.js';

/** A cell that could not be read: the reason says what was expected. */
export class CellError {
  constructor(readonly reason: string) {}
}

export type CellValue = string | number | null;

const TRUE = new Set(['1', 'true', 'yes', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'n']);

/** Reads one non-empty cell as its column's type; the caller handles empty cells. */
export function parseCell(column: ColumnSpec, raw: string): CellValue | CellError {
  switch (column.type) {
    case 'id': {
      const value = raw.trim();
      if (value.length > (column.maxLength ?? ID_MAX_LENGTH)) return new CellError(`identifier is ${value.length} characters; the contract allows ${column.maxLength ?? ID_MAX_LENGTH}`);
      const problem = identifierProblem(value);
      return problem ? new CellError(problem) : value;
    }
    case 'text':
      if (raw.length > (column.maxLength ?? 400)) return new CellError(`text is ${raw.length} characters; at most ${column.maxLength ?? 400} are stored`);
      return raw;
    case 'enum': {
      const value = raw.trim().toLowerCase();
      if (column.values?.includes(value)) return value;
      return new CellError(`"${raw}" is not one of ${column.values?.join(', ')}`);
    }
    case 'date': {
      const parsed = parseIsoDate(raw.trim());
      return parsed.ok ? parsed.value : new CellError(parsed.reason);
    }
    case 'timestamp': {
      const parsed = parseIsoTimestamp(raw.trim());
      return parsed.ok ? parsed.value : new CellError(parsed.reason);
    }
    case 'bool': {
      const value = raw.trim().toLowerCase();
      if (TRUE.has(value)) return 1;
      if (FALSE.has(value)) return 0;
      return new CellError(`"${raw}" is not a boolean (0 or 1)`);
    }
    case 'int':
    case 'real': {
      const value = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(value)) return new CellError(`"${raw}" is not a number`);
      if (column.type === 'int' && !Number.isInteger(value)) return new CellError(`"${raw}" is not a whole number`);
      if (column.min !== undefined && value < column.min) return new CellError(`${value} is below the minimum ${column.min}`);
      if (column.max !== undefined && value > column.max) return new CellError(`${value} is above the maximum ${column.max}`);
      return value;
    }
  }
}
