/**
 * How far this box's clock is from Protime's, from the Date header of an answer (RFC 9110: the
 * time the answer was made, to the second): local minus Protime, in ms, or undefined when the
 * header is missing or not a date. Off by at most the round trip plus the second the header drops.
 */
export function clockOffsetMs(dateHeader: unknown, localNow: number): number | undefined {
  if (typeof dateHeader !== 'string') return undefined;
  const upstream = Date.parse(dateHeader);
  return Number.isNaN(upstream) ? undefined : localNow - upstream;
}

/** Beyond this the clockings, which carry this box's time, are visibly wrong: worth a warning. */
const CLOCK_OFFSET_WARN_MS = 120_000;

/** Whether an offset is worth a warning (the log, the status page). */
export function clockIsOff(offsetMs: number): boolean {
  return Math.abs(offsetMs) > CLOCK_OFFSET_WARN_MS;
}

/** "3 min 5 s behind Protime's clock" / "40 s ahead of Protime's clock": for a person reading the log or the status page. */
export function describeClockOffset(offsetMs: number): string {
  const total = Math.round(Math.abs(offsetMs) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts = [days > 0 ? `${days} d` : '', hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : '', seconds > 0 || total === 0 ? `${seconds} s` : ''].filter((p) => p !== '');
  return `${parts.join(' ')} ${offsetMs < 0 ? 'behind' : 'ahead of'} Protime's clock`;
}
