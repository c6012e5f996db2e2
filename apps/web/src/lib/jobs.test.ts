import { describe, expect, it } from 'vitest';
import { describeSchedule, formatDuration, formatFromNow, formatResult } from './jobs';

describe('describeSchedule', () => {
  it('puts the server’s crons in words, with the time zone', () => {
    expect(describeSchedule('0 18 * * *', 'UTC')).toBe('Every day at 18:00 (UTC)');
    expect(describeSchedule('30 7 * * *', 'Europe/Berlin')).toBe('Every day at 07:30 (Europe/Berlin)');
    expect(describeSchedule('*/15 * * * *', 'UTC')).toBe('Every 15 minutes (UTC)');
    expect(describeSchedule('5 * * * *', 'UTC')).toBe('Every hour at :05 (UTC)');
    expect(describeSchedule('0 6 1 * *', 'UTC')).toBe('Monthly on the 1st at 06:00 (UTC)');
    expect(describeSchedule('0 6 22 * *', 'UTC')).toBe('Monthly on the 22nd at 06:00 (UTC)');
    expect(describeSchedule('0 6 12 * *', 'UTC')).toBe('Monthly on the 12th at 06:00 (UTC)');
    expect(describeSchedule('* * * * *', null)).toBe('Every minute');
  });

  it('shows any other expression as it is rather than describe it wrongly', () => {
    expect(describeSchedule('0 9 * * 1-5', 'UTC')).toBe('0 9 * * 1-5 (UTC)');
    expect(describeSchedule('0 0 1 1 *', 'UTC')).toBe('0 0 1 1 * (UTC)');
  });
});

describe('run figures', () => {
  it('says how far off an instant is', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(formatFromNow('2026-12-03T12:05:00Z', now)).toBe('in 5 minutes');
    expect(formatFromNow('2026-12-03T18:00:00Z', now)).toBe('in 6 hours');
    expect(formatFromNow('2026-12-04T12:00:00Z', now)).toBe('tomorrow');
  });

  it('measures a run and lists its counts', () => {
    expect(formatDuration('2026-12-03T12:00:00.000Z', '2026-12-03T12:00:00.250Z')).toBe('250 ms');
    expect(formatDuration('2026-12-03T12:00:00.000Z', '2026-12-03T12:00:12.340Z')).toBe('12.3 s');
    expect(formatDuration('2026-12-03T12:00:00.000Z', null)).toBe('—');
    expect(formatResult({ changed: 2, skipped: 0 })).toBe('changed 2 · skipped 0');
    expect(formatResult(null)).toBe('');
  });
});
