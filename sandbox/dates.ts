// Calendar dates as 'YYYY-MM-DD' strings, computed in UTC so no local time zone leaks in.

const DAY_MS = 86_400_000;

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function firstOfMonth(date: string): string {
  return `${date.slice(0, 8)}01`;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** RFC 3339 date-time with offset: the local wall-clock time `date` + `minuteOfDay` at `offset`. */
export function localDateTime(date: string, minuteOfDay: number, second: number, offset: string): string {
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  const ss = String(second).padStart(2, '0');
  return `${date}T${hh}:${mm}:${ss}${offset}`;
}

/** Milliseconds since the epoch of an RFC 3339 date-time (NaN when unparseable). */
export function instantOf(dateTime: string): number {
  return Date.parse(dateTime);
}
