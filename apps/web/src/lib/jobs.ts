/**
 * The jobs page's words: a cron schedule as a person reads it, a time to come, a run's length
 * and what it reported.
 */

const pad = (n: number) => String(n).padStart(2, '0');
const isNumber = (field: string) => /^\d+$/.test(field);
const ordinal = (n: number) => {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
};

/**
 * The five-field crons the server uses, in words ("Every day at 18:00 (UTC)"); any other
 * expression is shown as it is, so nothing is ever described wrongly.
 */
export function describeSchedule(cron: string, timezone: string | null): string {
  const zone = timezone ? ` (${timezone})` : '';
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return `${cron}${zone}`;
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  const anyDay = day === '*' && month === '*' && weekday === '*';
  const every = /^\*\/(\d+)$/.exec(minute);
  if (every && hour === '*' && anyDay) {
    const n = Number(every[1]);
    return `${n === 1 ? 'Every minute' : `Every ${n} minutes`}${zone}`;
  }
  if (minute === '*' && hour === '*' && anyDay) return `Every minute${zone}`;
  if (isNumber(minute) && hour === '*' && anyDay) return `Every hour at :${pad(Number(minute))}${zone}`;
  if (isNumber(minute) && isNumber(hour)) {
    const time = `${pad(Number(hour))}:${pad(Number(minute))}`;
    if (anyDay) return `Every day at ${time}${zone}`;
    if (isNumber(day) && month === '*' && weekday === '*')
      return `Monthly on the ${ordinal(Number(day))} at ${time}${zone}`;
  }
  return `${cron}${zone}`;
}

const relative = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });

/** "in 5 minutes", "in 3 hours", "tomorrow", "in 12 days" (or "… ago" for a past instant). */
export function formatFromNow(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** A run's length: "850 ms", "12.3 s", "4 min 5 s"; an em dash until it has both ends. */
export function formatDuration(startedAt: string | null, finishedAt: string | null): string {
  if (!startedAt || !finishedAt) return '—';
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (ms < 1000) return `${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** What a run reported, "changed 2 · skipped 0"; empty when it reported nothing. */
export function formatResult(result: Record<string, unknown> | null): string {
  if (!result) return '';
  return Object.entries(result)
    .map(([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}

/** States in which a run is not done yet: the page keeps asking until they are. */
export const PENDING_STATES: readonly string[] = ['created', 'retry', 'active'];
