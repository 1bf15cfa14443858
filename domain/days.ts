/** Whole days since 1970-01-01 (UTC): scoring compares dates as integers. */
export const NO_DAY = -2147483648;
export const OPEN_END = 2147483647;

const cache = new Map<string, number>();

/** A stored date as a day number: ISO text (SQLite) or a Date (SQL Server through tedious). */
export function dayOf(iso: string | Date | null | undefined): number {
  if (!iso) return NO_DAY;
  if (iso instanceof Date) return Math.floor(iso.getTime() / 86_400_000);
  const key = iso.length === 10 ? iso : iso.slice(0, 10);
  let day = cache.get(key);
  if (day === undefined) {
    const year = +key.slice(0, 4);
    // Date.UTC reads years 0–99 as 1900–1999; a date typed as 0050-01-01 is the year 50.
    const at = new Date(Date.UTC(2000, +key.slice(5, 7) - 1, +key.slice(8, 10)));
    if (year !== 2000) at.setUTCFullYear(year, +key.slice(5, 7) - 1, +key.slice(8, 10));
    day = Math.floor(at.getTime() / 86_400_000);
    if (cache.size > 500_000) cache.clear();
    cache.set(key, day);
  }
  return day;
}

const isoCache = new Map<number, string>();

/** `YYYY-MM-DD` for a day number (cached: writers format millions of dates). */
export function isoOf(day: number): string {
  let text = isoCache.get(day);
  if (text === undefined) {
    text = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (isoCache.size > 500_000) isoCache.clear();
    isoCache.set(day, text);
  }
  return text;
}
