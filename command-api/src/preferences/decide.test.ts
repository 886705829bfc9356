import { describe, expect, it } from 'vitest';
import { fold } from '@reeltime/decider';
import { given, invalidEvents, OTHER_USER_ID, USER_ID } from '@reeltime/decider/testing';
import {
  PREFERENCE_LIMITS,
  preferencesDecider,
  preferencesStreamId,
  type PreferencesEvent,
  type PreferredGenre,
  type SetPreferences,
} from './index.ts';

const set = (fields: Partial<SetPreferences> = {}): SetPreferences => ({
  type: 'SetPreferences',
  actorId: USER_ID,
  userId: USER_ID,
  ...fields,
});
const userId = USER_ID;
const [ACTION, COMEDY, DRAMA, HORROR] = [28, 35, 18, 27] as const;
const KEANU = 6384;
const FISHBURNE = 2975;

const likedGenre = (genreId: PreferredGenre): PreferencesEvent => ({ type: 'GenreLiked', data: { userId, genreId } });
const dislikedGenre = (genreId: PreferredGenre): PreferencesEvent => ({ type: 'GenreDisliked', data: { userId, genreId } });
const likedPerson = (personId: number): PreferencesEvent => ({ type: 'PersonLiked', data: { userId, personId } });
const language = (code: string): PreferencesEvent => ({ type: 'LanguagePreferred', data: { userId, language: code } });
const movies: PreferencesEvent = { type: 'MediaTypePreferred', data: { userId, mediaType: 'movie' } };

/** A user who likes action and drama, dislikes horror, likes Keanu, watches English films. */
const history = [likedGenre(ACTION), likedGenre(DRAMA), dislikedGenre(HORROR), likedPerson(KEANU), language('en'), movies];

describe('SetPreferences', () => {
  it('stores every item of a first PUT as its own event, in a fixed order', () =>
    given(preferencesDecider)
      .when(
        set({
          mediaTypes: ['movie'],
          languages: ['en'],
          people: { liked: [KEANU] },
          genres: { liked: [DRAMA, ACTION], disliked: [HORROR] },
        }),
      )
      .then([likedGenre(DRAMA), likedGenre(ACTION), dislikedGenre(HORROR), likedPerson(KEANU), language('en'), movies]));

  it('appends nothing when the same preferences come again, in any order', () =>
    given(preferencesDecider, history)
      .when(
        set({
          genres: { liked: [DRAMA, ACTION], disliked: [HORROR] },
          people: { liked: [KEANU] },
          languages: ['en'],
          mediaTypes: ['movie'],
        }),
      )
      .thenNothing());

  it('appends nothing for an empty PUT', () => given(preferencesDecider, history).when(set()).thenNothing());

  it('replaces a present section with only the difference', () =>
    given(preferencesDecider, history)
      .when(set({ genres: { liked: [DRAMA, COMEDY], disliked: [HORROR] }, people: { liked: [FISHBURNE, KEANU] } }))
      .then([{ type: 'GenreUnliked', data: { userId, genreId: ACTION } }, likedGenre(COMEDY), likedPerson(FISHBURNE)]));

  it('leaves absent sections untouched', () =>
    given(preferencesDecider, history)
      .when(set({ languages: ['ja', 'en'] }))
      .then([language('ja')]));

  it('clears a section given as empty', () =>
    given(preferencesDecider, history)
      .when(set({ genres: { liked: [], disliked: [] }, mediaTypes: [] }))
      .then([
        { type: 'GenreUnliked', data: { userId, genreId: DRAMA } },
        { type: 'GenreUnliked', data: { userId, genreId: ACTION } },
        { type: 'GenreUndisliked', data: { userId, genreId: HORROR } },
        { type: 'MediaTypeUnpreferred', data: { userId, mediaType: 'movie' } },
      ]));

  it('moves a genre between liked and disliked by removing it first', () =>
    given(preferencesDecider, history)
      .when(set({ genres: { liked: [ACTION, DRAMA, HORROR], disliked: [] } }))
      .then([{ type: 'GenreUndisliked', data: { userId, genreId: HORROR } }, likedGenre(HORROR)]));

  it('collapses duplicates inside an array', () =>
    given(preferencesDecider)
      .when(
        set({
          genres: { liked: [COMEDY, COMEDY], disliked: [] },
          people: { liked: [KEANU, KEANU] },
          languages: ['en', 'en'],
          mediaTypes: ['movie', 'movie'],
        }),
      )
      .then([likedGenre(COMEDY), likedPerson(KEANU), language('en'), movies]));

  it('refuses a genre both liked and disliked', () =>
    given(preferencesDecider)
      .when(set({ genres: { liked: [ACTION, COMEDY], disliked: [COMEDY] } }))
      .thenRefused('conflicting_genre_preference', 409));

  it(`accepts ${PREFERENCE_LIMITS.likedPeople} liked people, counted after collapsing duplicates`, () => {
    const liked = Array.from({ length: PREFERENCE_LIMITS.likedPeople }, (_, i) => i + 1);
    given(preferencesDecider)
      .when(set({ people: { liked: [...liked, ...liked] } }))
      .then(liked.map(likedPerson));
  });

  it('refuses too many people or languages', () => {
    const people = Array.from({ length: PREFERENCE_LIMITS.likedPeople + 1 }, (_, i) => i + 1);
    given(preferencesDecider)
      .when(set({ people: { liked: people } }))
      .thenRefused('too_many_preferences', 409);
    const codes = Array.from({ length: PREFERENCE_LIMITS.languages + 1 }, (_, i) =>
      String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26)),
    );
    given(preferencesDecider)
      .when(set({ languages: codes }))
      .thenRefused('too_many_preferences', 409);
  });

  // Input is validated at the HTTP edge; these guard the events, which cannot be fixed once stored.
  it.each([
    ['an unknown genre id', set({ genres: { liked: [1 as never], disliked: [] } })],
    ['a person id of 0', set({ people: { liked: [0] } })],
    ['a language that is not ISO 639-1', set({ languages: ['eng'] })],
    ['an unknown media type', set({ mediaTypes: ['book' as never] })],
  ])('refuses %s', (_what, command) => given(preferencesDecider).when(command).thenRefused('invalid_preference', 409));

  it('refuses to change someone else’s preferences', () =>
    given(preferencesDecider)
      .when(set({ actorId: OTHER_USER_ID, languages: ['en'] }))
      .thenRefused('forbidden', 403));
});

