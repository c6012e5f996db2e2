/** Months for the earnings chart: the last `span` months up to now (UTC), zero where nothing was paid. */
export function monthSeries(byMonth: { month: string; cents: number }[], span = 6): { month: string; cents: number }[] {
  const paid = new Map(byMonth.map((item) => [item.month, item.cents]));
  const now = new Date();
  const first = byMonth.map((item) => item.month).sort()[0];
  const series: { month: string; cents: number }[] = [];
  for (let back = 11; back >= 0; back -= 1) {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    const month = date.toISOString().slice(0, 7);
    // Keep at most a year, at least `span` months, and start no later than the first payment.
    if (back >= span && (!first || month < first)) continue;
    series.push({ month, cents: paid.get(month) ?? 0 });
  }
  return series;
}
