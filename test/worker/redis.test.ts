import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ensureRedis, pingRedis, RedisUnavailableError } from '../../worker/redis/ensure-redis.js';
import { testRedisUrl } from '../helpers/queue.js';

const hasRedisServer = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;

describe('ensureRedis', () => {
  it('uses REDIS_URL when it answers', async () => {
    const redis = await ensureRedis({ redisUrl: testRedisUrl(), log: () => undefined });
    expect(redis).toMatchObject({ url: testRedisUrl(), origin: 'REDIS_URL' });
    await redis.stop();
  });

  it('fails with one actionable line when REDIS_URL does not answer', async () => {
    const error = await ensureRedis({ redisUrl: 'redis://127.0.0.1:1', log: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toMatch(/does not answer.*apt-get install redis-server/);
  });

  it.runIf(hasRedisServer)('starts a redis-server on a free loopback port when nothing answers, and stops it', async () => {
    const lines: string[] = [];
    const redis = await ensureRedis({ defaultUrl: 'redis://127.0.0.1:1', log: (l) => lines.push(l) });
    expect(redis.origin).toBe('started redis-server');
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await pingRedis(redis.url)).toBe(true);
    expect(lines.join('\n')).toMatch(/started redis-server/);
    await redis.stop();
    expect(await pingRedis(redis.url, 300)).toBe(false);
  });
});
