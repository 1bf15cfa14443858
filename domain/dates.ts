/**
 * Calendar-checked ISO-8601 dates: the one parser for the bundle import, the
 * generator's options, `score --as-of` and the scoring job's payload, so that
 * 2025-02-30 is refused everywhere rather than rolled over to 2 March.
 */
export type DateResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

const ok = (value: string): DateResult => ({ ok: true, value });
const fail = (reason: string): DateResult => ({ ok: false, reason });

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A SQL Server or Excel export may write a date column as a midnight timestamp.
const DATE_WITH_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2100;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

function checkDate(year: number, month: number, day: number, raw: string): DateResult | null {
  if (!isRealDate(year, month, day)) return fail(`"${raw}" is not a real calendar date`);
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) return fail(`"${raw}" is outside ${EARLIEST_YEAR}–${LATEST_YEAR}`);
  return null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// A TFD holds a few thousand distinct days among millions of dated rows.
const dateCache = new Map<string, DateResult>();

/** `YYYY-MM-DD`; a midnight timestamp is accepted and cut to its date. */
export function parseIsoDate(raw: string): DateResult {
  let parsed = dateCache.get(raw);
  if (parsed === undefined) {
    parsed = parseDateUncached(raw);
    if (dateCache.size > 200_000) dateCache.clear();
    dateCache.set(raw, parsed);
  }
  return parsed;
}

function parseDateUncached(raw: string): DateResult {
  const m = DATE_RE.exec(raw) ?? DATE_WITH_TIME_RE.exec(raw);
  if (!m) return fail(`"${raw}" is not an ISO-8601 date (YYYY-MM-DD)`);
  const error = checkDate(+m[1], +m[2], +m[3], raw);
  return error ?? ok(`${m[1]}-${m[2]}-${m[3]}`);
}

/**
 * ISO-8601 date-time, stored as `YYYY-MM-DDTHH:MM:SS`. An explicit offset is
 * converted to UTC; a time without one is taken as recorded (local time).
 */
export function parseIsoTimestamp(raw: string): DateResult {
  const m = TIMESTAMP_RE.exec(raw);
  if (!m) return fail(`"${raw}" is not an ISO-8601 timestamp (YYYY-MM-DDTHH:MM:SS)`);
  const [year, month, day] = [+m[1], +m[2], +m[3]];
  const error = checkDate(year, month, day, raw);
  if (error) return error;
  const [hour, minute, second] = [+(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return fail(`"${raw}" has an impossible time of day`);
  if (!m[8] || m[8] === 'Z' || /^[+-]00:?00$/.test(m[8])) {
    return ok(`${m[1]}-${m[2]}-${m[3]}T${pad(hour)}:${pad(minute)}:${pad(second)}`);
  }
  const sign = m[8][0] === '-' ? -1 : 1;
  const offset = m[8].slice(1).replace(':', '');
  const minutes = sign * (+offset.slice(0, 2) * 60 + +offset.slice(2));
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second) - minutes * 60_000);
  return ok(utc.toISOString().slice(0, 19));
}

