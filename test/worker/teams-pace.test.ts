import { afterAll, describe, expect, it } from 'vitest';
import { CONVERSATION_MARGIN_MS, fastestSchedule, mostInAnyWindow, TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS, TENANT_PACE, withMargin, type PaceWindow } from '../../worker/alerts/teams-limits.js';

const M = CONVERSATION_MARGIN_MS;
import { openTeamsPace, type TeamsPace } from '../../worker/redis/teams-pace.js';
import { testRedisUrl, uniquePrefix } from '../helpers/queue.js';

/** A pace on real Redis with a clock the test moves. */
function paceAt(start = 1_000_000, prefix = uniquePrefix(), tenant?: readonly PaceWindow[]) {
  const clock = { now: start };
  const pace = openTeamsPace(testRedisUrl(), { prefix, now: () => clock.now, ...(tenant ? { tenant } : {}) });
  return { clock, pace };
}

/** Sends n requests as soon as the pace allows each, moving the clock by each wait; the times they went (from 0). */
async function sendAsSoonAsAllowed(pace: TeamsPace, clock: { now: number }, n: number, conversation: (i: number) => string | null): Promise<number[]> {
  const start = clock.now;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    for (;;) {
      const wait = await pace.reserve('tenant-1', conversation(i));
      if (wait === 0) break;
      expect(wait).toBeGreaterThan(0);
      clock.now += wait;
    }
    times.push(clock.now - start);
  }
  return times;
}

describe('Teams’ limits, kept in Redis for every worker (real Redis)', () => {
  const opened: TeamsPace[] = [];
  const open = (start?: number, prefix?: string, tenant?: readonly PaceWindow[]) => {
    const p = paceAt(start, prefix, tenant);
    opened.push(p.pace);
    return p;
  };
  afterAll(async () => {
    for (const pace of opened) await pace.close();
  });

  it('lets 7 messages into a chat in a second, then 1 more in the next (8 per 2 s), each window held a margin longer', async () => {
    const { clock, pace } = open(undefined, undefined, TEAMS_TENANT_LIMITS);
    for (let i = 0; i < 7; i++) expect(await pace.reserve('tenant-1', 'a:chat')).toBe(0);
    expect(await pace.reserve('tenant-1', 'a:chat')).toBe(1000 + M);
    clock.now += 1000 + M;
    expect(await pace.reserve('tenant-1', 'a:chat')).toBe(0);
    // Eight in the last two seconds: the next waits for the first to leave the 2 s window.
    expect(await pace.reserve('tenant-1', 'a:chat')).toBe(1000);
    // A refused request is not counted: asking again at the same moment gives the same wait.
    expect(await pace.reserve('tenant-1', 'a:chat')).toBe(1000);
    // Another chat is not held back by this one's limits.
    expect(await pace.reserve('tenant-1', 'a:other')).toBe(0);
  });

  it('over an hour, one chat gets exactly the fastest schedule Teams’ four windows allow (1,801 messages: the last waits for the hour)', async () => {
    const { clock, pace } = open(undefined, undefined, TEAMS_TENANT_LIMITS);
    const times = await sendAsSoonAsAllowed(pace, clock, 1801, () => 'a:busy');
    expect(times).toEqual(fastestSchedule(1801, withMargin(TEAMS_CONVERSATION_LIMITS, M)));
    for (const w of TEAMS_CONVERSATION_LIMITS) expect(mostInAnyWindow(times, w.ms + M)).toBe(w.max);
    // Arriving up to the margin late, still within Teams' own windows.
    const late = times.map((t, i) => t + (i % 2 ? M : 0));
    for (const w of TEAMS_CONVERSATION_LIMITS) expect(mostInAnyWindow([...late].sort((a, b) => a - b), w.ms)).toBeLessThanOrEqual(w.max);
    expect(times[1800]).toBe(3_600_000 + M);
  }, 60_000);

  it('holds the tenant to 50 a second across chats, spread as 5 in any 100 ms, and two workers asking at once never both take the last place', async () => {
    const { clock, pace } = open();
    const times = await sendAsSoonAsAllowed(pace, clock, 120, (i) => `a:chat-${i}`);
    expect(times).toEqual(fastestSchedule(120, TENANT_PACE));
    expect(mostInAnyWindow(times, 1000)).toBe(TEAMS_TENANT_LIMITS[0].max);
    // Spread through the second, not in a burst at its start.
    expect(mostInAnyWindow(times, 100)).toBe(5);
    // Two workers (two Redis connections, one prefix) asking 100 times each at the same moment.
    const prefix = uniquePrefix();
    const one = open(5_000_000, prefix).pace;
    const two = open(5_000_000, prefix).pace;
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? one : two).reserve('tenant-2', `a:c${i}`)));
    expect(answers.filter((w) => w === 0)).toHaveLength(5);
    expect(new Set(answers.filter((w) => w > 0))).toEqual(new Set([100]));
  });
});
