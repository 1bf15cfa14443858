import { UserFacingError } from '../domain/errors.js';
import type { Server } from 'node:http';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import express from 'express';
import { createApp } from './app.js';
import { answerErrors, checkActivityShape, newCorrelation, turnFailureNotice } from './http-errors.js';
import { noticeCard } from '../cards/build-cards.js';
import { sendCard } from './handlers/reply.js';
import type { LookupDeps } from './lookups/lookup-deps.js';
import { LinkSigner } from './signed-links.js';
import { storedEvaluation } from '../reports/export-model-card.js';
import { modelCardHtml } from '../reports/model-card-html.js';
import { teamsAlertSender } from './alert-sender.js';
import type { AlertSender } from '../domain/alert-delivery.js';

export interface BotSettings {
  readonly port: number;
  readonly appId: string;
  readonly appPassword: string;
  readonly tenantId: string;
  readonly allowUnauthenticated: boolean;
  /** Interface to listen on when authenticated (BOT_HOST); unauthenticated runs always use loopback. @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** Adds `Server-Timing` to replies (benchmarks; off in service, since it lets a caller time lookups). @defaultValue false */
  readonly serverTiming?: boolean;
  /** Where users reach this server (links in cards, e.g. the model card). @defaultValue the listening address */
  readonly publicUrl?: string;
  /** Signs the links the bot hands out; default derived from the app password, else random per process. */
  readonly linkSecret?: string;
  /** Opening 1:1 chats for alerts to staff who have not installed the app (needs a tenant). */
  readonly proactive?: { readonly tenantId: string; readonly serviceUrl: string };
}

function teamsAdapterFor(settings: Pick<BotSettings, 'appId' | 'appPassword' | 'tenantId'>): TeamsAdapter {
  return new TeamsAdapter(
    {},
    new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: settings.appId,
      MicrosoftAppPassword: settings.appPassword,
      MicrosoftAppTenantId: settings.tenantId || undefined,
      MicrosoftAppType: settings.tenantId ? 'SingleTenant' : 'MultiTenant',
    }),
  );
}

/** Alerts sent with the bot's credentials from a process that does not serve the bot (`npm run start:worker`). */
export const standaloneAlertSender = (settings: Pick<BotSettings, 'appId' | 'appPassword' | 'tenantId' | 'proactive'>): AlertSender => teamsAlertSender(teamsAdapterFor(settings), settings.appId, settings.proactive);

export class BotHostError extends UserFacingError {
  constructor(host: string) {
    super(`BOT_HOST=${host}: an unauthenticated bot (BOT_ALLOW_UNAUTHENTICATED=1) listens on loopback only; set MicrosoftAppId and MicrosoftAppPassword to listen on another interface`);
  }
}

export class BotCredentialsMissingError extends UserFacingError {
  constructor() {
    super('the bot needs MicrosoftAppId and MicrosoftAppPassword (from its Azure Bot registration); for local development only, set BOT_ALLOW_UNAUTHENTICATED=1 to accept unsigned requests on 127.0.0.1');
  }
}

/**
 * Adds `Server-Timing: turn;dur=<ms>` to every reply: the time from the
 * request's arrival to its response, including the turn and the replies sent
 * to the Bot Connector. Operators and the benchmark read it.
 */
function serverTiming(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  const started = performance.now();
  const writeHead = res.writeHead;
  res.writeHead = function (this: express.Response, ...args: Parameters<typeof writeHead>) {
    this.setHeader('Server-Timing', `turn;dur=${(performance.now() - started).toFixed(2)}`);
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface RunningBot {
  readonly server: Server;
  /** Sends caseworker alerts through this bot's adapter (the alert worker's AlertSender). */
  readonly alertSender: AlertSender;
  readonly url: string;
  readonly authenticated: boolean;
  close(): Promise<void>;
}

/**
 * The Teams endpoint. Authentication is on whenever credentials are set;
 * without them the bot refuses to start unless told it is a local run, and
 * then listens on loopback only, so it is never silently open.
 */
export async function startBot(settings: BotSettings, deps: LookupDeps, log: (line: string) => void = console.log): Promise<RunningBot> {
  const authenticated = settings.appId !== '';
  if (!authenticated && !settings.allowUnauthenticated) throw new BotCredentialsMissingError();
  const adapter = teamsAdapterFor(settings);
  const host = authenticated ? (settings.host ?? '127.0.0.1') : '127.0.0.1';
  if (!authenticated && settings.host && !LOOPBACK.has(settings.host)) throw new BotHostError(settings.host);
  adapter.onTurnError = async (context, error) => {
    const correlation = newCorrelation();
    log(`bot: turn failed [${correlation}]: ${error.stack ?? error.message}`);
    // Never a stack trace to the user; the reference finds the log line.
    const notice = turnFailureNotice(error, correlation);
    await sendCard(context, noticeCard(notice), notice.title);
  };
  let listeningUrl = '';
  const links = new LinkSigner(settings.linkSecret || settings.appPassword);
  const app = createApp(adapter, {
    ...deps,
    link: (path: string) => `${(settings.publicUrl || listeningUrl).replace(/\/$/, '')}${links.sign(path)}`,
  });
  const cards = new Map<string, string>();

  const http = express();
  http.get('/', (_req, res) => {
    res.json({ status: 'ok', service: 'tfd-cse-insight bot', authenticated });
  });
  // The model card: aggregate figures about a run, no person-level data.
  http.get('/model-cards/:runId', async (req, res) => {
    const runId = String(req.params.runId);
    if (!links.verify(`/model-cards/${encodeURIComponent(runId)}`, req.query.expires, req.query.sig)) {
      res.status(403).type('text/plain').send('this link is not valid or has expired: ask the bot for the model card again (type `model`)');
      return;
    }
    try {
      let html = cards.get(runId);
      if (!html) {
        const evaluation = await storedEvaluation(deps.db, runId);
        if (!evaluation) {
          res.status(404).type('text/plain').send(`no model card for run ${runId}`);
          return;
        }
        html = await modelCardHtml(evaluation);
        cards.set(runId, html);
      }
      res.type('html').send(html);
    } catch (error) {
      log(`bot: model card ${runId} failed: ${(error as Error).stack ?? error}`);
      res.status(500).type('text/plain').send('the model card could not be shown');
    }
  });
  const timing = settings.serverTiming ? [serverTiming] : [];
  http.post('/api/messages', ...timing, express.json({ limit: '1mb' }), checkActivityShape, async (req, res) => {
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });
  // Last: every error on any route becomes a short answer; the detail goes to the log only.
  http.use(answerErrors(log));

  const server = await new Promise<Server>((resolve, reject) => {
    const s = http.listen(settings.port, host, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as { port: number };
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host}:${port}`;
  listeningUrl = url;
  log(`bot: listening on ${host}:${port} (${authenticated ? 'authentication on' : 'UNAUTHENTICATED, loopback only'})`);
  return {
    server,
    url,
    authenticated,
    alertSender: teamsAlertSender(adapter, settings.appId, settings.proactive),
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
