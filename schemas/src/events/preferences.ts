import { type Static } from 'typebox';
import { GenreId } from '../genres.ts';
import { LanguageCode, MediaType, PersonId, UserId } from '../ids.ts';
import { StrictObject } from '../strict.ts';

// Stream `preferences-<userId>`. One event per changed item (not a snapshot) so projections
// and recommendation reasons can tell exactly what the user changed and when.

const GenrePreference = StrictObject({ userId: UserId, genreId: GenreId });
const PersonPreference = StrictObject({ userId: UserId, personId: PersonId });
const LanguagePreference = StrictObject({ userId: UserId, language: LanguageCode });
const MediaTypePreference = StrictObject({ userId: UserId, mediaType: MediaType });

export const GenreLikedData = GenrePreference;
export type GenreLikedData = Static<typeof GenreLikedData>;
export const GenreUnlikedData = GenrePreference;
export type GenreUnlikedData = Static<typeof GenreUnlikedData>;
export const GenreDislikedData = GenrePreference;
export type GenreDislikedData = Static<typeof GenreDislikedData>;
export const GenreUndislikedData = GenrePreference;
export type GenreUndislikedData = Static<typeof GenreUndislikedData>;

export const PersonLikedData = PersonPreference;
export type PersonLikedData = Static<typeof PersonLikedData>;
export const PersonUnlikedData = PersonPreference;
export type PersonUnlikedData = Static<typeof PersonUnlikedData>;

export const LanguagePreferredData = LanguagePreference;
export type LanguagePreferredData = Static<typeof LanguagePreferredData>;
export const LanguageUnpreferredData = LanguagePreference;
export type LanguageUnpreferredData = Static<typeof LanguageUnpreferredData>;

export const MediaTypePreferredData = MediaTypePreference;
export type MediaTypePreferredData = Static<typeof MediaTypePreferredData>;
export const MediaTypeUnpreferredData = MediaTypePreference;
export type MediaTypeUnpreferredData = Static<typeof MediaTypeUnpreferredData>;

/** Every preference event type: what a preferences stream holds. */
export type PreferenceEventType =
  | 'GenreLiked'
  | 'GenreUnliked'
  | 'GenreDisliked'
  | 'GenreUndisliked'
  | 'PersonLiked'
  | 'PersonUnliked'
  | 'LanguagePreferred'
  | 'LanguageUnpreferred'
  | 'MediaTypePreferred'
  | 'MediaTypeUnpreferred';
