import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/database-schema.js';
import { minutesCsv } from './minutes-csv.js';
import { minutesDocx } from './minutes-docx.js';
import { minutesPdf } from './minutes-pdf.js';
import { minutesFor, type MinutesView } from './minutes-view.js';

export const MINUTES_FILES = ['minutes.pdf', 'minutes.docx', 'minutes.csv'] as const;

/**
 * Writes minutes.pdf, minutes.docx and minutes.csv for a meeting into `outDir`.
 * All three are made first and then moved into place, so a failure leaves
 * no half-written minutes beside older ones.
 */
export async function writeMinutes(db: Kysely<Database>, outDir: string, who: { readonly workerId: string }, which: { readonly meetingId?: string }, now = new Date()): Promise<{ view: MinutesView; files: string[] }> {
  const view = await minutesFor(db, who, which, now);
  const contents: Record<(typeof MINUTES_FILES)[number], Buffer | string> = {
    'minutes.pdf': await minutesPdf(view),
    'minutes.docx': await minutesDocx(view),
    'minutes.csv': minutesCsv(view),
  };
  await mkdir(outDir, { recursive: true });
  const staged = join(outDir, `.minutes-${process.pid}-${Date.now()}`);
  await mkdir(staged);
  try {
    for (const name of MINUTES_FILES) await writeFile(join(staged, name), contents[name]);
    for (const name of MINUTES_FILES) await rename(join(staged, name), join(outDir, name));
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
  return { view, files: MINUTES_FILES.map((n) => join(outDir, n)) };
}
