import { createServer, type Server } from 'node:http';

export interface SentActivity {
  readonly path: string;
  readonly body: { type?: string; text?: string; attachments?: unknown[]; replyToId?: string };
}

/**
 * Stands in for Microsoft's Bot Connector service on loopback: accepts the
 * replies and proactive sends a bot makes and records them.
 */
export async function startConnectorStandIn(): Promise<{ url: string; sent: SentActivity[]; close(): Promise<void> }> {
  const sent: SentActivity[] = [];
  let next = 1;
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(req.url ?? '')) {
        sent.push({ path: req.url!, body: JSON.parse(data || '{}') });
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
  return { url: `http://127.0.0.1:${port}/`, sent, close: () => new Promise((r) => server.close(() => r())) };
}

/** A message as Teams delivers it to the bot. */
export function teamsMessage(serviceUrl: string, text: string, aadObjectId = '00000000-0000-0000-0000-000000000001') {
  return {
    type: 'message',
    id: `msg-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:user', name: 'Test User', aadObjectId },
    conversation: { id: 'a:personal-chat', conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:bot', name: 'TFD' },
    text,
    textFormat: 'plain',
    locale: 'en-GB',
    channelData: { tenant: { id: 'tenant-1' } },
  };
}
