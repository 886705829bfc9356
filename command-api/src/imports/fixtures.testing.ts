import { strToU8, zipSync } from 'fflate';

// Export files as the tests make them: the real formats' columns, invented people and rows.

const cell = (value: string | number | undefined) => {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function csv(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[], eol = '\n'): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join(eol) + eol;
}

export type Film = { name: string; year: number };

export const letterboxd = {
  diary: (entries: { film: Film; watched: string; rating?: number; rewatch?: boolean; uri?: string }[], eol?: string) =>
    csv(
      ['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'Rewatch', 'Tags', 'Watched Date'],
      entries.map((e, i) => [
        e.watched,
        e.film.name,
        e.film.year,
        e.uri ?? `https://boxd.it/d${i}`,
        e.rating,
        e.rewatch ? 'Yes' : '',
        '',
        e.watched,
      ]),
      eol,
    ),
  ratings: (entries: { film: Film; rating: number }[]) =>
    csv(
      ['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating'],
      entries.map((e) => ['2024-01-01', e.film.name, e.film.year, `https://letterboxd.com/film/${e.film.name}/`, e.rating]),
    ),
  films: (films: Film[], date = '2024-02-02') =>
    csv(
      ['Date', 'Name', 'Year', 'Letterboxd URI'],
      films.map((f) => [date, f.name, f.year, `https://letterboxd.com/film/${f.name}/`]),
    ),
  reviews: (entries: { film: Film; rating?: number; review: string }[]) =>
    csv(
      ['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'Rewatch', 'Review', 'Tags', 'Watched Date'],
      entries.map((e, i) => ['2024-03-03', e.film.name, e.film.year, `https://boxd.it/r${i}`, e.rating, '', e.review, '', '2024-03-03']),
    ),
  list: (name: string, description: string, items: { film: Film; note?: string }[]) =>
    'Letterboxd list export v7\n' +
    csv(
      ['Date', 'Name', 'Tags', 'URL', 'Description'],
      [['2024-04-04', name, '', `https://letterboxd.com/someone/list/${name}/`, description]],
    ) +
    '\n' +
    csv(
      ['Position', 'Name', 'Year', 'URL', 'Description'],
      items.map((item, i) => [i + 1, item.film.name, item.film.year, `https://boxd.it/l${i}`, item.note]),
    ),
};

export const imdb = {
  ratings: (entries: { id: string; title: string; year: number; rating: number; type?: string }[], eol?: string) =>
    csv(
      [
        'Const',
        'Your Rating',
        'Date Rated',
        'Title',
        'Original Title',
        'URL',
        'Title Type',
        'IMDb Rating',
        'Runtime (mins)',
        'Year',
        'Genres',
        'Num Votes',
        'Release Date',
        'Directors',
      ],
      entries.map((e) => [
        e.id,
        e.rating,
        '2024-05-05',
        e.title,
        e.title,
        `https://www.imdb.com/title/${e.id}/`,
        e.type ?? 'Movie',
        7.5,
        120,
        e.year,
        'Drama',
        1000,
        `${e.year}-01-01`,
        'Someone',
      ]),
      eol,
    ),
  list: (entries: { id: string; title: string; year: number; note?: string }[]) =>
    csv(
      [
        'Position',
        'Const',
        'Created',
        'Modified',
        'Description',
        'Title',
        'Original Title',
        'URL',
        'Title Type',
        'IMDb Rating',
        'Runtime (mins)',
        'Year',
        'Genres',
        'Num Votes',
        'Release Date',
        'Directors',
      ],
      entries.map((e, i) => [
        i + 1,
        e.id,
        '2024-06-06',
        '2024-06-06',
        e.note,
        e.title,
        e.title,
        '',
        'Movie',
        7,
        100,
        e.year,
        'Drama',
        10,
        '',
        '',
      ]),
    ),
};

type TraktMedia = { title: string; year: number; tmdb?: number; imdb?: string; trakt?: number };
const ids = (m: TraktMedia) => ({
  trakt: m.trakt ?? m.tmdb ?? 1,
  slug: m.title.toLowerCase().replaceAll(' ', '-'),
  imdb: m.imdb ?? null,
  tmdb: m.tmdb ?? null,
});
const media = (m: TraktMedia) => ({ title: m.title, year: m.year, ids: ids(m) });

export const trakt = {
  ratings: (type: 'movie' | 'show', entries: { media: TraktMedia; rating: number }[]) =>
    JSON.stringify(entries.map((e) => ({ rated_at: '2024-07-07T20:00:00.000Z', rating: e.rating, type, [type]: media(e.media) }))),
  watched: (type: 'movie' | 'show', entries: { media: TraktMedia; last: string }[]) =>
    JSON.stringify(entries.map((e) => ({ plays: 1, last_watched_at: e.last, last_updated_at: e.last, [type]: media(e.media) }))),
  listItems: (entries: { media: TraktMedia; notes?: string; type?: 'movie' | 'show' }[]) =>
    JSON.stringify(
      entries.map((e, i) => ({
        rank: i + 1,
        id: 100 + i,
        listed_at: '2024-08-08T10:00:00.000Z',
        notes: e.notes ?? null,
        type: e.type ?? 'movie',
        [e.type ?? 'movie']: media(e.media),
      })),
    ),
  lists: (lists: { name: string; slug: string; description: string }[]) =>
    JSON.stringify(
      lists.map((l, i) => ({ name: l.name, description: l.description, privacy: 'private', ids: { trakt: 500 + i, slug: l.slug } })),
    ),
};

export function zip(files: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, content]) => [name, typeof content === 'string' ? strToU8(content) : content])),
  );
}

