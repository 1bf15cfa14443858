import { createServer, type Server } from 'node:http';

export interface SentActivity {
  readonly path: string;
  readonly body: { type?: string; text?: string; summary?: string; attachments?: unknown[]; replyToId?: string };
}

export interface LocalConnector {
  readonly url: string;
  /** Every activity received (empty when started with `keep: false`). */
  readonly sent: SentActivity[];
  readonly received: number;
  readonly cards: number;
  /** Resolves with the next activity the bot sends (or rejects after `ms`). */
  next(ms?: number): Promise<SentActivity>;
  close(): Promise<void>;
}

/**
 * Stands in for Microsoft's Bot Connector service on loopback: accepts the
 * replies and proactive sends a bot makes (`POST /v3/conversations/{id}/activities[/{id}]`),
 * records them and answers `{ id }` as the real service does. Used by the
 * tests and by `cli ask` to talk to a local bot without Teams.
 */
export async function startLocalConnector(options: { keep?: boolean } = {}): Promise<LocalConnector> {
  const keep = options.keep !== false;
  const sent: SentActivity[] = [];
  let received = 0;
  let cards = 0;
  const waiting: ((a: SentActivity) => void)[] = [];
  let next = 1;
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(req.url ?? '')) {
        const activity = { path: req.url!, body: JSON.parse(data || '{}') };
        received++;
        if ((activity.body.attachments?.length ?? 0) > 0) cards++;
        if (keep) sent.push(activity);
        waiting.shift()?.(activity);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${next++}` }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    sent,
    get received() {
      return received;
    },
    get cards() {
      return cards;
    },
    next: (ms = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the bot sent nothing within ${ms / 1000} s`)), ms);
        waiting.push((a) => {
          clearTimeout(timer);
          resolve(a);
        });
      }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A message as Teams delivers it to the bot: a personal chat from one user. */
export function teamsMessage(serviceUrl: string, text: string, aadObjectId: string | undefined = '00000000-0000-0000-0000-000000000001') {
  return {
    type: 'message',
    id: `msg-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:user', name: 'Local User', aadObjectId },
    conversation: { id: 'a:personal-chat', conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:bot', name: 'TFD' },
    text,
    textFormat: 'plain',
    locale: 'en-GB',
    channelData: { tenant: { id: 'tenant-1' } },
  };
}
