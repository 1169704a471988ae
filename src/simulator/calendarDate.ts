/** Whether `s` is a real calendar date written YYYY-MM-DD (2025-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The UTC calendar date of a ms timestamp, for dates the simulator has to invent (default usages). */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether two date ranges with optional (open) ends share at least one day; ends are inclusive. */
export function rangesOverlap(a: { from: string; until?: string | undefined }, b: { from: string; until?: string | undefined }): boolean {
  const aEndsBeforeB = a.until !== undefined && a.until < b.from;
  const bEndsBeforeA = b.until !== undefined && b.until < a.from;
  return !aEndsBeforeB && !bEndsBeforeA;
}
