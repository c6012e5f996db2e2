import { effectScope } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const admin = vi.hoisted(() => ({ listJobs: vi.fn(), runJob: vi.fn() }));
vi.mock('@/api/client', () => ({ api: { admin } }));

const { useJobs } = await import('./useJobs');

const job = (state?: string) => ({
  name: 'daily-reminders',
  kind: 'job',
  schedule: '0 18 * * *',
  timezone: 'UTC',
  nextRunAt: '2026-12-03T18:00:00.000Z',
  runs: state ? [{ id: 'r1', state }] : [],
});

describe('jobs data', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('runs a job now, then asks again every few seconds until the run is done, and no longer', async () => {
    admin.listJobs.mockResolvedValueOnce({ items: [job()] });
    admin.runJob.mockResolvedValue({ id: 'r1' });
    const scope = effectScope();
    const jobs = scope.run(() => useJobs(1000))!;
    await jobs.reload();
    expect(jobs.pending.value).toBe(false);

    admin.listJobs.mockResolvedValueOnce({ items: [job('created')] });
    const running = jobs.runNow('daily-reminders');
    expect(jobs.queuing.value.has('daily-reminders')).toBe(true);
    expect(await running).toEqual({ id: 'r1' });
    expect(admin.runJob).toHaveBeenCalledWith('daily-reminders');
    expect(jobs.queuing.value.has('daily-reminders')).toBe(false);
    expect(jobs.pending.value).toBe(true);

    admin.listJobs.mockResolvedValueOnce({ items: [job('active')] });
    admin.listJobs.mockResolvedValueOnce({ items: [job('completed')] });
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(jobs.items.value[0]!.runs[0]!.state).toBe('completed');
    const calls = admin.listJobs.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(admin.listJobs.mock.calls.length).toBe(calls);
    scope.stop();
  });

  it('stops asking once the page is left', async () => {
    admin.listJobs.mockResolvedValue({ items: [job('active')] });
    const scope = effectScope();
    const jobs = scope.run(() => useJobs(1000))!;
    await jobs.reload();
    scope.stop();
    const calls = admin.listJobs.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(admin.listJobs.mock.calls.length).toBe(calls);
  });
});
