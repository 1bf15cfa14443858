/** Ages from day numbers, and the bands people are shown and audited by (never a date of birth). */

export const DAYS_PER_YEAR = 365.25;

/** Age in years (fractional) on `day` for someone born on `birth` (day numbers). */
export const yearsBetween = (birth: number, day: number): number => (day - birth) / DAYS_PER_YEAR;

/** The band for an age; fractional ages count by completed years (12.9 is 12). */
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
