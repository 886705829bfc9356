import { readFileSync } from 'node:fs';
import type { TmdbMovieDetails, TmdbTvDetails } from '../tmdb/schemas.ts';

/** Real-shaped TMDb details responses (trimmed): The Matrix and Breaking Bad. */
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

export const matrixDetails = () => load('movie-603.json') as TmdbMovieDetails & Record<string, unknown>;
export const breakingBadDetails = () => load('tv-1396.json') as TmdbTvDetails & Record<string, unknown>;
