/** Shared formatting: ratings are stored 1..10 and shown as five stars in half steps. */

/** `7` → `★★★½`. */
export function stars(score: number): string {
  const full = Math.floor(score / 2);
  return '★'.repeat(full) + (score % 2 ? '½' : '');
}

/** Spoken form of a score: `7` → `3.5 out of 5 stars`. */
export function starsLabel(score: number): string {
  const value = score / 2;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} out of 5 stars`;
}

/** An average on the 1..10 scale shown out of 5 with one decimal. */
export function averageOutOfFive(average: number | null): string {
  return average === null ? '–' : (average / 2).toFixed(1);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2026-03-04` or an ISO timestamp → `4 Mar 2026`. */
export function formatDate(value: string): string {
  return dateFormat.format(new Date(value.length === 10 ? `${value}T00:00:00Z` : value));
}

export function formatMonth(isoDate: string): string {
  return monthFormat.format(new Date(`${isoDate.slice(0, 7)}-01T00:00:00Z`));
}

/** `125` → `2h 5m`. */
export function runtime(minutes: number | null): string | null {
  if (!minutes) return null;
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours}h ${minutes % 60}m` : `${minutes}m`;
}

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 31) return `${days} d ago`;
  return formatDate(iso);
}
