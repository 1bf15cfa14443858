import { describe, expect, it } from 'vitest';
import { dayOf, isoOf, NO_DAY } from '../../domain/days.js';

describe('dayOf', () => {
  it('reads ISO text (SQLite) and Date objects (SQL Server via tedious) alike', () => {
    expect(dayOf('2024-02-29')).toBe(dayOf(new Date(Date.UTC(2024, 1, 29))));
    expect(dayOf('2024-02-29T23:59:59')).toBe(dayOf('2024-02-29'));
    expect(isoOf(dayOf('1999-12-31'))).toBe('1999-12-31');
    expect(dayOf(null)).toBe(NO_DAY);
  });
});
