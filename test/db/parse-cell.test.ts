import { describe, expect, it } from 'vitest';
import { CONTRACT } from '../../domain/contract/tables.js';
import { CellError, parseCell } from '../../db/import/parse-cell.js';
import { parseIsoDate, parseIsoTimestamp } from '../../domain/dates.js';

const column = (table: keyof typeof CONTRACT, name: string) => CONTRACT[table].columns.find((c) => c.name === name)!;

describe('parseDate', () => {
  it('accepts ISO dates and midnight timestamps from SQL Server or Excel exports', () => {
    expect(parseIsoDate('2019-03-14')).toEqual({ ok: true, value: '2019-03-14' });
    expect(parseIsoDate('2019-03-14 00:00:00.000')).toEqual({ ok: true, value: '2019-03-14' });
    expect(parseIsoDate('2019-03-14T00:00:00Z')).toEqual({ ok: true, value: '2019-03-14' });
  });
  it('knows leap years', () => {
    expect(parseIsoDate('2020-02-29')).toEqual({ ok: true, value: '2020-02-29' });
    expect(parseIsoDate('2019-02-29').ok).toBe(false);
    expect(parseIsoDate('1900-02-29').ok).toBe(false);
    expect(parseIsoDate('2000-02-29')).toEqual({ ok: true, value: '2000-02-29' });
  });
  it('refuses impossible, out-of-range and non-ISO dates', () => {
    for (const bad of ['2019-13-01', '2019-04-31', '1899-12-31', '2101-01-01', '14/03/2019', '2019-3-14', '2019-03-14 10:30']) {
      expect(parseIsoDate(bad).ok, bad).toBe(false);
    }
  });
});

describe('parseTimestamp', () => {
  it('normalises separators and fractions, and converts explicit offsets to UTC', () => {
    expect(parseIsoTimestamp('2021-06-01 23:15')).toEqual({ ok: true, value: '2021-06-01T23:15:00' });
    expect(parseIsoTimestamp('2021-06-01T23:15:07.1234567')).toEqual({ ok: true, value: '2021-06-01T23:15:07' });
    expect(parseIsoTimestamp('2021-06-01T00:30:00+01:00')).toEqual({ ok: true, value: '2021-05-31T23:30:00' });
    expect(parseIsoTimestamp('2021-06-01')).toEqual({ ok: true, value: '2021-06-01T00:00:00' });
  });
  it('refuses impossible times', () => {
    expect(parseIsoTimestamp('2021-06-01T24:00:00').ok).toBe(false);
    expect(parseIsoTimestamp('2021-06-31T10:00:00').ok).toBe(false);
  });
});

describe('parseCell', () => {
  it('reads enums trimmed and case-insensitively, and lists the accepted values otherwise', () => {
    expect(parseCell(column('event', 'event_type'), ' Missing_Report ')).toBe('missing_report');
    const error = parseCell(column('event', 'event_type'), 'arrest');
    expect(error).toBeInstanceOf(CellError);
    expect((error as CellError).reason).toContain('crime, intelligence, missing_report, call_card');
  });
  it('reads booleans as 0/1 (and true/false from spreadsheet exports)', () => {
    expect(parseCell(column('event', 'cse_flag'), '1')).toBe(1);
    expect(parseCell(column('event', 'cse_flag'), 'False')).toBe(0);
    expect(parseCell(column('event', 'cse_flag'), '2')).toBeInstanceOf(CellError);
  });
  it('checks numeric bounds and whole numbers', () => {
    expect(parseCell(column('person', 'imd_decile'), '3')).toBe(3);
    expect(parseCell(column('person', 'imd_decile'), '11')).toBeInstanceOf(CellError);
    expect(parseCell(column('person', 'imd_decile'), '2.5')).toBeInstanceOf(CellError);
    expect(parseCell(column('indicator_fact', 'value'), '87.5')).toBe(87.5);
  });
  it('refuses identifiers over 64 characters', () => {
    expect(parseCell(column('person', 'person_id'), 'x'.repeat(64))).toBe('x'.repeat(64));
    expect(parseCell(column('person', 'person_id'), 'x'.repeat(65))).toBeInstanceOf(CellError);
  });
});
