import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/env.js';

describe('loadConfig', () => {
  it('runs locally with no environment at all', () => {
    expect(loadConfig({})).toMatchObject({ DATABASE_URL: 'sqlite:./data/tfd.sqlite', PORT: 3978, QUEUE_PREFIX: 'tfd', BOT_ALLOW_UNAUTHENTICATED: false });
  });
  it('reads the unauthenticated-bot switch only as an explicit 1/true', () => {
    expect(loadConfig({ BOT_ALLOW_UNAUTHENTICATED: '1' }).BOT_ALLOW_UNAUTHENTICATED).toBe(true);
    expect(loadConfig({ BOT_ALLOW_UNAUTHENTICATED: '0' }).BOT_ALLOW_UNAUTHENTICATED).toBe(false);
  });
  it('names every bad variable at once', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', REDIS_URL: 'not a url', BOT_ALLOW_UNAUTHENTICATED: 'yes please' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/PORT/);
    expect(error!.message).toMatch(/REDIS_URL/);
    expect(error!.message).toMatch(/BOT_ALLOW_UNAUTHENTICATED/);
  });
  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
