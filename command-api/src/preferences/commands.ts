import type { EventData } from '@reeltime/schemas';

export type PreferenceUserId = EventData<'GenreLiked'>['userId'];
export type PreferredGenre = EventData<'GenreLiked'>['genreId'];
export type PreferredPerson = EventData<'PersonLiked'>['personId'];
export type PreferredLanguage = EventData<'LanguagePreferred'>['language'];
export type PreferredMediaType = EventData<'MediaTypePreferred'>['mediaType'];

/**
 * `PUT /preferences`: each present section replaces that section wholesale, an absent one is
 * left alone. Arrays may repeat items; they are treated as sets.
 */
export type SetPreferences = {
  type: 'SetPreferences';
  /** The authenticated user sending the command; preferences are changed by their owner only. */
  actorId: PreferenceUserId;
  userId: PreferenceUserId;
  genres?: { liked: readonly PreferredGenre[]; disliked: readonly PreferredGenre[] };
  people?: { liked: readonly PreferredPerson[] };
  languages?: readonly PreferredLanguage[];
  mediaTypes?: readonly PreferredMediaType[];
};

export type PreferencesCommand = SetPreferences;
