import { clipText, isStorableText, MAX_LIST_ITEMS, TEXT_FORMAT_MESSAGE, type MediaType } from '@reeltime/schemas';
import { describeTitle, ImportFileError, type ImportedList, type ImportRow, type RowAction } from '../rows.ts';
import { baseName, calendarDay, imdbId, length, tenPointScore, tmdbId, year } from './fields.ts';

// Trakt's JSON export: watched-movies/-shows, ratings-movies/-shows, watchlist, lists (and
// history). Each file is an array whose items carry a `movie` or `show` with `ids {trakt, slug,
// imdb, tmdb}`; what the item means is told by its fields (rating, last_watched_at, listed_at).

type Media = { title?: unknown; year?: unknown; ids?: { trakt?: unknown; imdb?: unknown; tmdb?: unknown; slug?: unknown } };
type Item = {
  movie?: Media;
  show?: Media;
  episode?: unknown;
  season?: unknown;
  rating?: unknown;
  last_watched_at?: unknown;
  watched_at?: unknown;
  listed_at?: unknown;
  rank?: unknown;
  notes?: unknown;
  id?: unknown;
  name?: unknown;
  description?: unknown;
  ids?: unknown;
};

/** Parses a JSON file; a syntax error names its line, text PostgreSQL cannot store its field. */
export function parseJson(file: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : 0;
    throw new ImportFileError(file, line, `is not valid JSON (${message})`);
  }
  const unstorable = unstorableText(value);
  if (unstorable !== undefined) throw new ImportFileError(file, 0, `${unstorable} ${TEXT_FORMAT_MESSAGE}`);
  return value;
}

/**
 * Where `value` holds a string PostgreSQL cannot store (`\u0000`, a lone `\ud83d`: JSON escapes
 * them), as a JSON pointer; undefined when nowhere. Iterative: a deeply nested file must not
 * overflow the stack.
 */
function unstorableText(value: unknown): string | undefined {
  const pending: [unknown, string][] = [[value, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return path || '/';
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (!isStorableText(key)) return `a key in ${path || '/'}`;
        pending.push([child, `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`]);
      }
    }
  }
  return undefined;
}

const isItem = (value: unknown): value is Item => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a parsed file is a Trakt item array (an empty array counts). */
export function isTraktItems(value: unknown): value is Item[] {
  return (
    Array.isArray(value) &&
    value.every((item) => isItem(item) && (isItem(item.movie) || isItem(item.show) || 'episode' in item || 'season' in item))
  );
}

/** `lists-lists.json`: the user's lists by slug, so their items files get names and descriptions. */
export function traktListIndex(value: unknown): Map<string, ImportedList> | undefined {
  if (!Array.isArray(value) || !value.every((list) => isItem(list) && typeof list.name === 'string' && isItem(list.ids))) return undefined;
  const lists = new Map<string, ImportedList>();
  for (const list of value as Item[]) {
    const ids = (list as { ids: { slug?: unknown; trakt?: unknown } }).ids;
    const slug = String(ids.slug ?? ids.trakt ?? '');
    lists.set(slug, {
      key: `trakt-list|${String(ids.trakt ?? slug)}`,
      name: clipText(String(list.name), 100) || slug,
      description: typeof list.description === 'string' ? clipText(list.description, 1000) : '',
    });
  }
  return lists;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Rows of one items file; `lists` names the lists of `lists-<slug>.json` files. */
export function traktRows(file: string, items: Item[], lists: Map<string, ImportedList>): ImportRow[] {
  const name = baseName(file);
  const watchlist = /watchlist/i.test(name);
  const slug = name.replace(/^lists?-/, '');
  const list = lists.get(slug) ?? { key: `trakt-list|${slug}`, name: clipText(slug, 100) || 'Trakt list', description: '' };
  const listed = items.filter((item) => item.listed_at !== undefined);
  if (!watchlist && listed.length > MAX_LIST_ITEMS)
    throw new ImportFileError(file, MAX_LIST_ITEMS + 1, `a list holds at most ${MAX_LIST_ITEMS} titles`);
  return items.map((item, index) => {
    const line = index + 1;
    const media = item.movie ?? item.show;
    const mediaType: MediaType = item.movie ? 'movie' : 'tv';
    const title = text(media?.title);
    const titleYear = year(typeof media?.year === 'number' ? media.year : undefined);
    const ids = media?.ids ?? {};
    const rowKey = `${String(ids.trakt ?? ids.slug ?? title)}`;
    let action: RowAction;
    let key: string;
    let problem: string | undefined;
    if (item.rating !== undefined) {
      const score = tenPointScore(item.rating as number);
      action = { kind: 'rating', score: score ?? 0 };
      key = `rating|${mediaType}|${rowKey}`;
      if (score === undefined) problem = `rating ${JSON.stringify(item.rating)} is not 1 to 10`;
    } else if (item.watched_at !== undefined || item.last_watched_at !== undefined) {
      const history = item.watched_at !== undefined;
      const day = calendarDay(text(item.watched_at ?? item.last_watched_at));
      // A history item is one play on a real day; watched-* is "seen it" with the last play's day.
      action = history ? { kind: 'watch', watchedOn: day ?? '', rewatch: false } : { kind: 'watched', watchedOn: day ?? '' };
      key = history ? `history|${String(item.id ?? `${rowKey}|${day}`)}` : `watched|${mediaType}|${rowKey}`;
      if (day === undefined) problem = `${JSON.stringify(item.watched_at ?? item.last_watched_at)} is not a date`;
    } else if (item.listed_at !== undefined) {
      const note = text(item.notes) ?? undefined;
      const rank = typeof item.rank === 'number' ? item.rank : line;
      action = watchlist ? { kind: 'watchlist' } : { kind: 'list', list, position: rank };
      if (note) action.note = note;
      key = `${watchlist ? 'watchlist' : list.key}|${mediaType}|${rowKey}`;
      if (note && length(note) > 500) problem = 'the note is longer than 500 characters';
    } else {
      action = { kind: 'watched', watchedOn: '' };
      key = `unknown|${line}`;
      problem = 'the item is neither a rating, a watch nor a list entry';
    }
    const row: ImportRow = { file, line, text: describeTitle(title, titleYear), key, mediaType, action };
    const tmdb = tmdbId(ids.tmdb);
    const imdb = imdbId(text(ids.imdb));
    if (tmdb !== undefined) row.tmdbId = tmdb;
    if (imdb !== undefined) row.imdbId = imdb;
    if (title !== undefined) row.name = title;
    if (titleYear !== undefined) row.year = titleYear;
    if (item.episode !== undefined || item.season !== undefined)
      row.problem = 'episodes and seasons are not tracked, only films and series';
    else if (media === undefined) row.problem = 'the item names no film or show';
    else if (problem !== undefined) row.problem = problem;
    return row;
  });
}
