import { IsoDate } from '@reeltime/schemas';
import { Compile } from 'typebox/compile';

// Field readers shared by the formats: each returns undefined for a value it cannot read, and
// the format decides whether that is a row problem or a file error.

const isCalendarDay = Compile(IsoDate);

/** `2024-05-17` (or the date part of an ISO timestamp) when it is a real calendar day. */
export function calendarDay(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const day = value.trim().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && isCalendarDay.Check(day) ? day : undefined;
}

export function year(value: string | number | undefined | null): number | undefined {
  const n = typeof value === 'number' ? value : value ? Number(value.trim()) : Number.NaN;
  return Number.isInteger(n) && n >= 1870 && n <= 2200 ? n : undefined;
}

/** Letterboxd's half stars (0.5-5) as a 1-10 score. */
export function halfStarsToScore(value: string): number | undefined {
  const stars = Number(value);
  const score = stars * 2;
  return value.trim() !== '' && Number.isInteger(score) && score >= 1 && score <= 10 ? score : undefined;
}

export function tenPointScore(value: string | number | undefined | null): number | undefined {
  const score = typeof value === 'number' ? value : value ? Number(value.trim()) : Number.NaN;
  return Number.isInteger(score) && score >= 1 && score <= 10 ? score : undefined;
}

const IMDB_ID = /^tt[0-9]{5,10}$/;
export const imdbId = (value: string | undefined | null) => (value && IMDB_ID.test(value.trim()) ? value.trim() : undefined);

export function tmdbId(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 2_147_483_647 ? value : undefined;
}

/** Code points, like the event schemas count them. */
export const length = (text: string) => [...text].length;

/** The file name without folders and extension: `lists/Noir.csv` → `Noir`. */
export const baseName = (file: string) => file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
