import { INVISIBLE_IN_FILES } from './invisible-characters.js';

export type Cell = string | number | Date | null | undefined;

/**
 * A stored date or timestamp as the contract writes it. SQL Server hands
 * back `Date` objects (tedious) where SQLite hands back ISO text: a date
 * column arrives as UTC midnight and is written `YYYY-MM-DD`; anything else
 * as `YYYY-MM-DDTHH:MM:SS.sss` (UTC).
 */
export function isoCell(value: Date): string {
  const iso = value.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 23);
}

/** RFC 4180: quote only where a field holds a comma, quote or line break; NULL is an empty cell. */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? isoCell(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly Cell[]) => cells.map(csvField).join(',');

/** Text a spreadsheet would run as a formula (OWASP: =, +, -, @, tab, carriage return first). */
export const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A field for a file people open in Excel (exports, the DPO's audit file):
 * text that would run as a formula is written with a leading apostrophe, so
 * it shows as text; control and bidirectional characters are removed (an
 * override would reorder what a reader sees). Numbers and dates are never touched.
 */
export function spreadsheetField(value: Cell): string {
  if (typeof value !== 'string') return csvField(value);
  const text = value.replace(INVISIBLE_IN_FILES, '');
  return csvField(FORMULA_START.test(text) ? `'${text}` : text);
}

export const spreadsheetLine = (cells: readonly Cell[]) => cells.map(spreadsheetField).join(',');
