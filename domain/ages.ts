import { dayOf } from './days.js';

/**
 * The one age rule: age is the number of completed years on a day, by the
 * calendar (a person is 18 from their 18th birthday; someone born on 29
 * February turns a year older on 1 March in common years). Lists, bands,
 * the child/adult split and every card use it, so a profile and a list never
 * disagree on an 18th birthday. Day numbers are whole days since 1970-01-01.
 */
export function completedYears(birthDay: number, day: number): number {
  const b = new Date(birthDay * 86_400_000);
  const d = new Date(day * 86_400_000);
  const beforeBirthday = d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate());
  return d.getUTCFullYear() - b.getUTCFullYear() - (beforeBirthday ? 1 : 0);
}

/** The same rule on ISO dates (`YYYY-MM-DD`). */
export const ageOnIso = (dateOfBirth: string, day: string): number => completedYears(dayOf(dateOfBirth), dayOf(day));

/** Children are under 18 on the day. */
export const isChildOn = (birthDay: number, day: number): boolean => completedYears(birthDay, day) < 18;

export const DAYS_PER_YEAR = 365.25;

/**
 * Age as a continuous quantity, for model inputs only (a smooth feature);
 * anything that decides who is a child, or which band, uses completedYears.
 */
export const yearsBetween = (birth: number, day: number): number => (day - birth) / DAYS_PER_YEAR;

/** The band for an age in completed years (a fractional age counts by completed years: 12.9 is 12). */
export function ageBand(age: number | null): string {
  if (age === null || Number.isNaN(age)) return 'age unknown';
  const years = Math.floor(age);
  if (years < 10) return 'under 10';
  if (years <= 12) return '10–12';
  if (years <= 15) return '13–15';
  if (years <= 17) return '16–17';
  if (years <= 24) return '18–24';
  return '25 and over';
}
