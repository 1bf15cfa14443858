import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { BundleRejectedError, DatabaseNotEmptyError } from '../../db/import/bundle-problems.js';
import { importBundle, type ImportSummary } from '../../db/import/import-bundle.js';

export const IMPORT_BUNDLE = 'import-bundle';

export const importBundlePayload = z.object({
  dir: z.string().min(1),
  replace: z.boolean().default(false),
});
export type ImportBundlePayload = z.input<typeof importBundlePayload>;

/**
 * Loads a contract bundle into the TFD. A refused bundle or an occupied
 * database will not improve on retry, so they fail the job for good.
 */
export async function runImportBundle(job: Job, db: TfdDialect): Promise<ImportSummary> {
  const parsed = importBundlePayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`${IMPORT_BUNDLE} job ${job.id}: bad payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  let lastPercent = -1;
  try {
    return await importBundle(db, parsed.data.dir, {
      replace: parsed.data.replace,
      onProgress: (p) => {
        const percent = Math.floor((100 * p.bytesRead) / Math.max(1, p.totalBytes));
        if (percent !== lastPercent) {
          lastPercent = percent;
          void job.updateProgress({ percent, table: p.table });
        }
      },
    });
  } catch (error) {
    if (error instanceof BundleRejectedError || error instanceof DatabaseNotEmptyError) throw new UnrecoverableError(error.message);
    throw error;
  }
}
