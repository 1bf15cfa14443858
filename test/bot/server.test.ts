import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { BotCredentialsMissingError, BotHostError, startBot, type RunningBot } from '../../bot/server.js';
import { startConnectorStandIn, teamsMessage } from '../helpers/connector-stand-in.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };
const quiet = () => undefined;
// These tests never reach a lookup; a database that is never queried is enough.
const NO_DB = { db: undefined as never, now: () => new Date() };

describe('the bot endpoint (real teams-ai/botbuilder pipeline)', () => {
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let bot: RunningBot | undefined;
  beforeEach(async () => {
    connector = await startConnectorStandIn();
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await connector.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${bot!.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  describe('when run locally without credentials', () => {
    beforeEach(async () => {
      bot = await startBot(LOCAL, NO_DB, quiet);
    });

    it('answers the health check and says it is unauthenticated', async () => {
      const res = await fetch(`${bot!.url}/`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', authenticated: false });
      expect(bot!.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    });

    it('replies to help through the Bot Connector, as decision support', async () => {
      const res = await post(teamsMessage(connector.url, 'help'));
      expect(res.status).toBe(200);
      expect(connector.sent).toHaveLength(1);
      expect(connector.sent[0].path).toMatch(/^\/v3\/conversations\/a%3Apersonal-chat\/activities\/msg-/);
      expect(connector.sent[0].body.text).toMatch(/Decision support, not a finding/);
    });

    it('answers anything else with a polite pointer to help', async () => {
      await post(teamsMessage(connector.url, 'what is this?'));
      expect(connector.sent[0].body.text).toMatch(/^Sorry, I did not understand that\./);
    });
  });

  /** What a hostile caller gets back: a short JSON error, never a stack, a path or a framework name. */
  async function expectShortError(res: Response, status: number, says: RegExp) {
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text.length).toBeLessThan(300);
    expect(text).not.toMatch(/\bat \S+ \(|node_modules|\.js:\d+|\.ts:\d+|Error:|validateAndFixActivity|PayloadTooLarge|Cannot read/);
    expect(JSON.parse(text).error).toMatch(says);
  }
  const raw = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(`${bot!.url}/api/messages`, { method: 'POST', headers, body });

  for (const [mode, settings] of [
    ['without credentials', LOCAL],
    ['with credentials (before authentication)', { ...LOCAL, appId: '11111111-2222-3333-4444-555555555555', appPassword: 'not-used', allowUnauthenticated: false }],
  ] as const) {
    describe(`bad requests ${mode}`, () => {
      const log: string[] = [];
      beforeEach(async () => {
        bot = await startBot(settings, NO_DB, (line) => log.push(line));
      });
      it('answers broken JSON with a short 400', async () => {
        await expectShortError(await raw('{"type":'), 400, /not valid JSON/);
      });
      it('answers an empty object with a short 400', async () => {
        await expectShortError(await raw('{}'), 400, /not a Bot Framework activity: type/);
      });
      it('answers a 10 MB body with a short 413', async () => {
        await expectShortError(await raw(JSON.stringify({ type: 'message', text: 'x'.repeat(10 * 1024 * 1024) })), 413, /larger than 1 MB/);
      });
      it('answers an activity with no conversation with a short 400', async () => {
        const activity: Record<string, unknown> = { ...teamsMessage(connector.url, 'help') };
        delete activity.conversation;
        await expectShortError(await raw(JSON.stringify(activity)), 400, /conversation/);
      });
      it('refuses a 200,000-character Entra id or conversation id before anything is stored', async () => {
        const long = 'x'.repeat(200_000);
        const base = teamsMessage(connector.url, 'help');
        await expectShortError(await raw(JSON.stringify({ ...base, from: { ...base.from, aadObjectId: long } })), 400, /from\.aadObjectId/);
        await expectShortError(await raw(JSON.stringify({ ...base, conversation: { ...base.conversation, id: long } })), 400, /conversation\.id/);
        expect(connector.sent).toHaveLength(0);
      });
      it('logs the detail for operators', () => {
        expect(log.join('\n')).toMatch(/failed \[[0-9a-f]{8}\]/);
      });
    });
  }

  describe('Server-Timing', () => {
    it('is not sent unless asked for (it would let a caller time lookups)', async () => {
      bot = await startBot(LOCAL, NO_DB, quiet);
      const res = await post(teamsMessage(connector.url, 'help'));
      expect(res.headers.get('server-timing')).toBeNull();
    });
    it('is sent for benchmarks', async () => {
      bot = await startBot({ ...LOCAL, serverTiming: true }, NO_DB, quiet);
      const res = await post(teamsMessage(connector.url, 'help'));
      expect(res.headers.get('server-timing')).toMatch(/^turn;dur=/);
    });
  });

  describe('the listening address', () => {
    it('is loopback by default even with credentials', async () => {
      bot = await startBot({ ...LOCAL, appId: '11111111-2222-3333-4444-555555555555', appPassword: 'not-used', allowUnauthenticated: false }, NO_DB, quiet);
      expect((bot.server.address() as AddressInfo).address).toBe('127.0.0.1');
    });
    it('is the configured host with credentials', async () => {
      bot = await startBot({ ...LOCAL, appId: '11111111-2222-3333-4444-555555555555', appPassword: 'not-used', allowUnauthenticated: false, host: '0.0.0.0' }, NO_DB, quiet);
      expect((bot.server.address() as AddressInfo).address).toBe('0.0.0.0');
    });
    it('refuses a non-loopback host for an unauthenticated bot', async () => {
      await expect(startBot({ ...LOCAL, host: '0.0.0.0' }, NO_DB, quiet)).rejects.toBeInstanceOf(BotHostError);
    });
  });

  describe('when credentials are set', () => {
    it('refuses a request without a Bot Framework token and sends nothing', async () => {
      bot = await startBot({ ...LOCAL, appId: '11111111-2222-3333-4444-555555555555', appPassword: 'not-used', allowUnauthenticated: false, host: '127.0.0.1' }, NO_DB, quiet);
      expect(bot!.authenticated).toBe(true);
      const res = await post(teamsMessage(connector.url, 'help'));
      expect(res.status).toBe(401);
      expect(connector.sent).toHaveLength(0);
    });
  });

  describe('when neither credentials nor BOT_ALLOW_UNAUTHENTICATED are set', () => {
    it('refuses to start', async () => {
      await expect(startBot({ ...LOCAL, allowUnauthenticated: false }, NO_DB, quiet)).rejects.toBeInstanceOf(BotCredentialsMissingError);
    });
  });
});
