import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@reeltime/eventstore';
import { GENRE_IDS, type EventData, type EventType } from '@reeltime/schemas';

/*
 * A realistic event mix for the projector: 5,000 titles, 10,000 users (each with a private
 * watchlist), then user activity over two years of occurredAt timestamps: ratings with
 * re-rates and unrates, list changes, diary entries, preferences and a few erasures.
 * Popularity is skewed (a few titles get most of the activity), and every event is valid in
 * order (an unrate follows a rating, a removed item was in the list).
 */
export type Generated = { stream: string; event: NewEvent };

type Options = { events: number; titles?: number; users?: number; seed?: number; spanDays?: number };

function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* generateEvents({
  events: total,
  titles = 5000,
  users = 10_000,
  seed = 42,
  spanDays = 730,
}: Options): Generator<Generated> {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const start = Date.now() - spanDays * 86_400_000;
  let produced = 0;
  const at = () => new Date(start + (produced / total) * spanDays * 86_400_000).toISOString();
  const make = <K extends EventType>(stream: string, type: K, data: EventData<K>, userId: string | null): Generated => {
    produced++;
    return { stream, event: { type, data, metadata: { occurredAt: at(), userId, correlationId: 'bench' } } as NewEvent };
  };

  const titleIds: string[] = [];
  for (let i = 0; i < titles && produced < total; i++) {
    const tmdbId = 1000 + i;
    const titleId = `movie:${tmdbId}`;
    titleIds.push(titleId);
    const genres = [...new Set([GENRE_IDS[int(GENRE_IDS.length)]!, GENRE_IDS[int(GENRE_IDS.length)]!])];
    yield make(
      `title-movie-${tmdbId}`,
      'TitleImported',
      {
        titleId,
        mediaType: 'movie',
        tmdbId,
        imdbId: null,
        title: `Bench Title ${i}`,
        originalTitle: `Bench Title ${i}`,
        overview: 'A film generated for the projector benchmark.',
        releaseDate: `${1950 + (i % 75)}-06-15`,
        year: 1950 + (i % 75),
        runtimeMinutes: 90 + (i % 60),
        originalLanguage: 'en',
        genreIds: genres as EventData<'TitleImported'>['genreIds'],
        keywords: [{ id: 1 + (i % 50), name: `keyword ${i % 50}` }],
        cast: [0, 1, 2].map((k) => ({
          personId: 1 + ((i * 3 + k) % 20_000),
          name: `Person ${(i * 3 + k) % 20_000}`,
          character: 'Role',
          order: k,
        })),
        directors: [{ personId: 50_000 + (i % 2000), name: `Director ${i % 2000}` }],
        posterPath: `/p${i}.jpg`,
        backdropPath: null,
        popularity: Math.round(random() * 100_000) / 100,
        voteAverage: Math.round(random() * 100) / 10,
        voteCount: int(20_000),
        watchProviders: {},
      },
      null,
    );
  }
  // Zipf-like: squaring a uniform number crowds picks towards the first titles.
  const pickTitle = () => titleIds[Math.floor(titleIds.length * random() ** 2)]!;

  const userIds: string[] = [];
  const watchlists: string[] = [];
  for (let i = 0; i < users && produced < total; i++) {
    const userId = randomUUID();
    const listId = randomUUID();
    userIds.push(userId);
    watchlists.push(listId);
    yield make(`user-${userId}`, 'UserRegistered', { userId, displayName: `user${i}` }, userId);
    yield make(
      `list-${listId}`,
      'ListCreated',
      { listId, ownerId: userId, name: 'Watchlist', description: '', visibility: 'private', kind: 'watchlist' },
      userId,
    );
  }

  const erased = new Set<number>();
  const ratings = new Map<string, number>();
  const lists = new Map<string, { owner: number; items: string[]; visibility: 'public' | 'private' }>();
  watchlists.forEach((listId, owner) => lists.set(listId, { owner, items: [], visibility: 'private' }));
  const listIds = [...watchlists];
  const diary: { entryId: string; user: number }[] = [];
  const liked = new Map<number, Set<number>>();

  while (produced < total) {
    const u = int(userIds.length);
    if (erased.has(u)) continue;
    const userId = userIds[u]!;
    const roll = random();
    if (roll < 0.42) {
      const titleId = pickTitle();
      const key = `${u}|${titleId}`;
      ratings.set(key, 1);
      yield make(
        `rating-${userId}-${titleId}`,
        'TitleRated',
        { userId, titleId, score: 1 + int(10), containsSpoilers: random() < 0.05, ...(random() < 0.2 ? { review: 'Worth a watch.' } : {}) },
        userId,
      );
    } else if (roll < 0.46) {
      const titleId = pickTitle();
      const key = `${u}|${titleId}`;
      if (!ratings.delete(key)) continue;
      yield make(`rating-${userId}-${titleId}`, 'TitleUnrated', { userId, titleId }, userId);
    } else if (roll < 0.5) {
      const listId = randomUUID();
      const visibility = random() < 0.6 ? 'public' : 'private';
      lists.set(listId, { owner: u, items: [], visibility });
      listIds.push(listId);
      yield make(
        `list-${listId}`,
        'ListCreated',
        { listId, ownerId: userId, name: `List ${listIds.length}`, description: '', visibility, kind: 'custom' },
        userId,
      );
    } else if (roll < 0.66) {
      const listId = listIds[int(listIds.length)]!;
      const list = lists.get(listId);
      if (list === undefined || erased.has(list.owner)) continue;
      const titleId = pickTitle();
      if (list.items.includes(titleId) || list.items.length >= 200) continue;
      list.items.push(titleId);
      yield make(`list-${listId}`, 'ListItemAdded', { listId, titleId }, userIds[list.owner]!);
    } else if (roll < 0.7) {
      const listId = listIds[int(listIds.length)]!;
      const list = lists.get(listId);
      if (list === undefined || erased.has(list.owner) || list.items.length === 0) continue;
      const [titleId] = list.items.splice(int(list.items.length), 1);
      yield make(`list-${listId}`, 'ListItemRemoved', { listId, titleId: titleId! }, userIds[list.owner]!);
    } else if (roll < 0.715) {
      const listId = listIds[int(listIds.length)]!;
      const list = lists.get(listId);
      if (list === undefined || erased.has(list.owner) || list.items.length < 2) continue;
      list.items.reverse();
      yield make(`list-${listId}`, 'ListItemsReordered', { listId, titleIds: [...list.items] }, userIds[list.owner]!);
    } else if (roll < 0.725) {
      const listId = listIds[int(listIds.length)]!;
      const list = lists.get(listId);
      if (list === undefined || erased.has(list.owner) || watchlists.includes(listId)) continue;
      if (random() < 0.3) {
        lists.delete(listId);
        yield make(`list-${listId}`, 'ListDeleted', { listId }, userIds[list.owner]!);
      } else if (random() < 0.5) {
        list.visibility = list.visibility === 'public' ? 'private' : 'public';
        yield make(`list-${listId}`, 'ListVisibilityChanged', { listId, visibility: list.visibility }, userIds[list.owner]!);
      } else {
        yield make(`list-${listId}`, 'ListRenamed', { listId, name: `Renamed ${produced}` }, userIds[list.owner]!);
      }
    } else if (roll < 0.9) {
      const entryId = randomUUID();
      diary.push({ entryId, user: u });
      const day = new Date(start + (produced / total) * spanDays * 86_400_000).toISOString().slice(0, 10);
      yield make(
        `diary-${userId}`,
        'TitleWatched',
        { entryId, userId, titleId: pickTitle(), watchedOn: day, rewatch: random() < 0.1 },
        userId,
      );
    } else if (roll < 0.91) {
      if (diary.length === 0) continue;
      const index = int(diary.length);
      const entry = diary[index]!;
      diary[index] = diary.at(-1)!;
      diary.pop();
      if (erased.has(entry.user)) continue;
      yield make(
        `diary-${userIds[entry.user]!}`,
        'DiaryEntryRemoved',
        { entryId: entry.entryId, userId: userIds[entry.user]! },
        userIds[entry.user]!,
      );
    } else if (roll < 0.99995) {
      const genres = liked.get(u) ?? new Set<number>();
      liked.set(u, genres);
      const genreId = GENRE_IDS[int(GENRE_IDS.length)]!;
      const type = genres.has(genreId) ? 'GenreUnliked' : 'GenreLiked';
      if (type === 'GenreLiked') genres.add(genreId);
      else genres.delete(genreId);
      if (random() < 0.2) yield make(`preferences-${userId}`, 'LanguagePreferred', { userId, language: 'ja' }, userId);
      else yield make(`preferences-${userId}`, type, { userId, genreId } as EventData<'GenreLiked'>, userId);
    } else {
      erased.add(u);
      yield make(`user-${userId}`, 'UserErased', { userId }, userId);
    }
  }
}
