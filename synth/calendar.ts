/** Dates as whole days since 1970-01-01 (UTC), formatted through a cache. */
export type Day = number;

const MS_PER_DAY = 86_400_000;
const cache = new Map<Day, string>();

export const dayOf = (iso: string): Day => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / MS_PER_DAY);

export function isoDate(day: Day): string {
  let text = cache.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    cache.set(day, text);
  }
  return text;
}

export const yearOf = (day: Day): number => new Date(day * MS_PER_DAY).getUTCFullYear();

/** Whole years between a birth day and a day. */
export function ageOn(birth: Day, day: Day): number {
  const b = new Date(birth * MS_PER_DAY);
  const d = new Date(day * MS_PER_DAY);
  let age = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** The day a person turns `years` old (approximate for 29 February). */
export const birthdayAt = (birth: Day, years: number): Day => birth + Math.round(years * 365.2425);

/** 1 September of the school year that starts after `day`. */
export function nextSeptember(day: Day): Day {
  const d = new Date(day * MS_PER_DAY);
  const year = d.getUTCMonth() >= 8 ? d.getUTCFullYear() + 1 : d.getUTCFullYear();
  return Date.UTC(year, 8, 1) / MS_PER_DAY;
}

export const septemberOf = (year: number): Day => Date.UTC(year, 8, 1) / MS_PER_DAY;

export const DAYS_PER_YEAR = 365.25;

export function timestamp(day: Day, secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  return `${isoDate(day)}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
