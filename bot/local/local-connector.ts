import { createServer, type Server, type ServerResponse } from 'node:http';

export interface SentActivity {
  readonly path: string;
  readonly body: { type?: string; text?: string; summary?: string; attachments?: unknown[]; replyToId?: string };
  /** When it arrived (ms since the epoch), to check the bot's pace. */
  readonly at: number;
}

export interface LocalConnector {
  readonly url: string;
  /** Every activity received (empty when started with `keep: false`). */
  readonly sent: SentActivity[];
  readonly received: number;
  readonly cards: number;
  /** Resolves with the next activity the bot sends (or rejects after `ms`). */
  next(ms?: number): Promise<SentActivity>;
  /**
   * Answers the next `times` sends to a conversation with `status` (and
   * headers, e.g. Retry-After), as Teams does when throttling (429) or when
   * the bot is blocked or uninstalled (403). Refused sends are counted in
   * `refused`, not recorded in `sent`.
   */
  failFor(conversationId: string, status: number, times?: number, headers?: Record<string, string>): void;
  readonly refused: { readonly conversationId: string; readonly status: number }[];
  /**
   * Answers the next `answered` sends, then holds every later one open
   * without an answer (as a slow service would) until `resume()`; held sends
   * are not in `sent`. A held send whose client goes away (the bot's process
   * killed) is counted in `interrupted`: under this stand-in's rule it was
   * never delivered.
   */
  holdAfter(answered: number): void;
  /** The members Teams lists for a chat (`GET /v3/conversations/{id}/pagedmembers`); a chat never set answers 404. */
  setRoster(conversationId: string, members: readonly { readonly aadObjectId: string; readonly name: string }[]): void;
  /** Activities the bot replaced (`PUT /v3/conversations/{id}/activities/{activityId}`): a card updated for everyone in the chat. */
  readonly updated: SentActivity[];
  resume(): void;
  readonly held: number;
  readonly interrupted: number;
  /** Conversations the bot opened (`POST /v3/conversations`): the parameters it sent, and the id given. */
  readonly created: { readonly id: string; readonly parameters: { members?: { id?: string }[]; tenantId?: string; isGroup?: boolean } }[];
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
  const failures = new Map<string, { status: number; times: number; headers: Record<string, string> }[]>();
  const refused: { conversationId: string; status: number }[] = [];
  const created: { id: string; parameters: { members?: { id?: string }[]; tenantId?: string; isGroup?: boolean } }[] = [];
  let answerBeforeHolding = Infinity;
  let holding: (() => void)[] = [];
  let interrupted = 0;
  const rosters = new Map<string, readonly { aadObjectId: string; name: string }[]>();
  const updated: SentActivity[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && /^\/v3\/conversations\/?$/.test(req.url ?? '')) {
        // Teams answers the same 1:1 conversation for the same user however often it is asked.
        const parameters = JSON.parse(data || '{}');
        const member = parameters.members?.[0]?.id ?? 'unknown';
        const id = `a:created-${member}`;
        created.push({ id, parameters });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id, serviceUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/` }));
        return;
      }
      const roster = /^\/v3\/conversations\/([^/]+)\/pagedmembers(\?.*)?$/.exec(req.url ?? '');
      if (req.method === 'GET' && roster) {
        const members = rosters.get(decodeURIComponent(roster[1]));
        res.writeHead(members ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(members ? { members: members.map((m) => ({ id: `29:${m.aadObjectId}`, name: m.name, aadObjectId: m.aadObjectId, userRole: 'user' })) } : { error: { code: 'ConversationNotFound', message: 'no such chat' } }));
        return;
      }
      const match = /^\/v3\/conversations\/([^/]+)\/activities(\/[^/]+)?$/.exec(req.url ?? '');
      if (req.method === 'PUT' && match?.[2]) {
        updated.push({ path: req.url!, body: JSON.parse(data || '{}'), at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: decodeURIComponent(match[2].slice(1)) }));
        return;
      }
      const conversationId = match ? decodeURIComponent(match[1]) : '';
      const failure = failures.get(conversationId)?.[0];
      if (req.method === 'POST' && match && failure) {
        if (--failure.times <= 0) failures.get(conversationId)!.shift();
        refused.push({ conversationId, status: failure.status });
        res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
        res.end(JSON.stringify({ error: { code: failure.status === 429 ? 'Throttled' : failure.status === 403 ? 'BotNotInConversationRoster' : 'Failed', message: `stand-in answered ${failure.status}` } }));
      } else if (req.method === 'POST' && match && answerBeforeHolding <= 0) {
        const answer = () => accept(req.url!, data, res);
        holding.push(answer);
        res.on('close', () => {
          if (!res.writableEnded) {
            interrupted++;
            holding = holding.filter((h) => h !== answer);
          }
        });
      } else if (req.method === 'POST' && match) {
        answerBeforeHolding--;
        accept(req.url!, data, res);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  /** A send delivered: recorded, and answered `{ id }` as the real service does. */
  const accept = (path: string, data: string, res: ServerResponse) => {
    const activity = { path, body: JSON.parse(data || '{}'), at: Date.now() };
    received++;
    if ((activity.body.attachments?.length ?? 0) > 0) cards++;
    if (keep) sent.push(activity);
    waiting.shift()?.(activity);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `reply-${next++}` }));
  };
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
    refused,
    created,
    updated,
    setRoster(conversationId, members) {
      rosters.set(conversationId, members);
    },
    holdAfter(answered) {
      answerBeforeHolding = answered;
    },
    resume() {
      answerBeforeHolding = Infinity;
      const waitingAnswers = holding;
      holding = [];
      for (const answer of waitingAnswers) answer();
    },
    get held() {
      return holding.length;
    },
    get interrupted() {
      return interrupted;
    },
    failFor(conversationId, status, times = 1, headers = {}) {
      failures.set(conversationId, [...(failures.get(conversationId) ?? []), { status, times, headers }]);
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

/** The envelope of every activity Teams sends the bot from one user's 1:1 chat. */
const personalActivity = (serviceUrl: string, aadObjectId: string, conversationId: string, idPrefix: string) => ({
  id: `${idPrefix}-${Math.random().toString(36).slice(2)}`,
  timestamp: new Date().toISOString(),
  serviceUrl,
  channelId: 'msteams',
  from: { id: `29:${aadObjectId}`, name: 'Local User', aadObjectId },
  conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
  recipient: { id: '28:bot', name: 'TFD' },
  channelData: { tenant: { id: 'tenant-1' } },
});

/** The app installed (or removed) in a personal scope, as Teams tells the bot: each user has their own 1:1 conversation. */
export const teamsInstall = (serviceUrl: string, aadObjectId: string, conversationId: string, action: 'add' | 'remove' = 'add') => ({
  ...personalActivity(serviceUrl, aadObjectId, conversationId, 'install'),
  type: 'installationUpdate',
  action,
});

/** A press of an Action.Execute button on a card, as the `adaptiveCard/action` invoke Teams sends. */
export const teamsCardAction = (serviceUrl: string, aadObjectId: string, conversationId: string, verb: string, data: unknown) => ({
  ...personalActivity(serviceUrl, aadObjectId, conversationId, 'invoke'),
  type: 'invoke',
  name: 'adaptiveCard/action',
  value: { action: { type: 'Action.Execute', verb, data } },
});

/** The envelope of an activity from a group chat (a meeting's chat): `19:…@thread.v2` ids, conversationType groupChat. */
const groupActivity = (serviceUrl: string, aadObjectId: string, conversationId: string, idPrefix: string) => ({
  id: `${idPrefix}-${Math.random().toString(36).slice(2)}`,
  timestamp: new Date().toISOString(),
  serviceUrl,
  channelId: 'msteams',
  from: { id: `29:${aadObjectId}`, name: 'Local User', aadObjectId },
  conversation: { id: conversationId, conversationType: 'groupChat', isGroup: true, tenantId: 'tenant-1' },
  recipient: { id: '28:bot', name: 'TFD' },
  channelData: { tenant: { id: 'tenant-1' } },
});

/** A message in a group chat mentioning the bot, as Teams delivers it. */
export const teamsGroupMessage = (serviceUrl: string, text: string, aadObjectId: string, conversationId: string) => ({
  ...groupActivity(serviceUrl, aadObjectId, conversationId, 'group-msg'),
  type: 'message',
  text: `<at>TFD</at> ${text}`,
  textFormat: 'plain',
  locale: 'en-GB',
  entities: [{ type: 'mention', text: '<at>TFD</at>', mentioned: { id: '28:bot', name: 'TFD' } }],
});

/** A press of an Action.Execute button on a card in a group chat; `inputs` are the card's input values, sent beside the action's data. */
export const teamsGroupCardAction = (serviceUrl: string, aadObjectId: string, conversationId: string, verb: string, data: unknown, inputs: Record<string, string> = {}) => ({
  ...groupActivity(serviceUrl, aadObjectId, conversationId, 'group-invoke'),
  type: 'invoke',
  name: 'adaptiveCard/action',
  value: { action: { type: 'Action.Execute', verb, data: { ...(data as object), ...inputs } } },
});
