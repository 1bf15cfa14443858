import { randomUUID } from 'node:crypto';

/** Redis for integration tests: REDIS_URL, else the machine's local server. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test run shares. */
export const uniquePrefix = () => `tfd-test-${randomUUID().slice(0, 8)}`;
