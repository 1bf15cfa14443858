/** At most `max` requests in any `ms` milliseconds (a sliding window, not a fixed one). */
export interface PaceWindow {
  readonly max: number;
  readonly ms: number;
}

/** Teams' published limits per bot per conversation. */
export const TEAMS_CONVERSATION_LIMITS: readonly PaceWindow[] = [
  { max: 7, ms: 1_000 },
  { max: 8, ms: 2_000 },
  { max: 60, ms: 30_000 },
  { max: 1_800, ms: 3_600_000 },
];

/** Teams' published limit per app per tenant. */
export const TEAMS_TENANT_LIMITS: readonly PaceWindow[] = [{ max: 50, ms: 1_000 }];

/**
 * What the pace holds a tenant to: Teams' 50 a second, spread as 5 in any
 * 100 ms. Without the spread, each second's 50 go in a burst at its start and
 * a little lateness on the way to Teams puts up to 58 in one of Teams'
 * seconds (measured: npm run bench:alerts); spread, lateness moves only a few.
 */
export const TENANT_PACE: readonly PaceWindow[] = [...TEAMS_TENANT_LIMITS, { max: 5, ms: 100 }];

/**
 * The earliest each of n requests may go under these windows, the first at
 * 0: the rule the pace in Redis applies, written out to check it against.
 */
export function fastestSchedule(n: number, windows: readonly PaceWindow[]): number[] {
  const at: number[] = [];
  for (let i = 0; i < n; i++) at.push(Math.max(i > 0 ? at[i - 1] : 0, ...windows.map((w) => (i >= w.max ? at[i - w.max] + w.ms : 0))));
  return at;
}

/** The most of these times (ms, ascending) that fall in any `ms`-long window. */
export function mostInAnyWindow(times: readonly number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * A message counted when its place was taken reaches Teams a little later,
 * and not always equally later (a first send opens its connection): each of a
 * chat's windows is held this much longer, so that Teams, timing arrivals,
 * never sees one too many. Measured here: up to about 50 ms.
 */
export const CONVERSATION_MARGIN_MS = 250;

/** The same windows, each held `marginMs` longer. */
export const withMargin = (windows: readonly PaceWindow[], marginMs: number): PaceWindow[] => windows.map((w) => ({ max: w.max, ms: w.ms + marginMs }));
