import type { LivePreferences, PreferenceEventType } from '@reeltime/schemas';
import { channels, type Notices } from '../model/notices.ts';
import type { PreferencesRow } from './rows.ts';
import { isErased, type ActivityState, type EventOf } from './state.ts';

type PreferenceEvent = EventOf<PreferenceEventType>;

type ArrayColumn = 'liked_genres' | 'disliked_genres' | 'liked_people' | 'languages' | 'media_types';

const added = <T>(values: readonly T[], value: T) => (values.includes(value) ? [...values] : [...values, value]);
const removed = <T>(values: readonly T[], value: T) => values.filter((v) => v !== value);

function change(event: PreferenceEvent): { column: ArrayColumn; value: number | string; add: boolean } {
  switch (event.type) {
    case 'GenreLiked':
      return { column: 'liked_genres', value: event.data.genreId, add: true };
    case 'GenreUnliked':
      return { column: 'liked_genres', value: event.data.genreId, add: false };
    case 'GenreDisliked':
      return { column: 'disliked_genres', value: event.data.genreId, add: true };
    case 'GenreUndisliked':
      return { column: 'disliked_genres', value: event.data.genreId, add: false };
    case 'PersonLiked':
      return { column: 'liked_people', value: event.data.personId, add: true };
    case 'PersonUnliked':
      return { column: 'liked_people', value: event.data.personId, add: false };
    case 'LanguagePreferred':
      return { column: 'languages', value: event.data.language, add: true };
    case 'LanguageUnpreferred':
      return { column: 'languages', value: event.data.language, add: false };
    case 'MediaTypePreferred':
      return { column: 'media_types', value: event.data.mediaType, add: true };
    case 'MediaTypeUnpreferred':
      return { column: 'media_types', value: event.data.mediaType, add: false };
  }
}

export function preferencesOf(row: PreferencesRow | undefined): LivePreferences {
  return {
    genres: { liked: row?.liked_genres ?? [], disliked: row?.disliked_genres ?? [] },
    people: { liked: row?.liked_people ?? [] },
    languages: row?.languages ?? [],
    mediaTypes: row?.media_types ?? [],
  };
}

export function preferenceChanged(state: ActivityState, event: PreferenceEvent, notices: Notices): void {
  const { userId } = event.data;
  if (isErased(state, userId)) return;
  const row: PreferencesRow = state.preferences.get(userId) ?? {
    user_id: userId,
    liked_genres: [],
    disliked_genres: [],
    liked_people: [],
    languages: [],
    media_types: [],
    updated_at: event.occurredAt,
    position: event.position,
  };
  const { column, value, add } = change(event);
  const values = row[column] as (number | string)[];
  const next = {
    ...row,
    [column]: add ? added(values, value) : removed(values, value),
    updated_at: event.occurredAt,
    position: event.position,
  };
  state.preferences.put(next);
  notices.note(event, channels.me(userId), () => ({ type: 'preferences.changed', preferences: preferencesOf(next) }));
}

export const PREFERENCE_EVENTS = [
  'GenreLiked',
  'GenreUnliked',
  'GenreDisliked',
  'GenreUndisliked',
  'PersonLiked',
  'PersonUnliked',
  'LanguagePreferred',
  'LanguageUnpreferred',
  'MediaTypePreferred',
  'MediaTypeUnpreferred',
] as const satisfies readonly PreferenceEvent['type'][];
