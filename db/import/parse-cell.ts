import type { ColumnSpec } from '../contract/tables.js';

/** A cell that could not be read: the reason says what was expected. */
export class CellError {
  constructor(readonly reason: string) {}
}

export type CellValue = string | number | null;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A SQL Server or Excel export may write a date column as a midnight timestamp.
const DATE_WITH_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2100;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

function checkDate(year: number, month: number, day: number, raw: string): CellError | null {
  if (!isRealDate(year, month, day)) return new CellError(`"${raw}" is not a real calendar date`);
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) return new CellError(`"${raw}" is outside ${EARLIEST_YEAR}–${LATEST_YEAR}`);
  return null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// A TFD holds a few thousand distinct days among millions of dated rows.
const dateCache = new Map<string, string | CellError>();

/** `YYYY-MM-DD`; a midnight timestamp is accepted and cut to its date. */
export function parseDate(raw: string): string | CellError {
  let parsed = dateCache.get(raw);
  if (parsed === undefined) {
    parsed = parseDateUncached(raw);
    if (dateCache.size > 200_000) dateCache.clear();
    dateCache.set(raw, parsed);
  }
  return parsed;
}

function parseDateUncached(raw: string): string | CellError {
  const m = DATE_RE.exec(raw) ?? DATE_WITH_TIME_RE.exec(raw);
  if (!m) return new CellError(`"${raw}" is not an ISO-8601 date (YYYY-MM-DD)`);
  const error = checkDate(+m[1], +m[2], +m[3], raw);
  return error ?? `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * ISO-8601 date-time, stored as `YYYY-MM-DDTHH:MM:SS`. An explicit offset is
 * converted to UTC; a time without one is taken as recorded (local time).
 */
export function parseTimestamp(raw: string): string | CellError {
  const m = TIMESTAMP_RE.exec(raw);
  if (!m) return new CellError(`"${raw}" is not an ISO-8601 timestamp (YYYY-MM-DDTHH:MM:SS)`);
  const [year, month, day] = [+m[1], +m[2], +m[3]];
  const error = checkDate(year, month, day, raw);
  if (error) return error;
  const [hour, minute, second] = [+(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return new CellError(`"${raw}" has an impossible time of day`);
  if (!m[8] || m[8] === 'Z' || /^[+-]00:?00$/.test(m[8])) {
    return `${m[1]}-${m[2]}-${m[3]}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  }
  const sign = m[8][0] === '-' ? -1 : 1;
  const offset = m[8].slice(1).replace(':', '');
  const minutes = sign * (+offset.slice(0, 2) * 60 + +offset.slice(2));
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second) - minutes * 60_000);
  return utc.toISOString().slice(0, 19);
}

const TRUE = new Set(['1', 'true', 'yes', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'n']);

/** Reads one non-empty cell as its column's type; the caller handles empty cells. */
export function parseCell(column: ColumnSpec, raw: string): CellValue | CellError {
  switch (column.type) {
    case 'id': {
      const value = raw.trim();
      if (value.length === 0) return new CellError('an identifier cannot be blank');
      if (value.length > (column.maxLength ?? 64)) return new CellError(`identifier is ${value.length} characters; the contract allows ${column.maxLength ?? 64}`);
      return value;
    }
    case 'text':
      if (raw.length > (column.maxLength ?? 400)) return new CellError(`text is ${raw.length} characters; at most ${column.maxLength ?? 400} are stored`);
      return raw;
    case 'enum': {
      const value = raw.trim().toLowerCase();
      if (column.values?.includes(value)) return value;
      return new CellError(`"${raw}" is not one of ${column.values?.join(', ')}`);
    }
    case 'date':
      return parseDate(raw.trim());
    case 'timestamp':
      return parseTimestamp(raw.trim());
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
