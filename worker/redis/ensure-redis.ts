import { UserFacingError } from '../../domain/errors.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisHandle {
  readonly url: string;
  /** How it was found, for the start-up log. */
  readonly origin: 'REDIS_URL' | 'local default' | 'started redis-server' | 'installed and started redis-server';
  stop(): Promise<void>;
}

export class RedisUnavailableError extends UserFacingError {
  constructor(reason: string) {
    super(`Redis is needed for the job queue (${reason}). Install it (Debian/Ubuntu: sudo apt-get install redis-server) or set REDIS_URL=redis://host:port`);
  }
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

export async function pingRedis(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined); // the outcome is the return value
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedisServer(log: (line: string) => void): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await pingRedis(url, 300)) {
      log(`started redis-server on 127.0.0.1:${port} (stops when this process ends)`);
      return { url, child };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new RedisUnavailableError('redis-server was found but did not start');
}

function installRedis(log: (line: string) => void): boolean {
  if (process.getuid?.() !== 0 || !onPath('apt-get')) return false;
  log('installing redis-server with apt-get (running as root)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  return spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env }).status === 0 && onPath('redis-server');
}

/**
 * Finds a Redis for BullMQ: REDIS_URL if set; else the local default port;
 * else a redis-server from PATH on a free loopback port; else (as root on
 * Debian) installs one; else fails with one line naming what to install.
 */
export interface EnsureRedisOptions {
  readonly redisUrl?: string;
  /** Where to look before starting one. @defaultValue redis://127.0.0.1:6379 */
  readonly defaultUrl?: string;
  readonly log?: (line: string) => void;
}

export async function ensureRedis({ redisUrl, defaultUrl = DEFAULT_URL, log = console.log }: EnsureRedisOptions = {}): Promise<RedisHandle> {
  const none = async () => undefined;
  if (redisUrl) {
    if (!(await pingRedis(redisUrl))) throw new RedisUnavailableError(`REDIS_URL ${redisUrl.replace(/\/\/[^@]*@/, '//***@')} does not answer`);
    return { url: redisUrl, origin: 'REDIS_URL', stop: none };
  }
  if (await pingRedis(defaultUrl)) return { url: defaultUrl, origin: 'local default', stop: none };
  let origin: RedisHandle['origin'] = 'started redis-server';
  if (!onPath('redis-server')) {
    if (!installRedis(log)) throw new RedisUnavailableError(`nothing answers on ${new URL(defaultUrl).host} and redis-server is not installed`);
    origin = 'installed and started redis-server';
  }
  const { url, child } = await startRedisServer(log);
  const stopOnExit = () => child.kill();
  process.once('exit', stopOnExit);
  return {
    url,
    origin,
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill();
        await exited;
      }
    },
  };
}

/** BullMQ connection options from a redis:// URL. */
export function connectionFrom(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must not give up on a slow reply.
    maxRetriesPerRequest: null,
  };
}
