import { describe, expect, it } from 'vitest';
import { meetingIdOf } from '../../db/repositories/meetings.js';

describe('meeting ids', () => {
  it('name the area and the date, and stay within the 64-character id columns for a long area id', () => {
    expect(meetingIdOf('SOM', '2026-01-28')).toBe('meeting-SOM-2026-01-28');
    expect(meetingIdOf('BRS', '2026-01-28')).not.toBe(meetingIdOf('SOM', '2026-01-28'));
    const long = 'A'.repeat(64);
    expect(meetingIdOf(long, '2026-01-28')).toHaveLength(8 + 16 + 1 + 10);
    expect(meetingIdOf(long, '2026-01-28')).not.toBe(meetingIdOf(`${'A'.repeat(63)}B`, '2026-01-28'));
  });
});
