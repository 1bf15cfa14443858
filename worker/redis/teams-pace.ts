import { Redis } from 'ioredis';
import { connectionFrom } from './ensure-redis.js';
import { CONVERSATION_MARGIN_MS, TEAMS_CONVERSATION_LIMITS, TENANT_PACE, withMargin, type PaceWindow } from '../alerts/teams-limits.js';

/**
 * Every request the bot makes to Teams of its own accord, counted where
 * every worker sees it, so Teams' limits hold however many workers send.
 */
export interface TeamsPace {
  /**
   * Counts one request to the tenant (and to the conversation, if given) when
   * all their limits allow it now, and answers 0; otherwise counts nothing and
   * answers how many milliseconds until they would.
   */
  reserve(tenantId: string, conversationId: string | null): Promise<number>;
  close(): Promise<void>;
}

// One script, so that checking the windows and counting the request are one
// step for Redis: two workers can never both take the last place in a window.
// Each key is a sorted set of request times; times come from Redis's own clock
// (workers on several machines agree on it) unless the caller gives one (tests).
const RESERVE = `
local now = tonumber(ARGV[1])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local member = now .. '-' .. ARGV[2]
local wait = 0
local spans = {}
local arg = 3
for k = 1, #KEYS do
  local count = tonumber(ARGV[arg])
  arg = arg + 1
  local longest = 0
  for i = 1, count do
    local max = tonumber(ARGV[arg])
    local ms = tonumber(ARGV[arg + 1])
    arg = arg + 2
    if ms > longest then longest = ms end
    local inWindow = redis.call('ZCOUNT', KEYS[k], '(' .. (now - ms), '+inf')
    if inWindow >= max then
      local leaving = redis.call('ZRANGEBYSCORE', KEYS[k], '(' .. (now - ms), '+inf', 'WITHSCORES', 'LIMIT', inWindow - max, 1)
      local w = tonumber(leaving[2]) + ms - now
      if w > wait then wait = w end
    end
  end
  spans[k] = longest
end
if wait > 0 then return wait end
for k = 1, #KEYS do
  if spans[k] > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', now - spans[k])
    redis.call('ZADD', KEYS[k], now, member)
    redis.call('PEXPIRE', KEYS[k], spans[k])
  end
end
return 0
`;

const windowArgs = (windows: readonly PaceWindow[]) => [String(windows.length), ...windows.flatMap((w) => [String(w.max), String(w.ms)])];

export interface TeamsPaceOptions {
  readonly prefix: string;
  /** @defaultValue Teams' per-conversation limits, each window held CONVERSATION_MARGIN_MS longer */
  readonly conversation?: readonly PaceWindow[];
  /** @defaultValue TENANT_PACE (Teams' 50 a second, spread) */
  readonly tenant?: readonly PaceWindow[];
  /** The clock, in ms (tests); by default Redis's own. */
  readonly now?: () => number;
}

export function openTeamsPace(redisUrl: string, options: TeamsPaceOptions): TeamsPace {
  const redis = new Redis({ ...connectionFrom(redisUrl), maxRetriesPerRequest: 3 });
  // A defined command goes as EVALSHA: the script is sent once, not with every message.
  redis.defineCommand('teamsPaceReserve', { lua: RESERVE });
  const reserve = (redis as unknown as { teamsPaceReserve(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number> }).teamsPaceReserve.bind(redis);
  const tenantWindows = windowArgs(options.tenant ?? TENANT_PACE);
  const conversationWindows = windowArgs(options.conversation ?? withMargin(TEAMS_CONVERSATION_LIMITS, CONVERSATION_MARGIN_MS));
  let sequence = 0;
  const unique = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  return {
    async reserve(tenantId, conversationId) {
      const keys = [`${options.prefix}:teams-pace:tenant:${tenantId}`, ...(conversationId === null ? [] : [`${options.prefix}:teams-pace:conversation:${conversationId}`])];
      const args = [options.now ? String(options.now()) : '', `${unique}-${sequence++}`, ...tenantWindows, ...(conversationId === null ? [] : conversationWindows)];
      return Number(await reserve(keys.length, ...keys, ...args));
    },
    async close() {
      await redis.quit();
    },
  };
}
