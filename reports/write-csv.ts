import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { spreadsheetLine, type Cell } from '../domain/csv-field.js';

/** Streams rows to a CSV file with a header line, each cell safe to open in a spreadsheet; returns the rows written. */
export async function writeCsv(out: string, header: readonly string[], rows: AsyncIterable<readonly Cell[]>): Promise<number> {
  const file = createWriteStream(out);
  file.write(`${header.join(',')}\n`);
  let count = 0;
  for await (const row of rows) {
    if (!file.write(`${spreadsheetLine(row)}\n`)) await once(file, 'drain');
    count++;
  }
  file.end();
  await once(file, 'finish');
  return count;
}
