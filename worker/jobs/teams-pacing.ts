import { DelayedError, type Job } from 'bullmq';
import type { TeamsPace } from '../redis/teams-pace.js';

/** Teams' limits (or Teams itself, with a 429's Retry-After) leave no room for a while: the job should wait off the worker. */
export class PacedError extends Error {
  constructor(readonly waitMs: number) {
    super(`Teams' rate limits leave no room for ${Math.ceil(waitMs / 1000)} s`);
    this.name = 'PacedError';
  }
}

/** Waits this long at most inside a job; longer, the job goes back on the queue (it holds a worker slot while it waits). */
const LONGEST_WAIT_IN_JOB_MS = 5_000;

/**
 * Resolves when Teams' limits allow one more request to this tenant and
 * conversation (and counts it). A short wait is slept here; a long one (a
 * conversation's 60 per 30 s or 1,800 per hour used up) throws PacedError.
 */
export async function whenTeamsAllows(pace: TeamsPace | undefined, tenantId: string | null, conversationId: string | null): Promise<void> {
  if (!pace) return;
  for (;;) {
    const wait = await pace.reserve(tenantId ?? 'unknown-tenant', conversationId);
    if (wait === 0) return;
    if (wait > LONGEST_WAIT_IN_JOB_MS) throw new PacedError(wait);
    // A little jitter, so workers that waited for the same place do not all ask at once.
    await new Promise((resolve) => setTimeout(resolve, wait + Math.floor(Math.random() * 10)));
  }
}

/**
 * A job stopped by PacedError goes back on the queue until Teams allows it
 * (not counted as a failed attempt); what it had already sent is recorded, so
 * it carries on where it stopped. Without a lock token (a job run outside a
 * worker) it fails and is retried with backoff. Other errors pass through.
 */
export async function waitOffWorker(error: unknown, job: Job, token: string | undefined): Promise<never> {
  if (error instanceof PacedError && token) {
    await job.moveToDelayed(Date.now() + error.waitMs, token);
    throw new DelayedError();
  }
  throw error;
}
