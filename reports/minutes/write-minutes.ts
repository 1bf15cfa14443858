import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TfdDb } from '../../db/database.js';
import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import { UserFacingError } from '../../domain/errors.js';
import { minutesCsv } from './minutes-csv.js';
import { minutesDocx } from './minutes-docx.js';
import { minutesPdf } from './minutes-pdf.js';
import { minutesFor, type MinutesView, type WhichMinutes } from './minutes-view.js';

export const MINUTES_FILES = ['minutes.pdf', 'minutes.docx', 'minutes.csv'] as const;

/** The minutes could not be put in the folder asked for (no such place, not writable, full). */
export class MinutesWriteError extends UserFacingError {
  constructor(outDir: string, cause: unknown) {
    const code = (cause as { code?: string })?.code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'the disk is full' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way' : cause instanceof Error ? cause.message : String(cause);
    super(`could not write the minutes into ${outDir}: ${why}; choose a folder you can write to with --out. No minutes were written and nothing was recorded as opened`, { cause });
  }
}

/**
 * Writes minutes.pdf, minutes.docx and minutes.csv for a meeting into `outDir`.
 * All three are made first and then moved into place, so a failure leaves
 * no half-written minutes beside older ones. Each child in them is written to
 * the access audit as opened once the files are in place (and the files are
 * removed again if the audit cannot be written: nothing unaudited is left).
 */
export async function writeMinutes(db: TfdDb, outDir: string, who: { readonly workerId: string }, which: WhichMinutes, now = new Date()): Promise<{ view: MinutesView; files: string[] }> {
  const { view, opened } = await minutesFor(db, who, which, now);
  const contents: Record<(typeof MINUTES_FILES)[number], Buffer | string> = {
    'minutes.pdf': await minutesPdf(view),
    'minutes.docx': await minutesDocx(view),
    'minutes.csv': minutesCsv(view),
  };
  const files = MINUTES_FILES.map((n) => join(outDir, n));
  const staged = join(outDir, `.minutes-${process.pid}-${Date.now()}`);
  try {
    await mkdir(staged, { recursive: true });
    try {
      for (const name of MINUTES_FILES) await writeFile(join(staged, name), contents[name]);
      for (const name of MINUTES_FILES) await rename(join(staged, name), join(outDir, name));
    } finally {
      await rm(staged, { recursive: true, force: true });
    }
  } catch (error) {
    throw new MinutesWriteError(outDir, error);
  }
  try {
    await appendAccessAudit(db, opened, now);
  } catch (error) {
    await Promise.all(files.map((f) => rm(f, { force: true })));
    throw error;
  }
  return { view, files };
}
