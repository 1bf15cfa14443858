import type { TestProject } from 'vitest/node';
import { ensureRedis } from '../worker/redis/ensure-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** One Redis for the run: REDIS_URL, the local default, or a private redis-server started here. */
export default async function setup(project: TestProject) {
  const redis = await ensureRedis({ redisUrl: process.env.REDIS_URL, log: (line) => console.log(`test setup: ${line}`) });
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
