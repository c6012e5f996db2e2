/**
 * The calendar the product judges dates by: UTC days. (SQL reads the same day with
 * `(now() at time zone 'utc')::date`; see `utcToday` in the campaigns repository.)
 */
export function utcDate(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}
