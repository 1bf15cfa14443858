import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotCredentialsMissingError, startBot, type RunningBot } from '../../bot/server.js';
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
