import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { scoreRunPayload } from '../../worker/jobs/score-run-job.js';

describe('a run’s as-of date', () => {
  it('is refused by the job when it is not on the calendar, instead of rolling over to the next month', () => {
    const parsed = scoreRunPayload.safeParse({ asOf: '2025-02-30' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0].message).toMatch(/"2025-02-30" is not a real calendar date/);
    expect(scoreRunPayload.safeParse({ asOf: '2024-02-29' }).success).toBe(true);
    expect(scoreRunPayload.safeParse({ asOf: '2025-13-01' }).success).toBe(false);
  });

  it('is refused by `score --as-of` with one line saying why, before anything is queued', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'score', '--as-of', '2025-02-30'], { encoding: 'utf8', env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('error: --as-of: "2025-02-30" is not a real calendar date');
  });
});
