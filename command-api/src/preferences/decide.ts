import { GenreId, LanguageCode, MediaType, PersonId } from '@reeltime/schemas';
import { Compile, type Validator } from 'typebox/compile';
import { CommandRefused } from '@reeltime/decider';
import type { PreferencesCommand } from './commands.ts';
import type { PreferencesEvent, PreferencesState } from './state.ts';

/**
 * Caps on what the recommender weighs: beyond them a preference says little, and each item
 * costs an event and a row in every projection. Genres and media types are capped by their lists.
 */
export const PREFERENCE_LIMITS = { likedPeople: 100, languages: 50 } as const;

// The HTTP schema already checks these; the event schemas decide what may be stored forever.
const isGenre = Compile(GenreId);
const isPerson = Compile(PersonId);
const isLanguage = Compile(LanguageCode);
const isMediaType = Compile(MediaType);

export function decidePreferences(command: PreferencesCommand, state: PreferencesState): PreferencesEvent[] {
  const { actorId, userId, genres, people, languages, mediaTypes } = command;
  if (actorId !== userId) throw new CommandRefused('forbidden', 'Only the user themself can change their preferences', 403);

  const likedGenres = genres && distinct(genres.liked, isGenre, 'genre');
  const dislikedGenres = genres && distinct(genres.disliked, isGenre, 'genre');
  const conflicting = [...(likedGenres ?? [])].filter((genreId) => dislikedGenres?.has(genreId));
  if (conflicting.length > 0) {
    throw new CommandRefused('conflicting_genre_preference', `Genres both liked and disliked: ${conflicting.join(', ')}`);
  }
  const genreLikes = diff(state.likedGenres, likedGenres);
  const genreDislikes = diff(state.dislikedGenres, dislikedGenres);
  const personLikes = diff(state.likedPeople, people && distinct(people.liked, isPerson, 'person', PREFERENCE_LIMITS.likedPeople));
  const preferredLanguages = diff(state.languages, languages && distinct(languages, isLanguage, 'language', PREFERENCE_LIMITS.languages));
  const preferredMediaTypes = diff(state.mediaTypes, mediaTypes && distinct(mediaTypes, isMediaType, 'media type'));

  // Section by section, removals first: moving a genre from liked to disliked never passes
  // through a moment where it is both, for a projection reading the events one at a time.
  return [
    ...genreLikes.removed.map((genreId): PreferencesEvent => ({ type: 'GenreUnliked', data: { userId, genreId } })),
    ...genreDislikes.removed.map((genreId): PreferencesEvent => ({ type: 'GenreUndisliked', data: { userId, genreId } })),
    ...genreLikes.added.map((genreId): PreferencesEvent => ({ type: 'GenreLiked', data: { userId, genreId } })),
    ...genreDislikes.added.map((genreId): PreferencesEvent => ({ type: 'GenreDisliked', data: { userId, genreId } })),
    ...personLikes.removed.map((personId): PreferencesEvent => ({ type: 'PersonUnliked', data: { userId, personId } })),
    ...personLikes.added.map((personId): PreferencesEvent => ({ type: 'PersonLiked', data: { userId, personId } })),
    ...preferredLanguages.removed.map((language): PreferencesEvent => ({ type: 'LanguageUnpreferred', data: { userId, language } })),
    ...preferredLanguages.added.map((language): PreferencesEvent => ({ type: 'LanguagePreferred', data: { userId, language } })),
    ...preferredMediaTypes.removed.map((mediaType): PreferencesEvent => ({ type: 'MediaTypeUnpreferred', data: { userId, mediaType } })),
    ...preferredMediaTypes.added.map((mediaType): PreferencesEvent => ({ type: 'MediaTypePreferred', data: { userId, mediaType } })),
  ];
}

function distinct<T>(items: readonly T[], validator: Validator, what: string, limit = Number.POSITIVE_INFINITY): ReadonlySet<T> {
  const set = new Set(items);
  for (const item of set) {
    if (!validator.Check(item)) throw new CommandRefused('invalid_preference', `${JSON.stringify(item)} is not a valid ${what}`);
  }
  if (set.size > limit) throw new CommandRefused('too_many_preferences', `Too many ${what} preferences (at most ${limit})`);
  return set;
}

/** What a replacement removes and adds; an absent section changes nothing. Sorted so equal commands give equal events. */
function diff<T extends string | number>(current: ReadonlySet<T>, wanted: ReadonlySet<T> | undefined): { removed: T[]; added: T[] } {
  if (wanted === undefined) return { removed: [], added: [] };
  const byValue = (a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    removed: [...current].filter((item) => !wanted.has(item)).sort(byValue),
    added: [...wanted].filter((item) => !current.has(item)).sort(byValue),
  };
}
