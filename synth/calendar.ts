import { isoOf } from '../domain/days.js';

/** Dates as whole days since 1970-01-01 (UTC), the same day numbers the scoring code uses. */
export type Day = number;

const MS_PER_DAY = 86_400_000;

export { dayOf, isoOf as isoDate } from '../domain/days.js';

export const yearOf = (day: Day): number => new Date(day * MS_PER_DAY).getUTCFullYear();

/** 1 September of the school year that starts after `day`. */
export function nextSeptember(day: Day): Day {
  const d = new Date(day * MS_PER_DAY);
  const year = d.getUTCMonth() >= 8 ? d.getUTCFullYear() + 1 : d.getUTCFullYear();
  return Date.UTC(year, 8, 1) / MS_PER_DAY;
}

export const septemberOf = (year: number): Day => Date.UTC(year, 8, 1) / MS_PER_DAY;

export { DAYS_PER_YEAR } from '../domain/ages.js';

export function timestamp(day: Day, secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  return `${isoOf(day)}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