describe('preferences stream', () => {
  it('folds a full history into the current sets', () => {
    const later: PreferencesEvent[] = [
      { type: 'GenreUndisliked', data: { userId, genreId: HORROR } },
      { type: 'GenreUnliked', data: { userId, genreId: ACTION } },
      { type: 'PersonUnliked', data: { userId, personId: KEANU } },
      { type: 'LanguageUnpreferred', data: { userId, language: 'en' } },
      likedPerson(FISHBURNE),
      { type: 'MediaTypePreferred', data: { userId, mediaType: 'tv' } },
    ];
    expect(fold(preferencesDecider, [...history, ...later])).toEqual({
      likedGenres: new Set([DRAMA]),
      dislikedGenres: new Set(),
      likedPeople: new Set([FISHBURNE]),
      languages: new Set(),
      mediaTypes: new Set(['movie', 'tv']),
    });
  });

  it('produces only events the registry accepts, and deciding on the result again is a no-op', () => {
    const command = set({
      genres: { liked: [10751, 10765], disliked: [27] },
      people: { liked: [1, 2_147_483_647] },
      languages: ['xx', 'pt'],
      mediaTypes: ['tv', 'movie'],
    });
    const produced = preferencesDecider.decide(command, fold(preferencesDecider, history));
    expect(produced.map((event) => event.type)).toEqual([
      ...['GenreUnliked', 'GenreUnliked', 'GenreLiked', 'GenreLiked'],
      ...['PersonUnliked', 'PersonLiked', 'PersonLiked'],
      ...['LanguageUnpreferred', 'LanguagePreferred', 'LanguagePreferred', 'MediaTypePreferred'],
    ]);
    expect(invalidEvents(produced)).toEqual([]);
    expect(preferencesDecider.decide(command, fold(preferencesDecider, [...history, ...produced]))).toEqual([]);
  });

  it('is named after the user', () => expect(preferencesStreamId(USER_ID)).toBe(`preferences-${USER_ID}`));
});