/** A multipart body for `fetch`. */
export function form(name: string, content: string | Uint8Array, source?: string): FormData {
  const data = new FormData();
  data.append('file', new Blob([typeof content === 'string' ? content : Buffer.from(content)]), name);
  if (source !== undefined) data.append('source', source);
  return data;
}

type ReeltimeTitle = { id: string; title?: string; year?: number };
const exportTitle = (t: ReeltimeTitle) => {
  const [mediaType, tmdbId] = t.id.split(':') as ['movie' | 'tv', string];
  return { titleId: t.id, mediaType, tmdbId: Number(tmdbId), imdbId: null, title: t.title ?? null, year: t.year ?? null };
};
const AT = '2024-09-09T09:00:00.000Z';

/** Reeltime's own JSON export (`ExportDocument`), from the parts a test cares about. */
export function reeltimeExport(parts: {
  userId?: string;
  preferences?: { genres?: number[]; dislikedGenres?: number[]; people?: number[]; languages?: string[]; mediaTypes?: ('movie' | 'tv')[] };
  lists?: {
    listId: string;
    kind?: 'custom' | 'watchlist';
    name?: string;
    description?: string;
    visibility?: 'public' | 'private';
    items: { title: ReeltimeTitle; note?: string }[];
  }[];
  ratings?: { title: ReeltimeTitle; score: number; review?: string; spoilers?: boolean }[];
  diary?: { title: ReeltimeTitle; entryId: string; watchedOn: string; rewatch?: boolean }[];
}): string {
  const p = parts.preferences ?? {};
  return JSON.stringify({
    format: 'reeltime-export',
    version: 1,
    exportedAt: AT,
    profile: { userId: parts.userId ?? '00000000-0000-4000-8000-000000000001', displayName: 'Someone', registeredAt: AT },
    preferences: {
      genres: { liked: p.genres ?? [], disliked: p.dislikedGenres ?? [] },
      people: { liked: p.people ?? [] },
      languages: p.languages ?? [],
      mediaTypes: p.mediaTypes ?? [],
      updatedAt: null,
    },
    lists: (parts.lists ?? []).map((l) => ({
      listId: l.listId,
      kind: l.kind ?? 'custom',
      name: l.name ?? (l.kind === 'watchlist' ? 'Watchlist' : 'A list'),
      description: l.description ?? '',
      visibility: l.visibility ?? 'private',
      createdAt: AT,
      updatedAt: AT,
      items: l.items.map((item, i) => ({ ...exportTitle(item.title), position: i + 1, note: item.note ?? null, addedAt: AT })),
    })),
    ratings: (parts.ratings ?? []).map((r) => ({
      ...exportTitle(r.title),
      score: r.score,
      review: r.review ?? null,
      containsSpoilers: r.spoilers ?? false,
      ratedAt: AT,
      updatedAt: AT,
    })),
    diary: (parts.diary ?? []).map((e) => ({
      ...exportTitle(e.title),
      entryId: e.entryId,
      watchedOn: e.watchedOn,
      rewatch: e.rewatch ?? false,
      loggedAt: AT,
    })),
  });
}
