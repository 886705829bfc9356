/* When things happen in the demo community: mostly evenings, weekends a little likelier. */
import type { Random } from './random.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY;

/** Minute of the day, mostly evenings. */
function timeOfDay(random: Random): number {
  const slot = random.next();
  if (slot < 0.62) return random.int(18 * 60, 23 * 60 + 50) * MINUTE;
  if (slot < 0.88) return random.int(12 * 60, 18 * 60) * MINUTE;
  return random.int(7 * 60, 12 * 60) * MINUTE;
}

/** A moment in (from, to): a day (weekends a little likelier), then a time of day. */
export function momentBetween(random: Random, from: number, to: number): number {
  if (to - from <= 2 * HOUR) return from + Math.max(1, Math.floor(random.next() * (to - from)));
  const firstDay = utcDay(from);
  const days = Math.floor((utcDay(to) - firstDay) / DAY);
  let day = firstDay + random.int(0, days) * DAY;
  const weekday = new Date(day).getUTCDay();
  if (weekday >= 1 && weekday <= 4 && random.chance(0.3)) day = firstDay + random.int(0, days) * DAY;
  const at = day + timeOfDay(random);
  if (at <= from) return from + random.int(1, 59) * MINUTE;
  if (at >= to) return Math.max(from + MINUTE, to - random.int(1, 59) * MINUTE);
  return at;
}
