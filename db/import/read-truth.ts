import { readCsvRecords } from './csv-reader.js';
import { UserFacingError } from '../../domain/errors.js';

export interface TruthEntry {
  readonly exploited: boolean;
  readonly exploitationStart: string | null;
  readonly exploiter: boolean;
}

/** A synthetic bundle's truth.csv (person_id, exploited, exploitation_start, exploiter, …): for evaluation only, never loaded into the TFD. */
export async function readTruth(path: string): Promise<Map<string, TruthEntry>> {
  const out = new Map<string, TruthEntry>();
  let header: string[] | null = null;
  for await (const batch of readCsvRecords(path)) {
    for (const r of batch) {
      if (!header) {
        header = r.fields.map((f) => f.trim().toLowerCase());
        for (const required of ['person_id', 'exploited']) if (!header.includes(required)) throw new UserFacingError(`${path}: no "${required}" column; is this a synthetic bundle's truth.csv?`);
        continue;
      }
      const get = (name: string) => r.fields[header!.indexOf(name)] ?? '';
      out.set(get('person_id'), { exploited: get('exploited') === '1', exploitationStart: get('exploitation_start') || null, exploiter: get('exploiter') === '1' });
    }
  }
  return out;
}
