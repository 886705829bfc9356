import type { EventData, EventType } from '../registry.ts';

// One valid payload per event type. Typed as a complete mapping so a new event type cannot be
// added without a sample (tsc fails here first).

export const USER_ID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
export const OTHER_USER_ID = '0b7e6d5c-4a39-4281-9f0e-d1c2b3a49586';
export const LIST_ID = 'c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f';
export const ENTRY_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const IMPORT_ID = '1d2c3b4a-5f6e-4d7c-9b8a-7f6e5d4c3b2a';

export const samples: { [K in EventType]: EventData<K> } = {
  UserRegistered: { userId: USER_ID, displayName: 'Ada' },
  UserErased: { userId: USER_ID },
  TitleImported: {
    titleId: 'movie:603',
    mediaType: 'movie',
    tmdbId: 603,
    imdbId: 'tt0133093',
    title: 'The Matrix',
    originalTitle: 'The Matrix',
    overview: 'Set in the 22nd century, The Matrix tells the story of a computer hacker...',
    releaseDate: '1999-03-30',
    year: 1999,
    runtimeMinutes: 136,
    originalLanguage: 'en',
    genreIds: [28, 878],
    keywords: [{ id: 310, name: 'artificial intelligence (a.i.)' }],
    cast: [
      { personId: 6384, name: 'Keanu Reeves', character: 'Thomas A. Anderson / Neo', order: 0 },
      { personId: 2975, name: 'Laurence Fishburne', character: 'Morpheus', order: 1 },
    ],
    directors: [
      { personId: 9340, name: 'Lana Wachowski' },
      { personId: 9339, name: 'Lilly Wachowski' },
    ],
    posterPath: '/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg',
    backdropPath: null,
    popularity: 84.2,
    voteAverage: 8.2,
    voteCount: 26000,
    watchProviders: {
      US: {
        link: 'https://www.themoviedb.org/movie/603-the-matrix/watch?locale=US',
        flatrate: [{ providerId: 1899, name: 'Max', logoPath: '/6Q3ZYUNA9Hsgj6iWnVsw2gR5V6z.jpg' }],
        rent: [{ providerId: 2, name: 'Apple TV', logoPath: '/9ghgSC0MA082EL6HLCW3GalykFD.jpg' }],
      },
      DE: {},
    },
  },
  TitleUpdated: { titleId: 'tv:1396', changes: { voteAverage: 8.9, status: 'Ended', posterPath: null } },
  ListCreated: {
    listId: LIST_ID,
    ownerId: USER_ID,
    name: 'Watchlist',
    description: '',
    visibility: 'private',
    kind: 'watchlist',
  },
  ListRenamed: { listId: LIST_ID, name: 'Sunday films' },
  ListDescriptionChanged: { listId: LIST_ID, description: 'Slow cinema for slow Sundays.' },
  ListVisibilityChanged: { listId: LIST_ID, visibility: 'public' },
  ListItemAdded: { listId: LIST_ID, titleId: 'movie:603', note: 'rewatch before the sequel' },
  ListItemRemoved: { listId: LIST_ID, titleId: 'movie:603' },
  ListItemsReordered: { listId: LIST_ID, titleIds: ['tv:1396', 'movie:603'] },
  ListDeleted: { listId: LIST_ID },
  TitleRated: { userId: USER_ID, titleId: 'movie:603', score: 9, review: 'Still holds up.', containsSpoilers: false },
  TitleUnrated: { userId: USER_ID, titleId: 'movie:603' },
  TitleWatched: { entryId: ENTRY_ID, userId: USER_ID, titleId: 'tv:1396', watchedOn: '2024-02-29', rewatch: true },
  DiaryEntryRemoved: { entryId: ENTRY_ID, userId: USER_ID },
  GenreLiked: { userId: USER_ID, genreId: 878 },
  GenreUnliked: { userId: USER_ID, genreId: 878 },
  GenreDisliked: { userId: USER_ID, genreId: 10764 },
  GenreUndisliked: { userId: USER_ID, genreId: 10764 },
  PersonLiked: { userId: USER_ID, personId: 6384 },
  PersonUnliked: { userId: USER_ID, personId: 6384 },
  LanguagePreferred: { userId: USER_ID, language: 'ja' },
  LanguageUnpreferred: { userId: USER_ID, language: 'ja' },
  MediaTypePreferred: { userId: USER_ID, mediaType: 'tv' },
  MediaTypeUnpreferred: { userId: USER_ID, mediaType: 'movie' },
  ImportStarted: { importId: IMPORT_ID, userId: USER_ID, source: 'letterboxd', fileName: 'letterboxd-ada-2026.zip', rows: 120 },
  ImportProgressed: {
    importId: IMPORT_ID,
    userId: USER_ID,
    matched: 98,
    imported: 90,
    alreadyPresent: 8,
    unmatchedCount: 2,
    unmatched: [{ file: 'diary.csv', line: 14, text: 'Some Lost Film (1931)', reason: 'no title with this name and year in the catalog' }],
  },
  ImportCompleted: { importId: IMPORT_ID, userId: USER_ID, matched: 118, imported: 110, alreadyPresent: 8, unmatchedCount: 2 },
  ImportFailed: { importId: IMPORT_ID, userId: USER_ID, reason: 'The event store was unreachable for too long.' },
};
