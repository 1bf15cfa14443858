import { describe, expect, it } from 'vitest';
import { csvField, csvLine, spreadsheetField } from '../../domain/csv-field.js';

describe('CSV fields written by the exports', () => {
  it('quotes only what RFC 4180 requires and writes NULL as an empty cell', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, undefined, 3.5])).toBe('a,"b,c","say ""hi""","two\nlines",,,3.5');
  });

  it('writes dates from SQL Server (Date objects) as the contract does: a date column as YYYY-MM-DD, a timestamp in full', () => {
    expect(csvField(new Date('2025-03-14T00:00:00Z'))).toBe('2025-03-14');
    expect(csvField(new Date('2026-11-24T09:30:05.123Z'))).toBe('2026-11-24T09:30:05.123');
  });

  it('writes text a spreadsheet would run as a formula with a leading apostrophe (OWASP), and leaves numbers alone', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(1+1)', '\tx', '\rx']) expect(spreadsheetField(text).replace(/^"|"$/g, '').startsWith(`'${text[0]}`)).toBe(true);
    expect(spreadsheetField('=HYPERLINK("http://x.example","y")')).toBe(`"'=HYPERLINK(""http://x.example"",""y"")"`);
    expect(spreadsheetField(-1.5)).toBe('-1.5');
    expect(spreadsheetField('P00012345')).toBe('P00012345');
    expect(spreadsheetField('2025-03-14')).toBe('2025-03-14');
  });

  it('removes control and bidirectional characters from text (a right-to-left override in a note), keeping line breaks and tabs inside', () => {
    expect(spreadsheetField('seen at \u202Egnp.exe\u202C by\u200B staff\u0007')).toBe('seen at gnp.exe by staff');
    expect(spreadsheetField('two\nlines\tand a tab')).toBe('"two\nlines\tand a tab"');
    expect(spreadsheetField('\u202E=1+1')).toBe(`'=1+1`);
  });
});
