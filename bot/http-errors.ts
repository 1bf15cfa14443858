import { randomBytes } from 'node:crypto';
import type express from 'express';
import { z } from 'zod';
import { isDatabaseBusy } from '../db/database.js';
import { AuditWriteError } from '../db/repositories/access-audit.js';
import type { Notice } from '../cards/views.js';

/** A short reference a user can quote and an operator can find in the log. */
export const newCorrelation = (): string => randomBytes(4).toString('hex');

/** What a user is told when a turn fails: never a stack trace, always what to do. */
export function turnFailureNotice(error: unknown, correlation: string): Notice {
  if (isDatabaseBusy(error)) return { title: 'Busy: please try again in a minute', text: `The database is being updated (an import or a scoring run). Nothing was shown and nothing was recorded as shown (reference ${correlation}).`, tone: 'attention' };
  if (error instanceof AuditWriteError) return { title: 'Nothing was shown', text: `The access log could not be written, and every lookup must be recorded. Please try again later (reference ${correlation}).`, tone: 'attention' };
  return { title: 'Something went wrong', text: `Sorry, something went wrong on our side (reference ${correlation}).`, tone: 'attention' };
}

const bounded = (max: number) => z.string().min(1).max(max);

/**
 * The parts of a Bot Framework activity the bot relies on, with bounds, so
 * that a malformed or oversized request is refused with a short 400 before
 * it reaches the adapter, the audit or the database.
 */
const activityShape = z
  .object({
    type: bounded(64),
    serviceUrl: bounded(2_048).optional(),
    channelId: bounded(64).optional(),
    conversation: z.object({ id: bounded(1_024), conversationType: z.string().max(64).optional(), tenantId: z.string().max(128).optional() }).passthrough(),
    from: z.object({ id: z.string().max(1_024).optional(), aadObjectId: z.string().max(128).optional(), name: z.string().max(512).optional() }).passthrough().optional(),
    text: z.string().max(28_000).optional(),
  })
  .passthrough();

export function checkActivityShape(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const parsed = activityShape.safeParse(req.body);
  if (parsed.success) return next();
  const issue = parsed.error.issues[0];
  res.status(400).json({ error: `not a Bot Framework activity: ${issue.path.join('.') || 'body'}: ${issue.message}` });
}

/** body-parser's errors, by type, as a caller should read them. */
const KNOWN: Record<string, { status: number; error: string }> = {
  'entity.parse.failed': { status: 400, error: 'the request body is not valid JSON' },
  'entity.too.large': { status: 413, error: 'the request body is larger than 1 MB' },
  'encoding.unsupported': { status: 415, error: 'unsupported content encoding' },
  'charset.unsupported': { status: 415, error: 'unsupported charset' },
  'request.aborted': { status: 400, error: 'the request was aborted' },
};

/**
 * The one error handler of the bot's HTTP server: a short JSON answer (no
 * stack, no path, before or after authentication) and the detail in the log
 * under a reference.
 */
export function answerErrors(log: (line: string) => void): express.ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = KNOWN[(error as { type?: string })?.type ?? ''];
    const correlation = newCorrelation();
    log(`bot: ${req.method} ${req.path} failed [${correlation}]: ${known ? known.error : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    if (known) res.status(known.status).json({ error: known.error });
    else res.status(500).json({ error: `something went wrong on our side (reference ${correlation})` });
  };
}
