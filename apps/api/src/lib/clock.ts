/**
 * The calendar the product judges dates by: UTC days. (SQL reads the same day with
 * `(now() at time zone 'utc')::date`; see `utcToday` in the campaigns repository.)
 */
export function utcDate(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}

/** The calendar date (`YYYY-MM-DD`) at `at` in an IANA time zone: the reminder day, say. */
export function dateIn(timeZone: string, at: Date): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
