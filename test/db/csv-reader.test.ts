import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvChunkParser, CsvSyntaxError, readCsvRecords, type CsvRecord } from '../../db/import/csv-reader.js';
import { useTempDirs } from '../helpers/temp.js';

const parseWhole = (text: string): CsvRecord[] => {
  const parser = new CsvChunkParser();
  return [...parser.push(text), ...parser.end()];
};

/** Every way of cutting the text into two chunks must give the same records. */
const parseEverySplit = (text: string): CsvRecord[][] =>
  Array.from({ length: text.length + 1 }, (_, cut) => {
    const parser = new CsvChunkParser();
    return [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
  });

describe('CsvChunkParser', () => {
  const tricky = '\ufeffid,note,n\r\n"A,1","he said ""hi""",1\r\n\r\n"B","two\r\nlines",\nC,"",3\n"D",x,"last"';

  it('reads quoted commas, doubled quotes, line breaks, CRLF, a BOM and blank lines (RFC 4180)', () => {
    expect(parseWhole(tricky)).toEqual([
      { line: 1, fields: ['id', 'note', 'n'] },
      { line: 2, fields: ['A,1', 'he said "hi"', '1'] },
      { line: 4, fields: ['B', 'two\r\nlines', ''] },
      { line: 6, fields: ['C', '', '3'] },
      { line: 7, fields: ['D', 'x', 'last'] },
    ]);
  });

  it('gives the same records wherever the input is cut into chunks', () => {
    const whole = parseWhole(tricky);
    for (const records of parseEverySplit(tricky)) expect(records).toEqual(whole);
  });

  it('keeps a final record without a trailing newline, and an empty last field', () => {
    expect(parseWhole('a,b\n1,')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', ''] },
    ]);
  });

  it('names the line of a quoted field that is never closed', () => {
    expect(() => parseWhole('a,b\n1,2\n3,"open\nmore\n')).toThrowError(CsvSyntaxError);
    try {
      parseWhole('a,b\n1,2\n3,"open\nmore\n');
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(3);
      expect((error as CsvSyntaxError).column).toBe(2);
    }
  });

  it('refuses text after a closing quote', () => {
    expect(() => parseWhole('a,b\n"x"y,2\n')).toThrowError(/after a closing quote/);
  });
});

describe('readCsvRecords', () => {
  const tempDir = useTempDirs();

  it('streams a file larger than one chunk with correct line numbers', async () => {
    const path = join(tempDir(), 'big.csv');
    const rows = ['id,text'];
    for (let i = 0; i < 60_000; i++) rows.push(i % 1000 === 0 ? `${i},"multi\nline ${i}"` : `${i},plain ${i}`);
    writeFileSync(path, rows.join('\n'));
    let count = 0;
    let lastLine = 0;
    let expectedLine = 1;
    for await (const batch of readCsvRecords(path)) {
      for (const record of batch) {
        expect(record.line).toBe(expectedLine);
        expectedLine += record.fields[1].split('\n').length;
        lastLine = record.line;
        count++;
      }
    }
    expect(count).toBe(60_001);
    expect(lastLine).toBe(60_001 + 60);
  });
});
