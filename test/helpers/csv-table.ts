import { readCsvRecords } from '../../db/import/csv-reader.js';

/** A whole (small) CSV file as objects keyed by its header; tests only. */
export async function readTable(path: string): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  let header: string[] | null = null;
  for await (const batch of readCsvRecords(path)) {
    for (const record of batch) {
      if (!header) header = record.fields;
      else rows.push(Object.fromEntries(header.map((h, i) => [h, record.fields[i]])));
    }
  }
  return rows;
}
