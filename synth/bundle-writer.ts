import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { columnNames, TABLE_NAMES, TRUTH_COLUMNS, type TableName } from '../domain/contract/tables.js';

import { csvField, type Cell } from '../domain/csv-field.js';

export { csvField };
const FLUSH_AT = 1 << 20;

class CsvFile {
  private readonly fd: number;
  private pending = '';
  rows = 0;
  constructor(path: string, header: readonly string[]) {
    this.fd = openSync(path, 'w');
    this.pending = `${header.join(',')}\n`;
  }
  /** Fields must already be CSV-safe (see `csvField` for free text). */
  line(text: string): void {
    this.pending += text;
    this.pending += '\n';
    this.rows++;
    if (this.pending.length > FLUSH_AT) this.flush();
  }
  flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, this.pending);
    this.pending = '';
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Streams a contract bundle (plus truth.csv) to a folder, a buffered file per table. */
export class BundleWriter {
  private readonly files = new Map<string, CsvFile>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const table of TABLE_NAMES) this.files.set(table, new CsvFile(join(dir, `${table}.csv`), columnNames(table)));
    this.files.set('truth', new CsvFile(join(dir, 'truth.csv'), TRUTH_COLUMNS));
  }

  /** Cells in the contract's column order; ids, dates and numbers are written as they are. */
  row(table: TableName | 'truth', ...cells: Cell[]): void {
    let text = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) text += ',';
      const c = cells[i];
      if (c !== null && c !== undefined) text += c;
    }
    this.files.get(table)!.line(text);
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.files].map(([name, file]) => [name, file.rows]));
  }

  close(): void {
    for (const file of this.files.values()) file.close();
  }
}
