import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/** The Redis the global setup found or started for this run. */
export const testRedisUrl = () => inject('redisUrl');

/** A key prefix no other test run shares. */
export const uniquePrefix = () => `tfd-test-${randomUUID().slice(0, 8)}`;
