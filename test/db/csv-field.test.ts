import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../../domain/csv-field.js';

describe('CSV fields written by the exports', () => {
  it('quotes only what RFC 4180 requires and writes NULL as an empty cell', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, undefined, 3.5])).toBe('a,"b,c","say ""hi""","two\nlines",,,3.5');
  });

  it('writes dates from SQL Server (Date objects) as the contract does: a date column as YYYY-MM-DD, a timestamp in full', () => {
    expect(csvField(new Date('2025-03-14T00:00:00Z'))).toBe('2025-03-14');
    expect(csvField(new Date('2026-11-24T09:30:05.123Z'))).toBe('2026-11-24T09:30:05.123');
  });
});
